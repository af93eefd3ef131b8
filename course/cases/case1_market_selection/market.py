"""Market selection (reading 000, §2): delivery gains, clearance and GMV shares.

These functions are the answer key's arithmetic: the hidden tests of the
market-selection case compare students' results with them, and the case's
widget explores them.
"""

from __future__ import annotations

import pandas as pd

HOURS_PER_DAY = 24
BEFORE_SCENARIOS = ("before", "industry_average")


def speed_up(before: float, after: float) -> float:
    """How many times faster ``after`` is than ``before`` (both durations in one unit)."""
    if before <= 0 or after <= 0:
        raise ValueError(f"Durations must be positive, got before={before} and after={after}.")
    return before / after


def percent_reduction(before: float, after: float) -> float:
    """By how many percent ``after`` is below ``before``."""
    if before <= 0:
        raise ValueError(f"The starting value must be positive, got {before}.")
    return (before - after) / before * 100


def delivery_times(facts: pd.DataFrame, range_end: str = "high") -> pd.DataFrame:
    """Delivery days before and after, one row per region that has both.

    ``facts`` is the facts table. A range such as "6-7 days" counts as its
    high end by default (the cautious reading of a gain) or its low end.
    """
    if range_end not in ("high", "low"):
        raise ValueError("range_end must be 'high' or 'low'.")
    rows = facts[(facts["metric"] == "delivery_time_days") & facts["region"].notna()].copy()
    days = rows["value_high"].fillna(rows["value"]) if range_end == "high" else rows["value"]
    rows = rows.assign(days=days.astype(float))
    rows["when"] = rows["scenario"].astype(str).map(
        lambda scenario: (
            "before_days" if scenario in BEFORE_SCENARIOS else "after_days" if scenario == "after" else None
        )
    )
    rows = rows.dropna(subset=["when"])
    # The same claim repeated in several sections carries the same number.
    table = rows.pivot_table(index="region", columns="when", values="days", aggfunc="first", observed=True)
    table = table.dropna()[["before_days", "after_days"]]
    table.index = table.index.astype(str)
    table.columns.name = None
    return table.sort_index()


def add_gains(delivery: pd.DataFrame) -> pd.DataFrame:
    """``delivery`` with ``days_saved`` and ``speed_up`` columns added."""
    return delivery.assign(
        days_saved=delivery["before_days"] - delivery["after_days"],
        speed_up=[speed_up(b, a) for b, a in zip(delivery["before_days"], delivery["after_days"])],
    )


def hours_for_claimed_speed_up(before_hours: float, claimed_times: float) -> float:
    """The time that would make a ``claimed_times``-fold speed-up true."""
    return before_hours / claimed_times
