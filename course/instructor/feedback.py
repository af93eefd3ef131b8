"""Feedback for students that never shows hidden tests, rubrics or model answers.

nbgrader's ``generate_feedback`` renders the autograded notebook, hidden tests
included (upstream issue #917), and a failing test's traceback quotes the
lines around it. ``nbgrader_config.py`` therefore puts ``HideHiddenTests`` in
``GenerateFeedback.preprocessors``, so both the command line and the
formgrader's "generate feedback" button are safe; ``RefuseNonPlainSubmissions``, first
in that list, gives no page to a student whose folders are not plain files. Rubrics never reach a
notebook (``CourseDirectory.ignore``); the short-answer grader prints only the
concepts' neutral descriptions.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor

from course import notebooks
from course.cases import notebook
from course.grading import submission_files
from course.instructor import nbgrader_tools
from course.shortanswer import REVIEW_COMMENT_PREFIX

BEGIN, END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
HIDDEN_FAILURE = "A hidden test did not pass. Check your answer against the exercise's instructions."
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELL_LINE = re.compile(r"(?:Cell In\s*\[\d*\]|<ipython-input-[^>]*>), line (\d+)")
# Lines this short ("pass", "try:") also occur in visible code: they reveal nothing.
MIN_REVEALING_LENGTH = 12


def _failing_line(traceback: list[str]) -> int | None:
    """The line of the cell itself where the error was raised, if the traceback says."""
    found = CELL_LINE.search(ANSI.sub("", "\n".join(traceback)))
    return int(found.group(1)) if found else None


class HideHiddenTests(ClearHiddenTests):
    """Remove hidden tests from test cells, and from the errors they raised.

    An error raised by a visible line keeps its name and message (the hint)
    but loses the traceback, which quotes neighbouring hidden lines; an error
    raised by a hidden line, or one whose line cannot be told, is replaced by
    a neutral message.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        lines = cell.source.split("\n")
        visible = next((i for i, line in enumerate(lines) if self.begin_test_delimeter in line), None)
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        meta = cell.metadata.get("nbgrader", {})
        if str(meta.get("comment") or "").startswith(REVIEW_COMMENT_PREFIX):
            meta["comment"] = None  # the short-answer grader's note is the instructor's, not the student's
        if visible is None or cell.cell_type != "code":
            return cell, resources
        for output in cell.get("outputs", []):
            if output.output_type != "error":
                continue
            line = _failing_line(output.get("traceback", []))
            if line is not None and line <= visible:
                output.traceback = [f"{output.ename}: {output.evalue}"]
            else:
                output.ename, output.evalue, output.traceback = "AssertionError", HIDDEN_FAILURE, [HIDDEN_FAILURE]
        return cell, resources


class RefuseNonPlainSubmissions(NbGraderPreprocessor):
    """First of ``GenerateFeedback.preprocessors``: no page for a student whose ``submitted/`` or
    ``autograded/`` folder holds a link, a hard link or a special file (``refused_students``).

    It makes the formgrader's feedback button refuse what ``generate`` refuses: nbgrader logs
    the reason and removes that student's ``feedback/`` folder, and goes on with the others.
    (nbgrader has copied the folder's other files by then; they are removed with it.)
    """

    def preprocess(self, nb, resources):
        student, case = resources["nbgrader"]["student"], resources["nbgrader"]["assignment"]
        reasons = refused_students(_course_root(self), case, [student]).get(student)
        if reasons:
            raise submission_files.NotPlainFile(f"no feedback for {student}: {' / '.join(reasons)}")
        return nb, resources


def _course_root(preprocessor) -> Path:
    """The course folder of the nbgrader converter that runs ``preprocessor`` (its exporter's parent)."""
    owner = preprocessor.parent
    while owner is not None and getattr(owner, "coursedir", None) is None:
        owner = owner.parent
    if owner is None:
        raise RuntimeError("RefuseNonPlainSubmissions runs only inside an nbgrader converter")
    return Path(owner.coursedir.root)


