"""Self-study: every answer has a check with a hint, and a learner can ask
for a case's answer key (without hidden tests) after trying."""

from __future__ import annotations

import subprocess
import sys

import pytest

from course import notebooks
from course.cases import notebook
from course.instructor import feedback, selfstudy
from course.instructor.execution import execute

from conftest import CASES

VISIBLE_CHECKS = ("check(", "check_length(", "assert ")


@pytest.mark.parametrize("case", CASES)
def test_every_answer_in_the_release_has_a_visible_check(case, checkout):
    cells = notebooks.read(notebook(case, "release", checkout)).cells
    for index, cell in enumerate(cells):
        if not notebooks.grading(cell).get("solution"):
            continue
        following = next(c for c in cells[index + 1:] if notebooks.grading(c).get("grade"))
        assert any(call in following.source for call in VISIBLE_CHECKS), notebooks.grading(cell)["grade_id"]


@pytest.mark.parametrize("case", CASES)
def test_answer_key_has_solutions_but_no_hidden_tests(case, checkout):
    key = selfstudy.answer_key(checkout, case)
    text = "\n".join(cell.source for cell in key.cells)
    source = notebooks.read(notebook(case, "source", checkout))
    assert feedback.BEGIN not in text and "BEGIN SOLUTION" not in text
    assert not [line for line in feedback.hidden_lines(source) if line in text]
    for answer in notebooks.answers(source).values():
        for line in answer.split("\n"):
            if "SOLUTION" not in line:
                assert line in text


def test_answer_key_runs_and_passes_its_checks(checkout, tmp_path):
    case = "case1_market_selection"
    path = selfstudy.write_answer_key(checkout, case, tmp_path)
    outputs = [o.get("text", "") for c in execute(path).cells if c.cell_type == "code" for o in c.outputs]
    assert "Check case1.delivery: looks right." in "".join(outputs)


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "course", *args], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


def test_answers_command_asks_before_writing(checkout, tmp_path):
    target = tmp_path / "keys"
    refused = run("answers", "case1_market_selection", "--to", str(target), cwd=checkout)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert not target.exists()
    done = run("answers", "case1_market_selection", "--to", str(target), "--yes", cwd=checkout)
    assert done.returncode == 0, done.stderr
    assert (target / "case1_market_selection" / "market_selection_answers.ipynb").is_file()
