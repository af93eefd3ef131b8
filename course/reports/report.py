"""Write a case's grading report: tables, Canvas CSV, nbgrader's export, figures and an HTML page."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from pandas.api.types import is_numeric_dtype

from course.instructor import nbgrader_tools
from course.plotting import readable_number
from course.reports import canvas, item_analysis, scores

STATUS_NOTE = (
    "Status is one of graded, error (the submission could not be graded: see reasons) and not submitted. "
    "Errors and missing submissions have no score, never a zero. Flags are review requests from the "
    "short-answer grader or the grading command; the score stands until an instructor overrides it in "
    "the formgrader. Final score = score less late penalty (from nbgrader's gradebook), at least 0."
)

OPTIONAL_COLUMNS = ("name", "lms_user_id")

# The page's headers for the tables' column names (the CSV files keep the names); question and
# cell ids stay as the formgrader shows them.
HEADERS = {
    "student": "Student", "name": "Name", "lms_user_id": "LMS user id", "status": "Status",
    "score": "Score", "max_score": "Out of", "late_penalty": "Late penalty", "hours_late": "Hours late",
    "final_score": "Final score", "reasons": "Reasons", "flags": "Flags", "question": "Question",
    "points": "Points", "students": "Students", "mean": "Mean", "mean_share": "Mean share of points",
    "full_marks": "Share with full marks", "discrimination": "Discrimination", "cell": "Cell",
}


def _breakable(label) -> str:
    """``label`` escaped, with a line-break opportunity after each underscore (cell names, column names)."""
    return html.escape(str(label)).replace("_", "_<wbr>")


def _header(column) -> str:
    return html.escape(HEADERS[column]) if column in HEADERS else _breakable(column)


def _number(value) -> str:
    if pd.isna(value):
        return ""
    return readable_number(value) if isinstance(value, float) else html.escape(str(value))


def _text(value, as_list: bool) -> str:
    if pd.isna(value) or value == "":
        return ""
    parts = str(value).split("; ") if as_list else [str(value)]
    if len(parts) == 1:
        return html.escape(parts[0])
    return "<ul>" + "".join(f"<li>{html.escape(part)}</li>" for part in parts) + "</ul>"


def html_table(frame: pd.DataFrame, label: str, lists: tuple[str, ...] = ()) -> str:
    """``frame`` as an HTML table in a container of its own that scrolls sideways when the table is
    wider than the page (the page itself never does). Numbers are right-aligned; text is left-aligned
    and wraps; a column in ``lists`` holds "; "-joined items (reasons, flags), one a line."""
    text = {column for column in frame.columns if not is_numeric_dtype(frame[column])}

    def kind(column) -> str:
        return ' class="text list"' if column in lists else ' class="text"' if column in text else ""

    head = f'<th scope="col" class="text">{_header(frame.index.name or "")}</th>' + "".join(
        f'<th scope="col"{kind(column)}>{_header(column)}</th>' for column in frame.columns)
    rows = "".join(
        f'<tr><th scope="row" class="text">{_breakable(index)}</th>'
        + "".join(f"<td{kind(column)}>{_text(value, column in lists) if column in text else _number(value)}</td>"
                  for column, value in row.items())
        + "</tr>"
        for index, row in frame.iterrows())
    return (f'<div class="table-scroll" role="region" tabindex="0" aria-label="{html.escape(label)}">'
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>")


def figure_html(src: str, text: item_analysis.FigureText) -> str:
    """An image read once: the alt text says what it shows, the caption what to read from it, and
    the numbers in words wait behind a disclosure."""
    return (f'<figure><img src="{html.escape(src)}" alt="{html.escape(text.alt)}">'
            f"<figcaption>{html.escape(text.caption)}</figcaption></figure>"
            f'<details class="data"><summary>The figure\'s numbers in words</summary>'
            f"<p>{html.escape(text.data)}</p></details>")


STYLE = """
body{font-family:sans-serif;line-height:1.4;max-width:70em;margin:2em auto;padding:0 1em}
p,li,figcaption,.text{overflow-wrap:break-word}
.table-scroll{max-width:100%;overflow-x:auto;margin:.5em 0 1.5em}
.table-scroll:focus{outline:2px solid #0072B2}
table{border-collapse:collapse}
th,td{padding:.2em .6em;border-bottom:1px solid #ccc;text-align:right;vertical-align:top}
thead th{vertical-align:bottom}
td{font-variant-numeric:tabular-nums}
.text{text-align:left}
th[scope=row]{white-space:nowrap}
.list,.list li{min-width:14em;overflow-wrap:anywhere}
.list ul{margin:0;padding-left:1.1em}
figure{margin:1.5em 0 .5em}
img{max-width:100%;height:auto}
figcaption{max-width:45em;margin-top:.3em}
details.data p{white-space:pre-line;max-width:60em;font-size:.9em}
"""


def _reviews(students) -> str:
    """The short answers the grader doubts, listed before everything else."""
    items = [f"<li><b>{html.escape(str(student))}</b>: {html.escape(flag)}</li>"
             for student, flags in students["flags"].items() for flag in str(flags).split("; ")
             if scores.REVIEW_MARK in flag]
    return f"<ul>{''.join(items)}</ul>" if items else "<p>None: every short-answer score stands as graded.</p>"


def _page(case: str, students, cells, items, figures: dict[str, item_analysis.FigureText],
          files: dict[str, Path]) -> str:
    counts = students["status"].value_counts().to_dict()
    summary = ", ".join(f"{count} {status}" for status, count in counts.items()) or "no students"
    flagged = int((students["flags"] != "").sum())
    late = int((students["late_penalty"] > 0).sum())
    shown = "".join(figure_html(name, text) for name, text in figures.items())
    # names and LMS ids are often not in the gradebook: leave the columns out of the page when blank
    blank = [c for c in OPTIONAL_COLUMNS if c in students and not (students[c].fillna("").astype(str) != "").any()]
    links = "".join(f'<li><a href="{p.name}">{p.name}</a></li>' for p in files.values())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Grading report: {html.escape(case)}</title><style>{STYLE}</style></head>
<body><h1>Grading report: {html.escape(case)}</h1>
<p>{html.escape(summary)}; {flagged} flagged for review; {late} with a late penalty.</p>
<p>{html.escape(STATUS_NOTE)}</p>
<h2>Short answers to review</h2>{_reviews(students)}
<h2>Students</h2>{html_table(students.drop(columns=blank), "Students", lists=("reasons", "flags"))}
<h2>Points per question</h2>{html_table(cells, "Points per question")}
<h2>Item analysis</h2>
<p>Discrimination is the corrected item-total correlation (Pearson's r between the question and the total of
the other questions), over graded submissions; under {item_analysis.WEAK_DISCRIMINATION} the question separates
stronger from weaker students poorly. Blank: fewer than {item_analysis.MIN_STUDENTS} graded students, or no
variation.</p>
{html_table(items, "Item analysis")}{shown}
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
    figures = item_analysis.save_figures(
        items, students.loc[graded, "final_score"], sum(points.values()), case, out)
    files.update({"figure_items": out / "item_analysis.png", "figure_totals": out / "totals.png"})
    files["report"] = out / "report.html"
    files["report"].write_text(_page(case, students, cells, items, figures, files), encoding="utf-8")
    return files
