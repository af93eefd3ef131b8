"""Why a submission could not be graded, told from nbgrader's log in the instructor's terms."""

from __future__ import annotations

from types import SimpleNamespace

import nbformat

from course.grading import failures
from course.grading.kernels import GradingExecute

NOTEBOOK = ["notebook.ipynb"]


def _traceback(line: str) -> str:
    return ("[AutogradeApp | ERROR] There was an error processing assignment: x\n"
            f"Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    run()\n{line}\n")


def _converter(grade_id: str | None, index: int = 4):
    """An Autograde converter whose GradingExecute was at cell ``index`` (nbconvert keeps its steps)."""
    step = GradingExecute()
    cell = nbformat.v4.new_code_cell("x", metadata={"nbgrader": {"grade_id": grade_id}} if grade_id else {})
    step.running = (index, cell)
    return SimpleNamespace(exporter=SimpleNamespace(_preprocessors=[step]))


def test_an_empty_or_misnamed_submission_says_so(tmp_path):
    assert failures.reasons("", None, tmp_path / "none", NOTEBOOK, None) == ["the submission is empty (no files)"]
    (tmp_path / "other.ipynb").write_text("{}")
    [told] = failures.reasons("", None, tmp_path, NOTEBOOK, None)
    assert told == "no notebook named notebook.ipynb in the submission (found: 'other.ipynb')"


def test_a_dead_kernel_names_the_cell_being_run_or_judged(tmp_path):
    (tmp_path / "notebook.ipynb").write_text("{}")
    log = _traceback("nbclient.exceptions.DeadKernelError: Kernel died")
    assert failures.reasons(log, None, tmp_path, NOTEBOOK, _converter("ex2_speed_up")) == [
        "the kernel died while running cell ex2_speed_up (os._exit, a crash or a limit?)"]
    assert "running cell 5 " in failures.reasons(log, None, tmp_path, NOTEBOOK, _converter(None))[0]


def test_invalid_json_and_other_errors_keep_their_message_root_cause_last(tmp_path):
    (tmp_path / "notebook.ipynb").write_text("{")
    log = _traceback("json.decoder.JSONDecodeError: Expecting value: line 1 column 2 (char 1)")
    assert failures.reasons(log, None, tmp_path, NOTEBOOK, None) == [
        "invalid notebook JSON: Expecting value: line 1 column 2 (char 1)"]
    log = _traceback("ValueError: first") + _traceback("KeyError: 'second'")
    assert failures.reasons(log, None, tmp_path, NOTEBOOK, None) == ["ValueError: first", "KeyError: 'second'"]
    assert failures.reasons("", RuntimeError("no log"), tmp_path, NOTEBOOK, None) == ["RuntimeError: no log"]
