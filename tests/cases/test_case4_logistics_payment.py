import pandas as pd
import pytest

from course import data, facts
from course.cases.case1_market_selection import market
from course.cases.case4_logistics_payment import logistics
from course.cases.case4_logistics_payment.widgets import landed_cost_explorer


@pytest.fixture(scope="module")
def deliveries():
    return data.load("synthetic_deliveries")


@pytest.fixture(scope="module")
def payments():
    return data.load("synthetic_payments")


def test_per_year_and_its_guards():
    assert logistics.per_year(facts.value("000_kazakhstan_charter_parcels")) == 7_300_000
    assert logistics.per_year(facts.value("000_korea_freight_flights"), "week") == 1040
    with pytest.raises(ValueError):
        logistics.per_year(-1)
    with pytest.raises(ValueError):
        logistics.per_year(20, "month")


def test_local_fulfilment_depends_on_counting_the_campaign(deliveries):
    assert logistics.local_fulfilment_share(deliveries) == pytest.approx(68)
    assert logistics.local_fulfilment_share(deliveries, include_campaigns=False) == pytest.approx(60)
    with pytest.raises(ValueError):
        logistics.local_fulfilment_share(deliveries, "Atlantis")


def test_delivery_summary_leaves_out_regions_without_times(deliveries):
    summary = logistics.delivery_summary(deliveries)
    assert "Middle East" not in summary.index.get_level_values("region")
    assert len(summary) == 6
    assert (summary["median_days"] < summary["mean_days"]).all()
    assert summary.loc[("Brazil", "after"), "mean_days"] == pytest.approx(3, abs=0.5)


def test_synthetic_gains_match_the_reading_except_southeast_asia(deliveries):
    gains = logistics.synthetic_gains(deliveries)
    stated = market.add_gains(market.delivery_times(facts.table()))
    assert list(gains.columns) == ["before_days", "after_days", "days_saved", "speed_up"]
    gap = (gains["speed_up"] - stated["speed_up"]).abs()
    assert gap.idxmax() == "Southeast Asia"
    assert gap.drop("Southeast Asia").max() < 0.05


def test_population_of_a_delivery_figure(deliveries):
    low, high = facts.fact("000_delivery_days_southeast_asia_after")[["value", "value_high"]]
    assert low <= logistics.mean_days(deliveries, "Southeast Asia", "after", "cross_border") <= high
    assert logistics.mean_days(deliveries, "Southeast Asia", "after") < low
    assert logistics.share_within(deliveries, 48) == pytest.approx(facts.value("000_patpat_orders_within_48h"))
    assert logistics.share_within(deliveries, 48, campaign=None) < 50
    with pytest.raises(ValueError):
        logistics.mean_days(deliveries, "Middle East")
    with pytest.raises(ValueError):
        logistics.share_within(deliveries, 48, campaign="No such campaign")


def test_implied_baseline_readings_and_guards():
    assert logistics.implied_baseline(1, 70) == pytest.approx(1 / 0.3)
    assert logistics.implied_baseline(1, 70, "more_speed") == pytest.approx(1.7)
    for args in [(0, 70), (1, -5), (1, 100)]:
        with pytest.raises(ValueError):
            logistics.implied_baseline(*args)
    with pytest.raises(ValueError):
        logistics.implied_baseline(1, 70, "sideways")


def test_settlement_and_fraud_rates_match_the_reading(payments):
    settlement = logistics.mean_by_period(payments, "settlement_days")
    assert list(settlement.index) == ["before", "after"]
    assert market.percent_reduction(settlement["before"], settlement["after"]) == pytest.approx(70, abs=0.5)
    rates = logistics.fraud_rate_by_period(payments)
    assert rates["before"] == pytest.approx(facts.value("000_fraud_rate_industry"))
    assert rates["after"] == pytest.approx(facts.value("000_fraud_rate_after"))
    assert market.percent_reduction(rates["before"], rates["after"]) == pytest.approx(45)


def test_fraud_by_market_table(payments):
    table = logistics.fraud_rate_by_market(payments)
    assert list(table.columns) == ["before", "after"]
    assert len(table) == payments["market"].nunique()
    assert table.loc["United Arab Emirates", "before"] == table.loc["United Arab Emirates", "after"]
    assert (table["after"] <= table["before"]).all()


def test_non_cash_ceiling():
    assert logistics.non_cash_ceiling(facts.value("000_middle_east_cod_share")) == 60
    ceiling = logistics.non_cash_ceiling(facts.value("000_middle_east_cod_share"))
    assert ceiling < facts.value("000_local_payment_coverage")
    with pytest.raises(ValueError):
        logistics.non_cash_ceiling(140)


def test_tax_constant_is_the_fact():
    assert facts.value("000_brazil_comprehensive_tax_rate") / 100 == logistics.BRAZIL_COMPREHENSIVE_TAX


def test_landed_cost_splits_the_tax_without_changing_the_total():
    plain = logistics.landed_cost(20, 5)
    assert plain == {"tax": 15.0, "prepaid": 0.0, "due_on_delivery": 15.0, "total": 40.0}
    shared = logistics.landed_cost(20, 5, platform_prepays=0.6)
    assert shared["prepaid"] == pytest.approx(9)
    assert shared["due_on_delivery"] == pytest.approx(6)
    assert shared["total"] == plain["total"]
    assert logistics.landed_cost(0, 0)["total"] == 0


@pytest.mark.parametrize("args, kwargs", [
    ((-1, 5), {}), ((20, -5), {}), ((20, 5), {"tax_rate": 60}), ((20, 5), {"tax_rate": -0.1}),
    ((20, 5), {"platform_prepays": 60}), ((20, 5), {"platform_prepays": -0.5}),
])
def test_landed_cost_refuses_nonsense(args, kwargs):
    with pytest.raises(ValueError):
        logistics.landed_cost(*args, **kwargs)


def test_readings_of_the_prepaid_sixty_percent():
    assert logistics.prepaid_under_reading(20, 5, "share_of_tax") == pytest.approx(9)
    assert logistics.prepaid_under_reading(20, 5, "whole_tax") == pytest.approx(15)
    with pytest.raises(ValueError):
        logistics.prepaid_under_reading(20, 5, "half")


def test_seconds_speed_up_of_a_range():
    assert logistics.seconds_speed_up(86400, 6, 9) == (9600, 14400)


def test_landed_cost_explorer_calls_the_tested_function():
    box = landed_cost_explorer()
    price, _shipping, tax_rate, who, result = box.children
    assert "40.00 USD" in result.value and "9.00" in result.value
    who.value = 1.0
    assert "15.00</b> prepaid" in result.value and "40.00 USD" in result.value
    price.value = 0
    assert "times the price" not in result.value
    tax_rate.value = 0.0
    assert "Landed cost <b>5.00 USD" in result.value


def test_with_days_converts_hours():
    frame = pd.DataFrame({"delivery_hours": pd.array([48, None], dtype="Int64")})
    assert logistics.with_days(frame)["delivery_days"].tolist() == [2.0]
