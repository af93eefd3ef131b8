"""The figures from reading 000 that the SYNTHETIC datasets are calibrated to.

Each target names its source (reading file, section, a verbatim quote holding
the figure), the value, a tolerance and the statistic computed from the dataset
(as loaded by ``course.data.load``). ``relation`` says how the reading states the
figure: "approx" (value +/- tolerance), "above" ("more than": value < x <= value +
tolerance) or "below" ("less than": value - tolerance <= x < value).

Tolerances are half a unit in the last digit the reading gives ("15 days": +/- 0.5
day; "38%": +/- 0.5 point; "1.76%": +/- 0.005 point), or its own range ("6-7 days").
For a bound the tolerance is a chosen width that keeps "more than 60%" from being
met by 100%; the datasheets list it as an assumption.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

READING = "000_2ac75adefbd94969.txt"

# Slack for floating-point error when a statistic lands exactly on a bound.
_EPSILON = 1e-9


@dataclass(frozen=True)
class Target:
    name: str
    dataset: str
    section: str
    quote: str
    value: float
    tolerance: float
    unit: str
    statistic: Callable[[pd.DataFrame], float]
    relation: str = "approx"
    reading: str = READING

    def bounds(self) -> tuple[float, float]:
        if self.relation == "above":
            return self.value, self.value + self.tolerance
        if self.relation == "below":
            return self.value - self.tolerance, self.value
        return self.value - self.tolerance, self.value + self.tolerance

    def holds(self, achieved: float) -> bool:
        low, high = self.bounds()
        if self.relation == "above":
            return low < achieved <= high + _EPSILON
        if self.relation == "below":
            return low - _EPSILON <= achieved < high
        return low - _EPSILON <= achieved <= high + _EPSILON

    def achieved(self, frame: pd.DataFrame) -> float:
        return float(self.statistic(frame))


# ---- statistics -------------------------------------------------------------


def _mean_delivery_days(region: str, period: str, fulfilment: str | None = None):
    def statistic(orders: pd.DataFrame) -> float:
        rows = (orders["region"] == region) & (orders["period"] == period)
        if fulfilment is not None:
            rows &= orders["fulfilment"] == fulfilment
        return orders.loc[rows, "delivery_hours"].mean() / 24

    return statistic


def _mean_clearance_hours(period: str):
    def statistic(orders: pd.DataFrame) -> float:
        rows = (orders["region"] == "Middle East") & (orders["period"] == period)
        return orders.loc[rows, "clearance_hours"].mean()

    return statistic


def _patpat_within_48_hours(orders: pd.DataFrame) -> float:
    return (orders.loc[orders["campaign"] == "PatPat Ramadan 2025", "delivery_hours"] <= 48).mean()


def _southeast_asia_local_share(orders: pd.DataFrame) -> float:
    rows = (orders["region"] == "Southeast Asia") & (orders["period"] == "after")
    return (orders.loc[rows, "fulfilment"] == "local_warehouse").mean()


def _blockbuster_rate(merchant_type: str, year: int):
    def statistic(trials: pd.DataFrame) -> float:
        rows = (trials["merchant_type"] == merchant_type) & (trials["year"] == year)
        return trials.loc[rows, "blockbuster"].mean()

    return statistic


def _share_first_orders_under_500(trials: pd.DataFrame) -> float:
    return (trials["first_order_units"] < 500).mean()


def _days_observed(trials: pd.DataFrame) -> float:
    return trials["days_observed"].mean()


def _blockbuster_reorder_ratio(trials: pd.DataFrame) -> float:
    hits = trials[trials["blockbuster"].astype(bool)]
    return (hits["reorder_units"] / hits["first_order_units"]).median()


def _fraud_rate(period: str):
    def statistic(payments: pd.DataFrame) -> float:
        return payments.loc[payments["period"] == period, "fraud"].mean()

    return statistic


def _method_share(region: str, method: str):
    def statistic(payments: pd.DataFrame) -> float:
        return (payments.loc[payments["region"] == region, "method"] == method).mean()

    return statistic


def _settlement_days_after(payments: pd.DataFrame) -> float:
    return payments.loc[payments["period"] == "after", "settlement_days"].mean()


def _settlement_time_cut(payments: pd.DataFrame) -> float:
    days = payments.groupby("period", observed=True)["settlement_days"].mean()
    return 1 - days["after"] / days["before"]


def _tier_share(tier: str):
    def statistic(campaign: pd.DataFrame) -> float:
        return (campaign["tier"] == tier).mean()

    return statistic


def _share_grassroots_micro(campaign: pd.DataFrame) -> float:
    followers = campaign.loc[campaign["tier"] == "grassroots", "followers"]
    return followers.between(10_000, 100_000).mean()


def _grassroots_commission_rate(campaign: pd.DataFrame) -> float:
    grassroots = campaign[campaign["tier"] == "grassroots"]
    return grassroots["commission_usd"].sum() / grassroots["gmv_usd"].sum()


def _cost(campaign: pd.DataFrame) -> pd.Series:
    return campaign["commission_usd"] + campaign["fixed_fee_usd"]


def _mid_tier_roi(campaign: pd.DataFrame) -> float:
    mid = campaign[campaign["tier"] == "mid"]
    return mid["gmv_usd"].sum() / _cost(mid).sum()


def _grassroots_acquisition_cost(campaign: pd.DataFrame) -> float:
    grassroots = campaign[campaign["tier"] == "grassroots"]
    return _cost(grassroots).sum() / grassroots["new_customers"].sum()


# ---- targets ----------------------------------------------------------------

DELIVERIES = "synthetic_deliveries"
TRIALS = "synthetic_product_trials"
PAYMENTS = "synthetic_payments"
CAMPAIGN = "synthetic_influencer_campaign"

_EUROPE_US = "through the deployment of overseas warehouses, delivery times were reduced from 15 days to 5 days"
_SOUTHEAST_ASIA = "cross-border delivery times were shortened from the industry average of 12 days to 6-7 days"
_BRAZIL = "delivery times were reduced from the industry average of 14 days to just 3 days"
_CLEARANCE = "This reduced customs clearance times to 48 hours, six times faster than the industry average of 7 days"
_FULL_HOSTING = "the blockbuster rate for full-hosting merchants steadily increased from 38% in 2023 to 67% in 2025"
_NON_HOSTING = "non-hosting merchants' blockbuster rate rose from 12% in 2023 to 24% in 2025"
_FIRST_ORDER = "strictly limiting first-order volumes to fewer than 500 units, using 14 days of sales data"
_FRAUD = "reducing fraud rates from the industry average of 3.2% to 1.76%"
_SETTLEMENT = "enabling a T+1 settlement cycle, 70% faster than the traditional SWIFT model"
_PYRAMID = "(1% top-tier + 20% mid-tier + 79% grassroots)"

TARGETS: tuple[Target, ...] = (
    # synthetic_deliveries
    Target("europe_us_days_before", DELIVERIES, "2.1", _EUROPE_US, 15, 0.5, "days",
           _mean_delivery_days("Europe/US", "before")),
    Target("europe_us_days_after", DELIVERIES, "2.1", _EUROPE_US, 5, 0.5, "days",
           _mean_delivery_days("Europe/US", "after")),
    Target("southeast_asia_days_before", DELIVERIES, "2.1.1", _SOUTHEAST_ASIA, 12, 0.5, "days",
           _mean_delivery_days("Southeast Asia", "before")),
    Target("southeast_asia_cross_border_days_after", DELIVERIES, "2.1.1", _SOUTHEAST_ASIA, 6.5, 0.5, "days",
           _mean_delivery_days("Southeast Asia", "after", "cross_border")),
    Target("patpat_share_within_48_hours", DELIVERIES, "2.1.1",
           "Combined with Lazada's last-mile delivery network, 95% of orders were delivered within 48 hours",
           0.95, 0.005, "share of campaign orders", _patpat_within_48_hours),
    Target("southeast_asia_local_warehouse_share", DELIVERIES, "2.1.1",
           "More than 60% of AliExpress's orders in Southeast Asia were fulfilled through local warehouses",
           0.60, 0.10, "share of after-period orders", _southeast_asia_local_share, relation="above"),
    Target("middle_east_clearance_hours_before", DELIVERIES, "2.1.2", _CLEARANCE, 7 * 24, 12, "hours",
           _mean_clearance_hours("before")),
    Target("middle_east_clearance_hours_after", DELIVERIES, "2.1.2", _CLEARANCE, 48, 0.5, "hours",
           _mean_clearance_hours("after")),
    Target("brazil_days_before", DELIVERIES, "2.1.3", _BRAZIL, 14, 0.5, "days",
           _mean_delivery_days("Brazil", "before")),
    Target("brazil_days_after", DELIVERIES, "2.1.3", _BRAZIL, 3, 0.5, "days",
           _mean_delivery_days("Brazil", "after")),
    # synthetic_product_trials
    Target("blockbuster_rate_full_hosting_2023", TRIALS, "4.2", _FULL_HOSTING, 0.38, 0.005, "share of products",
           _blockbuster_rate("full_hosting", 2023)),
    Target("blockbuster_rate_full_hosting_2025", TRIALS, "4.2", _FULL_HOSTING, 0.67, 0.005, "share of products",
           _blockbuster_rate("full_hosting", 2025)),
    Target("blockbuster_rate_non_hosting_2023", TRIALS, "4.2", _NON_HOSTING, 0.12, 0.005, "share of products",
           _blockbuster_rate("non_hosting", 2023)),
    Target("blockbuster_rate_non_hosting_2025", TRIALS, "4.2", _NON_HOSTING, 0.24, 0.005, "share of products",
           _blockbuster_rate("non_hosting", 2025)),
    Target("share_first_orders_under_500_units", TRIALS, "4.1", _FIRST_ORDER, 1.0, 0.0, "share of products",
           _share_first_orders_under_500),
    Target("days_observed", TRIALS, "4.1", _FIRST_ORDER, 14, 0.0, "days", _days_observed),
    Target("blockbuster_median_reorder_ratio", TRIALS, "4.1",
           "saw reorder volumes surge tenfold, successfully becoming a blockbuster product",
           10, 0.5, "reorder units / first-order units", _blockbuster_reorder_ratio),
    # synthetic_payments
    Target("fraud_rate_before", PAYMENTS, "5.2", _FRAUD, 0.032, 0.0005, "share of payments", _fraud_rate("before")),
    Target("fraud_rate_after", PAYMENTS, "5.2", _FRAUD, 0.0176, 0.00005, "share of payments", _fraud_rate("after")),
    Target("middle_east_cash_on_delivery_share", PAYMENTS, "7.1",
           "cash-on-delivery still accounts for more than 40% of consumer payments in the Middle East",
           0.40, 0.10, "share of payments", _method_share("Middle East", "cash_on_delivery"), relation="above"),
    Target("latin_america_credit_card_share", PAYMENTS, "7.1",
           "less than 35% of Latin American users accept international credit cards",
           0.35, 0.05, "share of payments", _method_share("Latin America", "credit_card"), relation="below"),
    Target("latin_america_cash_on_delivery_share", PAYMENTS, "6.3",
           "integrating Pix payments and cultivating bilingual streamers reduced cash-on-delivery rates to 28%",
           0.28, 0.005, "share of payments", _method_share("Latin America", "cash_on_delivery")),
    Target("settlement_days_after", PAYMENTS, "5.2", _SETTLEMENT, 1, 0.0, "days", _settlement_days_after),
    Target("settlement_time_cut", PAYMENTS, "5.2", _SETTLEMENT, 0.70, 0.005,
           "1 - mean days after / mean days before", _settlement_time_cut),
    # synthetic_influencer_campaign
    Target("top_tier_share", CAMPAIGN, "6.1", _PYRAMID, 0.01, 0.005, "share of influencers", _tier_share("top")),
    Target("mid_tier_share", CAMPAIGN, "6.1", _PYRAMID, 0.20, 0.005, "share of influencers", _tier_share("mid")),
    Target("grassroots_share", CAMPAIGN, "6.1", _PYRAMID, 0.79, 0.005, "share of influencers",
           _tier_share("grassroots")),
    Target("grassroots_share_with_10k_to_100k_followers", CAMPAIGN, "6.1",
           "over 100,000 micro-influencers (with 10,000-100,000 followers)", 1.0, 0.0, "share of grassroots",
           _share_grassroots_micro),
    Target("grassroots_commission_rate", CAMPAIGN, "6.1", "adopting a 15% commission model", 0.15, 0.005,
           "commission / GMV", _grassroots_commission_rate),
    Target("mid_tier_roi", CAMPAIGN, "6.1",
           "achieved an ROI of 1:8 through bulk placement of scenario-based videos by mid-tier influencers",
           8, 0.5, "GMV / (commission + fixed fees)", _mid_tier_roi),
    Target("grassroots_acquisition_cost", CAMPAIGN, "6.1", "achieve customer acquisition costs below USD 3",
           3, 1, "USD per new customer", _grassroots_acquisition_cost, relation="below"),
)


def targets_for(dataset: str) -> tuple[Target, ...]:
    return tuple(target for target in TARGETS if target.dataset == dataset)
