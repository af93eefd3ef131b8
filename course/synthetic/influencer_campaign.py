"""SYNTHETIC influencer campaign shaped like the pyramid of reading 000 §6.1.

1,000 influencers, 1% top-tier, 20% mid-tier and 79% grassroots (micro-influencers
with 10,000-100,000 followers). The platform works with over 100,000
micro-influencers; this campaign is a sample, not the platform.

Pay: grassroots earn the 15% commission and no fee. Mid-tier influencers are paid
a fixed fee per video ("bulk placement") and no commission, because a 15%
commission alone caps GMV / cost at 1 / 0.15 = 6.7, below the 1:8 the reading
reports. Top-tier influencers are paid a fixed fee (assumed, see the datasheet).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course.synthetic import SEED, allocate

NAME = "synthetic_influencer_campaign"
FLOAT_FORMAT = "%.2f"

INFLUENCERS = 1000
COMMISSION_RATE = 0.15  # §6.1, grassroots only (see the module docstring)
NEW_CUSTOMER_SHARE = 0.8
ORDER_VALUE_MEDIAN_USD, ORDER_VALUE_SIGMA = 13.5, 0.2
RATE_SIGMA = 0.3  # spread of view, click and conversion rates between influencers (log scale)
PLATFORMS = {"TikTok": 0.5, "Instagram": 0.2, "YouTube": 0.2, "Reddit": 0.1}


@dataclass(frozen=True)
class Tier:
    share: float  # §6.1
    followers: tuple[int, int]  # inclusive range, drawn log-uniform
    videos: tuple[int, int]  # inclusive range
    view_rate: float  # median views per follower per video
    click_rate: float  # median clicks per view
    conversion_rate: float  # median orders per click
    target_roi: float | None  # the tier's GMV / fixed fees; None: paid by commission only


TIERS = {
    # The mid tier's 8 is the reading's "ROI of 1:8"; the top tier's 2 is assumed.
    "top": Tier(0.01, (1_000_001, 20_000_000), (1, 3), 0.08, 0.010, 0.030, 2.0),
    "mid": Tier(0.20, (100_001, 1_000_000), (4, 12), 0.15, 0.015, 0.035, 8.0),
    "grassroots": Tier(0.79, (10_000, 100_000), (1, 4), 0.25, 0.020, 0.040, None),
}


def _rate(rng: np.random.Generator, median: float, n: int) -> np.ndarray:
    return np.minimum(median * np.exp(RATE_SIGMA * rng.standard_normal(n)), 1.0)


def _tier(rng: np.random.Generator, name: str, tier: Tier) -> pd.DataFrame:
    n = round(tier.share * INFLUENCERS)
    low, high = tier.followers
    followers = np.clip(np.rint(np.exp(rng.uniform(math.log(low), math.log(high), n))), low, high).astype(np.int64)
    videos = rng.integers(tier.videos[0], tier.videos[1] + 1, n)
    views = rng.binomial(followers * videos, _rate(rng, tier.view_rate, n))
    clicks = rng.binomial(views, _rate(rng, tier.click_rate, n))
    orders = rng.binomial(clicks, _rate(rng, tier.conversion_rate, n))
    order_value = ORDER_VALUE_MEDIAN_USD * np.exp(ORDER_VALUE_SIGMA * rng.standard_normal(n))
    gmv = np.round(orders * order_value, 2)
    rate = COMMISSION_RATE if tier.target_roi is None else 0.0
    # Fees in proportion to videos x followers, at the one rate that gives the tier its ROI.
    reach = videos * followers
    fee = 0.0 if tier.target_roi is None else gmv.sum() / tier.target_roi * reach / reach.sum()
    return pd.DataFrame({
        "tier": name,
        "followers": followers,
        "videos": videos,
        "views": views,
        "clicks": clicks,
        "orders": orders,
        "gmv_usd": gmv,
        "commission_rate": rate,
        "commission_usd": np.round(rate * gmv, 2),
        "fixed_fee_usd": np.round(fee, 2),
        "new_customers": rng.binomial(orders, NEW_CUSTOMER_SHARE),
    })


def generate(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    campaign = pd.concat([_tier(rng, name, tier) for name, tier in TIERS.items()], ignore_index=True)
    campaign = campaign.sample(frac=1, random_state=rng, ignore_index=True)
    campaign.insert(0, "influencer_id", [f"INF{i:04d}" for i in range(1, len(campaign) + 1)])
    campaign.insert(2, "platform", allocate(rng, len(campaign), PLATFORMS))
    return campaign
