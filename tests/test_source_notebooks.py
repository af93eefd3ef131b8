"""Every answer key runs top to bottom, without matplotlib reprs above its figures, and the visible
checks' hashes match it."""

from __future__ import annotations

import json

import pytest

from course import checks
from course.cases import hashes_file, notebook
from course.instructor.execution import execute

from conftest import CASES

# What a plot cell shows above its figure when its last line returns a matplotlib object.
PLOT_REPRS = ("Text(", "<matplotlib", "<Axes", "<Legend", "[<matplotlib", "<BarContainer")


@pytest.mark.parametrize("case", CASES)
def test_answer_key_executes_and_matches_the_stored_hashes(case, checkout, tmp_path):
    recorded = tmp_path / "hashes.json"
    executed = execute(notebook(case, "source", checkout), extra_env={checks.RECORD_ENV: str(recorded)})
    errors = [out for cell in executed.cells for out in cell.get("outputs", []) if out.output_type == "error"]
    assert not errors, errors[0]["evalue"] if errors else ""
    stray = [out["data"]["text/plain"] for cell in executed.cells for out in cell.get("outputs", [])
             if out.output_type == "execute_result" and out["data"].get("text/plain", "").startswith(PLOT_REPRS)]
    assert not stray, f"a plot cell shows matplotlib's repr above its figure (end it with `;`): {stray[0]}"
    fresh = json.loads(recorded.read_text(encoding="utf-8"))
    stored_file = hashes_file(case)
    stored = json.loads(stored_file.read_text(encoding="utf-8")) if stored_file.exists() else {}
    assert fresh == stored, f"run `make hashes CASES={case}`: the stored hashes are stale"
