"""nbgrader's Autograde as the casebook runs it: its steps, in order, as the README lists them."""

from __future__ import annotations

import re

from traitlets.config import Config

from course.grading.autograde import pipeline
from course.paths import CHECKOUT_DIR


def test_the_readme_lists_the_steps_a_submission_goes_through():
    listed = re.search(r"<!-- pipeline -->\n```text\n(.*?)```", (CHECKOUT_DIR / "README.md").read_text(), re.S)
    assert listed, "README.md lost its pipeline block"
    assert listed.group(1).splitlines() == pipeline()


def test_the_casebooks_steps_replace_nbgraders_and_wrap_a_configured_list():
    config = Config()
    config.Autograde.sanitize_preprocessors = ["nbgrader.preprocessors.ClearOutput"]
    config.Autograde.autograde_preprocessors = ["nbgrader.preprocessors.Execute",
                                                "nbgrader.preprocessors.SaveAutoGrades"]
    assert pipeline(config) == [
        "sanitize: course.grading.conformance.ConformToRelease",  # first when DeduplicateIds is not configured
        "sanitize: nbgrader.preprocessors.clearoutput.ClearOutput",
        "autograde: course.grading.kernels.GradingExecute",
        "autograde: course.grading.trust.TrustCheck",
        "autograde: course.grading.autograde.VerdictSaveAutoGrades",
    ]
