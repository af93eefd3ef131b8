"""The formgrader's Autograde button with the casebook's server extension loaded: it grades one
submission with ``python -m course grade`` (sandboxed) and its dialog says the points or the cause."""

from __future__ import annotations

import pytest

from course import notebooks
from course.cases import notebook
from course.grading import formgrader
from course.instructor import demo, nbgrader_tools
from course.paths import CHECKOUT_DIR

CASE = "case1_market_selection"


def _api(root):
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory()
    coursedir.root = str(root)
    return NbGraderAPI(coursedir)


def test_loading_the_extension_replaces_the_buttons_plain_nbgrader(monkeypatch):
    from nbgrader.apps.api import NbGraderAPI

    class Server:
        class log:  # the shape of a server's logger
            info = staticmethod(print)

    monkeypatch.setattr(NbGraderAPI, "autograde", NbGraderAPI.autograde)
    formgrader._load_jupyter_server_extension(Server)
    assert NbGraderAPI.autograde is formgrader.autograde_with_casebook
    assert formgrader._jupyter_server_extension_points() == [{"module": "course.grading.formgrader"}]


def test_the_command_grades_one_student_afresh_in_the_sandbox():
    command = formgrader.grade_command(CASE, "ada", "sqlite:///x.db")
    assert command[1:6] == ["-m", "course", "grade", CASE, "--student"]
    assert "--force" in command and "--no-sandbox" not in command


@pytest.fixture(scope="module")
def course_with_two_submissions(tmp_path_factory, scripts_on_path):
    root = demo.copy_course(CHECKOUT_DIR, tmp_path_factory.mktemp("button") / "course")
    nbgrader_tools.run(["generate_assignment", CASE, "--force", "--quiet"], root)
    release = notebooks.read(notebook(CASE, "release", root))
    key = notebooks.answers(notebooks.read(notebook(CASE, "source", root)))
    demo.submit(root, CASE, "answer-key", notebooks.fill(release, key))
    demo.submit(root, CASE, "broken", release).write_text("{ not a notebook", encoding="utf-8")
    return root


@pytest.mark.needs("bwrap")
def test_the_button_grades_a_submission_and_says_why_another_failed(course_with_two_submissions):
    root = course_with_two_submissions
    api = _api(root)
    graded = formgrader.autograde_with_casebook(api, CASE, "answer-key")
    assert graded["success"], graded
    full = notebooks.graded_cells(notebooks.read(notebook(CASE, "source", root)))
    assert nbgrader_tools.cell_scores(root, CASE)["answer-key"] == full

    failed = formgrader.autograde_with_casebook(api, CASE, "broken")
    assert not failed["success"]
    assert failed["error"].startswith("Not graded:\n") and "json" in failed["error"].lower()
    assert "broken" not in nbgrader_tools.cell_scores(root, CASE)  # no grade rows that read as a 0


def test_without_a_sandbox_the_button_grades_nothing_and_says_so(course_with_two_submissions, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no bubblewrap to find
    result = formgrader.autograde_with_casebook(_api(course_with_two_submissions), CASE, "answer-key")
    assert not result["success"] and "sandbox" in result["error"].lower()
