"""Shared fixtures: the checkout, its cases, and a demo class graded once per case."""

from __future__ import annotations

from pathlib import Path

import pytest

from course import demo
from course.assignments import cases
from course.paths import CHECKOUT_DIR

CASES = cases(CHECKOUT_DIR)


@pytest.fixture(scope="session")
def checkout() -> Path:
    return CHECKOUT_DIR


@pytest.fixture(scope="session")
def graded_classes(tmp_path_factory) -> dict:
    """Each case's demo class autograded by real ``nbgrader autograde``, once per test run."""
    results = {}
    for case in CASES:
        root = tmp_path_factory.mktemp(f"course-{case}")
        course_root = demo.copy_course(CHECKOUT_DIR, root / "course")
        results[case] = (course_root, demo.grade_class(course_root, case))
    return results
