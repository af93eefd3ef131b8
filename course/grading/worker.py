"""A grading worker: one process of the pool, grading one student at a time.

``worker_init`` starts the worker's zygote (``course.grading.zygote``, in the sandbox unless the
class is graded without it), installs the speed-ups (``course.grading.speedups``) and builds the
Autograde converter (``course.grading.autograde``); ``grade_one`` grades a student and returns
the record the coordinator (``course.grading.runner``) writes.
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
from pathlib import Path
from typing import TYPE_CHECKING

from course.startup import skip_iri_grammar

skip_iri_grammar()  # a worker's first import: before records imports nbformat

from course.grading import autograde, failures, records, submission_files  # noqa: E402
from course.grading.course_setup import checked_gradebook, gradebook_url, load_config  # noqa: E402

if TYPE_CHECKING:
    from course.grading.kernels import Zygote

__all__ = ["GradebookLock", "current_class", "drop_submission", "grade_one", "gradebook_lock", "stop_worker",
           "worker_gradebook", "worker_init"]


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

    from course.grading import kernels, limits, speedups

    speedups.install_in_worker()

    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own, as noisy under nbgrader autograde
    kernels.configure(transport=transport)
    zygote = kernels.Zygote(Path(root), dict(os.environ), argv=argv, process=process)
    _WORKER.root = Path(root)
    _WORKER.case = case
    _WORKER.config = load_config(Path(root))
    limits.configure(_WORKER.config)  # before any kernel starts: they inherit the environment
    speedups.configure(_WORKER.config)
    db_url, course_id = gradebook_url(_WORKER.config, Path(root), db_url)
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


def current_class() -> tuple[str, str] | None:
    """The course folder and case this worker was set up to grade, if it was."""
    return (str(_WORKER.root), _WORKER.case) if hasattr(_WORKER, "root") else None


def _warm_worker(db_url: str, course_id: str) -> None:
    """While the zygote warms up: what grading the first student would otherwise load
    (the kernel spec's IPython, the database driver and a pooled connection)."""
    import ipykernel.kernelspec  # noqa: F401
    import IPython.paths  # noqa: F401
    from nbgrader.api import Gradebook

    Gradebook(db_url, course_id).close()


def stop_worker() -> None:
    """Stop this worker's zygote and remove its kernels' folder (also what a Dask worker's
    plugin does when it is removed: ``course.grading.cluster``)."""
    from course.grading import kernels

    if _WORKER.zygote is not None:
        _WORKER.zygote.stop()
        _WORKER.zygote = None
        kernels.install_zygote(None)
    folder = kernels._SETTINGS.get("runtime_dir")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        kernels.configure(transport=kernels._SETTINGS["transport"])


def _worker_exit() -> None:
    stop_worker()
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


def drop_submission(db_url: str, case: str, student: str, lock: GradebookLock) -> None:
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
        drop_submission(_WORKER.db_url, _WORKER.case, student, _WORKER.lock)
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
    drop_submission(_WORKER.db_url, _WORKER.case, student, _WORKER.lock)
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


def worker_gradebook() -> tuple[str, str]:
    """``checked_gradebook`` as a task for a worker, which has nbgrader's configuration loaded."""
    return checked_gradebook(_WORKER.config, _WORKER.root, _WORKER.case, _WORKER.db_url)
