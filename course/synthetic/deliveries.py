"""SYNTHETIC order deliveries before and after AliExpress's logistics changes (reading 000, §2.1).

Each group of orders below (region, period, fulfilment, campaign) gets delivery
(or customs clearance) times drawn from a lognormal distribution whose mean is
either a figure from the reading or a documented assumption. Middle East rows
carry customs clearance times only: the reading gives no delivery time there.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd

from course.synthetic import SEED, allocate, stratified_normal

NAME = "synthetic_deliveries"
FLOAT_FORMAT = "%.2f"

CAMPAIGN = "PatPat Ramadan 2025"
RAMADAN_2025 = ("2025-03-01", "2025-03-30")
BEFORE_YEAR, AFTER_YEAR = 2023, 2025

COUNTRIES = {
    "Europe/US": {"Spain": 0.3, "France": 0.25, "Germany": 0.2, "United States": 0.25},
    "Southeast Asia": {
        "Indonesia": 0.25, "Malaysia": 0.15, "Philippines": 0.15,
        "Singapore": 0.1, "Thailand": 0.2, "Vietnam": 0.15,
    },
    "Middle East": {"United Arab Emirates": 0.5, "Saudi Arabia": 0.5},
    "Brazil": {"Brazil": 1.0},
}
# PatPat pre-positioned its stock in Indonesian and Malaysian warehouses (§2.1.1).
PATPAT_COUNTRIES = {"Indonesia": 0.6, "Malaysia": 0.4}

# Europe/US after the change: 420 local-warehouse orders and 180 cross-border ones at 7 days
# must average 5 days, which fixes the local-warehouse mean.
EUROPE_US_LOCAL_DAYS = (5 - 0.3 * 7) / 0.7

# (region, period, fulfilment, campaign, orders, measure, mean hours, coefficient of variation).
# Means from the reading: 15 -> 5 days (Europe/US), 12 -> 6.5 days (Southeast Asia,
# cross-border), 14 -> 3 days (Brazil), 7 days -> 48 h clearance (Middle East). The 7-day
# cross-border leg to Europe echoes §5.1; the rest is assumed (see the datasheet).
GROUPS = [
    ("Europe/US", "before", "cross_border", None, 600, "delivery", 15 * 24, 0.30),
    ("Europe/US", "after", "local_warehouse", None, 420, "delivery", EUROPE_US_LOCAL_DAYS * 24, 0.35),
    ("Europe/US", "after", "cross_border", None, 180, "delivery", 7 * 24, 0.30),
    ("Southeast Asia", "before", "cross_border", None, 500, "delivery", 12 * 24, 0.30),
    ("Southeast Asia", "after", "local_warehouse", None, 480, "delivery", 3 * 24, 0.35),
    ("Southeast Asia", "after", "cross_border", None, 320, "delivery", 6.5 * 24, 0.30),
    ("Southeast Asia", "after", "local_warehouse", CAMPAIGN, 200, "patpat", None, None),
    ("Middle East", "before", "cross_border", None, 400, "clearance", 7 * 24, 0.30),
    ("Middle East", "after", "cross_border", None, 400, "clearance", 48, 0.25),
    ("Brazil", "before", "cross_border", None, 400, "delivery", 14 * 24, 0.30),
    ("Brazil", "after", "local_warehouse", None, 400, "delivery", 3 * 24, 0.35),
]

# PatPat: median 28 hours and a spread putting 95% of orders at 48 hours or less once
# rounded to whole hours (below 48.5), as §2.1.1 reports.
PATPAT_MEDIAN_HOURS = 28.0
PATPAT_SIGMA = math.log(48.5 / PATPAT_MEDIAN_HOURS) / NormalDist().inv_cdf(0.95)


def _lognormal_hours(rng: np.random.Generator, n: int, mean: float, cv: float) -> np.ndarray:
    sigma = math.sqrt(math.log1p(cv**2))
    mu = math.log(mean) - sigma**2 / 2
    return np.exp(mu + sigma * stratified_normal(rng, n))


def _dates(rng: np.random.Generator, n: int, first: str, last: str) -> pd.DatetimeIndex:
    days = pd.date_range(first, last, freq="D")
    return days[rng.integers(0, len(days), n)]


def generate(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for region, period, fulfilment, campaign, n, measure, mean, cv in GROUPS:
        if measure == "patpat":
            hours = np.exp(math.log(PATPAT_MEDIAN_HOURS) + PATPAT_SIGMA * stratified_normal(rng, n))
            countries = allocate(rng, n, PATPAT_COUNTRIES)
            dates = _dates(rng, n, *RAMADAN_2025)
        else:
            assert mean is not None and cv is not None  # only PatPat's group has neither
            hours = _lognormal_hours(rng, n, mean, cv)
            countries = allocate(rng, n, COUNTRIES[region])
            year = BEFORE_YEAR if period == "before" else AFTER_YEAR
            dates = _dates(rng, n, f"{year}-01-01", f"{year}-12-31")
        hours = pd.array(np.maximum(np.rint(hours), 1).astype(int), dtype="Int64")
        missing = pd.array([pd.NA] * n, dtype="Int64")
        parts.append(pd.DataFrame({
            "region": region,
            "country": countries,
            "period": period,
            "order_date": dates,
            "fulfilment": fulfilment,
            "campaign": campaign,
            "delivery_hours": missing if measure == "clearance" else hours,
            "clearance_hours": hours if measure == "clearance" else missing,
        }))
    orders = pd.concat(parts, ignore_index=True)
    # Ids follow the order date, as an order system would number them.
    orders = orders.sort_values("order_date", kind="stable", ignore_index=True)
    orders.insert(0, "order_id", [f"ORD{i:05d}" for i in range(1, len(orders) + 1)])
    return orders
