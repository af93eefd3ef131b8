"""The visible checks say "Not yet" exactly when the hidden tests withhold points.

Self-study learners see only the visible checks, so a check that passes a wrong answer (or
rejects a right one) misleads them. ``source/<case>/answer_corpus.py`` lists, for every code
exercise, typical wrong answers and right answers in other styles; each is run through the
exercise's visible checks and its hidden tests, and the two verdicts must agree."""

from __future__ import annotations

import pytest

from course.instructor.visible_checks import case_run, entries as corpus

from conftest import CASES

ENTRIES = [pytest.param(case, entry, id=f"{case}/{entry.id}") for case in CASES for entry in corpus(case)]


@pytest.mark.parametrize("case", CASES)
def test_corpus_covers_every_code_exercise(case):
    entries = corpus(case)
    exercises = case_run(case).exercises()
    assert sorted({e.cell for e in entries} - set(exercises)) == [], "entries for cells that are not code exercises"
    assert [c for c in exercises if not any(e.cell == c and not e.right for e in entries)] == [], "no wrong answer"
    assert [c for c in exercises if not any(e.cell == c and e.right for e in entries)] == [], "no right answer"
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids)), "two entries share a name"


@pytest.mark.parametrize("case, entry", ENTRIES)
def test_visible_checks_agree_with_hidden_tests(case, entry):
    outcomes = case_run(case).outcomes(entry)
    disagree = {cell: vars(o) for cell, o in outcomes.items() if not o.agrees}
    assert disagree == {}, "visible and hidden verdicts differ"
    failed = {cell: o.hidden_error for cell, o in outcomes.items() if o.hidden_error}
    if entry.right:
        assert failed == {}, "a right answer loses points"
    else:
        assert failed, "this wrong answer earns full points: it is not wrong, or a hidden test misses it"
