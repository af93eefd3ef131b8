"""Build ``release/`` (the student notebooks) from ``source/`` with nbgrader.

Each case is generated into a scratch folder first and only then swapped
into ``release/``, so a failed build leaves the committed release untouched.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from course.cases import require_case
from course.instructor import nbgrader_tools

STAGING = ".release-staging"


def build(case: str, root: Path) -> Path:
    """Generate ``release/<case>`` in course folder ``root``; return its path."""
    require_case(case)
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

