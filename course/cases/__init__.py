"""The casebook's cases: one nbgrader assignment each, one notebook per case."""

from __future__ import annotations

from pathlib import Path

from course.paths import course_root


class CaseError(Exception):
    """A case (assignment) name that does not exist, or a malformed case folder."""


def cases(root: Path | None = None) -> list[str]:
    """Every case in ``source/``, in order."""
    source = (root or course_root()) / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def require_case(name: str, root: Path | None = None) -> str:
    """``name`` if it is a case, else a CaseError listing the cases that exist."""
    known = cases(root)
    if name not in known:
        raise CaseError(f"There is no case named {name!r}. Cases: {', '.join(known)}")
    return name


def notebook(case: str, folder: str = "source", root: Path | None = None) -> Path:
    """The one notebook of ``case`` in ``source`` or ``release``."""
    root = root or course_root()
    found = sorted((root / folder / require_case(case, root)).glob("*.ipynb"))
    if len(found) != 1:
        raise CaseError(f"Expected one notebook in {folder}/{case}, found {len(found)}.")
    return found[0]
