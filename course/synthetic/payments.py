"""SYNTHETIC payments before and after the payment-system upgrade of reading 000 §5.2.

"before": traditional processing: SWIFT-style settlement in several days, fraud
at the industry average (3.2%). "after": LianLian Pay blockchain clearing (T+1),
real-time risk control and biometric authentication in Brazil, fraud at 1.76%.
The payment-method mix is the 2025 one of §6.3 and §7.1 in both periods.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course.synthetic import SEED, allocate

NAME = "synthetic_payments"
FLOAT_FORMAT = "%.2f"

FRAUD_RATE = {"before": 0.032, "after": 0.0176}  # §5.2

# Payments per market in each period (arbitrary sizes; 2,500 makes both fraud rates whole counts).
MARKETS = {
    "Brazil": ("Latin America", 500),
    "Mexico": ("Latin America", 300),
    "United Arab Emirates": ("Middle East", 250),
    "Saudi Arabia": ("Middle East", 250),
    "Indonesia": ("Southeast Asia", 300),
    "Thailand": ("Southeast Asia", 200),
    "Spain": ("Europe", 400),
    "France": ("Europe", 300),
}
# Method shares. Targets: Latin America 32% credit card (<35%, §7.1) and 28% cash on
# delivery (§6.3); Middle East 45% cash on delivery (>40%, §7.1). The rest is assumed.
METHODS = {
    "Brazil": {"credit_card": 0.32, "cash_on_delivery": 0.28, "pix": 0.30, "e_wallet": 0.05, "bnpl": 0.05},
    "Mexico": {"credit_card": 0.32, "cash_on_delivery": 0.28, "oxxo": 0.28, "e_wallet": 0.07, "bank_transfer": 0.05},
    "United Arab Emirates": {
        "cash_on_delivery": 0.44, "credit_card": 0.36, "e_wallet": 0.10, "bnpl": 0.05, "bank_transfer": 0.05,
    },
    "Saudi Arabia": {
        "cash_on_delivery": 0.46, "credit_card": 0.30, "e_wallet": 0.14, "bnpl": 0.05, "bank_transfer": 0.05,
    },
    "Indonesia": {"e_wallet": 0.45, "bank_transfer": 0.20, "cash_on_delivery": 0.20, "credit_card": 0.15},
    "Thailand": {"e_wallet": 0.40, "credit_card": 0.25, "cash_on_delivery": 0.20, "bank_transfer": 0.15},
    "Spain": {"credit_card": 0.60, "e_wallet": 0.20, "bnpl": 0.15, "bank_transfer": 0.05},
    "France": {"credit_card": 0.60, "e_wallet": 0.15, "bnpl": 0.20, "bank_transfer": 0.05},
}
MEDIAN_AMOUNT_USD = {"Latin America": 22.0, "Middle East": 45.0, "Southeast Asia": 14.0, "Europe": 28.0}
AMOUNT_SIGMA = 0.6

# Before: T+2 to T+5 with mean 3.33 days, the cycle that T+1 is "70% faster" than
# (1 day is 30% of 3.33 days). After: T+1 for every payment.
SETTLEMENT_BEFORE = {2: 0.20, 3: 0.40, 4: 0.27, 5: 0.13}

# Biometric authentication in the high-risk market the reading names (Brazil), after
# the upgrade, for the payments it can apply to.
BIOMETRIC_MARKETS = {"Brazil"}
BIOMETRIC_SHARE = 0.85

# Relative fraud risk (assumed); each period's fraud count is fixed by FRAUD_RATE and
# these weights only decide which payments are the fraudulent ones.
MARKET_RISK = {"Brazil": 2.0, "Mexico": 1.5}
METHOD_RISK = {
    "credit_card": 2.0, "bnpl": 1.5, "e_wallet": 1.0, "pix": 0.8,
    "bank_transfer": 0.7, "oxxo": 0.5, "cash_on_delivery": 0.5,
}
BIOMETRIC_RISK = 0.3


def _period(rng: np.random.Generator, period: str) -> pd.DataFrame:
    parts = []
    for market, (region, n) in MARKETS.items():
        parts.append(pd.DataFrame({
            "region": region,
            "market": market,
            "period": period,
            "method": allocate(rng, n, METHODS[market]),
        }))
    frame = pd.concat(parts, ignore_index=True)
    n = len(frame)
    median = frame["region"].map(MEDIAN_AMOUNT_USD).to_numpy()
    frame["amount_usd"] = np.round(median * np.exp(AMOUNT_SIGMA * rng.standard_normal(n)), 2).clip(1.0)
    frame["biometric_auth"] = (
        (period == "after")
        & frame["market"].isin(BIOMETRIC_MARKETS).to_numpy()
        & (frame["method"] != "cash_on_delivery").to_numpy()
        & (rng.random(n) < BIOMETRIC_SHARE)
    )
    risk = (
        frame["market"].map(MARKET_RISK).fillna(1.0).to_numpy()
        * frame["method"].map(METHOD_RISK).to_numpy()
        * np.where(frame["biometric_auth"], BIOMETRIC_RISK, 1.0)
    )
    fraud = np.zeros(n, dtype=bool)
    fraud[rng.choice(n, size=round(FRAUD_RATE[period] * n), replace=False, p=risk / risk.sum())] = True
    frame["fraud"] = fraud
    frame["settlement_days"] = (
        allocate(rng, n, SETTLEMENT_BEFORE).astype(int) if period == "before" else np.ones(n, dtype=int)
    )
    return frame


def generate(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    payments = pd.concat([_period(rng, "before"), _period(rng, "after")], ignore_index=True)
    # Shuffle markets within each period so the first rows are not all from one market.
    payments = payments.sample(frac=1, random_state=rng)
    payments = payments.sort_values("period", key=lambda p: p.eq("after"), kind="stable", ignore_index=True)
    payments.insert(0, "payment_id", [f"PAY{i:05d}" for i in range(1, len(payments) + 1)])
    return payments
