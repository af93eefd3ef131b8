"""The grader's limits are configuration: ``c.GradingLimits.*`` in ``nbgrader_config.py`` reaches
the worker and, through its environment, the kernels it grades in."""

from __future__ import annotations

import json
import os

from traitlets.config import Config

from course import notebooks
from course.cases import notebook
from course.grading import evidence, limits, output_limit, runner
from course.instructor import demo, nbgrader_tools
from course.paths import CHECKOUT_DIR

CASE = "case1_market_selection"


def test_configured_limits_are_what_this_process_and_its_children_read(monkeypatch):
    monkeypatch.setenv(limits.LIMITS_ENV, "")  # restored after the test: configure() writes it
    assert limits.current().evidence_items == limits.GradingLimits().evidence_items == 200_000
    config = Config()
    config.GradingLimits.evidence_items = 50
    config.GradingLimits.error_text_chars = 10
    limits.configure(config)
    assert json.loads(os.environ[limits.LIMITS_ENV])["evidence_items"] == 50
    assert evidence.encode(list(range(10)))["t"] == "list"
    assert evidence.encode(list(range(50)))["why"] == "more than 50 elements"
    assert output_limit.clip("x" * 11) == "x" * 10 + " ... (truncated by the grader)"
    assert limits.current().cell_output_chars == limits.GradingLimits().cell_output_chars  # the rest unchanged


def test_a_course_that_lowers_the_output_limit_gets_it_in_its_grading_kernels(tmp_path):
    root = demo.copy_course(CHECKOUT_DIR, tmp_path / "course")
    config = root / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8") + "\nc.GradingLimits.cell_output_chars = 1000\n",
                      encoding="utf-8")
    nbgrader_tools.run(["generate_assignment", CASE, "--force", "--quiet"], root)
    release = notebooks.read(notebook(CASE, "release", root))
    key = notebooks.answers(notebooks.read(notebook(CASE, "source", root)))
    first = next(iter(key))
    demo.submit(root, CASE, "loud", notebooks.fill(release, {**key, first: key[first] + "\nprint('x' * 1500)"}))

    outcome = runner.grade_class(CASE, root, workers=1, quiet=True, sandboxed=False)
    assert [r["status"] for r in outcome.records] == ["graded"]
    graded = notebooks.read(root / "autograded" / "loud" / CASE / notebook(CASE, "release", root).name)
    cell = next(c for c in graded.cells if notebooks.grading(c).get("grade_id") == first)
    printed = "".join(out.get("text", "") for out in cell.outputs)
    # the worker alone keeps twice the limit: only the kernel, told the limit, holds these 1,500 back
    assert output_limit.notice(1000) in printed and "x" * 1500 not in printed
