"""Logistics and payment (reading 000, §5, with §2.1 and §7.1): trunk lines,
local fulfilment, delivery times, settlement speed, fraud rates and the landed
cost of a parcel in Brazil.

These functions are the answer key's arithmetic: the hidden tests of the
logistics-payment case compare students' results with them, and the case's
widget explores them.
"""

from __future__ import annotations

import pandas as pd

from course.cases.case1_market_selection.market import HOURS_PER_DAY, add_gains, speed_up

DAYS_PER_YEAR = 365
WEEKS_PER_YEAR = 52
PATPAT_CAMPAIGN = "PatPat Ramadan 2025"
# Fact 000_brazil_comprehensive_tax_rate (§7.1, "reaches 60%"), as a fraction;
# tests/cases/test_case4_logistics_payment.py keeps the two equal.
BRAZIL_COMPREHENSIVE_TAX = 0.60
TAX_READINGS = ("share_of_tax", "whole_tax")
BASELINE_READINGS = ("less_time", "more_speed")


def per_year(count: float, per: str = "day") -> float:
    """A daily or weekly count over a year, if it ran at that rate all year."""
    periods = {"day": DAYS_PER_YEAR, "week": WEEKS_PER_YEAR}
    if per not in periods:
        raise ValueError(f"per must be 'day' or 'week', got {per!r}.")
    if count < 0:
        raise ValueError(f"A count cannot be negative, got {count}.")
    return count * periods[per]


def _after_orders(deliveries: pd.DataFrame, region: str, include_campaigns: bool) -> pd.DataFrame:
    rows = deliveries[(deliveries["region"] == region) & (deliveries["period"] == "after")]
    return rows if include_campaigns else rows[rows["campaign"].isna()]


def local_fulfilment_share(deliveries: pd.DataFrame, region: str = "Southeast Asia",
                           include_campaigns: bool = True) -> float:
    """Percent of a region's after-period orders shipped from a local warehouse."""
    rows = _after_orders(deliveries, region, include_campaigns)
    if rows.empty:
        raise ValueError(f"No after-period orders for region {region!r}.")
    return float((rows["fulfilment"] == "local_warehouse").mean() * 100)


def with_days(deliveries: pd.DataFrame) -> pd.DataFrame:
    """The orders that have a delivery time, with ``delivery_days`` (hours / 24) as floats."""
    timed = deliveries.dropna(subset=["delivery_hours"])
    return timed.assign(delivery_days=timed["delivery_hours"].astype(float) / HOURS_PER_DAY)


def delivery_summary(deliveries: pd.DataFrame) -> pd.DataFrame:
    """Mean and median delivery days by region and period; regions without delivery times are left out."""
    timed = with_days(deliveries)
    summary = timed.groupby(["region", "period"], observed=True)["delivery_days"].agg(
        mean_days="mean", median_days="median"
    )
    return summary.astype(float)


def synthetic_gains(deliveries: pd.DataFrame) -> pd.DataFrame:
    """Mean delivery days before and after by region, with days saved and the speed-up."""
    means = delivery_summary(deliveries)["mean_days"].unstack("period")
    table = means.rename(columns={"before": "before_days", "after": "after_days"})[["before_days", "after_days"]]
    table.index = table.index.astype(str)
    table.columns.name = None
    return add_gains(table)


def mean_days(deliveries: pd.DataFrame, region: str, period: str = "after", fulfilment: str | None = None) -> float:
    """Mean delivery days of one region and period, optionally one fulfilment route only."""
    timed = with_days(deliveries)
    rows = timed[(timed["region"] == region) & (timed["period"] == period)]
    if fulfilment is not None:
        rows = rows[rows["fulfilment"] == fulfilment]
    if rows.empty:
        raise ValueError(f"No timed orders for {region!r}, {period!r}, {fulfilment!r}.")
    return float(rows["delivery_days"].mean())


def share_within(deliveries: pd.DataFrame, hours: float = 48, campaign: str | None = PATPAT_CAMPAIGN,
                 region: str = "Southeast Asia") -> float:
    """Percent of orders delivered within ``hours``: a campaign's orders, or (``campaign=None``)
    all of a region's after-period orders."""
    if campaign is None:
        rows = _after_orders(deliveries, region, include_campaigns=True)
    else:
        rows = deliveries[deliveries["campaign"] == campaign]
    rows = rows.dropna(subset=["delivery_hours"])
    if rows.empty:
        raise ValueError("No timed orders match.")
    return float((rows["delivery_hours"] <= hours).mean() * 100)


