"""Write a case's grading report: tables, Canvas CSV, nbgrader's export, figures and an HTML page."""

from __future__ import annotations

import html
from pathlib import Path

from course import nbgrader_tools
from course.reports import canvas, item_analysis, scores

STATUS_NOTE = (
    "Status is one of graded, error (the submission could not be graded: see reasons) and not submitted. "
    "Errors and missing submissions have no score, never a zero. Flags are review requests from the "
    "short-answer grader or the grading command; the score stands until an instructor overrides it in "
    "the formgrader. Final score = score less late penalty (from nbgrader's gradebook), at least 0."
)


def _table(frame, **kwargs) -> str:
    return frame.to_html(na_rep="", float_format=lambda x: f"{x:.3g}", border=0, **kwargs)


def _reviews(students) -> str:
    """The short answers the grader doubts, listed before everything else."""
    items = [f"<li><b>{html.escape(str(student))}</b>: {html.escape(flag)}</li>"
             for student, flags in students["flags"].items() for flag in str(flags).split("; ")
             if scores.REVIEW_MARK in flag]
    return f"<ul>{''.join(items)}</ul>" if items else "<p>None: every short-answer score stands as graded.</p>"


def _page(case: str, students, cells, items, descriptions: dict[str, str], files: dict[str, Path]) -> str:
    counts = students["status"].value_counts().to_dict()
    summary = ", ".join(f"{count} {status}" for status, count in counts.items()) or "no students"
    flagged = int((students["flags"] != "").sum())
    late = int((students["late_penalty"] > 0).sum())
    figures = "".join(
        f'<figure><img src="{name}" alt="{html.escape(text)}"><figcaption><pre>{html.escape(text)}</pre>'
        f"</figcaption></figure>" for name, text in descriptions.items()
    )
    links = "".join(f'<li><a href="{p.name}">{p.name}</a></li>' for p in files.values())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Grading report: {html.escape(case)}</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto}}table{{border-collapse:collapse}}
td,th{{padding:.2em .6em;border-bottom:1px solid #ccc;text-align:right}}img{{max-width:100%}}</style></head>
<body><h1>Grading report: {html.escape(case)}</h1>
<p>{html.escape(summary)}; {flagged} flagged for review; {late} with a late penalty.</p>
<p>{html.escape(STATUS_NOTE)}</p>
<h2>Short answers to review</h2>{_reviews(students)}
<h2>Students</h2>{_table(students)}
<h2>Points per question</h2>{_table(cells)}
<h2>Item analysis</h2>
<p>Discrimination is the corrected item-total correlation (Pearson's r between the question and the total of
the other questions), over graded submissions; under {item_analysis.WEAK_DISCRIMINATION} the question separates
stronger from weaker students poorly. Blank: fewer than {item_analysis.MIN_STUDENTS} graded students, or no
variation.</p>
{_table(items)}{figures}
<h2>Files</h2><ul>{links}</ul></body></html>
"""


def write(root: Path, case: str, out: Path, url: str | None = None, canvas_id: str | None = None) -> dict[str, Path]:
    """Write every part of ``case``'s report to ``out``; return the files by kind."""
    out.mkdir(parents=True, exist_ok=True)
    url = url or nbgrader_tools.db_url(root)
    entries = scores.submissions(root, case, url)
    points = scores.question_points(root, case)
    students = scores.by_student(entries, points)
    cells = scores.by_question(entries, points)
    graded = students["status"] == scores.GRADED
    items = item_analysis.analyse(cells[graded], points)

    files = {
        "students": out / "scores_by_student.csv",
        "questions": out / "scores_by_question.csv",
        "items": out / "item_analysis.csv",
        "canvas": out / "canvas_gradebook.csv",
        "nbgrader": out / "nbgrader_grades.csv",
    }
    students.to_csv(files["students"])
    cells.to_csv(files["questions"])
    items.to_csv(files["items"])
    canvas.write({case: students}, files["canvas"], {case: canvas_id} if canvas_id else None)
    nbgrader_tools.run(["export", f"--to={files['nbgrader'].resolve()}", f"--assignment={case}",
                        f"--CourseDirectory.db_url={url}"], root)
    descriptions = item_analysis.save_figures(
        items, students.loc[graded, "final_score"], sum(points.values()), case, out)
    files.update({"figure_items": out / "item_analysis.png", "figure_totals": out / "totals.png"})
    files["report"] = out / "report.html"
    files["report"].write_text(_page(case, students, cells, items, descriptions, files), encoding="utf-8")
    return files
