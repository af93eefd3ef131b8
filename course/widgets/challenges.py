"""Explorers for case 6, challenges and optimization."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from course import challenges

def _slider(description: str, value: float, low: float, high: float, step: float, fmt: str = ".1f"):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               readout_format=fmt, continuous_update=False, style={"description_width": "14em"},
                               layout=widgets.Layout(width="34em"))


def margin_explorer(facts: pd.DataFrame) -> widgets.VBox:
    """What would have to be true for a fee cut to add the claimed points of net margin?"""
    def fact(fact_id: str) -> float:
        return challenges.fact_value(facts, fact_id)

    claimed = fact("000_net_margin_gain_fee_cut")
    fee_before = _slider("Fee before (% of sales)", fact("000_transaction_fee_before"), 0, 5, 0.1)
    fee_after = _slider("Fee after (% of sales)", fact("000_transaction_fee_target"), 0, 5, 0.1)
    price = _slider("Price per unit (USD)", challenges.EXAMPLE_PRICE, 1, 100, 1, ".0f")
    costs = _slider("Other costs per unit (USD)", challenges.EXAMPLE_COSTS, 0, 100, 0.5)
    cost_cut = _slider("Cut in other costs (%)", 0, 0, 50, 1, ".0f")
    volume = _slider("Change in units sold (%)", 0, -50, 200, 5, ".0f")
    fixed = _slider("Fixed costs (% of today's sales)", 0, 0, 50, 1, ".0f")
    result = widgets.HTML()

    def show(_change=None) -> None:
        common = dict(fixed_costs=fixed.value / 100 * price.value)
        try:
            before = challenges.net_margin(price.value, costs.value, fee_before.value / 100, **common)
            change = challenges.margin_change(
                price.value, costs.value, fee_before.value / 100, fee_after.value / 100,
                costs_after=challenges.cut_by_percent(costs.value, cost_cut.value),
                units_after=1 + volume.value / 100, **common)
        except ValueError as err:
            result.value = f"<b>Not a valid P&amp;L:</b> {err}"
            return
        verdict = "reaches" if change >= claimed - 1e-9 else "falls short of"
        relative = (f"{challenges.relative_profit_change(before, change):+.1f}%"
                    if before > 0 else "not defined: no profit before")
        result.value = (
            f"<p>Illustrative merchant (assumed numbers, not data from the reading).</p>"
            f"<p>Net margin {before:.1f}% before, {before + change:.1f}% after: "
            f"<b>{change:+.2f} percentage points</b> (profit per dollar of sales {relative}). "
            f"This {verdict} the claimed +{claimed:g} points.</p>"
        )

    for control in (fee_before, fee_after, price, costs, cost_cut, volume, fixed):
        control.observe(show, names="value")
    show()
    return widgets.VBox([fee_before, fee_after, price, costs, cost_cut, volume, fixed, result])


def green_path_explorer(facts: pd.DataFrame) -> widgets.VBox:
    """Vary the assumed starting share of green products; see the growth the 2030 target needs."""
    target_fact = facts.loc[facts["id"] == "000_green_product_share_target"].iloc[0]
    target, target_year = float(target_fact["value"]), int(target_fact["period"])
    start = _slider("Assumed share now (%)", challenges.ASSUMED_GREEN_SHARE, 1, target, 1, ".0f")
    base_year = widgets.IntSlider(value=challenges.ASSUMED_BASE_YEAR, min=2024, max=target_year - 1,
                                  description="Assumed base year", continuous_update=False,
                                  style={"description_width": "14em"}, layout=widgets.Layout(width="34em"))
    result = widgets.HTML()

    def show(_change=None) -> None:
        years = target_year - base_year.value
        growth = challenges.yearly_growth_needed(start.value, target, years)
        path = challenges.green_path(start.value, target, base_year.value, target_year)
        row = " ".join(f"{year}: {share:.1f}%" for year, share in path.items())
        result.value = (
            f"<p>ASSUMED starting share (the reading gives none). Target {target:g}% by {target_year} "
            f"(reading 000, §7.2).</p>"
            f"<p>Growth needed: <b>{growth:.1f}% a year</b>, compounded, or "
            f"{(target - start.value) / years:.1f} percentage points a year in a straight line.</p>"
            f"<p>Path: {row}</p>"
        )

    start.observe(show, names="value")
    base_year.observe(show, names="value")
    show()
    return widgets.VBox([start, base_year, result])
