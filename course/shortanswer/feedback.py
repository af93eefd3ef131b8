"""What the student reads, and what only the instructor reads.

The student sees the points and the ideas found and missing, in the concepts'
neutral descriptions: never the phrases the grader looks for, the model
answer, which defence fired, its thresholds or the review flags. Those go to
the instructor (``review_note``), through the gradebook (see README.md).
"""

from __future__ import annotations

from course.shortanswer.scoring import Result

REVIEW_PREFIX = "Flagged for review:"
# Marks the gradebook comment written for the instructor, so that feedback to students can drop it.
REVIEW_COMMENT_PREFIX = "[short-answer grader, for the instructor]"


def format_feedback(result: Result) -> str:
    lines = [f"Short answer: {result.points:g} of {result.max_points:g} point(s)."]
    found = [c for c in result.concepts if c.earned]
    missing = [c for c in result.concepts if not c.earned]
    if found:
        lines.append("Ideas the grader found:")
        lines += [f"  + {c.description}" for c in found]
    if missing:
        lines.append("Ideas the grader did not find (check the reading, then say them in your own words, "
                     "in complete sentences):")
        lines += [f"  - {c.description}" for c in missing]
    return "\n".join(lines)


def review_note(result: Result) -> str:
    """The instructor's note: the provisional score, the confidence, why it is doubted and what was noticed."""
    found = ", ".join(result.found) or "none"
    lines = [REVIEW_COMMENT_PREFIX,
             f"Provisional score {result.points:g} of {result.max_points:g} (confidence {result.confidence:.1f}); "
             f"ideas credited: {found}."]
    if result.doubts:
        lines.append(f"{REVIEW_PREFIX} " + "; ".join(result.doubts))
    notes = [f for f in result.flags if f not in result.doubts]
    if notes:
        lines.append("Also noticed: " + "; ".join(notes))
    return "\n".join(lines)
