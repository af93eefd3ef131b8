"""nbgrader's SaveAutoGrades, writing the grader's verdict for each test cell instead of reading outputs."""

from __future__ import annotations

from nbgrader.preprocessors import SaveAutoGrades
from nbgrader.utils import determine_grade

from course.grading.kernels import VERDICTS
from course.notebooks import grading

__all__ = ["VerdictSaveAutoGrades", "auto_score"]


def auto_score(cell, resources: dict) -> float | None:
    """A test cell's score is its verdict (none: it was not judged, so it did not pass);
    other graded cells (answers nbgrader scores from their checksum) as nbgrader scores them."""
    meta = grading(cell)
    if cell.cell_type == "code" and not meta.get("solution"):
        verdict = resources.get(VERDICTS, {}).get(meta.get("grade_id"))
        return 0.0 if verdict is None else verdict.points
    return determine_grade(cell)[0]


class VerdictSaveAutoGrades(SaveAutoGrades):
    """SaveAutoGrades whose auto score for a test cell comes from ``GradingExecute``'s verdicts."""

    def _add_score(self, cell, resources) -> None:
        grade = self.gradebook.find_grade(grading(cell)["grade_id"], self.notebook_id, self.assignment_id,
                                          self.student_id)
        grade.auto_score = auto_score(cell, resources)
        # as nbgrader: a manual score, or no automatic one, needs a person
        grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        self.gradebook.db.commit()
