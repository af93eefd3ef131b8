"""nbgrader configuration for the casebook (this folder is the course directory)."""

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = "aliexpress-casebook"
c.CourseDirectory.root = "."
# Rubrics hold model answers, the demo submission a case's partly right answers, the answer corpus
# right answers to every exercise: never release them, never copy them beside a submission.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "rubrics.toml",
                            "demo_submission.json", "answer_corpus.py"]

# Run All stops at the first unanswered cell: its error says so, and what to do there.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError(\"Not answered yet: write your answer here"
    " and delete this line. Run All stops at the first cell like this one.\")"
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# A case runs in a few seconds; a submission stuck for a minute is broken.
c.Execute.timeout = 60

# Feedback reaches students: nbgrader's shows hidden tests (upstream #917), so hide them and their errors.
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

from course.instructor.feedback import HideHiddenTests, RefuseNonPlainSubmissions  # noqa: E402

c.GenerateFeedback.preprocessors = [RefuseNonPlainSubmissions, GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]

# Collect copies only plain files: a link left in the exchange would otherwise arrive as a copy of its target.
c.ExchangeFactory.collect = "course.grading.exchange.PlainFilesCollect"
