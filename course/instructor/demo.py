"""A demo class: the answer key, the untouched release and a partly right
submission of each case, autograded in a scratch copy of the course.

The scratch copy keeps the instructor's own gradebook and ``submitted/``
folder out of it; the same machinery backs the end-to-end grading tests.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from course import notebooks
from course.cases import notebook, require_case
from course.instructor import nbgrader_tools
from course.paths import CHECKOUT_DIR

COURSE_PARTS = ("nbgrader_config.py", "source", "datasets", "seeds")
# The partly right submission of each case, with the points it earns: beside the case's source,
# never released (``CourseDirectory.ignore``).
DEMO_SUBMISSION = "demo_submission.json"
STUDENTS = ("answer-key", "untouched", "partly-right")


def copy_course(source_root: Path, target: Path) -> Path:
    """A fresh course folder at ``target`` with the parts grading needs."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for part in COURSE_PARTS:
        origin = source_root / part
        if origin.is_dir():
            shutil.copytree(origin, target / part, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy2(origin, target / part)
    return target


def partial_spec(case: str) -> dict:
    """The partly right submission of ``case``: its answers and expected scores."""
    path = CHECKOUT_DIR / "source" / case / DEMO_SUBMISSION
    try:
        return json.loads(path.read_text(encoding="utf-8"))["partly_right"]
    except FileNotFoundError:
        raise FileNotFoundError(f"No partly right submission is defined for {case}: {path}") from None


def submissions(case: str, root: Path) -> dict[str, object]:
    """The demo class's notebooks for ``case``: ``{student: notebook}``."""
    source = notebooks.read(notebook(case, "source", root))
    release = notebooks.read(notebook(case, "release", root))
    return {
        "answer-key": notebooks.fill(release, notebooks.answers(source)),
        "untouched": release,
        "partly-right": notebooks.fill(release, partial_spec(case)["answers"]),
    }


def submit(root: Path, case: str, student: str, nb) -> Path:
    """Place ``nb`` as ``student``'s submission of ``case`` in course ``root``."""
    name = notebook(case, "release", root).name
    path = root / "submitted" / student / case / name
    notebooks.write(nb, path)
    return path


def grade_class(root: Path, case: str) -> pd.DataFrame:
    """Build the release, submit the demo class and autograde it with nbgrader."""
    nbgrader_tools.run(["generate_assignment", case, "--force", "--quiet"], root)
    for student, nb in submissions(case, root).items():
        submit(root, case, student, nb)
    nbgrader_tools.run(["autograde", case, "--force", "--quiet"], root)
    return score_table(root, case)


def score_table(root: Path, case: str) -> pd.DataFrame:
    """Students by graded cell, with totals; a failed submission shows as missing."""
    cells = notebooks.graded_cells(notebooks.read(notebook(case, "source", root)))
    scores = nbgrader_tools.cell_scores(root, case)
    table = pd.DataFrame.from_dict(scores, orient="index").reindex(columns=list(cells)).sort_index()
    table["total"] = table.sum(axis=1, min_count=1)
    maximum = pd.DataFrame([{**cells, "total": sum(cells.values())}], index=["(points)"])
    return pd.concat([maximum, table])


def run(cases: list[str], workdir: Path, checkout: Path, progress=iter) -> dict[str, pd.DataFrame]:
    """Grade the demo class for each case in a scratch course at ``workdir``;
    ``progress`` wraps the cases as they are graded (a progress bar)."""
    for case in cases:
        require_case(case)
    root = copy_course(checkout, workdir)
    return {case: grade_class(root, case) for case in progress(cases)}
