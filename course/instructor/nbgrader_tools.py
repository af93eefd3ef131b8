"""Running nbgrader from the project's environment and reading its gradebook."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


class NbgraderError(Exception):
    """An nbgrader command failed; the message carries its output."""


def environment() -> dict[str, str]:
    """The process environment with this interpreter's scripts first on PATH,
    so nbgrader finds ``alembic`` and kernels start from the same environment."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def run(args: list[str], root: Path, quiet: bool = True) -> str:
    """``nbgrader ARGS`` in course folder ``root``; raise NbgraderError on failure."""
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=root,
        env=environment(),
        capture_output=quiet,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        output = (done.stdout or "") + (done.stderr or "")
        raise NbgraderError(f"nbgrader {' '.join(args)} failed:\n{output[-4000:]}")
    return (done.stdout or "") + (done.stderr or "")


def db_url(root: Path) -> str:
    return f"sqlite:///{(root / 'gradebook.db').resolve()}"


def cell_scores(root: Path, case: str, url: str | None = None) -> dict[str, dict[str, float | None]]:
    """``{student: {grade cell id: score}}`` for one case, from the gradebook.

    A submission whose autograding failed has no grades: its cells are None,
    so a failure is never mistaken for a zero.
    """
    from nbgrader.api import Gradebook  # imported only when used: it takes seconds

    scores: dict[str, dict[str, float | None]] = {}
    with Gradebook(url or db_url(root)) as gradebook:
        assignment = gradebook.find_assignment(case)
        for submission in assignment.submissions:
            cells = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    cells[grade.name] = None if grade.score is None else float(grade.score)
            scores[submission.student_id] = cells
    return scores

