"""The submitted notebook rebuilt on the release: only the answers and the student's own cells come from it."""

from __future__ import annotations

import copy

import nbformat
import pytest

from course import notebooks
from course.cases import notebook
from course.grading.conformance import conform
from course.notebooks import grading
from course.paths import CHECKOUT_DIR

CASE = "case1_market_selection"


@pytest.fixture(scope="module")
def release():
    return notebooks.read(notebook(CASE, "release", CHECKOUT_DIR))


def _cell(nb, grade_id):
    return next(c for c in nb.cells if grading(c).get("grade_id") == grade_id)


def _answered(release):
    nb = copy.deepcopy(release)
    _cell(nb, "ex5_disputes").source = "dispute_reduction_pct = 86.8"
    return nb


def test_an_untouched_submission_is_the_release_with_its_answers(release):
    rebuilt, changes = conform(_answered(release), release)
    assert changes == []
    assert [c.source for c in rebuilt.cells] == [c.source for c in _answered(release).cells]
    assert [c.metadata for c in rebuilt.cells] == [c.metadata for c in release.cells]


def test_tags_and_metadata_nbclient_or_nbgrader_act_on_come_from_the_release(release):
    nb = _answered(release)
    _cell(nb, "ex5_disputes_test").metadata["tags"] = ["skip-execution"]
    _cell(nb, "ex6_shares_test").metadata["tags"] = ["raises-exception"]
    _cell(nb, "ex7_plot_test").metadata["nbgrader"]["points"] = 20
    _cell(nb, "ex2_speed_up").metadata["jupyter"] = {"source_hidden": True}
    nb.metadata["kernelspec"] = {"name": "other", "display_name": "other", "language": "python"}
    rebuilt, changes = conform(nb, release)
    for grade_id in ("ex5_disputes_test", "ex6_shares_test", "ex7_plot_test", "ex2_speed_up"):
        assert _cell(rebuilt, grade_id).metadata == _cell(release, grade_id).metadata
    assert rebuilt.metadata["kernelspec"] == release.metadata["kernelspec"]
    assert any("tags of cell ex5_disputes_test" in c for c in changes)
    assert any("kernel was changed" in c for c in changes)
    assert _cell(rebuilt, "ex5_disputes").source == "dispute_reduction_pct = 86.8"


def test_locked_cells_are_restored_edited_deleted_or_turned_into_text(release):
    nb = _answered(release)
    _cell(nb, "ex2_speed_up_test").source = "pass"
    nb.cells.remove(_cell(nb, "ex3_biggest_test"))
    index = nb.cells.index(_cell(nb, "ex4_claim_test"))
    nb.cells[index] = nbformat.v4.new_markdown_cell(nb.cells[index].source, metadata=nb.cells[index].metadata)
    rebuilt, changes = conform(nb, release)
    assert [c.source for c in rebuilt.cells] == [c.source for c in _answered(release).cells]
    assert [c.cell_type for c in rebuilt.cells] == [c.cell_type for c in release.cells]
    assert {"locked cell ex2_speed_up_test was edited", "cell ex3_biggest_test was missing and is restored "
            "from the release", "cell ex4_claim_test was turned into 'markdown'"} <= set(changes)


def test_order_and_duplicates_follow_the_release_and_the_last_copy_of_an_answer_counts(release):
    nb = _answered(release)
    first = copy.deepcopy(_cell(nb, "ex5_disputes"))
    first.source = "dispute_reduction_pct = 1.0"
    nb.cells.insert(0, first)                       # a stale copy first; the real answer later
    test_cell = _cell(nb, "ex6_shares_test")
    nb.cells.remove(test_cell)
    nb.cells.insert(2, test_cell)                   # a test cell moved before its answer
    rebuilt, changes = conform(nb, release)
    assert [grading(c).get("grade_id") for c in rebuilt.cells] == [grading(c).get("grade_id") for c in release.cells]
    assert _cell(rebuilt, "ex5_disputes").source == "dispute_reduction_pct = 86.8"
    assert "cell ex5_disputes appears more than once" in changes


def test_cells_the_student_added_are_kept_in_place_without_metadata_or_outputs(release):
    nb = _answered(release)
    helper = nbformat.v4.new_code_cell("def helper():\n    return 1", metadata={"tags": ["raises-exception"]})
    helper.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2.0"}, execution_count=1)]
    note = nbformat.v4.new_markdown_cell("my notes")
    index = nb.cells.index(_cell(nb, "ex5_disputes"))
    nb.cells[index:index] = [helper, note]
    rebuilt, _ = conform(nb, release)
    sources = [c.source for c in rebuilt.cells]
    at = sources.index("def helper():\n    return 1")
    assert sources[at + 1] == "my notes" and sources[at + 2] == "dispute_reduction_pct = 86.8"
    added = rebuilt.cells[at]
    assert added.metadata == {} and added.outputs == []


def test_a_cell_claiming_an_unknown_grade_id_is_dropped(release):
    nb = _answered(release)
    forged = copy.deepcopy(_cell(nb, "ex5_disputes_test"))
    forged.metadata["nbgrader"]["grade_id"] = "bonus_test"
    nb.cells.append(forged)
    rebuilt, changes = conform(nb, release)
    assert len(rebuilt.cells) == len(release.cells)
    assert any("bonus_test" in c for c in changes)


def test_outputs_of_the_submission_never_reach_the_rebuilt_notebook(release):
    nb = _answered(release)
    _cell(nb, "ex5_disputes_test").outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "1.0"}, execution_count=3)]
    rebuilt, _ = conform(nb, release)
    assert all(c.get("outputs", []) == [] for c in rebuilt.cells if c.cell_type == "code")
