"""The grading journal: which students of a case are fully graded, so a killed run resumes.

Only the coordinating process writes it, after a worker has finished every
gradebook write for a student; each write replaces the file atomically. A
student missing from the journal, or whose submission changed since, is
graded again (with ``--force`` semantics, so nothing half-written survives).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path

from course.grading import records, submission_files

NAME = "journal.json"


def fingerprint(folder: Path) -> str:
    """A digest of the submission's files (names, sizes, contents).

    Links, FIFOs and devices are never followed or opened (a FIFO would block the run, a link
    to ``/`` read the whole disk): they count by name, kind and a link's target, so replacing
    one changes the digest. A plain tree's digest is the same as when links were followed.
    """
    folder = Path(folder)
    digest = hashlib.sha256()
    try:
        top = os.lstat(folder)
    except FileNotFoundError:
        return digest.hexdigest()
    if not stat.S_ISDIR(top.st_mode):
        digest.update(_odd_entry(folder, top))
        return digest.hexdigest()
    for parts, info in sorted(submission_files.entries(folder)):
        path = Path(folder, *parts)
        if stat.S_ISREG(info.st_mode):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(b"\0")
            try:
                with os.fdopen(submission_files.open_plain(path, folder), "rb") as handle:
                    digest.update(handle.read())
            except OSError:  # a hard link, or changed meanwhile: grading refuses it, with the reason
                digest.update(_odd_entry(path, info))
            digest.update(b"\0")
        elif not stat.S_ISDIR(info.st_mode):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + _odd_entry(path, info))
    return digest.hexdigest()


def _odd_entry(path: Path, info: os.stat_result) -> bytes:
    """What stands for an entry that is not a plain file in a fingerprint."""
    target = ""
    if stat.S_ISLNK(info.st_mode):
        with contextlib.suppress(OSError):
            target = os.readlink(path)
    return f"\0{stat.S_IFMT(info.st_mode)}:{info.st_nlink}:{target}\0".encode("utf-8", "surrogateescape")


class Journal:
    def __init__(self, folder: Path):
        self.path = Path(folder) / NAME
        try:
            self.entries: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            self.entries = {}
        self._deferred = False

    def is_done(self, student: str, print_: str, db_url: str | None) -> bool:
        entry = self.entries.get(student)
        if not entry:
            return False
        return entry.get("status") == "graded" and entry.get("fingerprint") == print_ \
            and entry.get("db") == db_url

    def forget(self, student: str) -> None:
        if self.entries.pop(student, None) is not None:
            self._save()

    def record(self, student: str, status: str, print_: str, db_url: str) -> None:
        self.entries[student] = {"status": status, "fingerprint": print_, "db": db_url}
        self._save()

    @contextlib.contextmanager
    def saved_together(self):
        """Entries recorded inside are written once, at the end: a coordinator receiving many
        results at once would otherwise rewrite the whole journal for each. Killed meanwhile,
        they are graded again."""
        self._deferred = True
        try:
            yield
        finally:
            self._deferred = False
            self._save()

    def _save(self) -> None:
        if self._deferred:
            return
        records.write_json(self.path, self.entries, durable=True)
