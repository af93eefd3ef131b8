"""The grading journal: which students of a case are fully graded, so a killed run resumes.

Only the coordinating process writes it, after a worker has finished every
gradebook write for a student; each write replaces the file atomically. A
student missing from the journal, or whose submission changed since, is
graded again (with ``--force`` semantics, so nothing half-written survives).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

NAME = "journal.json"


def fingerprint(folder: Path) -> str:
    """A digest of the submission's files (names, sizes, contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class Journal:
    def __init__(self, folder: Path):
        self.path = Path(folder) / NAME
        try:
            self.entries: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            self.entries = {}

    def is_done(self, student: str, print_: str, db_url: str) -> bool:
        entry = self.entries.get(student)
        return bool(entry) and entry.get("status") == "graded" and entry.get("fingerprint") == print_ \
            and entry.get("db") == db_url

    def forget(self, student: str) -> None:
        if self.entries.pop(student, None) is not None:
            self._save()

    def record(self, student: str, status: str, print_: str, db_url: str) -> None:
        self.entries[student] = {"status": status, "fingerprint": print_, "db": db_url}
        self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".json.partial")
        with open(partial, "w", encoding="utf-8") as out:
            json.dump(self.entries, out, indent=1, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, self.path)
