"""Partial credit, shared by the grader's verdicts and the short-answer grader. Kept apart from
``course.notebooks``, whose nbformat import a student's kernel should not pay for."""

from __future__ import annotations


def clamp_points(points: float, max_points: float) -> float:
    """Partial credit as a cell can hold it: between 0 and the cell's points."""
    return float(min(max(float(points), 0.0), max_points))
