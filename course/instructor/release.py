"""Build ``release/`` (the student notebooks) from ``source/`` with nbgrader.

Each case is generated into a scratch folder first and only then swapped
into ``release/``, so a failed build leaves the committed release untouched.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from course import nbgrader_tools
from course.assignments import cases, require_case

STAGING = ".release-staging"


def build(case: str, root: Path) -> Path:
    """Generate ``release/<case>`` in course folder ``root``; return its path."""
    require_case(case, root)
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=root))
    try:
        nbgrader_tools.run(
            [
                "generate_assignment", case, "--force", "--quiet",
                f"--CourseDirectory.release_directory={staging.name}",
            ],
            root,
        )
        target = root / "release" / case
        target.parent.mkdir(exist_ok=True)
        previous = root / "release" / f".{case}.old"
        if target.exists():
            target.rename(previous)
        (staging / case).rename(target)
        shutil.rmtree(previous, ignore_errors=True)
        return target
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def build_all(names: list[str] | None, root: Path) -> list[Path]:
    """Build the named cases (all when ``names`` is empty), checking every name first."""
    chosen = names or cases(root)
    for name in chosen:
        require_case(name, root)
    return [build(name, root) for name in chosen]
