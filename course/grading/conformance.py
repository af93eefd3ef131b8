"""The submitted notebook rebuilt on the release: a student's notebook is read as data, answers only.

Everything that decides what runs or how it is scored comes from the release
notebook the students were given: the cells and their order, every locked
cell's type and source (nbgrader puts the hidden tests back afterwards), all
cell metadata (nbgrader's, tags such as ``skip-execution`` or
``raises-exception``, anything nbclient or nbgrader acts on) and the
notebook's own metadata (the kernel that runs it). From the submission come
only the sources of the answer cells (found by grade id; of a duplicated one,
the last, as nbgrader keeps it), and the cells the student added (code or text,
with no metadata, after the release cell they followed). Outputs and
attachments are dropped. What was changed goes to the grading log (the review flags
for it are ``course.grading.trust``'s).
"""

from __future__ import annotations

import copy
import uuid
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from course.notebooks import grading

__all__ = ["ConformToRelease", "conform"]

def _student_source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def conform(submitted: NotebookNode, release: NotebookNode) -> tuple[NotebookNode, list[str]]:
    """``submitted`` rebuilt on ``release``, and what in it differed from what the release allows."""
    changes: list[str] = []
    release_ids: set[str] = {grading(c)["grade_id"] for c in release.cells if grading(c).get("grade_id") is not None}
    answer_ids = {grading(c).get("grade_id") for c in release.cells if grading(c).get("solution")} - {None}
    unnamed = {_student_source(c) for c in release.cells if not grading(c).get("grade_id")}
    answers: dict[str, str] = {}
    extras: dict[str | None, list] = {}  # the release cell a student's own cell followed -> those cells
    anchor: str | None = None
    seen: set[str] = set()
    for cell in submitted.get("cells", []):
        if not isinstance(cell, dict):
            changes.append("a cell that is not a cell was dropped")
            continue
        grade_id = grading(cell).get("grade_id") if isinstance(grading(cell), dict) else None
        if grade_id in release_ids:
            if grade_id in seen:
                changes.append(f"cell {grade_id} appears more than once")
            seen.add(grade_id)
            if grade_id in answer_ids:
                answers[grade_id] = _student_source(cell)
            anchor = grade_id
        elif grade_id is None and cell.get("cell_type") in ("code", "markdown") and \
                _student_source(cell) not in unnamed:
            if cell.get("metadata"):
                changes.append(f"metadata of a cell the student added after {anchor or 'the start'} was dropped")
            extras.setdefault(anchor, []).append(cell)
        elif grade_id is not None:
            changes.append(f"a cell claiming grade id {grade_id!r}, unknown to the release, was dropped")
    for missing in sorted(release_ids - seen):
        changes.append(f"cell {missing} was missing and is restored from the release")
    cells = [_added(c) for c in extras.get(None, [])]
    for cell in release.cells:
        rebuilt = copy.deepcopy(cell)
        grade_id = grading(cell).get("grade_id")
        if grade_id in answers:
            rebuilt.source = answers[grade_id]
        if rebuilt.cell_type == "code":
            rebuilt.outputs, rebuilt.execution_count = [], None
        rebuilt.pop("attachments", None)
        cells.append(rebuilt)
        cells.extend(_added(c) for c in extras.get(grade_id, []) if grade_id is not None)
    changes += _metadata_changes(submitted, release)
    rebuilt_nb = copy.deepcopy(release)
    rebuilt_nb.cells = cells
    return rebuilt_nb, changes


def _added(cell) -> NotebookNode:
    source = _student_source(cell)
    if cell.get("cell_type") == "markdown":
        made = nbformat.v4.new_markdown_cell(source)
    else:
        made = nbformat.v4.new_code_cell(source)
    made.id = uuid.uuid4().hex[:8]
    return made


def _metadata_changes(submitted, release) -> list[str]:
    changes = []
    by_id = {}
    for cell in submitted.get("cells", []):
        if isinstance(cell, dict) and isinstance(grading(cell), dict) and grading(cell).get("grade_id"):
            by_id[grading(cell)["grade_id"]] = cell
    for cell in release.cells:
        grade_id = grading(cell).get("grade_id")
        theirs = by_id.get(grade_id)
        if theirs is None:
            continue
        if theirs.get("cell_type") != cell.cell_type:
            changes.append(f"cell {grade_id} was turned into {theirs.get('cell_type')!r}")
        if theirs.get("metadata", {}).get("tags", []) != cell.metadata.get("tags", []):
            changes.append(f"the tags of cell {grade_id} were changed")
        if theirs.get("metadata", {}).get("nbgrader") != cell.metadata.get("nbgrader"):
            changes.append(f"the nbgrader metadata of cell {grade_id} were changed")
        if not grading(cell).get("solution") and _student_source(theirs) != cell.source:
            changes.append(f"locked cell {grade_id} was edited")
    if submitted.get("metadata", {}).get("kernelspec") != release.metadata.get("kernelspec"):
        changes.append("the notebook's kernel was changed")
    return changes


def release_notebook(root: Path, assignment: str, notebook: str) -> Path:
    return Path(root) / "release" / assignment / f"{notebook}.ipynb"


class ConformToRelease(NbGraderPreprocessor):
    """The first sanitizing step: the notebook nbgrader goes on with is the release with the answers."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        info = resources["nbgrader"]
        path = release_notebook(Path.cwd(), info["assignment"], info["notebook"])
        if not path.is_file():
            raise FileNotFoundError(f"No release notebook {path}: run `python -m course build "
                                    f"{info['assignment']}` before grading.")
        release = nbformat.read(path, as_version=4)
        rebuilt, changes = conform(nb, release)
        for change in changes:
            self.log.warning("%s: %s", info["notebook"], change)
        return rebuilt, resources
