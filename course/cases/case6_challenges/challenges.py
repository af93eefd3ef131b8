"""Challenges and optimization (reading 000, §7): compliance costs, payment fees
and margins, payment methods, the green-product target.

These functions are the answer key's arithmetic: the hidden tests of the
challenges case compare students' results with them, and the case's widgets
explore them.
"""

from __future__ import annotations

import pandas as pd

from course.cases.case1_market_selection.market import percent_reduction

COMPLIANCE_REGIONS = ("Brazil", "Southeast Asia")

# Not data: the reading gives no current share of green products. Students
# vary it in the explorer; every result that uses it says so.
ASSUMED_GREEN_SHARE = 10.0
ASSUMED_BASE_YEAR = 2025

# An illustrative merchant, not data: the reading gives no price or cost.
EXAMPLE_PRICE = 20.0
EXAMPLE_COSTS = 17.0


def fact_value(facts: pd.DataFrame, fact_id: str) -> float:
    """The value of fact ``fact_id`` in the facts table ``facts``."""
    return float(facts.loc[facts["id"] == fact_id, "value"].iloc[0])


def _check_share(name: str, value: float) -> None:
    if not 0 <= value <= 100:
        raise ValueError(f"{name} is a percentage between 0 and 100, got {value}.")


def cut_by_percent(value: float, percent: float) -> float:
    """``value`` after a cut of ``percent`` per cent of itself (not ``percent`` points)."""
    _check_share("The cut", percent)
    return value * (1 - percent / 100)


def compliance_table(facts: pd.DataFrame, cut_pct: float | None = None) -> pd.DataFrame:
    """Compliance costs in percent of the sales price, now and after the §7.2 target.

    Brazil's 32% is stated (§7.1); Southeast Asia's is implied by "20 percentage
    points higher". The planned tax service centres are in São Paulo and
    Mexico City, so the cut applies to Brazil only.
    """
    brazil = fact_value(facts, "000_brazil_compliance_cost_share")
    southeast_asia = brazil - fact_value(facts, "000_brazil_compliance_cost_gap_vs_sea")
    cut = fact_value(facts, "000_compliance_cost_reduction_target") if cut_pct is None else cut_pct
    table = pd.DataFrame(
        {"now": [brazil, southeast_asia], "after_target": [cut_by_percent(brazil, cut), southeast_asia]},
        index=list(COMPLIANCE_REGIONS),
    )
    table.index.name = "region"
    return table


def relative_difference_pct(value: float, base: float) -> float:
    """By how many percent ``value`` is above ``base`` (a percent of ``base``, not points)."""
    return -percent_reduction(base, value)


def net_margin(price: float, costs: float, fee_rate: float, units: float = 1, fixed_costs: float = 0) -> float:
    """Net margin in percent of revenue for a simple P&L.

    Revenue is ``price * units``; the payment fee is ``fee_rate`` (a fraction,
    0.025 for 2.5%) of revenue; ``costs`` are all other costs per unit;
    ``fixed_costs`` do not grow with volume.
    """
    if price <= 0:
        raise ValueError(f"The price must be positive, got {price}.")
    if not 0 <= fee_rate <= 1:
        raise ValueError(f"A fee rate is a fraction between 0 and 1 (0.025 for 2.5%), got {fee_rate}.")
    if costs < 0 or fixed_costs < 0:
        raise ValueError("Costs cannot be negative.")
    if units <= 0:
        raise ValueError(f"The number of units must be positive, got {units}.")
    revenue = price * units
    profit = revenue - fee_rate * revenue - costs * units - fixed_costs
    return profit / revenue * 100


def margin_change(price: float, costs: float, fee_before: float, fee_after: float, *,
                  costs_after: float | None = None, units: float = 1, units_after: float | None = None,
                  fixed_costs: float = 0) -> float:
    """Change in net margin, in percentage points, when the fee rate moves from
    ``fee_before`` to ``fee_after`` (and, optionally, unit costs or volume change too)."""
    before = net_margin(price, costs, fee_before, units, fixed_costs)
    after = net_margin(price, costs if costs_after is None else costs_after, fee_after,
                       units if units_after is None else units_after, fixed_costs)
    return after - before


def relative_profit_change(margin_before_pct: float, gain_points: float) -> float:
    """By how many percent profit grows when a margin of ``margin_before_pct`` gains
    ``gain_points`` points at unchanged revenue."""
    return relative_difference_pct(margin_before_pct + gain_points, margin_before_pct)


def margin_for_relative_gain(gain_points: float, relative_gain_pct: float) -> float:
    """The net margin (percent) at which a gain of ``gain_points`` points is a
    ``relative_gain_pct`` per cent rise in profit."""
    if relative_gain_pct <= 0:
        raise ValueError(f"The relative gain must be positive, got {relative_gain_pct}.")
    return gain_points / relative_gain_pct * 100


def method_shares(payments: pd.DataFrame) -> pd.DataFrame:
    """Percent of payments by method (columns) within each region (rows)."""
    shares = pd.crosstab(payments["region"].astype(str), payments["method"].astype(str), normalize="index") * 100
    shares.index.name, shares.columns.name = "region", "method"
    return shares


def yearly_growth_needed(start_share: float, target_share: float, years: float) -> float:
    """Constant yearly growth (percent a year, compounded) that takes a share from
    ``start_share`` to ``target_share`` in ``years`` years."""
    _check_share("The target share", target_share)
    if not 0 < start_share <= 100:
        raise ValueError(f"The starting share must be above 0 and at most 100, got {start_share}.")
    if years <= 0:
        raise ValueError(f"The number of years must be positive, got {years}.")
    return ((target_share / start_share) ** (1 / years) - 1) * 100


def green_path(start_share: float, target_share: float, start_year: int, target_year: int) -> pd.Series:
    """Share of green products year by year on the constant-growth path to the target."""
    growth = yearly_growth_needed(start_share, target_share, target_year - start_year)
    years = range(start_year, target_year + 1)
    path = pd.Series([start_share * (1 + growth / 100) ** (year - start_year) for year in years],
                     index=list(years), name="green_share_pct")
    path.index.name = "year"
    return path


def claims_about(facts: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Every row of the facts table that states ``metric``, with where it is stated."""
    rows = facts.loc[facts["metric"] == metric, ["id", "section", "entity", "region", "value", "quote"]]
    return rows.reset_index(drop=True)

