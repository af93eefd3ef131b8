"""Grade a whole class with nbgrader's own autograde converter, one worker per core.

The coordinating process finds the submissions, skips students the journal
says are already graded, hands the rest to worker processes, and writes the
records, the journal and the summary as results come back. Each worker keeps
a zygote (see ``course.grading.zygote``) and runs nbgrader's ``Autograde``
converter for one student at a time with ``GradingExecute``, so every step
but the kernel start is nbgrader's.

Where the rest lives: ``course.grading.autograde`` (the converter and its steps, as one
list), ``course.grading.failures`` (why a submission could not be graded),
``course.grading.speedups`` (the workers' faster equivalents of library parts, one switch).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import logging
import multiprocessing
import os
import shutil
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from course.startup import skip_iri_grammar

skip_iri_grammar()  # a worker's first import: before records imports nbformat

from course.grading import (  # noqa: E402
    autograde,
    failures,
    journal as journal_module,
    records,
    submission_files,
)

if TYPE_CHECKING:
    from course.grading.kernels import Zygote

SQLITE_BUSY_TIMEOUT = 60
WORKER_DIED = "the grading worker process died while grading it (out of memory, or killed?)"


class GradingError(Exception):
    """The class cannot be graded at all (no submissions, unknown assignment ...)."""


@dataclass
class Outcome:
    case: str
    records: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.records if r["status"] == "failed"]


# ---------------------------------------------------------------- configuration

def load_config(root: Path):
    """The configuration ``nbgrader autograde`` would use when run in ``root``."""
    from nbgrader.apps.autogradeapp import AutogradeApp

    here = os.getcwd()
    os.chdir(root)
    try:
        app = AutogradeApp()
        app.log.setLevel(logging.ERROR)  # "root '.' is not absolute": nbgrader standardizes it itself
        app.initialize([])
        config = app.config
    finally:
        os.chdir(here)
    return config


def course_directory(config, root: Path):
    """nbgrader's view of course ``root`` under ``config``: its gradebook URL and course id."""
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    coursedir.root = str(root)
    return coursedir


def with_busy_timeout(url: str) -> str:
    """SQLite waits for another writer instead of failing at once (pysqlite's ``timeout``)."""
    if url.startswith("sqlite:") and "?" not in url:
        return f"{url}?timeout={SQLITE_BUSY_TIMEOUT}"
    return url


def submitted_students(root: Path, case: str) -> list[str]:
    submitted = Path(root) / "submitted"
    if not submitted.is_dir():
        raise FileNotFoundError(f"No submitted/ folder in {root}: collect submissions into "
                                f"submitted/<student>/{case}/ first.")
    # a link in place of the case's folder is listed too, so that grading refuses it with the reason
    return sorted(name for name in os.listdir(submitted)
                  if (submitted / name / case).is_dir() or (submitted / name / case).is_symlink())


# ---------------------------------------------------------------- worker side

def gradebook_lock(root: Path, case: str) -> GradebookLock:
    """The lock every worker of a class takes to write the gradebook."""
    return GradebookLock(records.folder(root, case) / ".gradebook.lock")


