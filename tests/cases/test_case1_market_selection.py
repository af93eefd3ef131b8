import pandas as pd
import pytest

from course import facts
from course.cases.case1_market_selection import market


def test_speed_up_and_guards():
    assert market.speed_up(15, 5) == 3
    assert market.speed_up(168, 48) == 3.5
    for before, after in [(0, 1), (1, 0), (-1, 2)]:
        with pytest.raises(ValueError):
            market.speed_up(before, after)


def test_percent_reduction():
    assert market.percent_reduction(5.3, 0.7) == pytest.approx(86.79, abs=0.01)
    with pytest.raises(ValueError):
        market.percent_reduction(0, 1)


def test_delivery_times_from_the_facts_table():
    table = market.delivery_times(facts.table())
    assert table.loc["Europe/US"].tolist() == [15.0, 5.0]
    assert table.loc["Brazil"].tolist() == [14.0, 3.0]
    assert table.loc["Southeast Asia"].tolist() == [12.0, 7.0]
    low = market.delivery_times(facts.table(), range_end="low")
    assert low.loc["Southeast Asia", "after_days"] == 6.0
    assert not table.isna().any().any()
    with pytest.raises(ValueError):
        market.delivery_times(facts.table(), range_end="middle")


def test_delivery_times_ignores_regions_without_both_figures():
    rows = pd.DataFrame(
        {
            "metric": ["delivery_time_days"] * 3,
            "region": ["A", "A", "B"],
            "scenario": ["before", "after", "after"],
            "value": [10.0, 5.0, 3.0],
            "value_high": [None, None, None],
        }
    )
    assert market.delivery_times(rows).index.tolist() == ["A"]


def test_gains_and_claimed_speed_up():
    gains = market.add_gains(market.delivery_times(facts.table()))
    assert gains.loc["Brazil", "days_saved"] == 11
    assert gains["speed_up"].idxmax() == "Brazil"
    assert market.hours_for_claimed_speed_up(168, 6) == 28
