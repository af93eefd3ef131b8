"""Alibaba's international expansion (reading 003): timeline, revenue share, reach.

These functions are the answer key's arithmetic: the hidden tests of the
expansion case compare students' results with them, and the case's widget
explores them.
"""

from __future__ import annotations

import pandas as pd

from course.cases.case1_market_selection import market

READING = "003_56eb73be327c13af.txt"
LAUNCH_ID = "003_2010_aliexpress_launched"
TIMELINE_COLUMNS = ["id", "year", "event", "entity"]
# Period edges are years; each period runs from the year after one edge to the next edge.
PERIOD_EDGES = [1990, 2009, 2015, 2020, 2030]
PERIOD_LABELS = ["to 2009", "2010-2015", "2016-2020", "2021 on"]
DEAL_WORDS = "acquires|invests"


def reading_timeline(timeline: pd.DataFrame, reading: str = READING) -> pd.DataFrame:
    """The events ``reading`` dates, most recent first, with a fresh index."""
    rows = timeline.loc[timeline["reading"] == reading, TIMELINE_COLUMNS]
    return rows.sort_values("year", ascending=False).reset_index(drop=True)


def events_per_period(events: pd.DataFrame, edges=PERIOD_EDGES, labels=PERIOD_LABELS) -> pd.Series:
    """How many of ``events`` fall in each period, empty periods included, in period order."""
    periods = pd.cut(events["year"].astype(int), bins=edges, labels=labels)
    return periods.value_counts(sort=False).rename("events")


def years_since(events: pd.DataFrame, event_id: str = LAUNCH_ID) -> pd.Series:
    """Years from event ``event_id`` to each of ``events`` (negative before it)."""
    matches = events.loc[events["id"] == event_id, "year"]
    if len(matches) != 1:
        raise KeyError(f"Expected one event with id {event_id!r}, found {len(matches)}.")
    return (events["year"] - matches.iloc[0]).astype(int).rename("years_since_launch")


def deal_gaps(events: pd.DataFrame, event_id: str = LAUNCH_ID) -> pd.Series:
    """Years from ``event_id`` to each acquisition or investment, indexed by event id."""
    gaps = years_since(events, event_id)
    deals = events["event"].str.contains(DEAL_WORDS, case=False)
    return pd.Series(gaps[deals].to_numpy(), index=events.loc[deals, "id"].to_numpy(), name="years_since_launch")


def point_change(start: float, end: float) -> float:
    """The change between two percentages, in percentage points."""
    return end - start


def percent_change(start: float, end: float) -> float:
    """The change from ``start`` to ``end`` relative to ``start``, in percent."""
    return -market.percent_reduction(start, end)


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate from ``start`` to ``end`` over ``years``, in percent a year."""
    if start <= 0:
        raise ValueError(f"The starting value must be positive, got {start}.")
    if end < 0:
        raise ValueError(f"The final value cannot be negative, got {end}.")
    if years <= 0:
        raise ValueError(f"The number of years must be positive, got {years}.")
    return ((end / start) ** (1 / years) - 1) * 100


def level_change_pct(share_start: float, share_end: float, total_change_pct):
    """Change of a part's level, in percent, when its share of a total moves from
    ``share_start`` to ``share_end`` while the total changes by ``total_change_pct``.

    Works element by element on a Series of total changes.
    """
    if share_start <= 0:
        raise ValueError(f"The starting share must be positive, got {share_start}.")
    return (share_end / share_start * (1 + total_change_pct / 100) - 1) * 100


def total_change_for_flat_level(share_start: float, share_end: float) -> float:
    """The change of the total, in percent, that leaves the part's level unchanged."""
    if share_end <= 0:
        raise ValueError(f"The final share must be positive, got {share_end}.")
    return (share_start / share_end - 1) * 100


def reach_by_reading(facts: pd.DataFrame) -> pd.Series:
    """AliExpress's stated number of countries (and regions), indexed by reading number."""
    rows = facts[(facts["metric"] == "countries_served") & (facts["entity"] == "AliExpress")]
    return pd.Series(rows["value"].to_numpy(), index=rows["reading"].astype(str).str[:3].to_numpy(), name="countries")


def all_can_hold(facts: pd.DataFrame) -> bool:
    """Whether one number of countries satisfies every reading's reach statement at once.

    "More than" and "N+" are lower bounds; an exact figure must clear them all.
    """
    rows = facts[(facts["metric"] == "countries_served") & (facts["entity"] == "AliExpress")]
    bound = rows["bound"].astype(str)
    unknown = set(bound) - {"exact", "over", "at_least"}
    if unknown:
        raise ValueError(f"Cannot compare reach statements with bounds {sorted(unknown)}.")
    # Countries are whole numbers: "more than 200" means at least 201.
    floors = pd.concat([rows.loc[bound == "at_least", "value"], rows.loc[bound == "over", "value"] + 1])
    exact = rows.loc[bound == "exact", "value"]
    return bool(exact.nunique() <= 1 and (exact >= floors.max()).all())
