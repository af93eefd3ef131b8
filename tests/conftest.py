"""Shared fixtures: the checkout, its cases, and each case's demo class,
autograded once per test run and only when a test asks for that case."""

from __future__ import annotations

from pathlib import Path

import pytest

from course import demo, nbgrader_tools
from course.assignments import cases
from course.paths import CHECKOUT_DIR

CASES = cases(CHECKOUT_DIR)


@pytest.fixture(scope="session")
def checkout() -> Path:
    return CHECKOUT_DIR


@pytest.fixture(scope="session")
def scripts_on_path():
    """This environment's scripts first on PATH, as nbgrader's Gradebook runs ``alembic``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", nbgrader_tools.environment()["PATH"])
        yield


@pytest.fixture(scope="session")
def graded_classes(tmp_path_factory):
    """``graded_classes[case]`` is ``(course folder, score table)`` after real ``nbgrader autograde``."""

    class GradedClasses(dict):
        def __missing__(self, case):
            root = demo.copy_course(CHECKOUT_DIR, tmp_path_factory.mktemp(f"course-{case}") / "course")
            self[case] = (root, demo.grade_class(root, case))
            return self[case]

    return GradedClasses()
