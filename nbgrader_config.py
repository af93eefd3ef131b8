"""nbgrader configuration for the casebook (this folder is the course directory)."""

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = "aliexpress-casebook"
c.CourseDirectory.root = "."
# Rubrics hold model answers: never release them, never copy them beside a submission.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "rubrics.toml"]

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# A case runs in a few seconds; a submission stuck for a minute is broken.
c.Execute.timeout = 60
