"""Case 7 asks the five discussion questions of reading 003 §9 word for word,
grades each against its rubric, and releases none of the reading's model answers."""

from __future__ import annotations

import re

import pytest

from course import notebooks
from course.paths import CHECKOUT_DIR
from course.shortanswer.rubric import load_case

CASE = "case7_alibaba_expansion"
NOTEBOOK = "alibaba_expansion.ipynb"
KEYS = ["acquire_vs_build", "domestic_vs_international", "cainiao", "western_hurdle", "engineers"]


def _section_9() -> list[tuple[str, str]]:
    """(question, model answer) pairs, as printed in the reading."""
    reading = (CHECKOUT_DIR / "seeds" / "003_56eb73be327c13af.txt").read_text(encoding="utf-8")
    section = reading[reading.index("9. Discussion Questions"):reading.index("10. References")]
    lines = [line.strip() for line in section.splitlines() if line.strip()][1:]
    numbered = [i for i, line in enumerate(lines) if re.match(r"^\d\.\s", line)]
    return [(re.sub(r"^\d\.\s+", "", lines[i]), lines[i + 1]) for i in numbered]


PAIRS = _section_9()
QUESTIONS = [question for question, _ in PAIRS]
MODEL_ANSWERS = [answer for _, answer in PAIRS]


def _cells(folder: str) -> list:
    return notebooks.read(CHECKOUT_DIR / folder / CASE / NOTEBOOK).cells


def _text(folder: str) -> str:
    return "\n".join(cell.source for cell in _cells(folder))


def test_the_reading_has_five_questions_with_model_answers():
    assert len(PAIRS) == 5
    assert all(question.endswith("?") and not answer.endswith("?") for question, answer in PAIRS)


@pytest.mark.parametrize("key, question", list(zip(KEYS, QUESTIONS)))
def test_each_question_is_asked_verbatim_in_the_release_and_the_rubric(key, question):
    assert question in _text("release"), f"release notebook does not ask: {question}"
    rubric = load_case(CHECKOUT_DIR / "source" / CASE / "rubrics.toml")
    assert rubric[key].text == question


@pytest.mark.parametrize("key, question", list(zip(KEYS, QUESTIONS)))
def test_each_question_is_graded_against_its_rubric_for_three_points(key, question):
    cells = _cells("source")
    prompt = next(i for i, cell in enumerate(cells) if cell.cell_type == "markdown" and question in cell.source)
    answer, test = cells[prompt + 1], cells[prompt + 2]
    assert notebooks.grading(answer).get("solution") and f"answer_{key} =" in answer.source
    assert notebooks.grading(test).get("points") == 3
    assert f'grade(answer_{key}, "{CASE}/{key}")' in test.source


@pytest.mark.parametrize("model_answer", MODEL_ANSWERS)
def test_model_answers_stay_in_the_source_solution_cells(model_answer):
    solutions = [cell.source for cell in _cells("source") if notebooks.grading(cell).get("solution")]
    assert any(model_answer in source for source in solutions)
    release = (CHECKOUT_DIR / "release" / CASE / NOTEBOOK).read_text(encoding="utf-8")
    assert model_answer not in _text("release") and model_answer not in release
