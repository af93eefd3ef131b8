"""Each case is one package in course/cases, with the parts every case has, and one folder in source/."""

from __future__ import annotations

import importlib

import pytest

from course import cases
from course.instructor import visible_checks

from conftest import CASES


def test_the_case_packages_are_the_folders_of_source(checkout):
    assert sorted(p.name for p in (checkout / "source").iterdir() if p.is_dir()) == CASES


@pytest.mark.parametrize("case", CASES)
def test_a_case_has_its_notebook_corpus_and_a_package_with_hashes_explorers_and_reference_functions(case, checkout):
    package = importlib.import_module(f"course.cases.{case}")
    assert package.__doc__ and "points" in package.__doc__
    assert cases.notebook(case, "source", checkout).is_file()
    assert cases.hashes_file(case).is_file()
    assert visible_checks.entries(case)
    importlib.import_module(f"course.cases.{case}.widgets")
    assert any(module.startswith(f"course.cases.{case}.") for module in cases.reference_modules().values())


def test_an_unknown_case_is_refused_naming_the_cases():
    with pytest.raises(cases.CaseError, match="case1_market_selection"):
        cases.require_case("case9_nowhere")
