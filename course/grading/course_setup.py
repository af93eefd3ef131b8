"""nbgrader's view of the course being graded: its configuration, gradebook and submissions.

Used by the coordinating process (``course.grading.runner``) and by each worker
(``course.grading.worker``), which work the same things out from the same files.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

__all__ = [
    "SQLITE_BUSY_TIMEOUT",
    "GradingError",
    "checked_gradebook",
    "course_directory",
    "gradebook_url",
    "load_config",
    "safe_url",
    "submitted_students",
    "with_busy_timeout",
]

SQLITE_BUSY_TIMEOUT = 60


class GradingError(Exception):
    """The class cannot be graded at all (no submissions, unknown assignment ...)."""


def load_config(root: Path):
    """The configuration ``nbgrader autograde`` would use when run in ``root``."""
    from nbgrader.apps.autogradeapp import AutogradeApp

    here = os.getcwd()
    os.chdir(root)
    try:
        app = AutogradeApp()
        app.log.setLevel(logging.ERROR)  # "root '.' is not absolute": nbgrader standardizes it itself
        app.initialize([])
        config = app.config
    finally:
        os.chdir(here)
    return config


def course_directory(config, root: Path):
    """nbgrader's view of course ``root`` under ``config``: its gradebook URL and course id."""
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    coursedir.root = str(root)
    return coursedir


def with_busy_timeout(url: str) -> str:
    """SQLite waits for another writer instead of failing at once (pysqlite's ``timeout``)."""
    if url.startswith("sqlite:") and "?" not in url:
        return f"{url}?timeout={SQLITE_BUSY_TIMEOUT}"
    return url


def submitted_students(root: Path, case: str) -> list[str]:
    submitted = Path(root) / "submitted"
    if not submitted.is_dir():
        raise FileNotFoundError(f"No submitted/ folder in {root}: collect submissions into "
                                f"submitted/<student>/{case}/ first.")
    # a link in place of the case's folder is listed too, so that grading refuses it with the reason
    return sorted(name for name in os.listdir(submitted)
                  if (submitted / name / case).is_dir() or (submitted / name / case).is_symlink())


def safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def gradebook_url(config, root: Path, given_url: str | None) -> tuple[str, str]:
    """The gradebook URL (``given_url`` or nbgrader's, with a busy timeout) and the course id."""
    coursedir = course_directory(config, root)
    return given_url or with_busy_timeout(coursedir.db_url), coursedir.course_id


def checked_gradebook(config, root: Path, case: str, given_url: str | None) -> tuple[str, str]:
    """``gradebook_url``'s URL and the same without its password, once checked that the
    gradebook has assignment ``case``."""
    url, course_id = gradebook_url(config, root, given_url)
    check_assignment(url, case, root, course_id)
    return url, safe_url(url)


def check_assignment(url: str, case: str, root: Path, course_id: str) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    here = os.getcwd()
    os.chdir(root)  # a relative --db-url means the course's folder, as in the workers
    try:
        with Gradebook(url, course_id) as gradebook:
            try:
                gradebook.find_assignment(case)
            except MissingEntry:
                raise GradingError(f"The gradebook has no assignment {case!r}: run "
                                   f"`python -m course build {case}` (nbgrader generate_assignment) first.") from None
    finally:
        os.chdir(here)
