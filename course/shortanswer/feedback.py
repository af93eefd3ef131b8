"""What the student reads: the points, the ideas found and missing, and any flag.

Only the concepts' neutral descriptions are shown, never the phrases the
grader looks for nor the model answer, because feedback reaches students.
"""

from __future__ import annotations

from course.shortanswer.scoring import Result, NEAR_MISS_NOTES

REVIEW_PREFIX = "Flagged for review:"


def format_feedback(result: Result) -> str:
    lines = [f"Short answer: {result.points:g} of {result.max_points:g} point(s)."]
    found = [c for c in result.concepts if c.earned]
    missing = [c for c in result.concepts if not c.earned]
    if found:
        lines.append("Ideas the grader found:")
        lines += [f"  + {c.description}" for c in found]
    if missing:
        lines.append("Ideas the grader did not find (check the reading, then say them in your own words):")
        for c in missing:
            note = NEAR_MISS_NOTES.get(c.note)
            lines.append(f"  - {c.description}" + (f" [{note}]" if note else ""))
    if result.needs_review:
        lines.append(f"{REVIEW_PREFIX} " + "; ".join(result.flags))
    return "\n".join(lines)
