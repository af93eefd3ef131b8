"""Auto-grading of short written answers against instructor rubrics.

A notebook's solution cell holds the answer as a string; the autograded test
cell after it calls ``check_length`` (visible) and ``grade`` (hidden)::

    from course.shortanswer import check_length, grade
    check_length(answer_acquire_vs_build)
    ### BEGIN HIDDEN TESTS
    grade(answer_acquire_vs_build, "case7_alibaba_expansion/acquire_vs_build")
    ### END HIDDEN TESTS

``grade`` prints feedback and returns a plain float in [0, points], which
nbgrader reads as the cell's partial credit. Rubrics live in
``source/<case>/rubrics.toml`` and are never released; see README.md here.
"""

from __future__ import annotations

import os

from course.points import clamp_points
from course.shortanswer.feedback import REVIEW_COMMENT_PREFIX, REVIEW_PREFIX, format_feedback, review_note
from course.shortanswer.rubric import RubricError
from course.shortanswer.scoring import PLACEHOLDERS, Result, grade_details
from course.shortanswer.text import count_words

# The casebook's grading command sets this in the kernels it starts: ``grade`` does not grade there,
# because the kernel can neither read rubrics nor be trusted; the grading process runs the test cells
# that grade short answers itself (course.grading.verdict).
RECORDS_ENV = "CASEBOOK_GRADING_RECORDS"

__all__ = [
    "REVIEW_COMMENT_PREFIX",
    "REVIEW_PREFIX",
    "Result",
    "RubricError",
    "check_length",
    "format_feedback",
    "grade",
    "grade_details",
    "review_note",
    "take_graded",
]

# The last result ``grade`` computed for each question in this process: the grading process's
# SaveAutoGrades reads it (``take_graded``) to mark doubtful answers for manual grading.
_GRADED: dict[str, Result] = {}


def take_graded(question_id: str) -> Result | None:
    """The result ``grade`` last computed here for ``question_id``, forgotten once taken."""
    return _GRADED.pop(question_id, None)

# The visible check knows no rubric (rubrics are not released), so its limits
# are wide; the grade follows the content, whatever the length.
MIN_WORDS = 10
MAX_WORDS = 400


def check_length(answer, min_words: int = MIN_WORDS, max_words: int = MAX_WORDS) -> None:
    """Fail with a hint when ``answer`` is not text or still the placeholder; otherwise say what is
    expected of its length, without failing: a short answer is graded on the ideas it states."""
    if not isinstance(answer, str):
        raise AssertionError(
            f"Your answer should be text, but it is a {type(answer).__name__}. Write it between triple "
            'quotes, like  answer = """Your sentences here."""')
    if not answer.strip() or any(p in answer.lower() for p in PLACEHOLDERS):
        raise AssertionError("Your answer still holds the placeholder: replace it with your own sentences.")
    words = count_words(answer)
    if words < min_words:
        print(f"Your answer has {words} words. It will be graded on the ideas it states, but the question "
              f"usually needs at least {min_words} words in complete sentences: check that it answers every "
              "part of the question.")
    elif words > max_words:
        print(f"Your answer has {words} words. The question asks for far fewer: only its opening part is "
              f"graded, so shorten it to fewer than {max_words} words with the main ideas first.")
    else:
        print(f"Your answer has {words} words: long enough to be graded.")


def grade(answer, question_id: str) -> float | None:
    """Print feedback and return the points earned as a plain float in [0, points] (None, without
    grading, in a kernel the grading command started)."""
    if os.environ.get(RECORDS_ENV):
        return None
    result = grade_details(answer, question_id)
    _GRADED[question_id] = result
    print(format_feedback(result))
    return clamp_points(result.points, result.max_points)
