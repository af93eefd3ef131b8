"""Tests that need bubblewrap, PostgreSQL or Chromium skip with a one-line reason where the part
is missing, so that `make test` passes on a machine with only Python and make."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import system_parts

# One test that needs each part, and tests that grade without the sandbox where it is missing.
NEEDING = {
    "bwrap": "tests.grading.test_hostile::test_every_submission_gets_its_expected_outcome",
    "postgres": "tests.grading.test_grading::test_postgresql_gradebook_gives_the_same_scores",
    "chromium": "tests.e2e.test_browser::test_instructor_sees_the_assignments_in_the_formgrader",
}
NOT_NEEDING = ["tests.grading.test_grading::test_a_killed_run_resumes_to_a_correct_gradebook",
               "tests.grading.test_grading::test_grade_refuses_a_course_without_submissions"]


def test_with_every_part_hidden_the_tests_that_need_one_skip_with_its_reason(checkout, tmp_path):
    report = tmp_path / "junit.xml"
    env = {**os.environ, system_parts.HIDE_ENV: ",".join(system_parts.PARTS)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-m", "needs", "-q", "-rs", "-p", "no:cacheprovider",
                           f"--junitxml={report}", "tests"],
                          cwd=checkout, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    outcomes = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        results = [child for child in case if child.tag in ("skipped", "error", "failure")]
        outcomes[f"{case.get('classname')}::{case.get('name')}"] = \
            [(r.tag, r.get("message", "")) for r in results]
    for part, test in NEEDING.items():
        assert outcomes.get(test) == [("skipped", f"{part} hidden by {system_parts.HIDE_ENV}")], (test, outcomes)
    not_skipped = {test: found for test, found in outcomes.items()
                   if len(found) != 1 or found[0][0] != "skipped" or "\n" in found[0][1]
                   or not found[0][1].endswith(f" hidden by {system_parts.HIDE_ENV}")}
    assert not_skipped == {}
    assert not set(NOT_NEEDING) & set(outcomes)
    assert "hidden by" in done.stdout  # -rs lists the reasons


def test_a_part_is_missing_only_when_absent_or_hidden(monkeypatch):
    monkeypatch.setenv(system_parts.HIDE_ENV, "postgres")
    assert system_parts.missing("postgres") == f"postgres hidden by {system_parts.HIDE_ENV}"
    monkeypatch.setattr(system_parts, "POSTGRES_GLOB", "/nonexistent/*/bin/initdb")
    monkeypatch.delenv(system_parts.HIDE_ENV)
    system_parts._probe.cache_clear()
    try:
        why = system_parts.missing("postgres")
    finally:
        system_parts._probe.cache_clear()
    assert why.startswith("no PostgreSQL server at /nonexistent") and "make system" in why
    monkeypatch.setenv(system_parts.HIDE_ENV, "bwrap,chromiun")
    with pytest.raises(ValueError, match=r"unknown part.*chromiun"):
        system_parts.missing("bwrap")
    with pytest.raises(ValueError, match="unknown system part"):
        system_parts.missing("docker")
