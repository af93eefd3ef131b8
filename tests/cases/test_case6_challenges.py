import pandas as pd
import pytest

from course import data, facts
from course.cases.case6_challenges import challenges
from course.cases.case6_challenges.widgets import green_path_explorer, margin_explorer


def test_compliance_table_from_the_facts_table():
    table = challenges.compliance_table(facts.table())
    assert table.index.tolist() == ["Brazil", "Southeast Asia"]
    assert table.loc["Brazil"].tolist() == pytest.approx([32.0, 19.2])
    assert table.loc["Southeast Asia"].tolist() == [12.0, 12.0]
    assert challenges.compliance_table(facts.table(), cut_pct=0).loc["Brazil", "after_target"] == 32.0


def test_points_and_percent():
    assert challenges.relative_difference_pct(32, 12) == pytest.approx(166.67, abs=0.01)
    assert challenges.relative_difference_pct(12, 32) == pytest.approx(-62.5)
    with pytest.raises(ValueError):
        challenges.relative_difference_pct(5, 0)
    assert challenges.cut_by_percent(32, 40) == pytest.approx(19.2)
    for bad in (-1, 101):
        with pytest.raises(ValueError):
            challenges.cut_by_percent(32, bad)


def test_net_margin_and_fee_cut():
    assert challenges.net_margin(20, 17, 0.025) == pytest.approx(12.5)
    # Fee and margin are shares of the same sales, so price and costs do not matter.
    for price, costs in [(20, 17), (100, 50), (10, 12), (3, 0)]:
        assert challenges.margin_change(price, costs, 0.025, 0.008) == pytest.approx(1.7)
    assert challenges.margin_change(20, 17, 0.025, 0.0) == pytest.approx(2.5)


def test_margin_change_with_other_levers():
    assert challenges.margin_change(20, 17, 0.025, 0.008, costs_after=17 - 0.86) == pytest.approx(6.0)
    # More units spread fixed costs: the margin rises beyond the fee cut.
    with_volume = challenges.margin_change(20, 17, 0.025, 0.008, units_after=1.5, fixed_costs=2)
    assert with_volume > 1.7
    assert challenges.margin_change(20, 17, 0.025, 0.008, units_after=1.5) == pytest.approx(1.7)


@pytest.mark.parametrize("args", [(20, 17, 2.5), (20, 17, -0.01), (0, 17, 0.025), (-5, 1, 0.025), (20, -1, 0.025)])
def test_net_margin_refuses_impossible_input(args):
    with pytest.raises(ValueError):
        challenges.net_margin(*args)


def test_net_margin_refuses_bad_volume_and_fixed_costs():
    with pytest.raises(ValueError):
        challenges.net_margin(20, 17, 0.025, units=0)
    with pytest.raises(ValueError):
        challenges.net_margin(20, 17, 0.025, fixed_costs=-1)
    with pytest.raises(ValueError):
        challenges.margin_change(20, 17, 0.025, 1.5)


def test_relative_reading_of_the_claim():
    margin = challenges.margin_for_relative_gain(1.7, 6)
    assert margin == pytest.approx(28.33, abs=0.01)
    assert challenges.relative_profit_change(margin, 1.7) == pytest.approx(6)
    with pytest.raises(ValueError):
        challenges.margin_for_relative_gain(1.7, 0)


def test_method_shares_of_the_synthetic_payments():
    shares = challenges.method_shares(data.load("synthetic_payments"))
    assert shares.sum(axis=1).tolist() == pytest.approx([100.0] * len(shares))
    assert shares.loc["Middle East", "cash_on_delivery"] > 40
    assert shares.loc["Latin America", "credit_card"] < 35
    assert shares.loc["Latin America", "cash_on_delivery"] == pytest.approx(28, abs=0.5)
    assert shares.loc["Europe", "pix"] == 0


def test_yearly_growth_and_green_path():
    assert challenges.yearly_growth_needed(10, 30, 5) == pytest.approx(24.57, abs=0.01)
    assert challenges.yearly_growth_needed(30, 30, 5) == 0
    path = challenges.green_path(10, 30, 2025, 2030)
    assert path.index.tolist() == list(range(2025, 2031))
    assert path.iloc[0] == 10 and path.iloc[-1] == pytest.approx(30)
    assert path.is_monotonic_increasing


@pytest.mark.parametrize("args", [(0, 30, 5), (10, 130, 5), (10, 30, 0), (-5, 30, 5), (120, 30, 5)])
def test_yearly_growth_refuses_impossible_input(args):
    with pytest.raises(ValueError):
        challenges.yearly_growth_needed(*args)


def test_claims_about_a_metric():
    claims = challenges.claims_about(facts.table(), "return_rate_change")
    assert sorted(claims["section"].astype(str)) == ["6.3", "7.2", "Table 3"]
    assert sorted(claims["value"]) == [18.0, 22.0, 22.0]
    assert isinstance(claims.index, pd.RangeIndex)


def test_explorers_call_the_tested_functions():
    table = facts.table()
    margin = margin_explorer(table)
    assert "+1.70 percentage points" in margin.children[-1].value
    cost_cut = next(w for w in margin.children if getattr(w, "description", "") == "Cut in other costs (%)")
    cost_cut.value = 10
    assert "reaches the claimed +6 points" in margin.children[-1].value
    fee_before = margin.children[0]
    fee_before.value = 0.0
    assert "percentage points" in margin.children[-1].value
    green = green_path_explorer(table)
    assert "24.6% a year" in green.children[-1].value
    green.children[0].value = 5
    assert "43.1% a year" in green.children[-1].value