class GradebookLock:
    """One gradebook writer at a time across workers (an advisory file lock)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @contextlib.contextmanager
    def held(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class _Worker:
    """What one worker process keeps between students."""

    root: Path
    case: str
    config: object
    db_url: str
    lock: GradebookLock
    zygote: Zygote | None = None
    autograde: type  # CasebookAutograde, made once nbgrader is imported
    extra_preprocessors: tuple = ()


_WORKER = _Worker()


def worker_init(root: str, case: str, db_url: str, zygote_prefix: list[str], transport: str,
                extra_preprocessors: list) -> None:
    from course.grading import zygote as zygote_module

    # The zygote takes seconds to warm up: start it before this worker imports jupyter_client and nbgrader.
    os.chdir(root)
    os.environ.update(zygote_module.worker_environment())
    argv = [*zygote_prefix, *zygote_module.command(root)]
    process = zygote_module.launch(argv, root, dict(os.environ))

    from course.grading import kernels, speedups

    speedups.install_in_worker()

    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own, as noisy under nbgrader autograde
    kernels.configure(transport=transport)
    zygote = kernels.Zygote(Path(root), dict(os.environ), argv=argv, process=process)
    _WORKER.root = Path(root)
    _WORKER.case = case
    _WORKER.config = load_config(Path(root))
    speedups.configure(_WORKER.config)
    db_url, course_id = _gradebook_url(_WORKER.config, Path(root), db_url)
    _WORKER.db_url = db_url
    _WORKER.lock = gradebook_lock(Path(root), case)
    _WORKER.extra_preprocessors = tuple(extra_preprocessors)
    _WORKER.autograde = autograde.casebook_autograde(_WORKER.lock)
    _warm_worker(db_url, course_id)
    _WORKER.zygote = zygote.wait_ready()
    kernels.install_zygote(_WORKER.zygote)
    # multiprocessing workers skip atexit; Finalize runs when the worker exits normally
    from multiprocessing.util import Finalize

    Finalize(_WORKER, _worker_exit, exitpriority=10)


def _warm_worker(db_url: str, course_id: str) -> None:
    """While the zygote warms up: what grading the first student would otherwise load
    (the kernel spec's IPython, the database driver and a pooled connection)."""
    import ipykernel.kernelspec  # noqa: F401
    import IPython.paths  # noqa: F401
    from nbgrader.api import Gradebook

    Gradebook(db_url, course_id).close()


def _worker_exit() -> None:

    from course.grading import kernels

    if _WORKER.zygote is not None:
        _WORKER.zygote.stop()
    folder = kernels._SETTINGS.get("runtime_dir")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
    if multiprocessing.parent_process() is not None:
        # A pool worker whose results are all sent: skip tearing down nbgrader's modules,
        # most of a second at the end of every run.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _expected_notebooks() -> list[str]:
    from nbgrader.api import Gradebook

    with Gradebook(_WORKER.db_url) as gradebook:
        return [f"{nb.name}.ipynb" for nb in gradebook.find_assignment(_WORKER.case).notebooks]


def _drop_submission(db_url: str, case: str, student: str, lock: GradebookLock) -> None:
    """Remove a failed submission from the gradebook: its grade rows would read as a real 0.0."""
    from nbgrader.api import Gradebook, MissingEntry

    with lock.held(), Gradebook(db_url) as gradebook, contextlib.suppress(MissingEntry):
        gradebook.remove_submission(case, student)


def grade_one(student: str) -> dict:
    """Autograde one student's submission in this worker; return its record."""
    marker = records.marker_path(_WORKER.root, _WORKER.case, student)
    marker.touch()
    try:
        return _grade(student)
    finally:
        marker.unlink(missing_ok=True)


def _grade(student: str) -> dict:
    from course import notebooks

    start = time.perf_counter()
    records.take_pending_flags()
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("[%(asctime)s %(levelname)s] %(message)s"))
    log = logging.getLogger(f"casebook.grading.{student}")
    log.propagate = False
    log.setLevel(logging.INFO)
    log.addHandler(handler)
    error = converter = None
    ok = False
    refused = submission_files.submission_problems(_WORKER.root, student, _WORKER.case)
    if refused:
        return _refuse(student, refused, log, handler, buffer, start)
    try:
        coursedir = autograde.plain_course_directory()(config=_WORKER.config, log=log)
        coursedir.root = str(_WORKER.root)
        coursedir.assignment_id = _WORKER.case
        coursedir.student_id = student
        coursedir.db_url = _WORKER.db_url
        converter = _WORKER.autograde(coursedir=coursedir, config=_WORKER.config, log=log,
                                      extra_preprocessors=_WORKER.extra_preprocessors)
        converter.force = True
        converter.start()
        ok = True
    except Exception as err:  # nbgrader logs the details; the class goes on
        error = err
        if not isinstance(err, _nbgrader_exception()):
            log.error("Grading %s failed:\n%s", student, traceback.format_exc())
    finally:
        log.removeHandler(handler)
    text = buffer.getvalue()
    flags = records.take_pending_flags()
    reasons: list[str] = []
    if ok:
        autograded = Path(coursedir.format_path(coursedir.autograded_directory, student, _WORKER.case))
        for path in sorted(autograded.glob("*.ipynb")):
            flags.extend(records.review_flags(notebooks.read(path)))
    else:
        submitted = _WORKER.root / "submitted" / student / _WORKER.case
        reasons = failures.reasons(text, error, submitted, _expected_notebooks(), converter)
        limit = _WORKER.zygote.limit_reached() if _WORKER.zygote is not None else None
        if limit:  # the sandbox killed the kernel: the root cause, so last
            reasons = [*reasons[-2:], limit]
        _drop_submission(_WORKER.db_url, _WORKER.case, student, _WORKER.lock)
    seconds = time.perf_counter() - start
    log_file = records.log_path(_WORKER.root, _WORKER.case, student)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.write_text(text, encoding="utf-8")
    return records.make_record(student, _WORKER.case, "graded" if ok else "failed", reasons, flags, seconds)


