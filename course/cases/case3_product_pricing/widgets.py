"""Explorers for case 3, product selection and pricing."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from course.cases.case3_product_pricing import pricing
from course.widgets import explorer


def threshold_explorer(trials: pd.DataFrame) -> widgets.VBox:
    """Move the sell-through threshold that makes a blockbuster; see the rates and their growth."""
    threshold = widgets.FloatSlider(
        value=pricing.BLOCKBUSTER_SELL_THROUGH, min=0.5, max=1.0, step=0.05, readout_format=".2f",
        description="Threshold", continuous_update=False,
    )

    def render() -> str:
        rates = pricing.blockbuster_rates(trials, threshold.value)
        table = rates.join(pricing.rate_growth(rates)).rename(
            columns={"points": "change (points)", "relative_pct": "change (% of 2023)"}
        )
        return (
            f"<p>SYNTHETIC trials: blockbuster = sell-through of at least {threshold.value:.2f} in 14 days.</p>"
            + table.to_html(float_format=lambda x: f"{x:.1f}")
        )

    return explorer([threshold], render)
