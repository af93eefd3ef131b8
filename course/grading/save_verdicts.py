"""nbgrader's SaveAutoGrades, writing the grader's verdict for each test cell instead of reading outputs.

A short answer whose score the grader doubts keeps its provisional score but is marked for manual
grading, with the reasons in the answer cell's comment, so the formgrader's Manual Grading lists it."""

from __future__ import annotations

import math

from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades, saveautogrades
from nbgrader.utils import determine_grade

from course.grading import records, speedups
from course.grading.kernels import VERDICTS
from course.notebooks import grading, is_test_cell
from course.points import clamp_points
from course.shortanswer import review_note, take_graded

__all__ = ["VerdictSaveAutoGrades", "auto_score"]


def auto_score(cell, resources: dict) -> float | None:
    """A test cell's score is its verdict (none: it was not judged, so it did not pass);
    other graded cells (answers nbgrader scores from their checksum) as nbgrader scores them."""
    if is_test_cell(cell):
        verdict = resources.get(VERDICTS, {}).get(grading(cell).get("grade_id"))
        return 0.0 if verdict is None else verdict.points
    return determine_grade(cell)[0]


class VerdictSaveAutoGrades(SaveAutoGrades):
    """SaveAutoGrades whose auto score for a test cell comes from ``GradingExecute``'s verdicts,
    written in one transaction per notebook (nbgrader commits each cell's grade on its own).
    A notebook with review flags is marked flagged, as an instructor marks one in the formgrader."""

    answer_cell: str | None = None  # the last solution cell seen: the answer a test cell grades

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id = info["notebook"], info["assignment"]
        self.student_id, self.db_url = info["student"], info["db_url"]
        self.gradebook = saveautogrades.Gradebook(self.db_url)  # as nbgrader's (prefetch.install replaces it)
        with self.gradebook:
            session = self.gradebook.db
            if speedups.enabled():
                session.commit = session.flush  # nbgrader's per-cell commits, until every cell is in
            try:
                nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)
            finally:
                vars(session).pop("commit", None)
            if records.pending_flags():  # the formgrader's "Flagged?" column; the instructor may unflag it
                self.gradebook.find_submission_notebook(self.notebook_id, self.assignment_id,
                                                        self.student_id).flagged = True
            session.commit()
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
        if grading(cell).get("solution"):
            self.answer_cell = grading(cell).get("grade_id")
        return super().preprocess_cell(cell, resources, cell_index)

    def _add_score(self, cell, resources) -> None:
        grade = self.gradebook.find_grade(grading(cell)["grade_id"], self.notebook_id, self.assignment_id,
                                          self.student_id)
        grade.auto_score = auto_score(cell, resources)
        # as nbgrader: a manual score, or no automatic one, needs a person
        grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        note = self._review_note(cell, resources)
        if note is not None:
            grade.needs_manual_grade = True
            comment = self.gradebook.find_comment(self.answer_cell, self.notebook_id, self.assignment_id,
                                                  self.student_id)
            comment.auto_comment = note

    def _review_note(self, cell, resources) -> str | None:
        """The instructor's note when this cell grades a short answer whose score is in doubt."""
        from course.grading.trust import short_answer_question

        question = short_answer_question(cell.source)
        if question is None or self.answer_cell is None:
            return None
        result = take_graded(question)
        verdict = resources.get(VERDICTS, {}).get(grading(cell).get("grade_id"))
        # only a result the verdict came from: the cell ran to its end in this judgement, with that score
        if result is None or verdict is None or verdict.error is not None \
                or not math.isclose(clamp_points(result.points, result.max_points), verdict.points):
            return None
        return review_note(result) if result.needs_review else None