def implied_baseline(after: float, percent_faster: float, reading: str = "less_time") -> float:
    """The old duration that makes ``after`` "``percent_faster``% faster".

    ``less_time``: the new duration is ``percent_faster``% shorter (T+1 and 70% give 1 / 0.3 = 3.33 days).
    ``more_speed``: the new speed is ``percent_faster``% higher, so the old time is ``after`` x 1.7.
    """
    if after <= 0:
        raise ValueError(f"The new duration must be positive, got {after}.")
    if percent_faster < 0:
        raise ValueError(f"A speed-up in percent cannot be negative, got {percent_faster}.")
    if reading == "less_time":
        if percent_faster >= 100:
            raise ValueError("A duration cannot shrink by 100% or more.")
        return after / (1 - percent_faster / 100)
    if reading == "more_speed":
        return after * (1 + percent_faster / 100)
    raise ValueError(f"reading must be one of {BASELINE_READINGS}, got {reading!r}.")


def mean_by_period(payments: pd.DataFrame, column: str) -> pd.Series:
    """Mean of ``column`` in each period, before then after."""
    means = payments.groupby("period", observed=True)[column].mean().astype(float)
    means.index = means.index.astype(str)
    return means


def fraud_rate_by_period(payments: pd.DataFrame) -> pd.Series:
    """Fraud rate in percent of payments, before and after."""
    return mean_by_period(payments, "fraud") * 100


def fraud_rate_by_market(payments: pd.DataFrame) -> pd.DataFrame:
    """Fraud rate in percent of payments: one row per market, columns ``before`` and ``after``."""
    rates = payments.groupby(["market", "period"], observed=True)["fraud"].mean().astype(float).mul(100)
    table = rates.unstack("period")[["before", "after"]]
    table.index = table.index.astype(str)
    table.columns = table.columns.astype(str)
    table.columns.name = None
    return table


def non_cash_ceiling(cod_share_over: float) -> float:
    """The most a market's payments can go through anything but cash on delivery,
    when cash on delivery is above ``cod_share_over`` percent."""
    if not 0 <= cod_share_over <= 100:
        raise ValueError(f"A share is a percentage between 0 and 100, got {cod_share_over}.")
    return 100 - cod_share_over


def _check_fraction(name: str, value: float) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"{name} is a fraction between 0 and 1 (0.60 for 60%), got {value}.")


def landed_cost(price: float, shipping: float, tax_rate: float = BRAZIL_COMPREHENSIVE_TAX,
                platform_prepays: float = 0.0) -> dict[str, float]:
    """What a parcel costs once it has landed, and who pays the tax when.

    The tax is ``tax_rate`` (a fraction) of price plus shipping. The platform
    prepays the share ``platform_prepays`` (a fraction) of that tax at checkout;
    the rest is ``due_on_delivery``. Prepaying moves the tax, it does not
    shrink it: ``total`` is the same whoever prepays.
    """
    if price < 0 or shipping < 0:
        raise ValueError(f"Price and shipping cannot be negative, got {price} and {shipping}.")
    _check_fraction("The tax rate", tax_rate)
    _check_fraction("The prepaid share", platform_prepays)
    tax = tax_rate * (price + shipping)
    prepaid = tax * platform_prepays
    return {"tax": tax, "prepaid": prepaid, "due_on_delivery": tax - prepaid, "total": price + shipping + tax}


def prepaid_under_reading(price: float, shipping: float, reading: str,
                          tax_rate: float = BRAZIL_COMPREHENSIVE_TAX, stated_share: float = 0.60) -> float:
    """The tax the platform prepays under one reading of §2.1.3's "prepaid 60% of the comprehensive tax rate".

    ``share_of_tax``: the platform prepays ``stated_share`` of the tax.
    ``whole_tax``: the 60% is §7.1's rate itself, so the platform prepays all of the tax.
    """
    shares = {"share_of_tax": stated_share, "whole_tax": 1.0}
    if reading not in shares:
        raise ValueError(f"reading must be one of {TAX_READINGS}, got {reading!r}.")
    return landed_cost(price, shipping, tax_rate, shares[reading])["prepaid"]


def seconds_speed_up(before_seconds: float, low_seconds: float, high_seconds: float) -> tuple[float, float]:
    """The speed-up over ``before_seconds`` of a time given as a range: (slowest end, fastest end)."""
    return speed_up(before_seconds, high_seconds), speed_up(before_seconds, low_seconds)
