"""A gradebook CSV in the shape Canvas imports (Grades > Import).

The shape is that of Canvas's own gradebook export::

    Student,ID,SIS User ID,SIS Login ID,Section,case1_market_selection (1234)
        Points Possible,,,,,15
    "Lovelace, Ada",,ada,ada,,12.5

- ``Student`` is "Last, First" when the gradebook knows the names, else the id;
- ``ID`` is Canvas's numeric user id, from ``nbgrader db student add --lms-user-id``
  (blank when unknown: Canvas then matches on the SIS columns);
- ``SIS User ID`` and ``SIS Login ID`` both hold nbgrader's student id, which on
  JupyterHub is the login name;
- one column per assignment, headed ``<name> (<Canvas assignment id>)``; without
  an id the header is the bare name and Canvas creates a new assignment;
- the second row gives the points possible, as in Canvas's export;
- the grade is the final score (score less late penalty). A submission that
  could not be graded, or was not submitted, is left blank, which Canvas reads
  as "no grade", never as a zero.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from course.reports.scores import GRADED

FIXED_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_ROW = "    Points Possible"


def column_name(assignment: str, canvas_id: str | None = None) -> str:
    return f"{assignment} ({canvas_id})" if canvas_id else assignment


def _display_name(name: str, student: str) -> str:
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else (name or student)


def gradebook(tables: dict[str, pd.DataFrame], canvas_ids: dict[str, str] | None = None) -> pd.DataFrame:
    """The Canvas CSV as a table, from ``{assignment: by_student table}`` (see scores.by_student)."""
    canvas_ids = canvas_ids or {}
    headers = {name: column_name(name, canvas_ids.get(name)) for name in tables}
    points = {"Student": POINTS_ROW,
              **{headers[n]: f"{t['max_score'].iloc[0]:g}" if len(t) else "" for n, t in tables.items()}}
    rows: dict[str, dict] = {}
    for name, table in tables.items():
        for student, row in table.iterrows():
            entry = rows.setdefault(student, {
                "Student": _display_name(row.get("name", ""), student),
                "ID": row.get("lms_user_id", ""),
                "SIS User ID": student,
                "SIS Login ID": student,
                "Section": "",
            })
            entry[headers[name]] = f"{row['final_score']:g}" if row["status"] == GRADED else ""
    columns = FIXED_COLUMNS + list(headers.values())
    return pd.DataFrame([points, *rows.values()], columns=columns).fillna("")


def write(tables: dict[str, pd.DataFrame], path: Path, canvas_ids: dict[str, str] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    gradebook(tables, canvas_ids).to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
    return path
