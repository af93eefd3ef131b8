"""The checks after a grading run, on a small gradebook and a small course folder."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

from course.grading import integrity

CASE = "a1"


@pytest.fixture(scope="module")
def made(tmp_path_factory, scripts_on_path) -> Path:
    """One notebook with two grade cells (2 and 3 points) and three students who submitted."""
    path = tmp_path_factory.mktemp("integrity") / "gradebook.db"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's add_submission autoflushes half-made rows
        with Gradebook(f"sqlite:///{path}") as gradebook:
            gradebook.add_assignment(CASE)
            gradebook.add_notebook("nb", CASE)
            for cell, points in (("answer", 2), ("tests", 3)):
                gradebook.add_grade_cell(cell, max_score=points, cell_type="code", notebook="nb", assignment=CASE)
            for student in ("ann", "bob", "cid"):
                gradebook.add_student(student)
                gradebook.add_submission(CASE, student)
    return path


@pytest.fixture
def db_url(made, tmp_path) -> str:
    """A copy of the gradebook for one test to change."""
    shutil.copy(made, tmp_path / made.name)
    return f"sqlite:///{tmp_path / made.name}"


def _set_score(url: str, student: str, cell: str, score: float) -> None:
    with Gradebook(url) as gradebook:
        gradebook.find_grade(cell, "nb", CASE, student).auto_score = score
        gradebook.db.commit()


def test_a_whole_gradebook_has_no_problems(db_url):
    _set_score(db_url, "ann", "tests", 3)
    assert integrity.gradebook_problems(db_url, CASE, ["ann", "bob", "cid"]) == []


def test_a_missing_grade_a_score_out_of_range_and_a_student_never_graded_are_named(db_url):
    with Gradebook(db_url) as gradebook:
        gradebook.db.delete(gradebook.find_grade("answer", "nb", CASE, "bob"))
        gradebook.db.commit()
    _set_score(db_url, "cid", "tests", 4)
    _set_score(db_url, "ann", "answer", -1)
    problems = integrity.gradebook_problems(db_url, CASE, ["ann", "bob", "cid", "dan"])
    assert problems[0] == "ann: answer scored -1.0 of 2.0"
    assert "bob: no grade for nb/answer" in problems
    assert "cid: tests scored 4.0 of 3.0" in problems
    assert [p for p in problems if p.startswith("dan: no submission in the gradebook")]
    assert len(problems) == 4


def test_a_failed_student_with_a_submission_would_read_as_a_zero(db_url):
    problems = integrity.gradebook_problems(db_url, CASE, ["ann"], failed=["bob"])
    assert problems == ["bob: failed, yet has grades in the gradebook (they would read as 0)"]


def test_only_changes_outside_grading_s_outputs_are_reported(tmp_path):
    (tmp_path / "source" / CASE).mkdir(parents=True)
    (tmp_path / "source" / CASE / "nb.ipynb").write_text("key")
    (tmp_path / "nbgrader_config.py").write_text("c = 1")
    (tmp_path / "autograded" / "ann").mkdir(parents=True)
    before = integrity.snapshot(tmp_path)
    assert sorted(before) == ["nbgrader_config.py", f"source/{CASE}/nb.ipynb"]

    (tmp_path / "autograded" / "ann" / "nb.ipynb").write_text("graded")
    (tmp_path / "gradebook.db").write_text("rows")
    (tmp_path / "grading-logs").mkdir()
    (tmp_path / "grading-logs" / "run.log").write_text("log")
    assert integrity.changed(before, integrity.snapshot(tmp_path)) == []

    (tmp_path / "source" / CASE / "nb.ipynb").write_text("tampered")
    (tmp_path / "nbgrader_config.py").unlink()
    (tmp_path / "planted.py").write_text("x")
    assert integrity.changed(before, integrity.snapshot(tmp_path)) == [
        "nbgrader_config.py", "planted.py", f"source/{CASE}/nb.ipynb"]
