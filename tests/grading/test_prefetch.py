"""The prefetching gradebook answers every per-cell lookup as nbgrader's own Gradebook does."""

import pytest
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import overwritecells, saveautogrades
from sqlalchemy import event

from course.grading import prefetch

LOOKUPS = {  # lookup: (arguments after the cell name)
    "find_source_cell": ("nb", "a1"),
    "find_graded_cell": ("nb", "a1"),
    "find_grade": ("nb", "a1", "ann"),
    "find_comment": ("nb", "a1", "ann"),
}
NAMES = ["answer", "tests", "essay", "shared", "locked", "nowhere"]


@pytest.fixture(scope="module")
def db_url(tmp_path_factory, scripts_on_path):
    """One notebook with every kind of cell, a task cell named like a grade and solution cell
    ("shared", as the database allows), a second notebook and assignment with the same
    cell names, and two students' submissions."""
    url = f"sqlite:///{tmp_path_factory.mktemp('prefetch') / 'gradebook.db'}"
    with Gradebook(url) as gradebook:
        for assignment in ("a1", "a2"):
            gradebook.add_assignment(assignment)
            for notebook in ("nb", "other"):
                gradebook.add_notebook(notebook, assignment)
                add = dict(notebook=notebook, assignment=assignment)
                gradebook.add_grade_cell("answer", max_score=2, cell_type="code", **add)
                gradebook.add_solution_cell("answer", **add)
                gradebook.add_grade_cell("tests", max_score=3, cell_type="code", **add)
                gradebook.add_task_cell("essay", max_score=4, cell_type="markdown", **add)
                gradebook.add_grade_cell("shared", max_score=5, cell_type="code", **add)
                gradebook.add_solution_cell("shared", **add)
                gradebook.add_task_cell("shared", max_score=6, cell_type="markdown", **add)
                for name in ("answer", "tests", "essay", "shared", "locked"):
                    gradebook.add_source_cell(name, cell_type="code", locked=name == "locked",
                                              source=f"# {name}", checksum=name, **add)
        for student in ("ann", "bob"):
            gradebook.add_student(student)
            for assignment in ("a1", "a2"):
                gradebook.add_submission(assignment, student)
    return url


def _answer(gradebook, lookup, name):
    try:
        return getattr(gradebook, lookup)(name, *LOOKUPS[lookup]).id
    except MissingEntry:
        return MissingEntry


@pytest.mark.parametrize("lookup", LOOKUPS)
def test_each_lookup_finds_the_row_nbgrader_finds(db_url, lookup):
    with Gradebook(db_url) as plain, prefetch.PrefetchingGradebook(db_url) as prefetching:
        expected = {name: _answer(plain, lookup, name) for name in NAMES}
        assert {name: _answer(prefetching, lookup, name) for name in NAMES} == expected
    assert expected["nowhere"] is MissingEntry
    assert len({v for v in expected.values() if v is not MissingEntry}) >= 3


def _statements(gradebook, lookups) -> int:
    """How many SQL statements ``lookups`` (callables of the gradebook) send."""
    sent = []
    listener = lambda *args: sent.append(args[2])  # noqa: E731
    event.listen(gradebook.engine, "before_cursor_execute", listener)
    try:
        for lookup in lookups:
            lookup(gradebook)
    finally:
        event.remove(gradebook.engine, "before_cursor_execute", listener)
    return len(sent)


def test_a_notebooks_rows_are_loaded_once_per_session_and_not_again_after_a_commit(db_url):
    every_cell = [lambda gb, name=name: gb.find_grade(name, "nb", "a1", "ann") for name in NAMES[:4]] + \
                 [lambda gb, name=name: gb.find_source_cell(name, "nb", "a1") for name in NAMES[:5]]
    one_of_each = [every_cell[0], every_cell[4]]
    with prefetch.PrefetchingGradebook(db_url) as prefetching:
        per_notebook = _statements(prefetching, one_of_each)
    with Gradebook(db_url) as plain, prefetch.PrefetchingGradebook(db_url) as prefetching:
        assert _statements(plain, every_cell) >= len(every_cell)  # a query per lookup
        assert _statements(prefetching, every_cell) == per_notebook < len(every_cell)
        assert _statements(prefetching, every_cell) == 0
        grade = prefetching.find_grade("answer", "nb", "a1", "ann")
        grade.auto_score = 2.0
        prefetching.db.commit()
        assert prefetching.find_grade("answer", "nb", "a1", "ann") is grade
        assert _statements(prefetching, [lambda gb: gb.find_grade("tests", "nb", "a1", "ann").manual_score]) == 0
        assert prefetching.find_grade("answer", "nb", "a1", "bob") is not grade
    with Gradebook(db_url) as plain:
        assert plain.find_grade("answer", "nb", "a1", "ann").auto_score == 2.0


def test_missing_submission_is_a_missing_entry(db_url):
    with prefetch.PrefetchingGradebook(db_url) as gradebook, pytest.raises(MissingEntry):
        gradebook.find_grade("answer", "nb", "a1", "nobody")


def test_install_gives_nbgraders_two_per_cell_steps_the_prefetching_gradebook(monkeypatch):
    monkeypatch.setattr(overwritecells, "Gradebook", Gradebook)
    monkeypatch.setattr(saveautogrades, "Gradebook", Gradebook)
    prefetch.install()
    assert overwritecells.Gradebook is saveautogrades.Gradebook is prefetch.PrefetchingGradebook
