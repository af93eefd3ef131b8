"""Per-student grading records and the class summary, in ``grading-logs/<case>/``.

``<student>.log``           the student's grading log (nbgrader's own messages)
``records/<student>.json``  ``{"student", "case", "status": "graded"|"failed", "reasons", "flags",
                            "seconds"}``; a failed submission keeps no grades in the gradebook: its
                            record is what says why. Apart from the run's own files, so a student
                            called "summary" or "journal" collides with nothing
``summary.json``            ``{"case", "totals": {...}, "records": [...]}``
``journal.json``            what is fully graded, for a killed run to resume (``journal.py``)

Read and write records through ``record_path``/``read_record``/``write_record`` only.

``flag(message)`` lets code running in a grading worker (an extra
preprocessor, for example) add a flag to the student being graded;
``add_flag(root, case, student, message)`` adds one to a written record.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from course import notebooks
from course.shortanswer import REVIEW_PREFIX

LOGS_DIR = "grading-logs"

_pending_flags: list[str] = []


def folder(root: Path, case: str) -> Path:
    return Path(root) / LOGS_DIR / case


def log_path(root: Path, case: str, student: str) -> Path:
    return folder(root, case) / f"{student}.log"


def marker_path(root: Path, case: str, student: str) -> Path:
    """Present while a worker grades ``student``: left behind if the worker dies."""
    return folder(root, case) / f"{student}.grading"


def record_path(root: Path, case: str, student: str) -> Path:
    return folder(root, case) / "records" / f"{student}.json"


def make_record(student: str, case: str, status: str, reasons=(), flags=(), seconds: float = 0.0) -> dict:
    return {"student": student, "case": case, "status": status, "reasons": list(reasons),
            "flags": list(flags), "seconds": round(float(seconds), 3)}


def write_json(path: Path, value, *, durable: bool = False) -> None:
    """Replace ``path`` with ``value`` as JSON in one step: a reader sees the old file or the new,
    never half of one. ``durable``: on disk before this returns, as a power cut would find it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8") as out:
        json.dump(value, out, indent=1)
        out.write("\n")
        if durable:
            out.flush()
            os.fsync(out.fileno())
    os.replace(partial, path)


def write_record(root: Path, record: dict) -> Path:
    path = record_path(root, record["case"], record["student"])
    write_json(path, record)
    return path


def read_record(root: Path, case: str, student: str) -> dict | None:
    """``student``'s record, or one an earlier version of the casebook wrote beside the run's files
    (``<student>.json``): only a record that names the student, so ``summary.json`` never passes."""
    try:
        return json.loads(record_path(root, case, student).read_text(encoding="utf-8"))
    except FileNotFoundError:
        pass
    try:
        earlier = json.loads((folder(root, case) / f"{student}.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return earlier if isinstance(earlier, dict) and earlier.get("student") == student else None


def totals(records: list[dict]) -> dict:
    return {
        "students": len(records),
        "graded": sum(r["status"] == "graded" for r in records),
        "failed": sum(r["status"] == "failed" for r in records),
        "flagged": sum(bool(r["flags"]) for r in records),
        "seconds": round(sum(r["seconds"] for r in records), 3),
    }


def write_summary(root: Path, case: str, records: list[dict], extra: dict | None = None) -> Path:
    records = sorted(records, key=lambda r: r["student"])
    path = folder(root, case) / "summary.json"
    write_json(path, {"case": case, "totals": totals(records), **(extra or {}), "records": records})
    return path


def read_summary(root: Path, case: str) -> dict | None:
    try:
        return json.loads((folder(root, case) / "summary.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def add_flag(root: Path, case: str, student: str, message: str) -> dict:
    """Add ``message`` to a written record's flags (and to summary.json if it lists the student)."""
    record = read_record(root, case, student)
    if record is None:
        raise FileNotFoundError(f"No grading record for {student} in {record_path(root, case, student)}")
    if message not in record["flags"]:
        record["flags"].append(message)
    write_record(root, record)
    summary = read_summary(root, case)
    if summary is not None and any(r["student"] == student for r in summary["records"]):
        others = [r for r in summary["records"] if r["student"] != student]
        extra = {k: v for k, v in summary.items() if k not in ("case", "totals", "records")}
        write_summary(root, case, [*others, record], extra)
    return record


def flag(message: str) -> None:
    """From inside a grading worker: flag the student being graded for an instructor's review."""
    if message not in _pending_flags:
        _pending_flags.append(message)


def pending_flags() -> list[str]:
    """The flags raised so far for the student being graded."""
    return list(_pending_flags)


def take_pending_flags() -> list[str]:
    taken = list(_pending_flags)
    _pending_flags.clear()
    return taken


def review_flags(notebook) -> list[str]:
    """``"<grade id>: Flagged for review: ..."`` for each such line in the notebook's outputs."""
    found = []
    for cell in notebook.cells:
        grade_id = notebooks.grading(cell).get("grade_id", "")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text = output.get("text", "")
            else:
                text = output.get("data", {}).get("text/plain", "")
            text = "".join(text) if isinstance(text, list) else text
            for line in text.splitlines():
                if line.strip().startswith(REVIEW_PREFIX):
                    found.append(f"{grade_id}: {line.strip()}" if grade_id else line.strip())
    return found


def format_summary(case: str, records: list[dict], elapsed: float | None = None, skipped: int = 0) -> str:
    t = totals(records)
    lines = [f"{case}: {t['graded']} graded, {t['failed']} failed, {t['flagged']} flagged"
             + (f", {skipped} already graded (skipped)" if skipped else "")
             + (f" in {elapsed:.1f} s" if elapsed is not None else "")]
    for record in sorted(records, key=lambda r: r["student"]):
        if record["status"] == "failed":
            lines.append(f"  FAILED  {record['student']}: {'; '.join(record['reasons']) or 'unknown error'}")
    for record in sorted(records, key=lambda r: r["student"]):
        for item in record["flags"]:
            lines.append(f"  FLAGGED {record['student']}: {item}")
    return "\n".join(lines)
