"""Item analysis: how hard each question was and how well it separated students.

Only graded submissions count (errors and missing submissions have no scores).
Per question:

- ``mean``: the mean score, and ``mean_share`` the mean as a share of the points;
- ``full_marks``: the share of students with full marks;
- ``discrimination``: the corrected item-total correlation, Pearson's r between
  the question's score and the total of the *other* questions. Values under 0.2
  mean the question does not separate stronger from weaker students; it is
  blank when fewer than three students were graded or scores do not vary.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from course.plotting import OKABE_ITO, describe_bars, integer_ticks, use_casebook_style

WEAK_DISCRIMINATION = 0.2
MIN_STUDENTS = 3
FULL_MARKS_TOLERANCE = 1e-9


def _corrected_correlation(item: pd.Series, rest: pd.Series) -> float:
    if len(item) < MIN_STUDENTS or item.std() == 0 or rest.std() == 0:
        return float("nan")
    return float(np.corrcoef(item, rest)[0, 1])


def analyse(cells: pd.DataFrame, points: dict[str, float]) -> pd.DataFrame:
    """One row per question from a students-by-cell table of graded submissions."""
    graded = cells.dropna(how="any")
    total = graded.sum(axis=1)
    rows = []
    for question, maximum in points.items():
        item = graded[question]
        rows.append({
            "question": question,
            "points": maximum,
            "students": len(item),
            "mean": item.mean(),
            "mean_share": item.mean() / maximum if maximum else float("nan"),
            "full_marks": (item >= maximum - FULL_MARKS_TOLERANCE).mean() if len(item) else float("nan"),
            "discrimination": _corrected_correlation(item, total - item),
        })
    return pd.DataFrame(rows).set_index("question")


def item_figure(items: pd.DataFrame, case: str):
    """One chart: per question, mean share of points, share of full marks and discrimination."""
    use_casebook_style()
    shown = items[["mean_share", "full_marks", "discrimination"]].rename(columns={
        "mean_share": "mean score (share of points)",
        "full_marks": "students with full marks (share)",
        "discrimination": "discrimination (corrected item-total r)",
    })
    height = max(3.0, 0.45 * len(items) + 1.5)
    fig = Figure(figsize=(8, height))
    ax = fig.subplots()
    shown.iloc[::-1].plot.barh(ax=ax, color=[OKABE_ITO["blue"], OKABE_ITO["sky"], OKABE_ITO["orange"]], width=0.8)
    ax.axvline(0, color=OKABE_ITO["black"], linewidth=0.8)
    ax.axvline(WEAK_DISCRIMINATION, color=OKABE_ITO["vermillion"], linestyle="--", linewidth=1,
               label=f"weak discrimination below {WEAK_DISCRIMINATION}")
    ax.set_xlim(-1, 1.05)
    ax.set_xlabel("share (0 to 1); discrimination from -1 to 1")
    ax.set_ylabel("")
    ax.set_title(f"Item analysis, {case} ({int(items['students'].max() if len(items) else 0)} graded students)")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def totals_figure(totals: pd.Series, maximum: float, case: str):
    """A histogram of final scores, one bin per point."""
    use_casebook_style()
    fig = Figure()
    ax = fig.subplots()
    bins = np.arange(0, np.ceil(maximum) + 2) - 0.5
    ax.hist(totals, bins=bins, color=OKABE_ITO["blue"], edgecolor="white")  # type: ignore[arg-type]  # an array of edges
    ax.set_xlim(-0.5, np.ceil(maximum) + 0.5)
    integer_ticks(ax.xaxis)  # one bin per point
    integer_ticks(ax.yaxis)  # students
    ax.set_xlabel(f"final score (of {maximum:g})")
    ax.set_ylabel("students")
    ax.set_title(f"Final scores, {case}")
    fig.tight_layout()
    return fig


def describe_totals(totals: pd.Series, maximum: float) -> str:
    """The histogram in words, for readers who cannot see it."""
    if totals.empty:
        return "Histogram of final scores: no graded submission."
    counts = totals.round().astype(int).value_counts().sort_index()
    spread = "; ".join(f"{score} points: {count}" for score, count in counts.items())
    return (f"Histogram of final scores (of {maximum:g}) for {len(totals)} graded students: "
            f"mean {totals.mean():.2f}, median {totals.median():g}, lowest {totals.min():g}, "
            f"highest {totals.max():g}. Students per score (rounded): {spread}.")


@dataclass(frozen=True)
class FigureText:
    """What the report says about a figure, each part once: ``alt``, the image's alternative text,
    says what it shows; ``caption``, shown under it, what to read from it; ``data``, its numbers
    in words (shown on request), for readers who cannot see it."""

    alt: str
    caption: str
    data: str


def _names(questions) -> str:
    return ", ".join(str(q) for q in questions)


def item_text(items: pd.DataFrame, data: str) -> FigureText:
    """The item-analysis chart's texts; ``data`` is its description (``describe_bars``)."""
    alt = (f"Horizontal bar chart, one group of three bars per question ({len(items)} questions): mean score "
           f"and share of students with full marks (0 to 1), and discrimination (-1 to 1), with a dashed "
           f"line at {WEAK_DISCRIMINATION}.")
    scored = items["discrimination"].dropna()
    if scored.empty:
        read = (f"No discrimination to read: fewer than {MIN_STUDENTS} graded students, or scores that do "
                "not vary.")
    else:
        weak = scored[scored < WEAK_DISCRIMINATION].index
        read = (f"Orange bars left of the dashed line mark questions that separate stronger from weaker students "
                f"poorly: {_names(weak)}." if len(weak) else
                f"Every orange bar is right of the dashed line: each question with a discrimination separates "
                f"stronger from weaker students (r of {WEAK_DISCRIMINATION} or more).")
    shares = items["mean_share"].dropna()
    if shares.nunique() == 1:
        read += f" Every question has the same mean score, {shares.iloc[0]:.0%} of its points."
    elif not shares.empty:
        hardest = shares[shares == shares.min()].index
        read += (f" The shortest dark blue bars are the hardest questions: {_names(hardest)} "
                 f"(mean {shares.min():.0%} of the points).")
    return FigureText(alt, read, data)


def totals_text(totals: pd.Series, maximum: float) -> FigureText:
    """The histogram's texts."""
    alt = f"Histogram of final scores from 0 to {maximum:g} points, one bar per point; bar height: students."
    if totals.empty:
        return FigureText(alt, "No graded submission: the histogram is empty.", describe_totals(totals, maximum))
    low = int((totals < maximum / 2).sum())
    read = (f"{len(totals)} graded students; mean {totals.mean():.2f} and median {totals.median():g} of "
            f"{maximum:g}; {low} below half marks.")
    return FigureText(alt, read, describe_totals(totals, maximum))


def save_figures(items: pd.DataFrame, totals: pd.Series, maximum: float, case: str,
                 out: Path) -> dict[str, FigureText]:
    """Write ``item_analysis.png`` and ``totals.png`` to ``out``; return what the report says of each."""
    out.mkdir(parents=True, exist_ok=True)
    texts = {}
    fig = item_figure(items, case)
    texts["item_analysis.png"] = item_text(items, describe_bars(fig))
    fig.savefig(out / "item_analysis.png", dpi=120)
    fig = totals_figure(totals, maximum, case)
    texts["totals.png"] = totals_text(totals, maximum)
    fig.savefig(out / "totals.png", dpi=120)
    return texts
