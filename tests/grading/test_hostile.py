"""The hostile and broken corpus (tests/grading/hostile) graded in one sandboxed run with honest submissions."""

from __future__ import annotations

import os
import time

import pytest
from nbgrader.api import Gradebook

from course import notebooks
from course.cases import notebook
from course.grading import integrity, limits, records, runner, sandbox, trust
from course.instructor import demo, nbgrader_tools
from course.paths import CHECKOUT_DIR

from hostile import CASE, NOTEBOOK, Corpus, submit

pytestmark = pytest.mark.needs("bwrap")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = demo.copy_course(CHECKOUT_DIR, tmp_path_factory.mktemp("hostile") / "course")
    # a looping cell is interrupted after 10 s rather than a minute, a notebook stopped after 45 s
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write("\nc.Execute.timeout = 10\nc.SandboxLimits.notebook_seconds = 45\n"
                     "c.SandboxLimits.notebook_memory_bytes = 2 * 2**30\n")
    nbgrader_tools.run(["generate_assignment", CASE, "--force", "--quiet"], root)
    source = notebooks.read(notebook(CASE, "source", root))
    release = notebooks.read(notebook(CASE, "release", root))
    corpus = Corpus(release, notebooks.answers(source), demo.partial_spec(CASE)["answers"], root,
                    memory_limited=sandbox.notebook_memory_limited()).entries()
    for student, (files, _) in corpus.items():
        submit(root, student, files)
    before = integrity.snapshot(root)
    outcome = runner.grade_class(CASE, root, quiet=True)  # sandboxed, every check: the defaults
    return root, corpus, outcome, before


def _expected_scores(expect, points):
    base = dict(points) if expect.scores == "key" else {c: 0.0 for c in points}
    if expect.scores == "partial":
        base.update({c: float(p) for c, p in demo.partial_spec(CASE)["expected"].items()})
    return {cell: (0.0 if cell in expect.zero else float(score)) for cell, score in base.items()}


def test_every_submission_gets_its_expected_outcome(graded):
    root, corpus, _, _ = graded
    points = notebooks.graded_cells(notebooks.read(notebook(CASE, "source", root)))
    scores = nbgrader_tools.cell_scores(root, CASE)
    with Gradebook(nbgrader_tools.db_url(root)) as gradebook:  # the formgrader's "Flagged?" column
        marked = {sub.student_id for sub in gradebook.find_assignment(CASE).submissions
                  if any(nb.flagged for nb in sub.notebooks)}
    problems = []
    for student, (_, expect) in corpus.items():
        record = records.read_record(root, CASE, student)
        if expect.status == "failed":
            told = expect.reason if isinstance(expect.reason, tuple) else (expect.reason,)
            if record["status"] != "failed" or not any(t in r for t in told for r in record["reasons"]):
                problems.append(f"{student}: expected failure '{expect.reason}', got {record}")
            # a failure leaves no grades: nothing that reads the gradebook may show it as a real zero
            if any(score is not None for score in (scores.get(student) or {}).values()):
                problems.append(f"{student}: failed, yet the gradebook scores it {scores[student]}")
            continue
        if record["status"] != "graded":
            problems.append(f"{student}: expected graded, got {record}")
            continue
        flagged = [f for f in record["flags"] if f.startswith(trust.FLAG_PREFIX)]
        if expect.status == "flagged" and not any(expect.reason in f for f in flagged):
            problems.append(f"{student}: expected a flag '{expect.reason}', got {record['flags']}")
        if bool(flagged) != (student in marked):
            problems.append(f"{student}: tampering flags {flagged}, but flagged in the gradebook: {student in marked}")
        if student.startswith("honest") and flagged:
            problems.append(f"{student}: flagged without cause: {flagged}")
        if scores.get(student) != _expected_scores(expect, points):
            problems.append(f"{student}: scores {scores.get(student)}, expected {_expected_scores(expect, points)}")
    assert not problems, "\n".join(problems)


def test_the_run_finishes_and_the_gradebook_is_whole(graded):
    root, corpus, outcome, _ = graded
    assert {r["student"] for r in outcome.records} == set(corpus)
    graded_students = [r["student"] for r in outcome.records if r["status"] == "graded"]
    failed = [r["student"] for r in outcome.records if r["status"] == "failed"]
    assert failed and graded_students
    assert integrity.gradebook_problems(nbgrader_tools.db_url(root), CASE, graded_students, failed) == []


def test_a_flooding_cell_leaves_a_notebook_of_bounded_size(graded):
    root = graded[0]
    flooded = root / "autograded" / "output-flood" / CASE / NOTEBOOK
    honest = root / "autograded" / "honest-key" / CASE / NOTEBOOK
    assert flooded.stat().st_size < honest.stat().st_size + limits.current().worker_output_chars


def test_nothing_outside_the_outputs_changed(graded):
    root, _, _, before = graded
    assert integrity.changed(before, integrity.snapshot(root)) == []


def test_no_sandbox_process_outlives_the_run(graded):
    deadline = time.monotonic() + 20  # the workers' sandboxes close as the pool shuts down
    while (leftovers := [p for p in os.listdir("/proc") if p.isdigit() and _uid(p) >= sandbox.BASE_UID]) \
            and time.monotonic() < deadline:
        time.sleep(0.5)
    assert leftovers == []


def _uid(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("Uid:"))
    except (OSError, StopIteration):
        return -1
