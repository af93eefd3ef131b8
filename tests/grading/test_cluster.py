"""Grading over a Dask cluster (``python -m course grade CASE --scheduler ADDRESS``): a real
scheduler and two workers on loopback, each its own process as on separate machines, grading
into PostgreSQL the same scores as ``nbgrader autograde``, through a worker killed mid-class, a
student who kills every worker grading it, and a coordinator killed and started again."""

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

from course.grading import cluster, compare, records
from course.instructor import bench, demo, nbgrader_tools
from course.paths import CHECKOUT_DIR

import system_parts
from hostile.worker import DOOMED

CASE = "case1_market_selection"
TESTS_DIR = Path(__file__).resolve().parent
STUDENTS = [f"student-{n:03d}" for n in range(1, 6)]


def _sandboxed() -> bool:
    """Grade in the sandbox where one works (as in CI); elsewhere without, as tests not about it do."""
    return system_parts.missing("bwrap") is None


def _sandbox_options() -> list[str]:
    return [] if _sandboxed() else ["--no-sandbox"]


def _environment() -> dict:
    """The casebook's environment, with the checkout and tests/ importable (the hostile corpus's
    grading step, ``hostile.worker.KillsItsWorker``, is imported by the workers)."""
    env = nbgrader_tools.environment()
    env["PYTHONPATH"] = os.pathsep.join([str(CHECKOUT_DIR), str(TESTS_DIR)])
    return env


@pytest.fixture(scope="module")
def small_class(tmp_path_factory) -> Path:
    """Five students (right, partly right, wrong, blank, mixed), case 1 released into the gradebook."""
    root = demo.copy_course(CHECKOUT_DIR, tmp_path_factory.mktemp("cluster") / "class")
    nbgrader_tools.run(["generate_assignment", CASE, "--force", "--quiet"], root)
    bench.simulated_class(CASE, root, len(STUDENTS))
    return root


@pytest.fixture(scope="module")
def nbgrader_scores(small_class, tmp_path_factory) -> dict:
    root = shutil.copytree(small_class, tmp_path_factory.mktemp("cluster") / "nbgrader")
    nbgrader_tools.run(["autograde", CASE, "--force", "--quiet"], root)
    return nbgrader_tools.cell_scores(root, CASE)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """A Dask scheduler and two workers (each under a nanny, which restarts it if it dies) on
    loopback; the scheduler's address. A task is given up on once two workers died running it."""
    folder = tmp_path_factory.mktemp("dask")
    address_file = folder / "scheduler.json"
    env = {**_environment(), "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
    processes = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                   "--port", "0", "--no-dashboard", "--scheduler-file", str(address_file)],
                                  cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)]
    try:
        deadline = time.monotonic() + 60
        while not address_file.is_file():
            assert time.monotonic() < deadline, "the Dask scheduler did not start"
            time.sleep(0.2)
        for name in ("w1", "w2"):
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file", str(address_file),
                 "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard", "--name", name,
                 "--local-directory", str(folder / name)],
                cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        address = json.loads(address_file.read_text())["address"]
        with _client(address) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _client(address: str):
    from distributed import Client

    return Client(address, timeout=30)


def _released_into(root: Path, url: str) -> None:
    nbgrader_tools.run(["generate_assignment", CASE, "--force", "--quiet", f"--CourseDirectory.db_url={url}"], root)


def _submissions(url: str) -> dict[str, int]:
    """How many submissions of the case the gradebook holds for each student, and checks each has
    one grade row per graded cell of each notebook."""
    from nbgrader.api import Gradebook

    with Gradebook(url) as gradebook:
        counts: dict[str, int] = {}
        for submission in gradebook.assignment_submissions(CASE):
            counts[submission.student.id] = counts.get(submission.student.id, 0) + 1
            for notebook in submission.notebooks:
                assert len(notebook.grades) == len(notebook.notebook.grade_cells)
        return counts


