"""Product selection and pricing (reading 000, §4): growth multiples, the
test-and-reorder rule, blockbuster rates (Figure 2) and tiered prices.

These functions are the answer key's arithmetic: the hidden tests of the
product-pricing case compare students' results with them, and the case's
widget explores them.
"""

from __future__ import annotations

import pandas as pd

from course.cases.case1_market_selection.market import percent_reduction

BLOCKBUSTER_SELL_THROUGH = 0.8
REORDER_SELL_THROUGH = 0.5


def growth_multiple(percent: float) -> float:
    """"Grew by ``percent``%" as a multiple of the earlier value (120 -> 2.2)."""
    if percent < -100:
        raise ValueError(f"Nothing can fall by more than 100%, got {percent}%.")
    return 1 + percent / 100


def percent_change(before: float, after: float) -> float:
    """Relative change from ``before`` to ``after``, in percent of ``before``."""
    return -percent_reduction(before, after)


def discount_from_ratio(share_percent: float) -> float:
    """The discount, in percent, of a price set at ``share_percent``% of a reference price."""
    if share_percent <= 0:
        raise ValueError(f"A price is a positive share of its reference, got {share_percent}%.")
    return 100 - share_percent


def tiered_price(reference_price: float, share_percent: float) -> float:
    """The price set at ``share_percent``% of ``reference_price``."""
    if reference_price <= 0:
        raise ValueError(f"The reference price must be positive, got {reference_price}.")
    if share_percent <= 0:
        raise ValueError(f"The share of the reference price must be positive, got {share_percent}%.")
    return reference_price * share_percent / 100


# How each pricing claim of §4.1-§4.2 turns into a multiple of its reference
# (a competitor's price, single items' order value, an independent website's price).
_MULTIPLE_RULES = {
    "price_relative_to_amazon": lambda value: value / 100,
    "average_order_value_change": growth_multiple,
    "price_discount_vs_independent_websites": lambda value: 1 - value / 100,
}


def reference_multiple(metric: str, value: float) -> float:
    """A pricing claim as a multiple of its reference value (30% of Amazon's -> 0.3)."""
    try:
        rule = _MULTIPLE_RULES[metric]
    except KeyError:
        raise ValueError(f"No pricing rule for metric {metric!r}; known: {', '.join(_MULTIPLE_RULES)}.") from None
    return rule(value)


def price_levers(facts: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """The facts ``ids`` (pricing claims) with their ``multiple`` of the reference, indexed by id."""
    rows = facts.set_index("id").loc[ids, ["entity", "metric", "value"]]
    multiples = [reference_multiple(str(m), float(v)) for m, v in zip(rows["metric"], rows["value"])]
    return rows.assign(multiple=multiples)


def sell_through(units_sold: pd.Series, first_order_units: pd.Series) -> pd.Series:
    """Share of the first order sold in the test window (1 = sold out)."""
    if (first_order_units <= 0).any():
        raise ValueError("Every first order must be positive.")
    return (units_sold / first_order_units).astype(float)


def rule_boundaries(trials: pd.DataFrame) -> dict[str, float]:
    """Where the sell-through of blockbusters, other products and reorders begins and ends."""
    rate = sell_through(trials["units_sold_14d"], trials["first_order_units"])
    blockbuster = trials["blockbuster"].astype(bool)
    reordered = trials["reordered"].astype(bool)
    return {
        "blockbuster_min": float(rate[blockbuster].min()),
        "other_max": float(rate[~blockbuster].max()),
        "reorder_min": float(rate[reordered].min()),
        "no_reorder_max": float(rate[~reordered].max()),
    }


def median_reorder_multiple(trials: pd.DataFrame, blockbuster: bool = True) -> float:
    """Median reorder as a multiple of the first order, among blockbusters (or among other reordered products)."""
    rows = trials[trials["blockbuster"].astype(bool) == blockbuster]
    multiple = (rows["reorder_units"] / rows["first_order_units"]).astype(float)
    return float(multiple.median())


def blockbuster_rates(trials: pd.DataFrame, threshold: float = BLOCKBUSTER_SELL_THROUGH) -> pd.DataFrame:
    """Percent of trial products whose sell-through reaches ``threshold``:
    one row per merchant type, one column per year."""
    if not 0 < threshold <= 1:
        raise ValueError(f"A sell-through threshold lies in (0, 1], got {threshold}.")
    hit = sell_through(trials["units_sold_14d"], trials["first_order_units"]) >= threshold
    rates = (
        trials.assign(hit=hit, merchant_type=trials["merchant_type"].astype(str), year=trials["year"].astype(int))
        .groupby(["merchant_type", "year"])["hit"].mean()
        .mul(100)
        .unstack("year")
    )
    rates.columns.name = None
    return rates


def stated_rates(figure2: pd.DataFrame) -> pd.DataFrame:
    """Figure 2's rates as the text states them: merchant types by years; years the text leaves out are absent."""
    stated = figure2[figure2["status"] == "stated"]
    table = stated.assign(merchant_type=stated["merchant_type"].astype(str), year=stated["year"].astype(int)).pivot(
        index="merchant_type", columns="year", values="blockbuster_rate_percent"
    )
    table.columns.name = None
    return table.astype(float)


def rate_growth(rates: pd.DataFrame, first: int = 2023, last: int = 2025) -> pd.DataFrame:
    """Growth of each row's rate from ``first`` to ``last``: in percentage points and in percent of the first value."""
    return pd.DataFrame(
        {
            "points": rates[last] - rates[first],
            "relative_pct": [percent_change(b, a) for b, a in zip(rates[first], rates[last])],
        },
        index=rates.index,
    )


def straight_line_points_per_year(rates: pd.DataFrame, first: int = 2023, last: int = 2025) -> pd.Series:
    """The average yearly change in points, *assuming* the rate moved in a straight line between the two years."""
    return (rates[last] - rates[first]) / (last - first)
