"""Where the casebook's folders are.

The nbgrader course directory is found by walking up from the working
directory to the first folder holding ``nbgrader_config.py``: a notebook run
from ``source/<case>/`` or ``autograded/<student>/<case>/`` finds its course.
Outside a course directory the checkout that holds this package is used.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def course_root(start: Path | None = None) -> Path:
    """The nbgrader course directory containing ``start`` (default: the cwd)."""
    override = os.environ.get("CASEBOOK_ROOT")
    if override:
        return Path(override).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file():
            return folder
    return CHECKOUT_DIR


def datasets_dir() -> Path:
    """The data files; ``CASEBOOK_DATASETS`` overrides (used by a sandbox)."""
    override = os.environ.get("CASEBOOK_DATASETS")
    if override:
        return Path(override).resolve()
    found = course_root() / "datasets"
    return found if found.is_dir() else CHECKOUT_DIR / "datasets"


def seeds_dir() -> Path:
    """The five readings, unchanged."""
    found = course_root() / "seeds"
    return found if found.is_dir() else CHECKOUT_DIR / "seeds"


def source_dir() -> Path:
    return course_root() / "source"


def release_dir() -> Path:
    return course_root() / "release"


def file_stamp(path: Path) -> tuple[int, int]:
    """``path``'s modification time and size: a file read once is read again only when they change."""
    status = Path(path).stat()
    return status.st_mtime_ns, status.st_size
