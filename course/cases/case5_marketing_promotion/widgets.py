"""Explorers for case 5, marketing and promotion."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from course.cases.case5_marketing_promotion import marketing
from course.outcomes import OUTCOME_FIELDS, parse_outcomes
from course.widgets import explorer

TARGET_ROI = 8  # the clothing brand's "ROI of 1:8" (reading 000, §6.1)


def pay_explorer(campaign: pd.DataFrame) -> widgets.VBox:
    """Set the commission and any extra fee; see the best possible return and the SYNTHETIC campaign repriced."""
    commission = widgets.FloatSlider(value=0.15, min=0.01, max=0.30, step=0.01, readout_format=".0%",
                                     description="Commission", continuous_update=False)
    fee = widgets.FloatSlider(value=0.0, min=0.0, max=0.20, step=0.01, readout_format=".0%",
                              description="Extra fees", continuous_update=False)

    def render() -> str:
        pay = commission.value + fee.value
        best = marketing.roi_ceiling(pay)
        verdict = "reaches" if best >= TARGET_ROI else "cannot reach"
        table = marketing.tier_summary(marketing.reprice_commission(campaign, commission.value))
        return (
            f"<p>Paying {commission.value:.0%} commission plus {fee.value:.0%} of GMV in fees costs {pay:.0%} of "
            f"every dollar sold, so GMV / cost is at most <b>{best:.2f}</b>: it {verdict} 1:{TARGET_ROI} "
            f"(which needs pay of at most {marketing.max_cost_share_pct(TARGET_ROI):.1f}% of GMV).</p>"
            f"<p>SYNTHETIC campaign with the grassroots tier paid {commission.value:.0%} commission "
            "(the fee-paid tiers unchanged):</p>"
            + table[["gmv_usd", "cost_usd", "roi", "cac_usd"]].to_html(float_format=lambda x: f"{x:,.2f}")
        )

    return explorer([commission, fee], render)


def outcome_explorer(example: str = "Cash-on-delivery rate down to 28%") -> widgets.VBox:
    """Type an outcome sentence; see how ``course.outcomes.parse_outcomes`` reads it."""
    sentence = widgets.Text(value=example, description="Outcome", continuous_update=False,
                            layout=widgets.Layout(width="90%"))

    def render() -> str:
        rows = parse_outcomes(sentence.value)
        if not rows:
            return "<p>No outcome read: no fragment matches a known wording, so no number is given.</p>"
        return pd.DataFrame(rows, columns=OUTCOME_FIELDS).to_html(index=False)

    return explorer([sentence], render)
