"""Who earned what on a case, with each submission's status kept apart from its score.

Sources, in order of trust:

- the grading command's record of each student (``course.grading.records``),
  when present: ``status`` "failed" makes the submission an error with its
  reasons, and its ``flags`` are kept;
- nbgrader's gradebook: cell scores, late penalties and lateness. nbgrader
  removes a submission whose autograding failed, so a folder in
  ``submitted/`` without a gradebook entry is an error, as is a submission
  missing the score of an autograded cell;
- the gradebook's comments: a short answer the grader marked for manual
  grading (``needs_manual_grade``, with its note in the answer cell's comment)
  is listed first among the student's flags until an instructor comments it;
- the formgrader's review: a tampering flag is dropped once an instructor has
  given its cell a manual score, or unflagged the notebook (the grader flags
  every notebook it raised a tampering flag on);
- the autograded notebooks: output lines starting with ``Flagged for review:``
  become flags of that cell.

The students are the gradebook's and those with a folder in ``submitted/``;
records are only looked up for them, never listed, so no other file in
``grading-logs/`` can pass for a student. The records' layout and the flag
format belong to ``course.grading.records``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from nbgrader.api import Gradebook, MissingEntry

from course import notebooks
from course.cases import notebook
from course.grading import records
from course.grading.trust import FLAG_PREFIX
from course.instructor import nbgrader_tools
from course.shortanswer import REVIEW_COMMENT_PREFIX

GRADED, ERROR, MISSING = "graded", "error", "not submitted"
REVIEW_MARK = "Provisional score"  # in every short-answer review note (course.shortanswer.review_note)


@dataclass
class Submission:
    """One student's standing on one case."""

    student: str
    status: str = GRADED
    name: str = ""
    lms_user_id: str = ""
    cells: dict[str, float | None] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    late_penalty: float = 0.0
    seconds_late: float = 0.0


def grading_logs(root: Path, case: str, students) -> dict[str, dict]:
    """The grading command's records for those of ``students`` it graded on ``case``."""
    found = {student: records.read_record(root, case, student) for student in students}
    return {student: record for student, record in found.items() if record is not None}


def notebook_flags(root: Path, case: str, student: str) -> list[str]:
    """The review flags printed in ``student``'s autograded notebook of ``case``."""
    found = sorted((root / "autograded" / student / case).glob("*.ipynb"))
    return [flag for path in found for flag in records.review_flags(notebooks.read(path))]


def _submissions_of(gradebook, case: str) -> list:
    """The gradebook's submissions of ``case`` (none if the gradebook lacks the assignment)."""
    try:
        return gradebook.find_assignment(case).submissions
    except MissingEntry:
        return []


def short_answer_reviews(case: str, url: str) -> dict[str, list[str]]:
    """Per student, the short answers the grader marked for manual grading and not yet graded by hand:
    ``"<answer cell>: <provisional score, confidence and reasons>"``."""
    found: dict[str, list[str]] = {}
    with Gradebook(url) as gradebook:
        for sub in _submissions_of(gradebook, case):
            for nb in sub.notebooks:
                for comment in nb.comments:
                    note = comment.auto_comment or ""
                    if note.startswith(REVIEW_COMMENT_PREFIX) and not comment.manual_comment:
                        # one flag each: the student's flags are joined with "; "
                        text = " ".join(note[len(REVIEW_COMMENT_PREFIX):].split()).replace("; ", ", ")
                        found.setdefault(sub.student_id, []).append(f"{comment.name}: {text}")
    return found


def instructor_reviews(case: str, url: str) -> dict[str, tuple[bool, set[str]]]:
    """Per student who submitted ``case``: whether all their notebooks are unflagged in the gradebook,
    and the cells an instructor gave a manual score."""
    found: dict[str, tuple[bool, set[str]]] = {}
    with Gradebook(url) as gradebook:
        for sub in _submissions_of(gradebook, case):
            overridden = {grade.name for nb in sub.notebooks for grade in nb.grades if grade.manual_score is not None}
            found[sub.student_id] = (not any(nb.flagged for nb in sub.notebooks), overridden)
    return found


def settled(flag: str, unflagged: bool, overridden: set[str]) -> bool:
    """Whether an instructor has dealt with tampering flag ``flag`` (``"tampering: <cell>: why"``)."""
    prefix = f"{FLAG_PREFIX}: "
    if not flag.startswith(prefix):
        return False
    return unflagged or flag[len(prefix):].split(": ", 1)[0] in overridden


