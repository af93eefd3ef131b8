"""The gradebook lookups nbgrader makes once per cell, answered from one query per notebook.

nbgrader's OverwriteCells and SaveAutoGrades look up every cell of a notebook with its own
six-table join: about a hundred queries a student. ``PrefetchingGradebook`` loads the rows of
all the notebook's cells at the first lookup, in the same session, and answers the rest from
them: the same objects, the same precedence between cell kinds, the same ``MissingEntry``.
SaveAutoGrades commits after every cell; its rows are not reloaded after each commit either:
the whole step takes milliseconds, under the lock that keeps the other workers out.
"""

from __future__ import annotations

from nbgrader.api import Gradebook, GradeCell, MissingEntry, SolutionCell, TaskCell


class PrefetchingGradebook(Gradebook):
    """nbgrader's ``Gradebook``; per-cell lookups read rows loaded once per notebook and session."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.db().expire_on_commit = False
        self._loaded: dict[tuple, dict] = {}

    def _row(self, what: str, key: tuple, name: str, load):
        """Row ``name`` of the cells of ``key`` (assignment, notebook[, student]), all loaded by ``load(*key)``."""
        rows = self._loaded.get((what, key))
        if rows is None:
            rows = self._loaded[(what, key)] = load(*key)
        try:
            return rows[name]
        except KeyError:
            student = f" for {key[2]}" if len(key) > 2 else ""
            raise MissingEntry(f"No such {what}: {key[0]}/{key[1]}/{name}{student}") from None

    def find_source_cell(self, name: str, notebook: str, assignment: str):
        return self._row("source cell", (assignment, notebook), name,
                         lambda a, nb: {c.name: c for c in self.find_notebook(nb, a).source_cells})

    def find_graded_cell(self, name: str, notebook: str, assignment: str):
        def load(a, nb):
            cells = self.find_notebook(nb, a)._base_cells
            return _by_name(cells, {c.id: c for c in cells}, (GradeCell, TaskCell))

        return self._row("graded cell", (assignment, notebook), name, load)

    def find_grade(self, grade_cell: str, notebook: str, assignment: str, student: str):
        return self._row("grade", (assignment, notebook, student), grade_cell,
                         lambda a, nb, s: self._submitted_rows(a, nb, s, "grades", (GradeCell, TaskCell)))

    def find_comment(self, solution_cell: str, notebook: str, assignment: str, student: str):
        return self._row("comment", (assignment, notebook, student), solution_cell,
                         lambda a, nb, s: self._submitted_rows(a, nb, s, "comments", (SolutionCell, TaskCell)))

    def _submitted_rows(self, assignment: str, notebook: str, student: str, relation: str, kinds) -> dict:
        submission = self.find_submission_notebook(notebook, assignment, student)
        by_cell = {row.cell_id: row for row in getattr(submission, relation)}
        return _by_name(submission.notebook._base_cells, by_cell, kinds)


def _by_name(cells, rows_by_cell_id: dict, kinds: tuple) -> dict:
    """The rows of ``cells`` by cell name; where cells of several ``kinds`` share a name,
    the first kind wins, as in nbgrader's lookups (a grade cell before a task cell)."""
    found: dict = {}
    for kind in kinds:
        for cell in cells:
            if isinstance(cell, kind) and cell.id in rows_by_cell_id:
                found.setdefault(cell.name, rows_by_cell_id[cell.id])
    return found


def install() -> None:
    """Give nbgrader's OverwriteCells and SaveAutoGrades the prefetching gradebook (in this process)."""
    from nbgrader.preprocessors import overwritecells, saveautogrades

    overwritecells.Gradebook = saveautogrades.Gradebook = PrefetchingGradebook
