"""Explorers for case 1, market selection."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from course.cases.case1_market_selection import market
from course.widgets import explorer


def delivery_explorer(facts: pd.DataFrame) -> widgets.VBox:
    """Pick a region and the end of a range; see the speed-up it implies."""
    tables = {end: market.delivery_times(facts, range_end=end) for end in ("high", "low")}
    region = widgets.Dropdown(options=list(tables["high"].index), description="Region")
    range_end = widgets.ToggleButtons(
        options=[("high end of a range", "high"), ("low end", "low")], description="Ranges"
    )

    def render() -> str:
        row = tables[range_end.value].loc[region.value]
        times = market.speed_up(row["before_days"], row["after_days"])
        return (
            f"<b>{region.value}</b>: {row['before_days']:g} days before, {row['after_days']:g} after: "
            f"{row['before_days'] - row['after_days']:g} days saved, {times:.2f} times faster."
        )

    return explorer([region, range_end], render)