def _refuse(student: str, reasons: list[str], log, handler, buffer, start: float) -> dict:
    """The record of a submission refused before anything of it was read or copied: no grades
    (an earlier run's are dropped) and no autograded notebooks, so no feedback either."""
    for reason in reasons:
        log.error("Refused: %s", reason)
    log.removeHandler(handler)
    _drop_submission(_WORKER.db_url, _WORKER.case, student, _WORKER.lock)
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=_WORKER.config)
    coursedir.root = str(_WORKER.root)
    submission_files.remove_output(Path(coursedir.format_path(coursedir.autograded_directory, student, ".")),
                                   _WORKER.case)
    log_file = records.log_path(_WORKER.root, _WORKER.case, student)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.write_text(buffer.getvalue(), encoding="utf-8")
    return records.make_record(student, _WORKER.case, "failed", reasons, [], time.perf_counter() - start)


def _nbgrader_exception():
    from nbgrader.converters.base import NbGraderException

    return NbGraderException


# ---------------------------------------------------------------- coordinating side

def _progress(total: int, quiet: bool):
    if quiet:
        return contextlib.nullcontext(None)
    from tqdm import tqdm

    return tqdm(total=total, unit="nb", desc="grading", dynamic_ncols=True, leave=True)


def grade_class(case: str, root: Path, *, workers: int | None = None, db_url: str | None = None,
                students: list[str] | None = None, force: bool = False, quiet: bool = False,
                extra_preprocessors: list | tuple = (), transport: str = "ipc", sandboxed: bool = True,
                zygote_prefix: list[str] | tuple | None = None) -> Outcome:
    """Autograde every submission of ``case`` under ``root/submitted`` (or only ``students``).

    Safe by default: every kernel runs in the sandbox (``course.grading.sandbox``; it raises
    ``SandboxUnavailable`` where none can be made) unless ``sandboxed=False``, and every test
    cell's score is the grader's own verdict. ``zygote_prefix``: argv put before the zygote's
    command instead of the sandbox's (a wrapper of the caller's). ``extra_preprocessors``:
    nbgrader preprocessors (classes, or "module.Class" strings) run after execution, just before
    SaveAutoGrades. ``transport``: "ipc" (unix sockets in a private folder) or "tcp".
    """
    root = Path(root).resolve()
    if zygote_prefix is None:
        from course.grading import sandbox

        if sandboxed:
            sandbox.require()
        zygote_prefix = sandbox.prefix(sandbox.for_course(root)) if sandboxed else []
    started = time.perf_counter()
    available = submitted_students(root, case)
    if students:
        missing = sorted(set(students) - set(available))
        if missing:
            raise FileNotFoundError(f"No submission of {case} for {', '.join(missing)} under submitted/.")
        chosen = sorted(set(students))
    else:
        chosen = available
    given_url = with_busy_timeout(db_url) if db_url else None

    logs = records.folder(root, case)
    logs.mkdir(parents=True, exist_ok=True)
    for student in chosen:  # left by a run that was killed
        records.marker_path(root, case, student).unlink(missing_ok=True)
    journal = journal_module.Journal(logs)
    prints = {s: _fingerprint(root, case, s) for s in chosen}
    # The workers (and their zygotes) start first, and the first one ready works out the
    # gradebook URL: that loads nbgrader's configuration, seconds of the cores they need.
    # Students the journal has, under any URL, are likely skipped: no pool when that is all of them.
    likely = [s for s in chosen if force or not journal.is_done(s, prints[s], given_url or _journal_url(journal, s))]
    workers = max(1, min(workers or default_workers(), len(likely) or 1))
    init_args = (str(root), case, given_url, list(zygote_prefix), transport, list(extra_preprocessors))
    pool = _start_pool(workers, init_args) if likely else None
    try:
        if pool is not None:
            try:
                url, shown_url = pool.submit(_worker_gradebook).result()
            except BrokenProcessPool:
                raise GradingError("The grading workers could not start (their error is printed above); "
                                   "no student was graded.") from None
        else:
            url, shown_url = _gradebook(load_config(root), root, case, given_url)
        outcome = Outcome(case)
        todo = []
        for student in chosen:
            if not force and journal.is_done(student, prints[student], url) and \
                    records.read_record(root, case, student) is not None:
                outcome.skipped.append(student)
            else:
                journal.forget(student)
                todo.append(student)
        with _progress(len(todo), quiet) as bar:
            def finish(record):
                _finish(root, journal, prints, url, outcome, record, bar)

            if todo:
                handed, pool = pool, None  # _grade_in_pools shuts it down
                _grade_in_pools(handed, todo, workers, init_args, root, case, url, finish)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)

    every = [records.read_record(root, case, s) for s in chosen]
    outcome.seconds = time.perf_counter() - started
    records.write_summary(root, case, [r for r in every if r], {"db": shown_url})
    return outcome


