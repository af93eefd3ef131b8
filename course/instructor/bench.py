"""Benchmarks that print figures (targets are reported, never asserted in tests).

``python -m course bench notebooks`` runs each answer key top to bottom in a
fresh kernel, as a student's "Restart and run all" would, and reports the wall
time against the casebook's target of 20 seconds a case.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path

from course import checks
from course.cases import notebook
from course.instructor.execution import execute

NOTEBOOK_TARGET_SECONDS = 20.0


def _children_peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux: the largest finished child (a kernel).
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def notebook_times(cases: list[str], root: Path, repeats: int = 1) -> list[dict]:
    """Seconds to execute each case's answer key (best of ``repeats``)."""
    rows = []
    for case in cases:
        path = notebook(case, "source", root)
        best = float("inf")
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as scratch:
                start = time.perf_counter()
                # Recording mode: the checks need no stored hashes, so timing works on a fresh edit too.
                execute(path, extra_env={checks.RECORD_ENV: str(Path(scratch) / "hashes.json")})
                best = min(best, time.perf_counter() - start)
        rows.append({"case": case, "seconds": best, "within_target": best < NOTEBOOK_TARGET_SECONDS})
    return rows


def print_notebook_times(rows: list[dict]) -> None:
    print(f"{'case':32} {'seconds':>8}  target {NOTEBOOK_TARGET_SECONDS:.0f} s")
    for row in rows:
        verdict = "ok" if row["within_target"] else "OVER TARGET"
        print(f"{row['case']:32} {row['seconds']:8.2f}  {verdict}")
    print(f"peak memory of one kernel: {_children_peak_mb():.0f} MB")


# ---------------------------------------------------------------- grading a simulated class

# The case whose answer key takes longest (measured with `python -m course bench notebooks`).
HEAVIEST_CASE = "case4_logistics_payment"
GRADING_TARGET_SPEEDUP = 5.0
GRADING_MEMORY_LIMIT_MB = 2048
KINDS = ("right", "partly-right", "wrong", "blank", "mixed")


def _wrong(source: str) -> str:
    """The answer with every integer literal off by one: runs, but gives other values."""
    import re

    return re.sub(r"(?<![\w.])(\d+)(?![\w.])", lambda m: str(int(m.group(1)) + 1), source)


def simulated_class(case: str, root: Path, students: int, seed: int = 7) -> dict[str, str]:
    """Submit ``students`` notebooks of ``case`` in course ``root``: ``{student: kind}``."""
    import random

    from course import notebooks
    from course.instructor import demo

    source = notebooks.read(notebook(case, "source", root))
    release = notebooks.read(notebook(case, "release", root))
    key = notebooks.answers(source)
    blank = notebooks.answers(release)
    try:
        partial = {**blank, **demo.partial_spec(case)["answers"]}
    except FileNotFoundError:
        partial = {cell: (key[cell] if i % 2 == 0 else blank[cell]) for i, cell in enumerate(key)}
    wrong = {cell: _wrong(text) for cell, text in key.items()}
    rng = random.Random(seed)
    kinds = {}
    for number in range(students):
        kind = KINDS[number % len(KINDS)]
        answers = {"right": key, "partly-right": partial, "wrong": wrong, "blank": blank}.get(kind)
        if answers is None:
            answers = {cell: rng.choice((key, partial, wrong, blank))[cell] for cell in key}
        student = f"student-{number + 1:03d}"
        demo.submit(root, case, student, notebooks.fill(release, answers))
        kinds[student] = kind
    return kinds


class _TreeMemory:
    """Peak memory of a process tree (sampled), in MB: the sum of resident sizes, which counts a
    page shared by forked processes once per process, and the proportional set size (PSS), which
    shares it out among them (the memory the tree really holds).

    Resident sizes are read every ``interval``; PSS, which costs milliseconds a process, every
    ``pss_every`` samples, so that measuring does not slow what is measured: each sample also
    lists every process of the machine to find the tree's, and a grading run keeps both cores
    busy (at 10 samples a second the sampler took 2-3% of them).
    """

    def __init__(self, pid: int, interval: float = 0.5, pss_every: int = 4):
        import threading

        self.pid, self.interval, self.pss_every = pid, interval, pss_every
        self.peak_rss = self.peak_pss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self):
        import psutil

        try:
            top = psutil.Process(self.pid)
            return [top, *top.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    @staticmethod
    def _total(processes, measure) -> float:
        import psutil

        total = 0
        for process in processes:
            try:
                total += measure(process)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return total / 2**20

    def _run(self) -> None:
        samples = 0
        while not self._stop.is_set():
            processes = self._tree()
            self.peak_rss = max(self.peak_rss, self._total(processes, lambda p: p.memory_info().rss))
            if samples % self.pss_every == 0:
                self.peak_pss = max(self.peak_pss, self._total(processes, lambda p: p.memory_full_info().pss))
            samples += 1
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _timed(argv: list[str], cwd: Path) -> tuple[float, dict]:
    """Run ``argv`` in ``cwd``; its wall time and peak memory of its process tree (MB, "rss" and "pss")."""
    import subprocess

    from course.instructor import nbgrader_tools

    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=nbgrader_tools.environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with _TreeMemory(process.pid) as memory:
        _, errors = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} failed:\n{errors[-3000:]}")
    return seconds, {"rss": memory.peak_rss, "pss": memory.peak_pss}


