"""Reading and rewriting nbgrader notebooks: graded cells, answers, submissions."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbformat import NotebookNode

NBFORMAT_VERSION = 4


def read(path: Path) -> NotebookNode:
    return nbformat.read(path, as_version=NBFORMAT_VERSION)


def write(notebook: NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def grading(cell) -> dict:
    """The cell's nbgrader metadata; empty when absent or nulled (as a submission may have it)."""
    return cell.get("metadata", {}).get("nbgrader") or {}


def is_test_cell(cell) -> bool:
    """An autograded test cell: a graded code cell that is not an answer."""
    meta = grading(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def graded_cells(notebook: NotebookNode) -> dict[str, float]:
    """``{grade_id: points}`` of every graded cell, in notebook order."""
    return {
        grading(cell)["grade_id"]: float(grading(cell).get("points", 0))
        for cell in notebook.cells
        if grading(cell).get("grade")
    }


def autograded_cells(notebook: NotebookNode) -> dict[str, float]:
    """The graded cells nbgrader scores by itself (code cells), in notebook order."""
    return {
        grading(cell)["grade_id"]: float(grading(cell).get("points", 0))
        for cell in notebook.cells
        if grading(cell).get("grade") and cell.cell_type == "code"
    }


def answers(notebook: NotebookNode) -> dict[str, str]:
    """``{grade_id: source}`` of every answer (solution) cell."""
    return {grading(c)["grade_id"]: c.source for c in notebook.cells if grading(c).get("solution")}


def fill(notebook: NotebookNode, answers_by_id: dict[str, str]) -> NotebookNode:
    """A copy of ``notebook`` with the named answer cells' sources replaced."""
    filled = copy.deepcopy(notebook)
    unknown = set(answers_by_id) - set(answers(filled))
    if unknown:
        raise KeyError(f"No answer cell with id {sorted(unknown)}")
    for cell in filled.cells:
        grade_id = grading(cell).get("grade_id")
        if grading(cell).get("solution") and grade_id in answers_by_id:
            cell.source = answers_by_id[grade_id]
    return filled


def strip_volatile(notebook: NotebookNode) -> NotebookNode:
    """A copy without outputs, execution counts and per-run metadata, for comparing builds."""
    clean = copy.deepcopy(notebook)
    for cell in clean.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.get("metadata", {}).pop("execution", None)
    clean.metadata.pop("widgets", None)
    return clean
