"""The interactive explorers' shared parts; each case's explorers are in ``course/cases/<case>/widgets.py``.

Each explorer calls the same tested function that the graded cells are
checked against, so what a student sees moving is the answer key's logic.
Explorers are never placed in graded cells (a widget there would stall the
grader).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as widgets


def slider(description: str, value: float, low: float, high: float, step: float, fmt: str = ".1f",
           width: str = "34em") -> widgets.FloatSlider:
    """A labelled slider that reports only when released (each move re-runs a computation)."""
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               readout_format=fmt, continuous_update=False,
                               style={"description_width": "14em"}, layout=widgets.Layout(width=width))


def explorer(controls: Sequence[widgets.Widget], render: Callable[[], str]) -> widgets.VBox:
    """The controls above an HTML result that ``render()`` redraws whenever a control changes."""
    result = widgets.HTML()

    def show(_change=None) -> None:
        result.value = render()

    for control in controls:
        control.observe(show, names="value")
    show()
    return widgets.VBox([*controls, result])
