"""Real ``nbgrader autograde`` on each case: the key earns everything, the
untouched release nothing, a partly right submission what we expect."""

from __future__ import annotations

import re
import shutil

import pytest

from course import notebooks
from course.cases import notebook
from course.grading import compare, runner
from course.instructor import demo, nbgrader_tools

from conftest import CASES


def _points(case, checkout):
    return notebooks.graded_cells(notebooks.read(notebook(case, "source", checkout)))


@pytest.mark.parametrize("case", CASES)
def test_answer_key_earns_full_marks(case, graded_classes, checkout):
    _, table = graded_classes[case]
    earned = table.loc["answer-key"].drop("total").to_dict()
    assert earned == _points(case, checkout)


@pytest.mark.parametrize("case", CASES)
def test_untouched_release_earns_zero(case, graded_classes, checkout):
    _, table = graded_classes[case]
    autograded = notebooks.autograded_cells(notebooks.read(notebook(case, "source", checkout)))
    earned = table.loc["untouched", list(autograded)].to_dict()
    assert earned == {cell: 0.0 for cell in autograded}


@pytest.mark.parametrize("case", CASES)
def test_partly_right_submission_scores_cell_by_cell(case, graded_classes):
    _, table = graded_classes[case]
    expected = {cell: float(points) for cell, points in demo.partial_spec(case)["expected"].items()}
    earned = table.loc["partly-right", list(expected)].to_dict()
    assert earned == expected


@pytest.mark.parametrize("case", CASES)
def test_no_test_cell_writes_to_stderr(case, graded_classes, checkout):
    root, _ = graded_classes[case]
    autograded = notebooks.read(root / "autograded" / "answer-key" / case / notebook(case, "source", checkout).name)
    for cell in autograded.cells:
        if notebooks.grading(cell).get("grade"):
            streams = [out.get("name") for out in cell.get("outputs", []) if out.output_type == "stream"]
            assert "stderr" not in streams, f"{notebooks.grading(cell)['grade_id']} wrote to stderr"


FLOAT_TEXT = re.compile(r"^-?\d+(\.\d+)?(e-?\d+)?$")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("student", demo.STUDENTS)
def test_partial_credit_cells_return_a_plain_float_within_points(case, student, graded_classes, checkout):
    root, _ = graded_classes[case]
    path = root / "autograded" / student / case / notebook(case, "source", checkout).name
    for cell in notebooks.read(path).cells:
        info = notebooks.grading(cell)
        results = [out for out in cell.get("outputs", []) if out.output_type == "execute_result"]
        if not info.get("grade") or not results:
            continue
        text = results[-1]["data"]["text/plain"]
        assert FLOAT_TEXT.match(text), f"{info['grade_id']} ends with {text!r}, not a plain float"
        assert 0.0 <= float(text) <= float(info["points"]), f"{info['grade_id']} returned {text}"


@pytest.mark.parametrize("case", CASES)
def test_verdicts_outside_the_kernel_give_nbgraders_scores(case, graded_classes, tmp_path):
    """The casebook's grader judges every test cell in its own process, on the students' values as
    data: for honest submissions that gives exactly what nbgrader's in-kernel tests give."""
    root, _ = graded_classes[case]
    ours = shutil.copytree(root, tmp_path / "ours")
    outcome = runner.grade_class(case, ours, quiet=True, sandboxed=False, force=True)
    assert [r["status"] for r in outcome.records] == ["graded"] * len(demo.STUDENTS)
    theirs = nbgrader_tools.cell_scores(root, case)
    assert compare.score_differences(nbgrader_tools.cell_scores(ours, case), theirs) == []
    assert compare.notebook_differences(ours, root, case) == []
