"""Reading sources critically (readings 001, 002 and 004 against 000 and 003):
the same facts told differently, figures at the wrong scale, ambiguous
wording, stated ratios, and who wrote what.

These functions are the answer key's arithmetic: the hidden tests of the
source-criticism case compare students' results with them, and the case's
widget explores them.
"""

from __future__ import annotations

import pandas as pd

# Measures of AliExpress's size that more than one reading states in some form.
COMPARED_METRICS = ("countries_served", "active_buyers", "cross_border_customers", "people_reached")
CLAIM_COLUMNS = ["id", "reading_no", "entity", "metric", "period", "value", "bound", "unit", "value_text", "quote"]
# Countries stay a count; people of every kind go to millions, so that they can share a table.
COMMON_SCALE = {"count": 1.0, "users_million": 1.0, "people_billion": 1000.0}
MONTHS_PER_YEAR = 12
TARGET_NOTE = "Future target"

# How each reading is sourced, judged from seeds/README.md and the readings' own front matter.
SOURCING_LEVELS = {0: "no sources", 1: "a reference list, not tied to any figure", 2: "sources named beside the claims"}
_PROFILES = {
    # 000's front matter gives received, revised and accepted dates; it cites numbered references in the text.
    "000": ("journal article", "Zeying Chen, Zhuhai College of Science and Technology", "2026-02-18",
            True, True, 2, True),
    "001": ("blog essay", "not named (a 'data analysis specialist')", "undated", False, False, 0, False),
    # 002 names its speakers (Dai Shan, Wang Mingqiang, Wei Hao) and reports (E-commerce Foundation, Mintel).
    "002": ("news report", "He Wei, China Daily", "2019-05-14", True, True, 2, False),
    # 003 ends with a reference list, but no sentence says which reference a number comes from.
    "003": ("case-study blog post", "not named", "undated", False, False, 1, False),
    "004": ("short analysis", "not named", "undated", False, False, 0, False),
}
PROFILE_COLUMNS = ["kind", "author", "date", "author_named", "date_stated", "sourcing", "peer_reviewed"]
QUALITY_WEIGHTS = {"author_named": 1, "date_stated": 1, "sourcing": 1, "peer_reviewed": 2}


def reading_number(readings: pd.Series) -> pd.Series:
    """The three-digit number of each reading's file name ("000", "001", ...)."""
    return readings.astype(str).str[:3]


def claims_table(facts: pd.DataFrame, metrics=COMPARED_METRICS, entity: str | None = "AliExpress") -> pd.DataFrame:
    """The facts stating ``metrics`` (about ``entity``, or anyone when None), by metric and reading."""
    rows = facts[facts["metric"].isin(list(metrics))]
    if entity is not None:
        rows = rows[rows["entity"] == entity]
    rows = rows.assign(reading_no=reading_number(rows["reading"]))[CLAIM_COLUMNS]
    return rows.sort_values(["metric", "reading_no", "id"]).reset_index(drop=True)


def shared_metrics(facts: pd.DataFrame, min_readings: int = 2) -> list[str]:
    """The metrics that at least ``min_readings`` readings state, alphabetically."""
    readings = facts.assign(reading_no=reading_number(facts["reading"])).groupby("metric")["reading_no"].nunique()
    return sorted(readings[readings >= min_readings].index)


def comparison_table(claims: pd.DataFrame, scale: dict = COMMON_SCALE) -> pd.DataFrame:
    """One row per metric, one column per reading: each figure on the common scale of its unit."""
    units = claims["unit"].astype(str)
    unknown = sorted(set(units) - set(scale))
    if unknown:
        raise ValueError(f"No common scale for unit(s) {unknown}.")
    if claims.duplicated(subset=["metric", "reading_no"]).any():
        raise ValueError("Expected one figure per metric and reading.")
    common = claims.assign(common=claims["value"] * units.map(scale))
    table = common.pivot_table(index="metric", columns="reading_no", values="common", aggfunc="first")
    table.columns.name = None
    return table


def spread_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """For each metric stated by two readings or more: how many, the lowest, the highest,
    their difference and their ratio."""
    readings = comparison.notna().sum(axis=1)
    shared = comparison[readings >= 2]
    low, high = shared.min(axis=1), shared.max(axis=1)
    return pd.DataFrame(
        {"readings": readings[readings >= 2].astype(int), "low": low, "high": high,
         "spread": high - low, "ratio": high / low}
    )