def grading_benchmark(case: str | None = None, students: int = 100, workers: int | None = None,
                      workdir: Path | None = None) -> dict:
    """Grade one simulated class with ``nbgrader autograde`` and with ``python -m course grade``,
    as run by default (in the sandbox) and with ``--no-sandbox``.

    A shared machine's speed drifts over the minutes nbgrader takes: each variant of the
    command is timed once before nbgrader and once after it, and its speed-up is nbgrader's
    time over the mean of the two.
    """
    import shutil
    import sys

    from course.grading import compare
    from course.instructor import demo, nbgrader_tools
    from course.paths import CHECKOUT_DIR

    case = case or HEAVIEST_CASE
    scratch = Path(workdir or tempfile.mkdtemp(prefix="casebook-bench-grading-"))
    first = demo.copy_course(CHECKOUT_DIR, scratch / "nbgrader")
    nbgrader_tools.run(["generate_assignment", case, "--force", "--quiet"], first)
    kinds = simulated_class(case, first, students)
    variants: tuple[tuple[str, list[str], Path], ...] = (
        ("python -m course grade", [], scratch / "casebook"),
        ("  --no-sandbox", ["--no-sandbox"], scratch / "casebook-no-sandbox"),
    )
    for _label, _options, folder in variants:  # copies of the class before nbgrader grades it
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(first, folder)

    def grade(options: list[str], folder: Path) -> tuple[float, dict, dict]:
        argv = [sys.executable, "-m", "course", "grade", case, "--force", "--quiet", *options]
        if workers:
            argv += ["--workers", str(workers)]
        seconds, memory = _timed(argv, folder)
        return seconds, memory, nbgrader_tools.cell_scores(folder, case)

    before = [grade(options, folder) for _label, options, folder in variants]
    nbgrader_seconds, nbgrader_mb = _timed([sys.executable, "-m", "nbgrader", "autograde", case, "--force"], first)
    expected = nbgrader_tools.cell_scores(first, case)
    after = [grade(options, folder) for _label, options, folder in variants]
    runs = []
    for (label, options, _folder), timed_before, timed_after in zip(variants, before, after):
        timings = [timed_before[0], timed_after[0]]
        seconds = sum(timings) / len(timings)
        problems = [problem for timed in (timed_before, timed_after)
                    for problem in compare.score_differences(expected, timed[2])]
        runs.append({"label": label, "options": options, "seconds": seconds, "timings": timings,
                     "per_notebook": seconds / students,
                     "peak_mb": {kind: max(timed_before[1][kind], timed_after[1][kind]) for kind in ("rss", "pss")},
                     "speedup": nbgrader_seconds / seconds, "identical": not problems,
                     "differences": problems[:20]})
    return {
        "case": case, "students": students, "workers": workers or os.cpu_count(), "folder": str(scratch),
        "kinds": {kind: list(kinds.values()).count(kind) for kind in KINDS}, "load": os.getloadavg(),
        "nbgrader_seconds": nbgrader_seconds, "nbgrader_per_notebook": nbgrader_seconds / students,
        "nbgrader_peak_mb": nbgrader_mb, "runs": runs, "identical": all(run["identical"] for run in runs),
    }


def print_grading_benchmark(result: dict) -> None:
    print(f"simulated class: {result['students']} submissions of {result['case']} "
          f"({', '.join(f'{n} {k}' for k, n in result['kinds'].items())}) in {result['folder']}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in result['load'])}")
    print(f"{'':24} {'seconds':>9} {'s/notebook':>11} {'speed-up':>9} {'peak MB':>8} {'(RSS sum)':>10}")
    nbgrader_memory = result["nbgrader_peak_mb"]
    print(f"{'nbgrader autograde':24} {result['nbgrader_seconds']:9.1f} {result['nbgrader_per_notebook']:11.2f} "
          f"{'':9} {nbgrader_memory['pss']:8.0f} {nbgrader_memory['rss']:10.0f}")
    for run in result["runs"]:
        before, after = run["timings"]
        print(f"{run['label']:24} {run['seconds']:9.1f} {run['per_notebook']:11.2f} {run['speedup']:8.2f}x "
              f"{run['peak_mb']['pss']:8.0f} {run['peak_mb']['rss']:10.0f}   ({result['workers']} workers; "
              f"{before:.1f} s before nbgrader, {after:.1f} s after)")
    print("seconds: the mean of a run before nbgrader's and one after it, as the machine's speed drifts")
    print("peak MB: proportional set size of the whole process tree (pages shared by forked kernels "
          "counted once); RSS sum counts them once per process")
    for run in result["runs"]:
        verdict = "ok" if run["speedup"] >= GRADING_TARGET_SPEEDUP else "BELOW TARGET"
        memory = "ok" if run["peak_mb"]["pss"] < GRADING_MEMORY_LIMIT_MB else "OVER 2 GB"
        print(f"{run['label'].strip()}: speed-up {run['speedup']:.2f}x (target {GRADING_TARGET_SPEEDUP:.0f}x: "
              f"{verdict}); peak memory {memory}; scores "
              f"{'identical for every cell of every student' if run['identical'] else 'DIFFER:'}")
        for line in run["differences"]:
            print(f"  {line}")


