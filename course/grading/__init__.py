"""Fast class grading: nbgrader's own autograde steps, run by one worker per
core, each starting every student's kernel as a fresh fork of a warm process.

``runner.grade_class`` is the entry point; ``python -m course grade CASE`` is
its command line.
"""