def implied_total(part: float, share_pct: float) -> float:
    """The total of which ``part`` is ``share_pct`` per cent."""
    if not 0 < share_pct <= 100:
        raise ValueError(f"A share is a percentage above 0 and at most 100, got {share_pct}.")
    if part < 0:
        raise ValueError(f"The part cannot be negative, got {part}.")
    return part / (share_pct / 100)


def growth_readings(times: float) -> dict[str, float]:
    """"Increased ``times`` times" read two ways: as a multiple of the earlier value
    (x times) and as ``times`` times the earlier value added to it (x (times + 1))."""
    if not times >= 0:  # also refuses NaN
        raise ValueError(f"'Increased N times' needs N of zero or more, got {times}.")
    return {"multiple": float(times), "times_more": float(times) + 1}


def growth_table(facts: pd.DataFrame, metric: str = "transaction_volume_growth") -> pd.DataFrame:
    """Both readings of each "increased N times" claim of ``metric``, by region, with the
    second reading's excess over the first in percent."""
    rows = facts[facts["metric"] == metric]
    readings = pd.DataFrame([growth_readings(v) for v in rows["value"]], index=rows["region"].astype(str).to_numpy())
    readings.index.name = "region"
    return readings.assign(gap_pct=(readings["times_more"] - readings["multiple"]) / readings["multiple"] * 100)


def base_month_min_share(multiple: float) -> float:
    """When a month is ``multiple`` times the same month a year earlier and exceeds the
    whole earlier year, the smallest share (per cent) of that year the earlier month can have."""
    if not multiple > 0:
        raise ValueError(f"The multiple must be positive, got {multiple}.")
    return 100 / multiple


def vs_average_month(share_pct: float) -> float:
    """A month's share of its year, as a multiple of an average month's."""
    return share_pct / (100 / MONTHS_PER_YEAR)


def implied_baseline(after: float, percent_faster: float) -> dict[str, float]:
    """The old duration that makes ``after`` "``percent_faster``% faster", read two ways:
    the time fell by that percentage, or the speed rose by it."""
    if after <= 0:
        raise ValueError(f"The new duration must be positive, got {after}.")
    if not 0 <= percent_faster < 100:
        raise ValueError(f"A time cut lies between 0% and 100% (excluded), got {percent_faster}%.")
    return {"less_time": after / (1 - percent_faster / 100), "more_speed": after * (1 + percent_faster / 100)}


def max_sales_per_commission(commission_pct: float) -> float:
    """Sales per unit spent when a commission of ``commission_pct``% of sales is the only cost."""
    if not 0 < commission_pct <= 100:
        raise ValueError(f"A commission is a percentage above 0 and at most 100, got {commission_pct}.")
    return 100 / commission_pct


def latest_year(timeline: pd.DataFrame) -> pd.Series:
    """The latest year of an event each reading reports, future targets left out, by reading number.

    A reading cannot have been written before the last event it reports.
    """
    events = timeline[~timeline["note"].fillna("").str.startswith(TARGET_NOTE)]
    years = events.assign(reading_no=reading_number(events["reading"])).groupby("reading_no")["year"].max()
    return years.astype(int).rename("latest_year")


def source_profiles() -> pd.DataFrame:
    """Who wrote each reading, when, how it is sourced and whether it was peer reviewed."""
    profiles = pd.DataFrame.from_dict(_PROFILES, orient="index", columns=PROFILE_COLUMNS)
    profiles.index.name = "reading_no"
    return profiles


def quality_scores(profiles: pd.DataFrame, weights: dict = QUALITY_WEIGHTS) -> pd.DataFrame:
    """``profiles`` with a weighted ``score`` and its ``rank`` (1 = best; ties share the better rank)."""
    missing = sorted(set(weights) - set(profiles.columns))
    if missing:
        raise KeyError(f"No column(s) {missing} to weigh.")
    score = sum(profiles[column].astype(int) * weight for column, weight in weights.items())
    return profiles.assign(score=score, rank=score.rank(method="min", ascending=False).astype(int))

