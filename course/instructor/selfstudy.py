"""The answer key of a case for a self-study learner who has tried it.

It is the instructor's notebook with the solution markers taken out and the
hidden tests removed: a learner checks answers with the visible checks, and
a key passed around a class does not carry the grader's tests. Rubrics stay
out too: their term lists would teach gaming the grader, not the case.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.preprocessors import ClearHiddenTests

from course import notebooks
from course.cases import notebook

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def answer_key(root: Path, case: str):
    """``case``'s source notebook without hidden tests or solution markers."""
    key, _ = ClearHiddenTests().preprocess(notebooks.read(notebook(case, "source", root)), {})
    for cell in key.cells:
        if notebooks.grading(cell).get("solution"):
            cell.source = "\n".join(
                line for line in cell.source.split("\n") if line.strip() not in SOLUTION_MARKERS)
    return key


def write_answer_key(root: Path, case: str, folder: Path) -> Path:
    """Write the key as ``<folder>/<case>/<notebook>_answers.ipynb``; return its path."""
    name = notebook(case, "source", root).stem
    path = folder / case / f"{name}_answers.ipynb"
    notebooks.write(answer_key(root, case), path)
    return path