def hidden_lines(source) -> set[str]:
    """The lines of a source notebook's hidden tests that occur nowhere else in it, stripped."""
    hidden, shown = set(), []
    for cell in source.cells:
        inside = False
        for line in cell.source.split("\n"):
            if BEGIN in line or END in line:
                inside = BEGIN in line
            elif inside and len(line.strip()) >= MIN_REVEALING_LENGTH:
                hidden.add(line.strip())
            elif not inside:
                shown.append(line)
    visible_text = "\n".join(shown)
    return {line for line in hidden if line not in visible_text}


def page_text(path: Path) -> str:
    """The text a reader of an HTML page sees (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def leaks(page: str, source) -> list[str]:
    """Hidden-test lines of ``source`` that appear in the text of a feedback page."""
    return sorted(line for line in hidden_lines(source) if line in page)


class RefusedFeedback(nbgrader_tools.NbgraderError):
    """Feedback was refused for some students (their submissions are not plain files); ``pages``
    is what was written for the others."""

    def __init__(self, message: str, pages: list[Path]):
        super().__init__(message)
        self.pages = pages


def refused_students(root: Path, case: str, students: list[str]) -> dict[str, list[str]]:
    """``{student: reasons}`` for the students whose ``submitted/`` or ``autograded/`` folder of
    ``case`` holds a link, a hard link or a special file (``submission_files``): nbgrader's copy
    into ``feedback/`` would follow it."""
    refused = {}
    for student in students:
        reasons = [*submission_files.submission_problems(root, student, case),
                   *submission_files.submission_problems(root, student, case, step="autograded")]
        if reasons:
            refused[student] = reasons
    return refused


def generate(root: Path, case: str, student: str | None = None, url: str | None = None) -> list[Path]:
    """``nbgrader generate_feedback`` for ``case``, then refuse any page that shows a hidden test.

    A page that leaks (say, with the preprocessor taken out of the
    configuration) is deleted and reported, never left for students. A student
    whose submission or autograded folder is not plain files (``refused_students``)
    gets no feedback, and any earlier pages are removed; if nbgrader would have
    made some (an autograded folder exists, or ``student`` was asked for),
    ``RefusedFeedback`` says who and why once the others' feedback is written.
    """
    root = Path(root)
    if student:
        students = [student]
    else:
        students = sorted({p.parent.name for step in ("submitted", "autograded")
                           for p in (root / step).glob(f"*/{case}")})
    refused = refused_students(root, case, students)
    # refused at grading already (no autograded notebooks): its record says why, so no error here
    unexpected = {name: reasons for name, reasons in refused.items()
                  if student or os.path.lexists(root / "autograded" / name / case)}
    for name in refused:
        submission_files.remove_output(root / "feedback" / name, case)
    pages: list[Path] = []
    if not student or student not in refused:
        args = ["generate_feedback", case, "--force", "--quiet"]
        if student:
            args.append(f"--student={student}")
        if refused:
            args.append(f"--CourseDirectory.student_id_exclude={','.join(sorted(refused))}")
        if url:
            args.append(f"--CourseDirectory.db_url={url}")
        nbgrader_tools.run(args, root)
        source = notebooks.read(notebook(case, "source", root))
        pages = sorted(page for page in (root / "feedback").glob(f"{student or '*'}/{case}/*.html")
                       if page.parts[-3] not in refused)
        leaking = [page for page in pages if leaks(page_text(page), source)]
        for page in leaking:
            page.unlink()
        if leaking:
            names = ", ".join(str(p.relative_to(root)) for p in leaking)
            raise nbgrader_tools.NbgraderError(
                f"Feedback would show hidden tests, so it was deleted: {names}. "
                "Is HideHiddenTests still in GenerateFeedback.preprocessors (nbgrader_config.py)?")
    if unexpected:
        why = "; ".join(f"{name}: {' / '.join(reasons)}" for name, reasons in sorted(unexpected.items()))
        raise RefusedFeedback(f"No feedback for {len(unexpected)} student(s) whose submission is not plain "
                              f"files: {why}", pages)
    return pages
