"""Grading reports for a case: per student and per question scores, a Canvas
gradebook CSV, nbgrader's own export, and an item analysis with figures.

Errors, review flags and late penalties stay in their own columns: a
submission that could not be graded has no score, never a zero.
"""
