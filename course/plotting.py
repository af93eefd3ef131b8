"""Plot style, and reading a student's figure back as data for grading.

Colours are the Okabe-Ito palette, which stays distinguishable under the
common forms of colour blindness. Graded plot exercises are checked by
reading the bars or lines back out of the figure, never by looking at pixels.
"""

from __future__ import annotations

import hashlib

import matplotlib as mpl
from cycler import cycler
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
PALETTE = list(OKABE_ITO.values())


def use_casebook_style() -> None:
    """Colour-blind-safe colours and readable sizes for every later figure."""
    mpl.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=PALETTE),
            "figure.figsize": (7, 4),
            "figure.dpi": 100,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "legend.frameon": False,
        }
    )


def integer_ticks(axis) -> None:
    """Ticks on whole numbers only, for an axis that counts (students, points): a histogram's
    count axis otherwise reads 0.0, 0.2, ... 1.0 when every bar is one student high."""
    axis.set_major_locator(MaxNLocator(integer=True))


def wrapped(table):
    """``table`` shown whole: long text wraps inside its cell, left-aligned, instead of being cut
    at pandas' 50 characters (Table 1's outcomes, Table 3's actions)."""
    # a Styler's default id is random; one from the contents keeps a re-run's output identical
    uuid = hashlib.sha256(table.to_json().encode()).hexdigest()[:8]
    return table.style.set_uuid(uuid).set_properties(
        **{"white-space": "pre-wrap", "text-align": "left", "vertical-align": "top"})


def _only_axes(fig):
    if not isinstance(fig, Figure):
        raise AssertionError(f"Expected a matplotlib Figure, got {type(fig).__name__}.")
    axes = [ax for ax in fig.axes if ax.has_data()]
    if len(axes) != 1:
        raise AssertionError(f"Expected one plot with data in the figure, found {len(axes)}.")
    return axes[0]


def _category_labels(ax, container: BarContainer, horizontal: bool) -> list[str]:
    ticks = ax.get_yticks() if horizontal else ax.get_xticks()
    labels = [t.get_text() for t in (ax.get_yticklabels() if horizontal else ax.get_xticklabels())]
    by_position = dict(zip(ticks, labels))
    names = []
    for bar in container:
        centre = bar.get_y() + bar.get_height() / 2 if horizontal else bar.get_x() + bar.get_width() / 2
        nearest = min(by_position, key=lambda tick: abs(tick - centre)) if by_position else None
        names.append(by_position.get(nearest, ""))
    return names


def bar_data(fig) -> dict[str, dict[str, float]]:
    """The bars of a (possibly grouped) bar chart: ``{series label: {category: length}}``.

    Series labels are the legend labels; categories are the tick labels
    nearest each bar. Works for vertical and horizontal bars.
    """
    ax = _only_axes(fig)
    containers = [c for c in ax.containers if isinstance(c, BarContainer)]
    if not containers:
        raise AssertionError("The figure has no bars: use ax.bar or ax.barh (or DataFrame.plot.bar).")
    series = {}
    for container in containers:
        horizontal = container.orientation == "horizontal"
        names = _category_labels(ax, container, horizontal)
        lengths = [bar.get_width() if horizontal else bar.get_height() for bar in container]
        series[str(container.get_label())] = dict(zip(names, map(float, lengths)))
    return series


def axis_labels(fig) -> tuple[str, str, str]:
    """(title, x label, y label) of the figure's plot."""
    ax = _only_axes(fig)
    return ax.get_title(), ax.get_xlabel(), ax.get_ylabel()


def readable_number(value: float) -> str:
    """A number as a reader says it: three significant figures, whole numbers from 100 up with
    thousands separators, never scientific notation (0.3333333 -> 0.333, 12345.6 -> 12,346)."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    text = f"{value:.3g}"
    return f"{value:.3f}".rstrip("0").rstrip(".") if "e" in text else text


def describe_bars(fig) -> str:
    """A plain-text description of a bar chart, for readers who cannot see it."""
    title, xlabel, ylabel = axis_labels(fig)
    lines = [f"Bar chart{': ' + title if title else ''} ({xlabel or 'categories'} against {ylabel or 'values'})."]
    for label, bars in bar_data(fig).items():
        values = "; ".join(f"{category} {readable_number(length)}" for category, length in bars.items())
        lines.append(f"{label}: {values}.")
    return "\n".join(lines)
