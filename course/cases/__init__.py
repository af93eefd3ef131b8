"""The casebook's cases: one nbgrader assignment each, one package each.

``course/cases/<case>/`` is named after the case's folder in ``source/`` and holds

- the reference functions the case's hidden tests compare students' results with (a module named
  after the topic, ``market.py`` for market selection, which the notebook imports by that name);
- ``widgets.py``, the case's explorers, built on the shared parts in ``course.widgets``;
- ``answer_hashes.json``, the hashes of the answer key's values behind the visible checks
  (``course.checks``), made by ``python -m course hashes``, never edited by hand;

Beside its notebooks in ``source/<case>/``, never released nor installed, are the case's instructor
material: ``rubrics.toml`` (the short answers' rubrics), ``demo_submission.json`` (the demo class's
partly right answers) and ``answer_corpus.py`` (wrong and right answers to every code exercise,
that hold the visible checks to the hidden tests: ``course.instructor.visible_checks``).

The package docstring of each case names its reading, its sections, its datasets and its points.
The list of cases is the list of these packages.
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

from course.paths import course_root

CASES_DIR = Path(__file__).resolve().parent
HASHES_FILE = "answer_hashes.json"
# Modules of a case package that are not its reference functions.
NOT_REFERENCE = ("widgets",)


class CaseError(Exception):
    """A case (assignment) name that does not exist, or a malformed case folder."""


def names() -> list[str]:
    """Every case, in order."""
    return sorted(p.name for p in CASES_DIR.iterdir() if (p / "__init__.py").is_file())


def require_case(name: str) -> str:
    """``name`` if it is a case, else a CaseError listing the cases that exist."""
    known = names()
    if name not in known:
        raise CaseError(f"There is no case named {name!r}. Cases: {', '.join(known)}")
    return name


def hashes_file(case: str) -> Path:
    """Where ``case``'s answer hashes are stored."""
    return CASES_DIR / case / HASHES_FILE


def reference_modules() -> dict[str, str]:
    """``{name as notebooks import it: full module name}`` of every case's reference functions."""
    return {
        module.name: f"{__name__}.{case}.{module.name}"
        for case in names()
        for module in pkgutil.iter_modules([str(CASES_DIR / case)])
        if module.name not in NOT_REFERENCE
    }


def notebook_modules() -> list[str]:
    """Every case module a notebook imports: the reference functions and the explorers."""
    return [*reference_modules().values(), *(f"{__name__}.{case}.widgets" for case in names())]


def notebook(case: str, folder: str = "source", root: Path | None = None) -> Path:
    """The one notebook of ``case`` in ``source`` or ``release``."""
    root = root or course_root()
    found = sorted((root / folder / require_case(case)).glob("*.ipynb"))
    if len(found) != 1:
        raise CaseError(f"Expected one notebook in {folder}/{case}, found {len(found)}.")
    return found[0]
