"""Recording the hashes behind the visible checks from the answer keys."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from course import checks
from course.cases import hashes_file, notebook
from course.instructor.execution import execute


def record(case: str, checkout: Path) -> Path:
    """Run ``case``'s answer key with recording on and store the hashes it checks."""
    target = hashes_file(case)
    with tempfile.TemporaryDirectory() as scratch:
        recorded = Path(scratch) / "hashes.json"
        execute(notebook(case, "source", checkout), extra_env={checks.RECORD_ENV: str(recorded)})
        fresh = json.loads(recorded.read_text(encoding="utf-8")) if recorded.exists() else {}
    target.write_text(json.dumps(dict(sorted(fresh.items())), indent=1) + "\n", encoding="utf-8")
    return target
