"""Feedback for students never shows hidden tests, rubrics or model answers,
whether made by the project's command or by ``nbgrader generate_feedback``
(the configuration adds the preprocessor), and still shows the hints."""

from __future__ import annotations

import shutil
import tomllib

import nbformat
import pytest

from course import notebooks
from course.cases import notebook
from course.instructor import feedback, nbgrader_tools

CASES = ["case1_market_selection", "case7_alibaba_expansion"]


@pytest.fixture(scope="module")
def pages(graded_classes, tmp_path_factory):
    """``pages[case]``: (course copy, {student: feedback page text}) from the project's command."""
    made = {}
    for case in CASES:
        root = shutil.copytree(graded_classes[case][0], tmp_path_factory.mktemp("feedback") / "course")
        made[case] = (root, {p.parts[-3]: feedback.page_text(p) for p in feedback.generate(root, case)})
    return made


def _rubric_texts(root, case):
    rubric = tomllib.loads((root / "source" / case / "rubrics.toml").read_text(encoding="utf-8"))
    for question in rubric.values():
        yield from (question[key] for key in ("model_answer", "reference_answer") if key in question)
        for concept in question.get("concepts", []):
            phrases = concept.get("phrases", [])
            if len(phrases) > 1:
                yield ", ".join(phrases[:3])
                yield str(phrases[:3])


@pytest.mark.parametrize("case", CASES)
def test_feedback_shows_no_hidden_test(case, pages):
    root, texts = pages[case]
    source = notebooks.read(notebook(case, "source", root))
    assert feedback.hidden_lines(source), "the case should have hidden tests to hide"
    assert set(texts) == {"answer-key", "partly-right", "untouched"}
    for student, text in texts.items():
        assert feedback.BEGIN not in text and feedback.END not in text
        assert feedback.leaks(text, source) == [], student


@pytest.mark.parametrize("case", CASES)
def test_feedback_shows_no_rubric_nor_model_answer(case, pages):
    root, texts = pages[case]
    rubric = list(_rubric_texts(root, case))
    key = notebooks.answers(notebooks.read(notebook(case, "source", root)))
    for student, text in texts.items():
        submitted = notebooks.read(root / "submitted" / student / case / notebook(case, "source", root).name)
        written = "\n".join(cell.source for cell in submitted.cells)
        flat, written_flat = " ".join(text.split()), " ".join(written.split())
        for rubric_item in rubric:
            item = " ".join(rubric_item.split())
            if item not in written_flat:  # a student's own words may match a model answer
                assert item not in flat, f"{student}'s feedback shows rubric text {item[:60]!r}"
        for answer in key.values():
            for answer_line in answer.split("\n"):
                line = answer_line.strip()
                if len(line) >= feedback.MIN_REVEALING_LENGTH and "SOLUTION" not in line and line not in written:
                    assert line not in text, f"{student}'s feedback shows the model answer line {line!r}"


def test_feedback_keeps_hints_and_short_answer_feedback(pages):
    _, texts = pages["case1_market_selection"]
    assert "Not yet. Hint:" in texts["partly-right"] or "Not yet." in texts["untouched"]
    assert "Short answer:" in texts["answer-key"]
    # The visible checks fail on every wrong answer the hidden tests fail on (tests/test_visible_checks.py),
    # so the student reads hints, not the neutral message (tested on its own below).
    assert feedback.HIDDEN_FAILURE not in texts["partly-right"]


def test_a_page_that_would_leak_is_deleted_and_refused(graded_classes, tmp_path):
    case = "case1_market_selection"
    root = shutil.copytree(graded_classes[case][0], tmp_path / "course")
    config = root / "nbgrader_config.py"
    config.write_text(config.read_text()
                      + "\nc.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor]\n")
    with pytest.raises(nbgrader_tools.NbgraderError, match="would show hidden tests"):
        feedback.generate(root, case, student="untouched")
    assert not list((root / "feedback").glob(f"untouched/{case}/*.html"))


def _error(line):
    return nbformat.v4.new_output("error", ename="AssertionError", evalue=f"from line {line}",
                                  traceback=[f"\x1b[0;31mCell In[7], line {line}\x1b[0m", "  context"])


def test_errors_keep_visible_hints_and_lose_hidden_ones():
    cell = nbformat.v4.new_code_cell(
        "check(x)\nassert y\n### BEGIN HIDDEN TESTS\nassert z == 'secret answer'\n### END HIDDEN TESTS",
        metadata={"nbgrader": {"grade": True, "grade_id": "t", "points": 1, "solution": False}},
        outputs=[_error(2), _error(4), nbformat.v4.new_output("error", ename="E", evalue="?", traceback=["?"])])
    cell, _ = feedback.HideHiddenTests().preprocess_cell(cell, {}, 0)
    assert cell.source == "check(x)\nassert y"
    visible, hidden, unknown = cell.outputs
    assert visible.traceback == ["AssertionError: from line 2"]
    assert hidden.evalue == unknown.evalue == feedback.HIDDEN_FAILURE
    # Not a number: the cell's random hexadecimal id could contain one.
    assert "secret answer" not in str(cell)
