"""release/ is exactly what building source/ gives, volatile fields aside."""

from __future__ import annotations

import pytest

from course import notebooks
from course.cases import notebook
from course.instructor import demo, release

from conftest import CASES


@pytest.mark.parametrize("case", CASES)
def test_release_matches_a_fresh_build(case, tmp_path, checkout):
    root = demo.copy_course(checkout, tmp_path / "course")
    release.build(case, root)
    committed = notebooks.strip_volatile(notebooks.read(notebook(case, "release", checkout)))
    fresh = notebooks.strip_volatile(notebooks.read(notebook(case, "release", root)))
    assert fresh == committed, f"release/{case} is stale: run `make release`"


def test_release_holds_only_the_cases_in_source(checkout):
    released = sorted(p.name for p in (checkout / "release").iterdir() if p.is_dir())
    assert released == CASES


@pytest.mark.parametrize("case", CASES)
def test_release_has_no_solutions_or_hidden_tests(case, checkout):
    text = notebook(case, "release", checkout).read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    assert not list((checkout / "release" / case).glob("rubrics*"))
