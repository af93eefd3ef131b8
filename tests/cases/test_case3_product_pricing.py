import pandas as pd
import pytest

from course import data, facts
from course.cases.case3_product_pricing import pricing
from course.cases.case3_product_pricing.widgets import threshold_explorer

PRICING_IDS = ["000_basic_model_price_vs_amazon", "000_keychain_bundle_aov_change",
               "000_mexico_family_pack_aov_change", "000_litter_box_price_vs_independent_sites"]


@pytest.fixture(scope="module")
def trials():
    return data.load("synthetic_product_trials")


def test_growth_multiple_and_percent_change():
    assert pricing.growth_multiple(120) == pytest.approx(2.2)
    assert pricing.growth_multiple(-100) == 0
    with pytest.raises(ValueError):
        pricing.growth_multiple(-101)
    assert pricing.percent_change(12, 24) == pytest.approx(100)
    assert pricing.percent_change(38, 67) == pytest.approx(76.32, abs=0.01)
    assert pricing.percent_change(10, 5) == pytest.approx(-50)
    with pytest.raises(ValueError):
        pricing.percent_change(0, 5)


def test_discount_and_tiered_price_and_their_guards():
    assert pricing.discount_from_ratio(30) == 70
    assert pricing.tiered_price(40, 30) == pytest.approx(12)
    assert pricing.tiered_price(120, 85) == pytest.approx(102)
    for bad in [(0, 30), (-5, 30), (40, 0), (40, -10)]:
        with pytest.raises(ValueError):
            pricing.tiered_price(*bad)
    for bad in (0, -30):
        with pytest.raises(ValueError):
            pricing.discount_from_ratio(bad)


def test_price_levers_from_the_facts_table():
    levers = pricing.price_levers(facts.table(), PRICING_IDS)
    assert levers["multiple"].round(4).tolist() == [0.3, 1.22, 1.35, 0.85]
    with pytest.raises(ValueError):
        pricing.reference_multiple("search_growth", 120)


def test_sell_through_guards_against_empty_first_orders():
    assert pricing.sell_through(pd.Series([40, 50]), pd.Series([50, 50])).tolist() == [0.8, 1.0]
    with pytest.raises(ValueError):
        pricing.sell_through(pd.Series([1]), pd.Series([0]))


def test_the_reorder_rule_is_in_the_synthetic_data(trials):
    rule = pricing.rule_boundaries(trials)
    assert rule["blockbuster_min"] >= pricing.BLOCKBUSTER_SELL_THROUGH > rule["other_max"]
    assert rule["reorder_min"] >= pricing.REORDER_SELL_THROUGH > rule["no_reorder_max"]
    assert pricing.median_reorder_multiple(trials) == pytest.approx(10, abs=0.5)
    assert 1 <= pricing.median_reorder_multiple(trials, blockbuster=False) <= 4


def test_blockbuster_rates_match_figure2_as_calibrated(trials):
    rates = pricing.blockbuster_rates(trials)
    stated = pricing.stated_rates(data.load("figure2_blockbuster_rate"))
    assert list(stated.columns) == [2023, 2025]
    pd.testing.assert_frame_equal(rates, stated, atol=0.5)
    stricter = pricing.blockbuster_rates(trials, 1.0)
    assert (stricter < rates).all().all()
    for bad in (0, 1.2):
        with pytest.raises(ValueError):
            pricing.blockbuster_rates(trials, bad)


def test_growth_in_points_and_in_percent_disagree():
    growth = pricing.rate_growth(pricing.stated_rates(data.load("figure2_blockbuster_rate")))
    assert growth.loc["full_hosting", "points"] > growth.loc["non_hosting", "points"]
    assert growth.loc["full_hosting", "relative_pct"] < growth.loc["non_hosting", "relative_pct"]
    line = pricing.straight_line_points_per_year(pricing.stated_rates(data.load("figure2_blockbuster_rate")))
    assert line.to_dict() == {"full_hosting": 14.5, "non_hosting": 6.0}


def test_threshold_explorer_shows_the_rates(trials):
    explorer = threshold_explorer(trials)
    slider, result = explorer.children
    assert "38.0" in result.value and "SYNTHETIC" in result.value
    slider.value = 1.0
    assert "38.0" not in result.value
