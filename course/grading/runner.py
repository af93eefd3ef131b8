"""Grade a whole class with nbgrader's own autograde converter, one worker per core.

The coordinating process finds the submissions, skips students the journal
says are already graded, hands the rest to worker processes, and writes the
records, the journal and the summary as results come back. Each worker keeps
a zygote (see ``course.grading.zygote``) and runs nbgrader's ``Autograde``
converter for one student at a time with ``GradingExecute``, so every step
but the kernel start is nbgrader's.

This module is the coordinating side; ``course.grading.worker`` is a worker's, and the package's
docstring lists every module by the process it runs in.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from course.startup import skip_iri_grammar

skip_iri_grammar()  # the command's first import of nbgrader's world: before records imports nbformat

from course.grading import (  # noqa: E402
    journal as journal_module,
    records,
)
from course.grading.course_setup import (  # noqa: E402
    GradingError,
    checked_gradebook,
    load_config,
    submitted_students,
    with_busy_timeout,
)
from course.grading.worker import (  # noqa: E402
    drop_submission,
    grade_one,
    gradebook_lock,
    worker_gradebook,
    worker_init,
)

__all__ = ["WORKER_DIED", "GradingError", "Outcome", "chosen_students", "default_workers", "fingerprint",
           "finish_student", "grade_class", "progress_bar"]

WORKER_DIED = "the grading worker process died while grading it (out of memory, or killed?)"


@dataclass
class Outcome:
    case: str
    records: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.records if r["status"] == "failed"]


def progress_bar(total: int, quiet: bool):
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
    chosen = chosen_students(root, case, students)
    given_url = with_busy_timeout(db_url) if db_url else None

    logs = records.folder(root, case)
    logs.mkdir(parents=True, exist_ok=True)
    for student in chosen:  # left by a run that was killed
        records.marker_path(root, case, student).unlink(missing_ok=True)
    journal = journal_module.Journal(logs)
    prints = {s: fingerprint(root, case, s) for s in chosen}
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
                url, shown_url = pool.submit(worker_gradebook).result()
            except BrokenProcessPool:
                raise GradingError("The grading workers could not start (their error is printed above); "
                                   "no student was graded.") from None
        else:
            url, shown_url = checked_gradebook(load_config(root), root, case, given_url)
        outcome = Outcome(case)
        todo = students_to_grade(root, case, chosen, prints, journal, url, force, outcome)
        with progress_bar(len(todo), quiet) as bar:
            def finish(record):
                finish_student(root, journal, prints, url, outcome, record, bar)

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


def chosen_students(root: Path, case: str, students: list[str] | None) -> list[str]:
    """``students`` (every student who submitted ``case`` when None), each checked to have submitted."""
    available = submitted_students(root, case)
    if not students:
        return available
    missing = sorted(set(students) - set(available))
    if missing:
        raise FileNotFoundError(f"No submission of {case} for {', '.join(missing)} under submitted/.")
    return sorted(set(students))


def fingerprint(root: Path, case: str, student: str) -> str:
    """The journal's fingerprint of a submission; of the link itself if the student's folder is one
    (the digest would otherwise read through it)."""
    folder = root / "submitted" / student
    return journal_module.fingerprint(folder if folder.is_symlink() else folder / case)


def students_to_grade(root: Path, case: str, chosen: list[str], prints: dict[str, str], journal, url: str,
                      force: bool, outcome: Outcome) -> list[str]:
    """Of ``chosen``, those to grade: all with ``force``, else those the journal does not have as
    graded, unchanged, into this gradebook, with their record (the others go to ``outcome.skipped``)."""
    todo = []
    for student in chosen:
        if not force and journal.is_done(student, prints[student], url) and \
                records.read_record(root, case, student) is not None:
            outcome.skipped.append(student)
        else:
            journal.forget(student)
            todo.append(student)
    return todo


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
            drop_submission(url, case, student, gradebook_lock(root, case))
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


def finish_student(root, journal, prints, url, outcome, record, bar) -> None:
    records.write_record(root, record)
    journal.record(record["student"], record["status"], prints[record["student"]], url)
    outcome.records.append(record)
    if bar is not None:
        bar.update(1)
        bar.set_postfix_str(f"{record['student']}: {record['status']}", refresh=False)
