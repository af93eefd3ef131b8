"""The casebook's grading command (``python -m course grade``) against real ``nbgrader autograde``:
the same score for every cell, the same autograded notebooks, no state carried from one student to
the next, failures contained, a killed run resumed, and a PostgreSQL gradebook."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course import notebooks
from course.cases import notebook
from course.grading import compare, records, runner, speedups
from course.instructor import bench, demo, nbgrader_tools
from course.paths import CHECKOUT_DIR

import system_parts
from hostile.worker import DOOMED, KillsItsWorker

CASE = "case1_market_selection"


def _copy(origin: Path, target: Path) -> Path:
    shutil.copytree(origin, target)
    return target


def _full_marks(root: Path) -> dict:
    return notebooks.graded_cells(notebooks.read(notebook(CASE, "source", root)))


@pytest.fixture(scope="module")
def released_course(tmp_path_factory) -> Path:
    """A scratch course with case 1 released into its gradebook, nobody submitted yet."""
    root = demo.copy_course(CHECKOUT_DIR, tmp_path_factory.mktemp("grading") / "released")
    nbgrader_tools.run(["generate_assignment", CASE, "--force", "--quiet"], root)
    return root


@pytest.fixture(scope="module")
def small_class(released_course, tmp_path_factory) -> Path:
    """Six students: right, blank, partly right, wrong and two mixed submissions."""
    root = _copy(released_course, tmp_path_factory.mktemp("grading") / "class")
    bench.simulated_class(CASE, root, 6)
    return root


@pytest.fixture(scope="module")
def nbgrader_graded(small_class, tmp_path_factory) -> Path:
    root = _copy(small_class, tmp_path_factory.mktemp("grading") / "nbgrader")
    nbgrader_tools.run(["autograde", CASE, "--force", "--quiet"], root)
    return root


@pytest.mark.parametrize("switch", ["on", "off"])
def test_scores_and_notebooks_match_nbgrader_autograde(small_class, nbgrader_graded, tmp_path, monkeypatch, switch):
    """With the speed-ups or without them (``CASEBOOK_SPEEDUPS=off``), the same grades and notebooks."""
    monkeypatch.setenv(speedups.SWITCH, switch)  # the workers and their zygotes inherit it
    root = _copy(small_class, tmp_path / "casebook")
    outcome = runner.grade_class(CASE, root, workers=2, quiet=True, sandboxed=False)
    assert [r["status"] for r in outcome.records] == ["graded"] * 6
    ours, theirs = nbgrader_tools.cell_scores(root, CASE), nbgrader_tools.cell_scores(nbgrader_graded, CASE)
    assert len(ours) == 6
    assert compare.score_differences(ours, theirs) == []
    assert compare.notebook_differences(root, nbgrader_graded, CASE) == []
    assert ours["student-001"] == _full_marks(root)  # the answer key
    summary = records.read_summary(root, CASE)
    assert summary["totals"]["graded"] == 6 and summary["totals"]["failed"] == 0
    for student in ours:
        record = json.loads(records.record_path(root, CASE, student).read_text())
        assert set(record) == {"student", "case", "status", "reasons", "flags", "seconds"}
        assert records.log_path(root, CASE, student).is_file()


POLLUTION = '''
import builtins, sys
import numpy as np
import pandas as pd
import course.cases.case1_market_selection.market
builtins.LEAKED_FROM_ANOTHER_STUDENT = True
course.cases.case1_market_selection.market.speed_up = lambda *args, **kwargs: -1.0
pd.Series.sum = lambda self, *args, **kwargs: -1
pd.DataFrame.sum = lambda self, *args, **kwargs: -1
np.round = lambda *args, **kwargs: -1
sys.modules["course.checks"] = None
sys.modules["course.shortanswer"] = None
'''


def test_no_state_reaches_the_next_student_and_a_broken_submission_fails_alone(released_course, tmp_path):
    root = _copy(released_course, tmp_path / "course")
    release = notebooks.read(notebook(CASE, "release", root))
    key = notebooks.answers(notebooks.read(notebook(CASE, "source", root)))
    first_answer = next(iter(key))
    polluted = {**key, first_answer: key[first_answer] + "\n" + POLLUTION}
    demo.submit(root, CASE, "a-polluter", notebooks.fill(release, polluted))
    demo.submit(root, CASE, "b-answer-key", notebooks.fill(release, key))
    broken = demo.submit(root, CASE, "c-broken", release)
    broken.write_text("{ this is not a notebook", encoding="utf-8")
    demo.submit(root, CASE, "d-answer-key", notebooks.fill(release, key))

    outcome = runner.grade_class(CASE, root, workers=1, quiet=True, sandboxed=False)  # one worker grades them in turn
    status = {r["student"]: r for r in outcome.records}
    scores = nbgrader_tools.cell_scores(root, CASE)
    # the polluter loses marks, the students after it in the same worker do not
    assert sum(v for v in scores["a-polluter"].values()) < sum(_full_marks(root).values())
    assert scores["b-answer-key"] == _full_marks(root)
    assert scores["d-answer-key"] == _full_marks(root)
    # the broken notebook is reported with its reason and the class went on
    assert status["c-broken"]["status"] == "failed"
    assert any("JSON" in reason or "json" in reason for reason in status["c-broken"]["reasons"])
    assert "not a notebook" in records.log_path(root, CASE, "c-broken").read_text() or \
        status["c-broken"]["reasons"]
    assert [status[s]["status"] for s in ("a-polluter", "b-answer-key", "d-answer-key")] == ["graded"] * 3
    assert not (root / "autograded" / "c-broken" / CASE).exists()
    summary = records.read_summary(root, CASE)
    assert summary["totals"] == {**summary["totals"], "graded": 3, "failed": 1}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_worker_that_dies_fails_only_the_student_it_was_grading(small_class, nbgrader_graded, tmp_path,
                                                                  workers):
    root = _copy(small_class, tmp_path / "course")
    shutil.copytree(root / "submitted" / "student-001", root / "submitted" / DOOMED)
    outcome = runner.grade_class(CASE, root, workers=workers, quiet=True, sandboxed=False,
                                 extra_preprocessors=[KillsItsWorker])
    status = {r["student"]: r for r in outcome.records}
    assert len(outcome.records) == 7
    assert status.pop(DOOMED)["reasons"] == [runner.WORKER_DIED]
    assert [r["status"] for r in status.values()] == ["graded"] * 6
    ours, theirs = nbgrader_tools.cell_scores(root, CASE), nbgrader_tools.cell_scores(nbgrader_graded, CASE)
    assert all(score is None for score in ours.pop(DOOMED, {}).values())
    assert compare.score_differences(ours, theirs) == []
    assert not list(records.folder(root, CASE).glob("*.grading"))


def test_after_a_worker_died_its_students_are_told_by_their_markers(tmp_path):
    records.folder(tmp_path, CASE).mkdir(parents=True)
    records.marker_path(tmp_path, CASE, "b").touch()
    assert runner._held_by_workers(tmp_path, CASE, ["a", "b", "c"]) == (["b"], ["a", "c"])
    assert not records.marker_path(tmp_path, CASE, "b").exists()
    with pytest.raises(runner.GradingError, match="died while it graded no one"):
        runner._held_by_workers(tmp_path, CASE, ["a", "c"])


def _journal(root: Path) -> dict:
    try:
        return json.loads((records.folder(root, CASE) / "journal.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


NO_SANDBOX_WARNING = "warning: grading without a sandbox"


def _sandbox_options() -> list[str]:
    """Grade in the sandbox where one works (as in CI); elsewhere without, for tests not about it."""
    return [] if system_parts.missing("bwrap") is None else ["--no-sandbox"]


def test_a_killed_run_resumes_to_a_correct_gradebook(small_class, nbgrader_graded, tmp_path):
    root = _copy(small_class, tmp_path / "course")
    command = [sys.executable, "-m", "course", "grade", CASE, "--workers", "1", "--quiet", *_sandbox_options()]
    process = subprocess.Popen(command, cwd=root, env=nbgrader_tools.environment(), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while not _journal(root) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    graded_before = len(_journal(root))
    assert 1 <= graded_before < 6, "the run should be killed part-way through the class"

    done = subprocess.run(command, cwd=root, env=nbgrader_tools.environment(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    warnings = [line for line in done.stderr.splitlines() if not line.startswith(NO_SANDBOX_WARNING)]
    assert warnings == [], "kernels should start without warnings"
    assert f"{graded_before} already graded (skipped)" in done.stdout
    ours, theirs = nbgrader_tools.cell_scores(root, CASE), nbgrader_tools.cell_scores(nbgrader_graded, CASE)
    assert compare.score_differences(ours, theirs) == []
    assert compare.notebook_differences(root, nbgrader_graded, CASE) == []


@pytest.mark.needs("postgres")
def test_postgresql_gradebook_gives_the_same_scores(small_class, nbgrader_graded, postgres_url, tmp_path):
    root = _copy(small_class, tmp_path / "course")
    nbgrader_tools.run(["generate_assignment", CASE, "--force", "--quiet",
                        f"--CourseDirectory.db_url={postgres_url}"], root)
    students = ["student-001", "student-002", "student-003"]
    done = subprocess.run([sys.executable, "-m", "course", "grade", CASE, "--db-url", postgres_url, "--quiet",
                           *_sandbox_options(), *[a for s in students for a in ("--student", s)]],
                          cwd=root, env=nbgrader_tools.environment(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    ours = nbgrader_tools.cell_scores(root, CASE, postgres_url)
    theirs = {s: v for s, v in nbgrader_tools.cell_scores(nbgrader_graded, CASE).items() if s in students}
    assert set(ours) == set(students)
    assert compare.score_differences(ours, theirs) == []


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "course", *args], cwd=cwd, capture_output=True, text=True)


def test_grade_refuses_an_unknown_case(checkout):
    done = _cli("grade", "case1_market_selektion", cwd=checkout)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "no case named 'case1_market_selektion'" in done.stderr


def test_grade_refuses_a_course_without_submissions(released_course, tmp_path):
    root = _copy(released_course, tmp_path / "course")
    done = _cli("grade", CASE, "--no-sandbox", cwd=root)  # the refusal, not the sandbox, is under test
    assert done.returncode == 2
    assert "error: No submitted/ folder" in done.stderr
    assert not (root / "autograded").exists()


def test_grade_refuses_an_assignment_the_gradebook_lacks(tmp_path):
    root = demo.copy_course(CHECKOUT_DIR, tmp_path / "course")  # nothing released into its gradebook
    submitted = root / "submitted" / "alice" / CASE
    submitted.mkdir(parents=True)
    shutil.copy(notebook(CASE, "release", CHECKOUT_DIR), submitted)
    with pytest.raises(runner.GradingError, match=f"no assignment '{CASE}'"):
        runner.grade_class(CASE, root, workers=1, quiet=True, zygote_prefix=[])
    assert not (root / "autograded").exists()


def test_grade_stops_with_a_clear_error_when_the_workers_cannot_start(small_class, tmp_path):
    root = _copy(small_class, tmp_path / "course")
    with pytest.raises(runner.GradingError, match="grading workers could not start"):
        runner.grade_class(CASE, root, workers=1, quiet=True, zygote_prefix=[str(tmp_path / "no-such-wrapper")])
    assert not (root / "autograded").exists()


def test_grade_help_lists_its_options(checkout):
    done = _cli("grade", "--help", cwd=checkout)
    assert done.returncode == 0
    for option in ("--workers", "--db-url", "--student", "--force", "--quiet"):
        assert option in done.stdout


def test_records_an_earlier_version_wrote_beside_the_run_files_are_read(tmp_path):
    earlier = records.folder(tmp_path, CASE)
    earlier.mkdir(parents=True)
    (earlier / "s1.json").write_text(json.dumps(records.make_record("s1", CASE, "failed", ["kernel died"])))
    (earlier / "summary.json").write_text(json.dumps({"case": CASE, "totals": {}, "records": []}))
    assert records.read_record(tmp_path, CASE, "s1")["reasons"] == ["kernel died"]
    assert records.read_record(tmp_path, CASE, "summary") is None
    records.write_record(tmp_path, records.make_record("s1", CASE, "graded"))
    assert records.read_record(tmp_path, CASE, "s1")["status"] == "graded"  # the current layout first


def test_flags_can_be_added_to_a_record(tmp_path):
    record = records.make_record("s1", CASE, "graded", seconds=1.0)
    records.write_record(tmp_path, record)
    records.write_summary(tmp_path, CASE, [record])
    records.add_flag(tmp_path, CASE, "s1", "copied from s2")
    assert records.read_record(tmp_path, CASE, "s1")["flags"] == ["copied from s2"]
    assert records.read_summary(tmp_path, CASE)["totals"]["flagged"] == 1


def test_notebooks_are_validated_once_unless_the_course_configured_it_or_the_speedups_are_off(monkeypatch):
    from traitlets.config import Config

    default = Config()
    speedups.configure(default)
    assert default.Exporter.optimistic_validation is True
    configured = Config()
    configured.NotebookExporter.optimistic_validation = False
    speedups.configure(configured)
    assert "optimistic_validation" not in configured.Exporter
    monkeypatch.setenv(speedups.SWITCH, "off")
    switched_off = Config()
    speedups.configure(switched_off)
    assert "optimistic_validation" not in switched_off.Exporter


def test_switched_off_the_worker_keeps_nbgraders_own_parts(monkeypatch):
    import nbgrader.api
    from nbgrader.nbgraderformat import common as metadata_format
    from nbgrader.preprocessors import saveautogrades

    monkeypatch.setenv(speedups.SWITCH, "off")
    before = (metadata_format.jsonschema, nbgrader.api.create_engine, saveautogrades.Gradebook)
    speedups.install_in_worker()
    assert (metadata_format.jsonschema, nbgrader.api.create_engine, saveautogrades.Gradebook) == before
    assert not speedups.enabled()
    monkeypatch.setenv(speedups.SWITCH, "on")
    assert speedups.enabled()


def test_cell_metadata_checks_raise_nbgraders_error_and_check_each_distinct_instance_once(monkeypatch):
    import jsonschema
    from nbgrader.nbgraderformat.v3 import MetadataValidatorV3

    schema = MetadataValidatorV3().schema
    checked = speedups.CheckedSchemas()
    good = {"grade": True, "grade_id": "q1", "locked": False, "points": 2, "schema_version": 3, "solution": True}
    bad = {**good, "points": "two"}
    with pytest.raises(jsonschema.ValidationError) as expected:
        jsonschema.validate(bad, schema)
    for _ in range(2):  # an invalid instance is never remembered as valid
        with pytest.raises(jsonschema.ValidationError) as raised:
            checked.validate(bad, schema)
        assert raised.value.message == expected.value.message
    checked.validate(good, schema)
    calls = []
    monkeypatch.setattr(jsonschema.exceptions, "best_match", lambda errors: calls.append(1))
    checked.validate(dict(reversed(good.items())), schema)  # the same instance, keys in another order
    assert calls == []
    checked.validate({**good, "points": 2.5}, schema)
    assert calls == [1]
    # nbgrader reads the schema anew for each notebook: an equal copy is not checked again
    monkeypatch.setattr(jsonschema.validators, "validator_for", lambda schema: pytest.fail("schema checked again"))
    checked.validate(good, MetadataValidatorV3().schema)
    assert calls == [1]


def test_a_workers_gradebooks_share_one_engine_and_check_its_tables_once(tmp_path, monkeypatch, scripts_on_path):
    import nbgrader.api
    from sqlalchemy import event

    monkeypatch.setattr(nbgrader.api, "create_engine", nbgrader.api.create_engine)
    monkeypatch.setattr(nbgrader.api.Base.metadata, "create_all", nbgrader.api.Base.metadata.create_all)
    speedups.share_engines()
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with nbgrader.api.Gradebook(url) as first:
        first.add_assignment("a1")
    sent = []
    event.listen(first.engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    with nbgrader.api.Gradebook(url) as second:
        assert second.engine is first.engine
        assert second.find_assignment("a1").name == "a1"
    assert not any("PRAGMA main.table_info" in statement for statement in sent)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    with nbgrader.api.Gradebook(other) as fresh:  # another database still gets its tables
        fresh.add_assignment("a2")
