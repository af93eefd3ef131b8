"""Grade a class over a Dask ``distributed`` cluster: the students spread over its workers.

``grade_class`` is the coordinating side (``python -m course grade CASE --scheduler ADDRESS``, or
``--cluster local`` for a cluster of this machine's cores). Each Dask worker keeps what a worker
of the process pool keeps: ``GradingPlugin``'s setup runs ``course.grading.worker.worker_init``
once (the warm zygote, in the sandbox unless the class is graded without it) and its teardown
stops it; a student is a task, ``grade_student``, which calls ``worker.grade_one``.

- *Files travel through the course directory*, shared at the same path by every machine (NFS, a
  cluster file system): nbgrader reads ``submitted/`` and writes ``autograded/`` by path, the
  sandbox binds the same folders, the formgrader and feedback read them afterwards, and a
  submission's data files can be large. Only student names go out and records come back.
- *The workers write the gradebook*, as in the pool: one transaction per notebook, under the
  class's gradebook lock (a file lock in the shared ``grading-logs/``). The coordinator only
  removes the grades of a student that failed for good. Over a scheduler the gradebook must be
  PostgreSQL: a SQLite file shared over the network loses writes. ``--cluster local`` may keep
  SQLite, as the pool does: one machine, one file, the same lock.
- *Exactly once per student.* A task may run again (its worker died, the coordinator was
  restarted); every run grades with ``--force`` semantics, so nbgrader replaces the student's
  submission and grade rows (unique per student and per cell) instead of adding to them, and a
  per-student lock (PostgreSQL's advisory lock; a file lock for SQLite) keeps two runs of one
  student, say an abandoned one still finishing, from interleaving. The coordinator writes the
  journal after a result comes back, so a restarted coordinator resumes as the pool does.
- *A worker that dies* charges the students it held; Dask grades them elsewhere until one was
  held by more than ``allowed-failures`` dead workers (the scheduler's setting), then reports
  ``KilledWorker``. Those students are graded again one at a time, each alone on the cluster, so
  that only the one whose workers still die is failed, with that reason.

A worker grades one student at a time (it must run one thread: ``dask worker --nthreads 1``)
and one class at a time (one plugin, replaced when another class registers its own). A worker
that joins or restarts mid-class sets itself up before it registers with the scheduler, so it
takes no student before its zygote is warm.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
import uuid
from pathlib import Path

from distributed import WorkerPlugin
from traitlets import Integer, Unicode
from traitlets.config import Configurable

from course.startup import skip_iri_grammar

skip_iri_grammar()  # before records imports nbformat

from course.grading import journal as journal_module, records, runner  # noqa: E402
from course.grading.course_setup import GradingError, checked_gradebook, load_config, with_busy_timeout  # noqa: E402

__all__ = ["CLUSTER_WORKER_DIED", "ClusterGrading", "GradingError", "GradingPlugin", "WorkerNotReady",
           "configured_scheduler", "grade_class", "grade_student"]

PLUGIN_NAME = "casebook-grading"
CLUSTER_WORKER_DIED = ("every Dask worker that graded it died while grading it, the last time with no other "
                       "student on the cluster (out of memory, or killed?)")
POLL_SECONDS = 2.0


class ClusterGrading(Configurable):
    """Grading over Dask, from ``nbgrader_config.py`` (``c.ClusterGrading.scheduler_address = ...``)."""

    scheduler_address = Unicode("", help="The Dask scheduler `python -m course grade` grades on (e.g. "
                                         "tls://grading-head:8786); used by `--cluster dask`"
                                ).tag(config=True)
    no_worker_seconds = Integer(300, help="How long a class waits while the Dask cluster has no "
                                          "worker before it stops, the rest of it ungraded (seconds)").tag(config=True)


class GradingPlugin(WorkerPlugin):
    """Makes each Dask worker a grading worker of ``case`` of the course at ``root``."""

    name = PLUGIN_NAME

    def __init__(self, root: Path, case: str, db_url: str, sandboxed: bool, transport: str,
                 extra_preprocessors: list):
        self.root, self.case, self.db_url = str(root), case, db_url
        self.sandboxed, self.transport, self.extra_preprocessors = sandboxed, transport, list(extra_preprocessors)

    async def setup(self, worker) -> None:
        if worker.state.nthreads != 1:  # one zygote and one working folder per process
            raise GradingError(f"The Dask worker {worker.address} runs {worker.state.nthreads} threads: a "
                               "grading worker runs one (dask worker --nthreads 1).")
        # In the executor tasks run in: the zygote's connections are then used by the thread that
        # made them, and the event loop keeps answering the scheduler during the warm-up.
        await asyncio.get_running_loop().run_in_executor(worker.executors["default"], self.start)

    def start(self) -> None:
        from course.grading import sandbox, worker

        if not (Path(self.root) / "nbgrader_config.py").is_file():
            raise GradingError(f"No course directory at {self.root} on this Dask worker: the course "
                               "must be shared at the same path on every machine.")
        prefix: list[str] = []
        if self.sandboxed:
            sandbox.require()
            prefix = sandbox.prefix(sandbox.for_course(Path(self.root)))
        worker.worker_init(self.root, self.case, self.db_url, prefix, self.transport, self.extra_preprocessors)

    async def teardown(self, worker) -> None:
        from course.grading.worker import stop_worker

        await asyncio.get_running_loop().run_in_executor(worker.executors["default"], stop_worker)


def configured_scheduler(root: Path) -> str:
    """The scheduler address ``nbgrader_config.py`` names (``c.ClusterGrading.scheduler_address``)."""
    address = ClusterGrading(config=load_config(Path(root))).scheduler_address
    if not address:
        raise GradingError("No Dask scheduler to grade on: give --scheduler ADDRESS, or set "
                           "c.ClusterGrading.scheduler_address in nbgrader_config.py.")
    return address


class WorkerNotReady(GradingError):
    """A Dask worker (its address the argument) took a student of a class it is not set up for."""

    def __str__(self) -> str:
        return (f"The Dask worker {self.args[0]} is not set up to grade this class (its setup failed, or "
                "another class's plugin replaced it: its log says which)")


def grade_student(student: str, root: str, case: str, db_url: str) -> dict:
    """The task that grades one student on a Dask worker whose plugin set it up; its record."""
    from distributed import get_worker

    from course.grading import worker

    if worker.current_class() != (root, case):
        raise WorkerNotReady(get_worker().address)
    with one_grading_of(student, Path(root), case, db_url):
        return worker.grade_one(student)


@contextlib.contextmanager
def one_grading_of(student: str, root: Path, case: str, db_url: str):
    """Held while ``student`` is graded, by any worker of any run: a PostgreSQL advisory lock
    (released by the server if the worker dies), or a file lock beside a SQLite gradebook."""
    if not is_postgresql(db_url):
        from course.grading.worker import GradebookLock

        with GradebookLock(records.folder(root, case) / f".{student}.grading-lock").held():
            yield
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    digest = hashlib.sha256(f"casebook grading {case} {student}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
    finally:
        engine.dispose()


def is_postgresql(url: str) -> bool:
    from sqlalchemy.engine import make_url

    return make_url(url).get_backend_name() == "postgresql"


def grade_class(case: str, root: Path, *, scheduler: str | None = None, client=None, local_workers: int | None = None,
                db_url: str | None = None, students: list[str] | None = None, force: bool = False,
                quiet: bool = False, sandboxed: bool = True, transport: str = "ipc",
                extra_preprocessors: list | tuple = (), task=grade_student) -> runner.Outcome:
    """Autograde ``case`` as ``runner.grade_class`` does, on the Dask cluster whose scheduler is at
    ``scheduler`` (or of ``client``, a ``distributed.Client`` of the caller's, e.g. from Dask
    Gateway), or else on a local cluster of ``local_workers`` processes (default: one per core).

    Safe by default, as the pool: every kernel in the sandbox unless ``sandboxed=False`` (each
    worker checks its own machine). ``task``: what a worker runs for a student (the benchmark's
    instant task measures the coordinator alone).
    """
    root = Path(root).resolve()
    started = time.perf_counter()
    chosen = runner.chosen_students(root, case, students)
    config = load_config(root)
    settings = ClusterGrading(config=config)
    url, shown_url = checked_gradebook(config, root, case, with_busy_timeout(db_url) if db_url else None)
    if (scheduler or client) and not is_postgresql(url):
        raise GradingError("Grading over a Dask scheduler needs a PostgreSQL gradebook (--db-url "
                           "postgresql+psycopg://user@host/db): its workers write it from other machines, "
                           "and a SQLite file shared over the network loses writes.")
    logs = records.folder(root, case)
    logs.mkdir(parents=True, exist_ok=True)
    for student in chosen:  # left by a run that was killed
        records.marker_path(root, case, student).unlink(missing_ok=True)
    journal = journal_module.Journal(logs)
    prints = {s: runner.fingerprint(root, case, s) for s in chosen}
    outcome = runner.Outcome(case)
    todo = runner.students_to_grade(root, case, chosen, prints, journal, url, force, outcome)
    if todo:
        if sandboxed and not (scheduler or client):
            from course.grading import sandbox

            sandbox.require()
        with _client(scheduler, client, local_workers) as dask_client, runner.progress_bar(len(todo), quiet) as bar:
            def finish(record):
                runner.finish_student(root, journal, prints, url, outcome, record, bar)

            dask_client.register_plugin(GradingPlugin(root, case, url, sandboxed, transport, list(extra_preprocessors)))
            try:
                _grade_on(dask_client, todo, root, case, url, finish, task, settings.no_worker_seconds,
                          journal.saved_together)
            finally:
                with contextlib.suppress(Exception):  # a cluster gone meanwhile has nothing to stop
                    dask_client.unregister_worker_plugin(PLUGIN_NAME)
    every = [records.read_record(root, case, s) for s in chosen]
    outcome.seconds = time.perf_counter() - started
    where = scheduler or ("a given client's" if client else "local")
    records.write_summary(root, case, [r for r in every if r], {"db": shown_url, "cluster": where})
    return outcome


@contextlib.contextmanager
def _client(scheduler: str | None, given, local_workers: int | None):
    """``given``, or a client of the cluster at ``scheduler``, or of a new local cluster (closed after)."""
    from distributed import Client, LocalCluster

    if given is not None:
        yield given
        return
    if scheduler:
        try:
            client = Client(scheduler, timeout=30)
        except (OSError, TimeoutError) as err:
            raise GradingError(f"Cannot reach the Dask scheduler at {scheduler}: {err}") from None
        with client:
            yield client
        return
    # One thread a worker: a worker grades one student at a time, with all of a core's kernels.
    with LocalCluster(n_workers=local_workers or runner.default_workers(), threads_per_worker=1,
                      processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def _grade_on(client, todo: list[str], root: Path, case: str, url: str, finish, task, no_worker_seconds: int,
              saved_together) -> None:
    """Grade ``todo``; the students Dask gave up on (``KilledWorker``) again one at a time, and fail
    the ones whose worker dies even then."""
    killed = _run(client, todo, root, case, url, finish, task, no_worker_seconds, saved_together)
    for student in killed:
        if _run(client, [student], root, case, url, finish, task, no_worker_seconds, saved_together):
            from course.grading.worker import drop_submission, gradebook_lock

            drop_submission(url, case, student, gradebook_lock(root, case))
            finish(records.make_record(student, case, "failed", [CLUSTER_WORKER_DIED]))


def _run(client, batch: list[str], root: Path, case: str, url: str, finish, task, no_worker_seconds: int,
         saved_together) -> list[str]:
    """Grade ``batch`` as tasks, ``finish``-ing each record as it comes (those that come together
    inside one ``saved_together()``); return the students whose tasks ended in ``KilledWorker``,
    in ``batch``'s order. A worker that took a student without being set up for the class (one
    that joined and failed its setup) is retired, and the student handed out again."""
    from distributed import KilledWorker, as_completed

    run = uuid.uuid4().hex[:8]

    def submitted(student: str, attempt: int = 0):
        return client.submit(task, student, str(root), case, url, key=f"grade-{case}-{student}-{run}-{attempt}",
                             pure=False)

    futures = {submitted(student): student for student in batch}
    attempts = dict.fromkeys(batch, 0)
    killed: set[str] = set()
    results = as_completed(futures)  # each result once, however many are pending (wait() goes through all)
    checked = waiting_since = time.monotonic()
    while not results.is_empty():
        if not results.has_ready():
            time.sleep(0.02)
            if time.monotonic() - checked > POLL_SECONDS:
                checked = time.monotonic()
                if client.scheduler_info(n_workers=-1)["workers"]:
                    waiting_since = checked
                elif checked - waiting_since > no_worker_seconds:
                    raise GradingError(f"The Dask cluster had no worker for {no_worker_seconds} s (their logs say "
                                       f"why); {results.count()} students are not graded yet: run the command "
                                       "again to grade them.")
            continue
        with saved_together():
            for future in results.next_batch(block=False):
                student = futures.pop(future)
                if future.status == "cancelled":
                    raise GradingError("The Dask scheduler dropped the class's tasks (restarted?); run the "
                                       "command again to grade the students not graded yet.")
                error = future.exception() if future.status == "error" else None
                record = None if error else future.result()
                future.release()  # else a worker that dies holding the record has the student graded again
                if isinstance(error, KilledWorker):
                    killed.add(student)
                    continue
                if isinstance(error, WorkerNotReady):
                    client.retire_workers(workers=[error.args[0]], close_workers=True)
                    attempts[student] += 1
                    again = submitted(student, attempts[student])
                    futures[again] = student
                    results.add(again)
                    continue
                finish(record or records.make_record(student, case, "failed",
                                                     [f"{type(error).__name__}: {error}"]))
    return [s for s in batch if s in killed]