def _journal(root: Path) -> dict:
    try:
        return json.loads((records.folder(root, CASE) / "journal.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _grade_command(address: str, url: str) -> list[str]:
    return [sys.executable, "-m", "course", "grade", CASE, "--scheduler", address, "--db-url", url, "--quiet",
            *_sandbox_options()]


def test_over_a_scheduler_scores_are_nbgraders_and_a_student_killing_workers_fails_alone(
        small_class, nbgrader_scores, scheduler, postgres_url, tmp_path):
    root = shutil.copytree(small_class, tmp_path / "course")
    shutil.copytree(root / "submitted" / "student-001", root / "submitted" / DOOMED)
    _released_into(root, postgres_url)
    outcome = cluster.grade_class(CASE, root, scheduler=scheduler, db_url=postgres_url, quiet=True,
                                  sandboxed=_sandboxed(), extra_preprocessors=["hostile.worker.KillsItsWorker"])
    status = {r["student"]: r for r in outcome.records}
    assert status.pop(DOOMED)["reasons"] == [cluster.CLUSTER_WORKER_DIED]
    assert {s: r["status"] for s, r in status.items()} == dict.fromkeys(STUDENTS, "graded")
    assert _submissions(postgres_url) == dict.fromkeys(STUDENTS, 1)
    assert compare.score_differences(nbgrader_tools.cell_scores(root, CASE, postgres_url), nbgrader_scores) == []
    assert records.read_summary(root, CASE)["totals"] == {**records.read_summary(root, CASE)["totals"],
                                                          "graded": 5, "failed": 1}


def test_a_worker_killed_mid_class_loses_no_student(small_class, nbgrader_scores, scheduler, postgres_url,
                                                    tmp_path):
    root = shutil.copytree(small_class, tmp_path / "course")
    _released_into(root, postgres_url)
    coordinator = subprocess.Popen(_grade_command(scheduler, postgres_url), cwd=root, env=_environment(),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    with _client(scheduler) as client:
        deadline = time.monotonic() + 240
        while killed is None and coordinator.poll() is None and time.monotonic() < deadline:
            busy = [worker for worker, keys in client.processing().items() if keys]
            if _journal(root) and busy:  # the workers are up and grading: kill one with a student on it
                killed = client.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(killed, signal.SIGKILL)
            time.sleep(0.1)
    out, err = coordinator.communicate(timeout=300)
    assert killed is not None, "a worker should be killed part-way through the class"
    assert coordinator.returncode == 0, err[-3000:]
    assert f"{len(STUDENTS)} graded, 0 failed" in out
    assert _submissions(postgres_url) == dict.fromkeys(STUDENTS, 1)
    assert compare.score_differences(nbgrader_tools.cell_scores(root, CASE, postgres_url), nbgrader_scores) == []


def test_a_killed_coordinator_resumes_from_its_journal(small_class, nbgrader_scores, scheduler, postgres_url,
                                                        tmp_path):
    root = shutil.copytree(small_class, tmp_path / "course")
    _released_into(root, postgres_url)
    command = _grade_command(scheduler, postgres_url)
    first = subprocess.Popen(command, cwd=root, env=_environment(), start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while not _journal(root) and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    graded_before = len(_journal(root))
    assert 1 <= graded_before < len(STUDENTS), "the coordinator should be killed part-way through the class"

    again = subprocess.run(command, cwd=root, env=_environment(), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"{graded_before} already graded (skipped)" in again.stdout
    assert _submissions(postgres_url) == dict.fromkeys(STUDENTS, 1)
    assert compare.score_differences(nbgrader_tools.cell_scores(root, CASE, postgres_url), nbgrader_scores) == []


def test_a_local_cluster_may_keep_the_sqlite_gradebook(small_class, nbgrader_scores, tmp_path):
    root = shutil.copytree(small_class, tmp_path / "course")
    done = subprocess.run([sys.executable, "-m", "course", "grade", CASE, "--cluster", "local", "--workers", "2",
                           "--quiet", *_sandbox_options()], cwd=root, env=_environment(), capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{len(STUDENTS)} graded, 0 failed" in done.stdout
    assert compare.score_differences(nbgrader_tools.cell_scores(root, CASE), nbgrader_scores) == []


def test_journal_entries_recorded_together_are_written_once(tmp_path, monkeypatch):
    from course.grading import journal

    book = journal.Journal(tmp_path)
    writes = []
    monkeypatch.setattr(journal.os, "replace", lambda *paths: writes.append(paths))
    with book.saved_together():
        book.record("a", "graded", "print-a", "db")
        book.record("b", "failed", "print-b", "db")
        assert writes == []
    assert len(writes) == 1
    book.forget("a")
    assert len(writes) == 2


def test_a_scheduler_is_refused_a_sqlite_gradebook(small_class, tmp_path):
    root = shutil.copytree(small_class, tmp_path / "course")
    done = subprocess.run([sys.executable, "-m", "course", "grade", CASE, "--scheduler", "tcp://127.0.0.1:9",
                           "--no-sandbox"], cwd=root, env=_environment(), capture_output=True, text=True)
    assert done.returncode == 2
    assert "error: Grading over a Dask scheduler needs a PostgreSQL gradebook" in done.stderr
    assert not (root / "autograded").exists()


def test_a_schedulers_cluster_is_not_given_a_number_of_workers(small_class, tmp_path):
    root = shutil.copytree(small_class, tmp_path / "course")
    done = subprocess.run([sys.executable, "-m", "course", "grade", CASE, "--scheduler", "tcp://127.0.0.1:9",
                           "--workers", "2", "--no-sandbox"], cwd=root, env=_environment(), capture_output=True,
                          text=True)
    assert done.returncode == 2
    assert "--workers counts this machine's processes" in done.stderr


def test_the_configured_scheduler_is_used_only_when_asked_for(small_class, tmp_path):
    root = shutil.copytree(small_class, tmp_path / "course")
    done = subprocess.run([sys.executable, "-m", "course", "grade", CASE, "--cluster", "dask", "--no-sandbox"],
                          cwd=root, env=_environment(), capture_output=True, text=True)
    assert done.returncode == 2
    assert "c.ClusterGrading.scheduler_address" in done.stderr
    with (root / "nbgrader_config.py").open("a") as config:
        config.write('\nc.ClusterGrading.scheduler_address = "tcp://127.0.0.1:9"\n')
    assert cluster.configured_scheduler(root) == "tcp://127.0.0.1:9"


def test_a_worker_not_set_up_says_which_after_its_trip_back_to_the_coordinator():
    import pickle

    error = pickle.loads(pickle.dumps(cluster.WorkerNotReady("tcp://10.0.0.7:4321")))
    assert error.args == ("tcp://10.0.0.7:4321",)
    assert "The Dask worker tcp://10.0.0.7:4321 is not set up to grade this class" in str(error)