def _fingerprint(root: Path, case: str, student: str) -> str:
    """The journal's fingerprint of a submission; of the link itself if the student's folder is one
    (the digest would otherwise read through it)."""
    folder = root / "submitted" / student
    return journal_module.fingerprint(folder if folder.is_symlink() else folder / case)


def default_workers() -> int:
    """Worker processes when none are asked for: one per core (measured: more than that is slower,
    as kernels and workers between them keep every core busy)."""
    return os.cpu_count() or 1


def _journal_url(journal, student: str) -> str | None:
    return journal.entries.get(student, {}).get("db")


def _start_pool(workers: int, init_args: tuple) -> ProcessPoolExecutor:
    """A pool whose ``workers`` processes are starting now, not at the first submission."""
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=worker_init, initargs=init_args)
    for _ in range(workers):
        pool.submit(int)  # each submission with no idle worker spawns one
    return pool


def _grade_in_pools(pool, todo, workers, init_args, root, case, url, finish) -> None:
    """Grade ``todo`` in ``pool`` (or a new one) and, if a worker dies, in new pools: the students
    the workers held then are graded one at a time, and the one whose worker dies again fails."""
    remaining = list(todo)
    suspects: list[str] = []
    while remaining or suspects:
        batch, size = (suspects, 1) if suspects else (remaining, workers)
        left = _run_pool(pool or _start_pool(size, init_args), batch, case, finish)
        pool = None
        held, rest = _held_by_workers(root, case, left)
        if size > 1:
            suspects, remaining = held, rest
            continue
        for student in held:  # a lone worker grades in turn: it died on this student
            _drop_submission(url, case, student, gradebook_lock(root, case))
            finish(records.make_record(student, case, "failed", [WORKER_DIED]))
        if suspects:
            suspects = rest
        else:
            remaining = rest


def _run_pool(pool, todo, case, finish) -> list[str]:
    """Grade ``todo`` in ``pool`` (shut down after), ``finish``-ing each record; return the
    students left ungraded if a worker died, in ``todo``'s order."""
    done: set[str] = set()
    broken: set[str] = set()
    with pool:
        futures = {pool.submit(grade_one, student): student for student in todo}
        for future in as_completed(futures):
            student = futures[future]
            try:
                record = future.result()
            except BrokenProcessPool:
                broken.add(student)
                continue
            except Exception as err:
                record = records.make_record(student, case, "failed", [f"{type(err).__name__}: {err}"])
            finish(record)
            done.add(student)
    return [s for s in todo if s in broken and s not in done]


def _held_by_workers(root: Path, case: str, left: list[str]) -> tuple[list[str], list[str]]:
    """``left`` split into the students a worker held when one died (their markers are still there)
    and the others."""
    held = [s for s in left if records.marker_path(root, case, s).exists()]
    for student in held:
        records.marker_path(root, case, student).unlink()
    if left and not held:
        raise GradingError(f"A grading worker died while it graded no one (out of memory?); {len(left)} "
                           "students are not graded yet: run the command again to grade them.")
    return held, [s for s in left if s not in held]


def _finish(root, journal, prints, url, outcome, record, bar) -> None:
    records.write_record(root, record)
    journal.record(record["student"], record["status"], prints[record["student"]], url)
    outcome.records.append(record)
    if bar is not None:
        bar.update(1)
        bar.set_postfix_str(f"{record['student']}: {record['status']}", refresh=False)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _gradebook_url(config, root: Path, given_url: str | None) -> tuple[str, str]:
    """The gradebook URL (``given_url`` or nbgrader's, with a busy timeout) and the course id."""
    coursedir = course_directory(config, root)
    return given_url or with_busy_timeout(coursedir.db_url), coursedir.course_id


def _gradebook(config, root: Path, case: str, given_url: str | None) -> tuple[str, str]:
    """``_gradebook_url``'s URL and the same without its password, once checked that the
    gradebook has assignment ``case``."""
    url, course_id = _gradebook_url(config, root, given_url)
    _check_assignment(url, case, root, course_id)
    return url, _safe_url(url)


def _worker_gradebook() -> tuple[str, str]:
    """``_gradebook`` as a task for a worker, which has nbgrader's configuration loaded."""
    return _gradebook(_WORKER.config, _WORKER.root, _WORKER.case, _WORKER.db_url)


def _check_assignment(url: str, case: str, root: Path, course_id: str) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    here = os.getcwd()
    os.chdir(root)  # a relative --db-url means the course's folder, as in the workers
    try:
        with Gradebook(url, course_id) as gradebook:
            try:
                gradebook.find_assignment(case)
            except MissingEntry:
                raise GradingError(f"The gradebook has no assignment {case!r}: run "
                                   f"`python -m course build {case}` (nbgrader generate_assignment) first.") from None
    finally:
        os.chdir(here)
