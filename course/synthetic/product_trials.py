"""SYNTHETIC product trials in the "first-order testing - data feedback - blockbuster reorder" process.

Reading 000 §4.1: first orders under 500 units, 14 days of sales data, a tenfold
reorder for a blockbuster. §4.2 (Figure 2): blockbuster rates by merchant type
in 2023 and 2025. 2024 is left out because the text does not give its rates.

The rule, which students can rediscover from the data:
  sell-through in 14 days >= 0.8  -> blockbuster, reordered at about ten times the first order;
  0.5 <= sell-through < 0.8       -> reordered, at one to four times the first order;
  sell-through < 0.5              -> not reordered.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd

from course.synthetic import SEED, allocate, stratified_normal

NAME = "synthetic_product_trials"
FLOAT_FORMAT = "%.3f"

DAYS_OBSERVED = 14
BLOCKBUSTER_SELL_THROUGH = 0.8
REORDER_SELL_THROUGH = 0.5

# (merchant type, year, products, blockbuster rate from §4.2); group sizes are arbitrary.
GROUPS = [
    ("full_hosting", 2023, 400, 0.38),
    ("full_hosting", 2025, 600, 0.67),
    ("non_hosting", 2023, 600, 0.12),
    ("non_hosting", 2025, 500, 0.24),
]
CATEGORIES = {
    "pet_supplies": 1, "baby_and_maternity": 1, "apparel": 1, "electronics": 1,
    "home_goods": 1, "beauty": 1, "accessories": 1, "small_appliances": 1,
}
DEMAND_SIGMA = 0.6  # spread of 14-day demand relative to the first order (log scale)
BLOCKBUSTER_RATIO_MEDIAN, BLOCKBUSTER_RATIO_SIGMA = 10.0, 0.25
OTHER_RATIO_MEDIAN, OTHER_RATIO_SIGMA, OTHER_RATIO_RANGE = 2.0, 0.3, (1.0, 4.0)


def _group(rng: np.random.Generator, merchant_type: str, year: int, n: int, rate: float) -> pd.DataFrame:
    # First orders in tens of units, 50 to 490: always fewer than 500 (§4.1).
    first = rng.integers(5, 50, n) * 10
    # Demand / first order is lognormal, centred so that a share `rate` reaches 0.8.
    mu = math.log(BLOCKBUSTER_SELL_THROUGH) - DEMAND_SIGMA * NormalDist().inv_cdf(1 - rate)
    demand = np.exp(mu + DEMAND_SIGMA * stratified_normal(rng, n))
    # Stock caps sales: a product whose demand exceeds its first order sells out.
    sold = np.minimum(first, np.floor(demand * first)).astype(int)
    # first is a multiple of 10, so 0.8 * first and 0.5 * first are whole numbers (rint drops
    # float noise) and the rule agrees with the sell_through column rounded to 3 decimals.
    blockbuster = sold >= np.rint(BLOCKBUSTER_SELL_THROUGH * first)
    reordered = sold >= np.rint(REORDER_SELL_THROUGH * first)
    ratio = np.clip(OTHER_RATIO_MEDIAN * np.exp(OTHER_RATIO_SIGMA * rng.standard_normal(n)), *OTHER_RATIO_RANGE)
    ratio[blockbuster] = BLOCKBUSTER_RATIO_MEDIAN * np.exp(
        BLOCKBUSTER_RATIO_SIGMA * stratified_normal(rng, int(blockbuster.sum()))
    )
    reorder = pd.array(np.rint(first * ratio / 10).astype(int) * 10, dtype="Int64")
    reorder[~reordered] = pd.NA
    return pd.DataFrame({
        "merchant_type": merchant_type,
        "year": year,
        "category": allocate(rng, n, CATEGORIES),
        "first_order_units": first,
        "days_observed": DAYS_OBSERVED,
        "units_sold_14d": sold,
        "sell_through": np.round(sold / first, 3),
        "reordered": reordered,
        "reorder_units": reorder,
        "blockbuster": blockbuster,
    })


def generate(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    trials = pd.concat([_group(rng, *group) for group in GROUPS], ignore_index=True)
    # Mix merchant types within each year so the first rows show both.
    trials = trials.sample(frac=1, random_state=rng).sort_values("year", kind="stable", ignore_index=True)
    trials.insert(0, "product_id", [f"PRD{i:04d}" for i in range(1, len(trials) + 1)])
    return trials