def _roster(case: str, url: str) -> tuple[dict[str, Submission], set[str]]:
    """Every student in the gradebook, and the ids of those who submitted ``case``."""
    with Gradebook(url) as gradebook:
        roster = {
            s.id: Submission(s.id, status=MISSING, name=" ".join(filter(None, [s.first_name, s.last_name])),
                             lms_user_id=s.lms_user_id or "")
            for s in gradebook.students
        }
        try:
            assignment = gradebook.find_assignment(case)
        except MissingEntry:
            return roster, set()
        submitted = set()
        for sub in assignment.submissions:
            entry = roster[sub.student_id]
            entry.status = GRADED
            entry.late_penalty = float(sub.late_submission_penalty or 0.0)
            entry.seconds_late = float(sub.total_seconds_late or 0.0)
            submitted.add(sub.student_id)
    return roster, submitted


def submissions(root: Path, case: str, url: str | None = None) -> dict[str, Submission]:
    """Every student's standing on ``case`` in course ``root``, by student id."""
    url = url or nbgrader_tools.db_url(root)
    source = notebooks.read(notebook(case, "source", root))
    autograded = list(notebooks.autograded_cells(source))
    roster, submitted = _roster(case, url)
    scores = nbgrader_tools.cell_scores(root, case, url) if submitted else {}
    on_disk = {p.parent.name for p in (root / "submitted").glob(f"*/{case}")}
    students = sorted(set(roster) | on_disk)
    logs = grading_logs(root, case, students)
    reviews = short_answer_reviews(case, url) if submitted else {}
    reviewed = instructor_reviews(case, url) if submitted else {}
    for student in students:
        entry = roster.setdefault(student, Submission(student, status=GRADED))
        entry.cells = scores.get(student, {})
        record = logs.get(student, {})
        # The grading command's records repeat the notebook's flags: keep each once.
        # Short answers waiting for the instructor's review come first.
        flags = dict.fromkeys(reviews.get(student, []) + record.get("flags", []) + notebook_flags(root, case, student))
        unflagged, overridden = reviewed.get(student, (False, set()))
        entry.flags = [flag for flag in flags if not settled(flag, unflagged, overridden)]
        if record.get("status") == "failed":
            entry.status, entry.reasons = ERROR, list(record.get("reasons", [])) or ["grading failed"]
        elif student not in submitted and (student in on_disk or record):
            entry.status, entry.reasons = ERROR, ["submitted, but no grades in the gradebook: autograding failed "
                                                 "(nbgrader drops a failed submission) or was not run"]
        elif entry.status == GRADED and any(entry.cells.get(cell) is None for cell in autograded):
            entry.status, entry.reasons = ERROR, ["an autograded cell has no grade in the gradebook"]
        if entry.status != GRADED:
            entry.cells = {}
    return dict(sorted(roster.items()))


def question_points(root: Path, case: str) -> dict[str, float]:
    return notebooks.graded_cells(notebooks.read(notebook(case, "source", root)))


def by_question(entries: dict[str, Submission], points: dict[str, float]) -> pd.DataFrame:
    """Students by graded cell; blank where there is no score (an error or no submission)."""
    rows = {s.student: {cell: s.cells.get(cell) for cell in points} for s in entries.values()}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(points), dtype=float)
    table.index.name = "student"
    return table


def by_student(entries: dict[str, Submission], points: dict[str, float]) -> pd.DataFrame:
    """One row a student: status, score, late penalty, final score, reasons and flags.

    ``score`` and ``final_score`` are blank unless the status is "graded";
    ``final_score`` is the score less the late penalty, never below zero.
    """
    cells = by_question(entries, points)
    rows = []
    for s in entries.values():
        graded = s.status == GRADED
        score = float(cells.loc[s.student].sum()) if graded else None
        rows.append({
            "student": s.student,
            "name": s.name,
            "lms_user_id": s.lms_user_id,
            "status": s.status,
            "score": score,
            "max_score": sum(points.values()),
            "late_penalty": s.late_penalty,
            "hours_late": round(s.seconds_late / 3600, 2),
            "final_score": max(score - s.late_penalty, 0.0) if score is not None else None,
            "reasons": "; ".join(s.reasons),
            "flags": "; ".join(s.flags),
        })
    columns = ["student", "name", "lms_user_id", "status", "score", "max_score", "late_penalty", "hours_late",
               "final_score", "reasons", "flags"]
    return pd.DataFrame(rows, columns=columns).astype({"score": float, "final_score": float}).set_index("student")
