"""Marketing and promotion (reading 000, §6): social commerce claims, the
influencer pyramid (on the SYNTHETIC campaign), the promotion calendar and
Table 3's percent outcomes.

These functions are the answer key's arithmetic: the hidden tests of the
marketing case compare students' results with them, and the case's widgets
explore them. Outcome texts are read by :mod:`course.outcomes`.
"""

from __future__ import annotations

import re

import pandas as pd

from course.outcomes import OUTCOME_FIELDS

READING = "000_2ac75adefbd94969.txt"
CLAIM_COLUMNS = ["id", "section", "entity", "metric", "value", "bound", "unit"]
TIERS = ["top", "mid", "grassroots"]
PYRAMID_FACTS = {
    "top": "000_influencer_pyramid_top_share",
    "mid": "000_influencer_pyramid_mid_share",
    "grassroots": "000_influencer_pyramid_grassroots_share",
}
FESTIVALS = ["Spring Festival", "Ramadan", "Christmas", "Black Friday"]


def claims_of(facts: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """Reading 000's claims about ``metrics``, one row per place stated, in section order."""
    rows = facts[(facts["reading"] == READING) & facts["metric"].isin(metrics)]
    return rows[CLAIM_COLUMNS].sort_values(["section", "id"]).reset_index(drop=True)


def implied_baseline(new_value: float, percent_lower: float) -> float:
    """The value that ``new_value`` is ``percent_lower``% below ("USD 3, 60% lower" -> 7.5)."""
    if new_value <= 0:
        raise ValueError(f"The new value must be positive, got {new_value}.")
    if not 0 <= percent_lower < 100:
        raise ValueError(f"A value can be 0% to under 100% lower than another, got {percent_lower}%.")
    return new_value / (1 - percent_lower / 100)


def tier_shares(campaign: pd.DataFrame) -> pd.Series:
    """Percent of the campaign's influencers in each tier, top tier first."""
    counts = campaign["tier"].astype(str).value_counts()
    return (counts.reindex(TIERS, fill_value=0) / len(campaign) * 100).rename("share_pct")


def stated_shares(facts: pd.DataFrame) -> pd.Series:
    """The pyramid's shares as §6.1 states them, in percent."""
    values = facts.set_index("id")["value"]
    shares = {tier: float(values[fact_id]) for tier, fact_id in PYRAMID_FACTS.items()}
    return pd.Series(shares, name="share_pct").rename_axis("tier")


def total_cost(campaign: pd.DataFrame) -> pd.Series:
    """What each influencer was paid: commission plus fixed fee, in USD."""
    return campaign["commission_usd"] + campaign["fixed_fee_usd"]


def tier_summary(campaign: pd.DataFrame) -> pd.DataFrame:
    """Per tier: influencers, GMV, cost, new customers, ROI (GMV / cost) and CAC (cost / new customer)."""
    rows = campaign.assign(tier=campaign["tier"].astype(str), cost_usd=total_cost(campaign))
    summary = rows.groupby("tier").agg(
        influencers=("influencer_id", "size"),
        gmv_usd=("gmv_usd", "sum"),
        cost_usd=("cost_usd", "sum"),
        new_customers=("new_customers", "sum"),
    ).reindex(TIERS)
    summary = summary.astype({"influencers": "int64", "new_customers": "int64"})
    return summary.assign(
        roi=summary["gmv_usd"] / summary["cost_usd"],
        cac_usd=summary["cost_usd"] / summary["new_customers"],
    )


def mean_individual_roi(campaign: pd.DataFrame) -> pd.Series:
    """Per tier, the average of each influencer's own GMV / cost (influencers paid nothing left out)."""
    cost = total_cost(campaign)
    roi = (campaign["gmv_usd"] / cost.where(cost > 0)).astype(float)
    return roi.groupby(campaign["tier"].astype(str)).mean().reindex(TIERS)


def roi_ceiling(commission_rate: float) -> float:
    """The highest GMV / cost a commission of ``commission_rate`` (a fraction of GMV) allows: it is
    reached when the commission is the only cost. Pass commission plus fees for a total pay share."""
    if not 0 < commission_rate <= 1:
        raise ValueError(f"A commission rate is a fraction of GMV in (0, 1], got {commission_rate}; 15% is 0.15.")
    return 1 / commission_rate


def max_cost_share_pct(roi: float) -> float:
    """The largest total cost, in percent of GMV, that still returns ``roi`` (GMV / cost)."""
    if roi <= 0:
        raise ValueError(f"A return (GMV / cost) must be positive, got {roi}.")
    return 100 / roi


def reprice_commission(campaign: pd.DataFrame, commission_rate: float) -> pd.DataFrame:
    """The campaign with every commission-paid influencer paid ``commission_rate`` instead."""
    roi_ceiling(commission_rate)
    paid = campaign["commission_rate"] > 0
    return campaign.assign(
        commission_rate=campaign["commission_rate"].where(~paid, commission_rate),
        commission_usd=campaign["commission_usd"].where(~paid, (campaign["gmv_usd"] * commission_rate).round(2)),
    )


def promotion_events(timeline: pd.DataFrame, festivals: list[str] = FESTIVALS) -> pd.DataFrame:
    """Reading 000's dated events that mention one of ``festivals``."""
    pattern = "|".join(re.escape(name) for name in festivals)
    mentions = timeline["event"].str.contains(pattern, case=False, regex=True)
    return timeline[(timeline["reading"] == READING) & mentions].reset_index(drop=True)


def festivals_without_events(timeline: pd.DataFrame, festivals: list[str] = FESTIVALS) -> list[str]:
    """The ``festivals`` that none of reading 000's dated events mentions."""
    events = promotion_events(timeline, festivals)["event"].str.lower()
    return [name for name in festivals if not events.str.contains(name.lower(), regex=False).any()]


def repeated_claims(facts: pd.DataFrame, section: str, earlier: str) -> list[str]:
    """Ids of reading 000's claims in ``section`` whose metric and value were already stated in ``earlier``."""
    own = facts[facts["reading"] == READING]
    later = own[own["section"] == section][["id", "metric", "value"]]
    before = own[own["section"] == earlier][["metric", "value"]].drop_duplicates()
    return sorted(later.merge(before, on=["metric", "value"])["id"])


def percent_outcomes(tidy: pd.DataFrame) -> pd.DataFrame:
    """The percent outcomes of a tidy outcomes table, labelled "Region: metric", with a signed value.

    A change downwards is negative ("down 22%" -> -22). A level stays as it is:
    "down to 28%" is a rate of 28%, not a fall.
    """
    rows = tidy[tidy["unit"] == "percent"]
    falling = (rows["kind"] == "change") & (rows["direction"] == "down")
    return rows.assign(
        label=rows["region"].astype(str) + ": " + rows["metric"].fillna("(unnamed)"),
        signed_value=rows["value"].where(~falling, -rows["value"]),
    ).reset_index(drop=True)


def comparable_outcomes(rows: list[dict]) -> list[dict]:
    """Outcome dicts reduced to the six fields, metric in lower case and value a float, for comparing parsers."""
    return [
        {**{name: row.get(name) for name in OUTCOME_FIELDS},
         "metric": (row.get("metric") or "").lower() or None,
         "value": float(row["value"]) if row.get("value") is not None else None}
        for row in rows
    ]