# ---------------------------------------------------------------- grading over a Dask cluster


def instant_grading(student: str, root: str, case: str, db_url: str) -> dict:
    """A Dask task that grades no one: what is left of a class's time is the coordinator's and
    the scheduler's own cost per student."""
    from course.grading import records

    return records.make_record(student, case, "graded")


def cluster_benchmark(case: str | None = None, students: int = 20, workers: tuple[int, ...] = (1, 2),
                      instant: tuple[int, ...] = (200, 1000), workdir: Path | None = None) -> dict:
    """Grade a simulated class over a local Dask cluster of each number of ``workers`` (the
    sandbox where there is one), then classes of ``instant`` sizes whose tasks return at once,
    whose slope is the coordinator's cost per student, the bound on how many workers it can feed."""
    import shutil

    from course.grading import cluster, sandbox
    from course.instructor import demo, nbgrader_tools
    from course.paths import CHECKOUT_DIR

    case = case or HEAVIEST_CASE
    scratch = Path(workdir or tempfile.mkdtemp(prefix="casebook-bench-cluster-"))
    released = demo.copy_course(CHECKOUT_DIR, scratch / "released")
    nbgrader_tools.run(["generate_assignment", case, "--force", "--quiet"], released)
    sandboxed = sandbox.problem() is None

    def graded(size: int, folder: Path, **options) -> dict:
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(released, folder)
        simulated_class(case, folder, size)
        outcome = cluster.grade_class(case, folder, quiet=True, sandboxed=sandboxed, **options)
        if len(outcome.records) != size or outcome.failed:
            raise RuntimeError(f"{len(outcome.failed)} of {size} students failed: see {folder}/grading-logs/")
        # a record's seconds are its worker's, from taking the student to returning the record
        return {"seconds": outcome.seconds, "per_notebook": sum(r["seconds"] for r in outcome.records) / size}

    runs = [{"workers": n, **graded(students, scratch / f"workers-{n}", local_workers=n)} for n in workers]
    coordinator = [{"students": size, **graded(size, scratch / f"instant-{size}", local_workers=2,
                                               task=instant_grading)} for size in instant]
    first, last = coordinator[0], coordinator[-1]
    per_student = (last["seconds"] - first["seconds"]) / (last["students"] - first["students"])
    return {"case": case, "students": students, "sandboxed": sandboxed, "folder": str(scratch),
            "load": os.getloadavg(), "runs": runs, "coordinator": coordinator,
            "coordinator_seconds_per_student": per_student}


def print_cluster_benchmark(result: dict) -> None:
    print(f"simulated class: {result['students']} submissions of {result['case']}, graded over a local Dask "
          f"cluster ({'in' if result['sandboxed'] else 'without'} the sandbox) in {result['folder']}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in result['load'])}")
    print(f"{'Dask workers':>12} {'seconds':>8} {'s/notebook':>11} {'notebooks/s':>12} {'worker s/notebook':>18}")
    for run in result["runs"]:
        print(f"{run['workers']:12d} {run['seconds']:8.1f} {run['seconds'] / result['students']:11.2f} "
              f"{result['students'] / run['seconds']:12.2f} {run['per_notebook']:18.2f}")
    print("seconds include starting the cluster and warming each worker's zygote; worker s/notebook is a "
          "worker's own time a student")
    print("the coordinator alone, tasks that return at once (2 workers; seconds include starting the cluster):")
    for run in result["coordinator"]:
        print(f"{run['students']:12d} students {run['seconds']:8.1f} s")
    cost = result["coordinator_seconds_per_student"]
    per_worker = 1 / result["runs"][0]["per_notebook"]
    print(f"coordinator and scheduler: {cost * 1000:.1f} ms a student (the slope), at most {1 / cost:.0f} "
          f"notebooks/s; one worker grades {per_worker:.2f} notebooks/s, so one coordinator keeps about "
          f"{1 / cost / per_worker:.0f} such workers busy")
