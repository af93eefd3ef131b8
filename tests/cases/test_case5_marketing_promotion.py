"""Tests for course.cases.case5_marketing_promotion.marketing and the case-5 explorers."""

import pandas as pd
import pytest

from course import data, facts
from course.cases.case5_marketing_promotion import marketing
from course.cases.case5_marketing_promotion.widgets import outcome_explorer, pay_explorer
from course.outcomes import tidy_outcomes

# Notebooks fail a test cell on any warning, so the tests do too.
pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def campaign():
    return data.load("synthetic_influencer_campaign")


def test_claims_of_the_same_reach_in_three_sections():
    reach = marketing.claims_of(facts.table(), ["people_reached", "users_reached"])
    assert list(reach.columns) == marketing.CLAIM_COLUMNS
    assert reach["section"].tolist() == ["1", "6.1", "8"]
    assert set(reach["value"]) == {1.5}
    assert reach["unit"].astype(str).tolist() == ["people_billion", "users_billion", "users_billion"]


def test_implied_baseline():
    assert marketing.implied_baseline(3, 60) == pytest.approx(7.5)
    assert marketing.implied_baseline(1, 70) == pytest.approx(10 / 3)
    assert marketing.implied_baseline(5, 0) == 5
    for new, lower in [(3, 100), (3, 120), (3, -10), (0, 60), (-1, 50)]:
        with pytest.raises(ValueError):
            marketing.implied_baseline(new, lower)


def test_tier_shares_match_the_stated_pyramid(campaign):
    shares = marketing.tier_shares(campaign)
    assert shares.index.tolist() == marketing.TIERS
    pd.testing.assert_series_equal(shares, marketing.stated_shares(facts.table()), check_index_type=False)


def test_tier_shares_of_a_campaign_without_a_tier():
    small = pd.DataFrame({"tier": ["mid", "grassroots", "grassroots", "grassroots"]})
    assert marketing.tier_shares(small).tolist() == [0.0, 25.0, 75.0]


def test_tier_summary(campaign):
    summary = marketing.tier_summary(campaign)
    assert summary.index.tolist() == marketing.TIERS
    assert summary["influencers"].tolist() == [10, 200, 790]
    assert summary["gmv_usd"].sum() == pytest.approx(campaign["gmv_usd"].sum())
    assert summary["cost_usd"].sum() == pytest.approx((campaign["commission_usd"] + campaign["fixed_fee_usd"]).sum())
    # The calibration of the synthetic data: top 2 (assumed), mid 8 (§6.1), grassroots 1 / 0.15.
    assert summary["roi"].tolist() == pytest.approx([2, 8, 1 / 0.15], abs=0.01)
    assert summary["cac_usd"].idxmin() == "mid"
    assert 2 <= summary.loc["grassroots", "cac_usd"] < 3


def test_mean_of_ratios_is_not_the_ratio_of_totals(campaign):
    means = marketing.mean_individual_roi(campaign)
    assert means["mid"] == pytest.approx(7.54, abs=0.01)
    assert means["mid"] < marketing.tier_summary(campaign).loc["mid", "roi"]


def test_mean_individual_roi_leaves_out_the_unpaid():
    rows = pd.DataFrame({"tier": ["grassroots"] * 2, "gmv_usd": [100.0, 0.0],
                         "commission_usd": [15.0, 0.0], "fixed_fee_usd": [0.0, 0.0]})
    assert marketing.mean_individual_roi(rows)["grassroots"] == pytest.approx(100 / 15)


def test_roi_ceiling_and_cost_share():
    assert marketing.roi_ceiling(0.15) == pytest.approx(6.667, abs=0.001)
    assert marketing.roi_ceiling(1) == 1
    assert marketing.max_cost_share_pct(8) == 12.5
    for rate in (0, -0.1, 15, 1.5):
        with pytest.raises(ValueError, match=r"0\.15"):
            marketing.roi_ceiling(rate)
    with pytest.raises(ValueError):
        marketing.max_cost_share_pct(0)


def test_reprice_commission_changes_only_the_commission_tier(campaign):
    repriced = marketing.tier_summary(marketing.reprice_commission(campaign, 0.10))
    original = marketing.tier_summary(campaign)
    assert repriced.loc["grassroots", "roi"] == pytest.approx(10, abs=0.01)
    pd.testing.assert_frame_equal(repriced.loc[["top", "mid"]], original.loc[["top", "mid"]])
    with pytest.raises(ValueError):
        marketing.reprice_commission(campaign, 15)


def test_promotion_calendar():
    timeline = data.load("timeline")
    events = marketing.promotion_events(timeline)
    assert len(events) == 6
    assert (events["reading"] == marketing.READING).all()
    black_friday = events[events["event"].str.contains("Black Friday")]
    assert black_friday["entity"].tolist() == ["Temu"]
    assert marketing.festivals_without_events(timeline) == ["Christmas"]


def test_section_6_2_repeats_the_payment_figures_of_5_2():
    assert marketing.repeated_claims(facts.table(), "6.2", "5.2") == [
        "000_capital_turnover_gain_s6_2",
        "000_payment_time_seconds_s6_2",
        "000_settlement_cycle_days_s6_2",
        "000_settlement_speedup_s6_2",
    ]
    assert marketing.repeated_claims(facts.table(), "6.1", "5.2") == []


def test_percent_outcomes_sign_changes_but_not_levels():
    tidy = tidy_outcomes(data.load("table3_regional_marketing"))
    rows = marketing.percent_outcomes(tidy).set_index("label")
    assert len(rows) == 5
    assert rows.loc["Europe: return rate", "signed_value"] == -22
    assert rows.loc["Latin America: cash-on-delivery rate", "signed_value"] == 28
    assert rows.loc["Middle East: sales", "signed_value"] == 356


def test_percent_outcomes_label_an_unnamed_metric():
    tidy = tidy_outcomes(pd.DataFrame({"region": ["X"], "outcomes": ["-5% YoY"]}))
    rows = marketing.percent_outcomes(tidy)
    assert rows[["label", "signed_value"]].values.tolist() == [["X: (unnamed)", -5.0]]


def test_pay_explorer_shows_the_ceiling(campaign):
    explorer = pay_explorer(campaign)
    commission, fee, result = explorer.children
    assert "6.67" in result.value and "cannot reach" in result.value
    commission.value = 0.10
    assert "10.00" in result.value and "reaches" in result.value
    fee.value = 0.05
    assert "6.67" in result.value


def test_outcome_explorer_uses_the_parser():
    explorer = outcome_explorer()
    sentence, result = explorer.children
    assert "level" in result.value and "28.0" in result.value
    sentence.value = "strong growth everywhere"
    assert "No outcome read" in result.value


def test_comparable_outcomes_ignore_case_and_extra_keys():
    rows = [{"outcome": "Sales up 3%", "metric": "Sales", "direction": "up", "kind": "change", "value": 3,
             "unit": "percent", "note": "extra"}]
    assert marketing.comparable_outcomes(rows) == [
        {"outcome": "Sales up 3%", "metric": "sales", "direction": "up", "kind": "change", "value": 3.0,
         "unit": "percent"}
    ]
    assert marketing.comparable_outcomes([{"metric": None}])[0]["metric"] is None
