"""Checks after a grading run: the gradebook is whole and holds no failed submission, and nothing
outside the outputs changed."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

# What grading may write: each student's autograded folder, the records and the gradebook.
OUTPUTS = ("autograded", "grading-logs", "gradebook.db", "gradebook.db-journal")


def gradebook_problems(db_url: str, case: str, graded: list[str], failed: list[str] | tuple = ()) -> list[str]:
    """Every graded student has a grade row for every grade cell, scores in [0, max], no stray rows;
    a failed student has no submission, so no grade of theirs reads as a real zero."""
    problems = []
    with Gradebook(db_url) as gradebook:
        assignment = gradebook.find_assignment(case)
        for student in failed:
            with contextlib.suppress(MissingEntry):
                gradebook.find_submission(case, student)
                problems.append(f"{student}: failed, yet has grades in the gradebook (they would read as 0)")
        cells = {(nb.name, cell.name): cell.max_score for nb in assignment.notebooks for cell in nb.grade_cells}
        for student in graded:
            try:
                submission = gradebook.find_submission(case, student)
            except Exception as err:
                problems.append(f"{student}: no submission in the gradebook ({err})")
                continue
            rows = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    rows[(notebook.name, grade.name)] = grade
            for key in sorted(set(cells) - set(rows)):
                problems.append(f"{student}: no grade for {key[0]}/{key[1]}")
            for key in sorted(set(rows) - set(cells)):
                problems.append(f"{student}: a grade for unknown cell {key[0]}/{key[1]}")
            for key, grade in rows.items():
                for score in (grade.auto_score, grade.manual_score):
                    if score is not None and not 0 <= score <= cells.get(key, 0):
                        problems.append(f"{student}: {key[1]} scored {score} of {cells.get(key)}")
    return problems


def snapshot(root: Path) -> dict[str, str]:
    """``{path: sha256}`` of every file of the course but grading's outputs."""
    found = {}
    for path in sorted(Path(root).rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and relative.parts[0] not in OUTPUTS:
            found[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
