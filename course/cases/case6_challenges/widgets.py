"""Explorers for case 6, challenges and optimization."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from course.cases.case6_challenges import challenges
from course.widgets import explorer, slider


def margin_explorer(facts: pd.DataFrame) -> widgets.VBox:
    """What would have to be true for a fee cut to add the claimed points of net margin?"""
    def fact(fact_id: str) -> float:
        return challenges.fact_value(facts, fact_id)

    claimed = fact("000_net_margin_gain_fee_cut")
    fee_before = slider("Fee before (% of sales)", fact("000_transaction_fee_before"), 0, 5, 0.1)
    fee_after = slider("Fee after (% of sales)", fact("000_transaction_fee_target"), 0, 5, 0.1)
    price = slider("Price per unit (USD)", challenges.EXAMPLE_PRICE, 1, 100, 1, ".0f")
    costs = slider("Other costs per unit (USD)", challenges.EXAMPLE_COSTS, 0, 100, 0.5)
    cost_cut = slider("Cut in other costs (%)", 0, 0, 50, 1, ".0f")
    volume = slider("Change in units sold (%)", 0, -50, 200, 5, ".0f")
    fixed = slider("Fixed costs (% of today's sales)", 0, 0, 50, 1, ".0f")

    def render() -> str:
        common = dict(fixed_costs=fixed.value / 100 * price.value)
        try:
            before = challenges.net_margin(price.value, costs.value, fee_before.value / 100, **common)
            change = challenges.margin_change(
                price.value, costs.value, fee_before.value / 100, fee_after.value / 100,
                costs_after=challenges.cut_by_percent(costs.value, cost_cut.value),
                units_after=1 + volume.value / 100, **common)
        except ValueError as err:
            return f"<b>Not a valid P&amp;L:</b> {err}"
        verdict = "reaches" if change >= claimed - 1e-9 else "falls short of"
        relative = (f"{challenges.relative_profit_change(before, change):+.1f}%"
                    if before > 0 else "not defined: no profit before")
        return (
            f"<p>Illustrative merchant (assumed numbers, not data from the reading).</p>"
            f"<p>Net margin {before:.1f}% before, {before + change:.1f}% after: "
            f"<b>{change:+.2f} percentage points</b> (profit per dollar of sales {relative}). "
            f"This {verdict} the claimed +{claimed:g} points.</p>"
        )

    return explorer([fee_before, fee_after, price, costs, cost_cut, volume, fixed], render)


def green_path_explorer(facts: pd.DataFrame) -> widgets.VBox:
    """Vary the assumed starting share of green products; see the growth the 2030 target needs."""
    target_fact = facts.loc[facts["id"] == "000_green_product_share_target"].iloc[0]
    target, target_year = float(target_fact["value"]), int(target_fact["period"])
    start = slider("Assumed share now (%)", challenges.ASSUMED_GREEN_SHARE, 1, target, 1, ".0f")
    base_year = widgets.IntSlider(value=challenges.ASSUMED_BASE_YEAR, min=2024, max=target_year - 1,
                                  description="Assumed base year", continuous_update=False,
                                  style={"description_width": "14em"}, layout=widgets.Layout(width="34em"))

    def render() -> str:
        years = target_year - base_year.value
        growth = challenges.yearly_growth_needed(start.value, target, years)
        path = challenges.green_path(start.value, target, base_year.value, target_year)
        row = " ".join(f"{year}: {share:.1f}%" for year, share in path.items())
        return (
            f"<p>ASSUMED starting share (the reading gives none). Target {target:g}% by {target_year} "
            f"(reading 000, §7.2).</p>"
            f"<p>Growth needed: <b>{growth:.1f}% a year</b>, compounded, or "
            f"{(target - start.value) / years:.1f} percentage points a year in a straight line.</p>"
            f"<p>Path: {row}</p>"
        )

    return explorer([start, base_year], render)
