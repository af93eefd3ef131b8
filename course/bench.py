"""Benchmarks that print figures (targets are reported, never asserted in tests).

``python -m course bench notebooks`` runs each answer key top to bottom in a
fresh kernel, as a student's "Restart and run all" would, and reports the wall
time against the casebook's target of 20 seconds a case.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from course import checks
from course.assignments import notebook
from course.execution import execute

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
