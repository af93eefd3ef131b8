import pandas as pd
import pytest

from course import data, facts
from course.cases.case7_alibaba_expansion import expansion
from course.cases.case7_alibaba_expansion.widgets import share_growth_explorer


@pytest.fixture(scope="module")
def events():
    return expansion.reading_timeline(data.load("timeline"))


def test_reading_timeline_keeps_reading_003_most_recent_first(events):
    assert list(events.columns) == expansion.TIMELINE_COLUMNS
    assert events["year"].is_monotonic_decreasing and events.index.tolist() == list(range(len(events)))
    assert {"003_2010_aliexpress_launched", "003_2016_lazada_acquired", "003_2017_tokopedia_investment",
            "003_2021_cloud_expansion", "003_2020_india_ban"} <= set(events["id"])
    assert events["id"].str.startswith("003_").all()


def test_events_per_period_counts_every_period_in_order(events):
    counts = expansion.events_per_period(events)
    assert counts.index.astype(str).tolist() == expansion.PERIOD_LABELS
    assert counts.tolist() == [1, 1, 4, 2]
    empty = expansion.events_per_period(events[events["year"] > 2020])
    assert empty.tolist() == [0, 0, 0, 2]


def test_years_since_launch_and_deal_gaps(events):
    years = expansion.years_since(events)
    assert dict(zip(events["id"], years))["003_1999_alibaba_founded"] == -11
    assert expansion.deal_gaps(events).to_dict() == {"003_2017_tokopedia_investment": 7,
                                                     "003_2016_lazada_acquired": 6}
    with pytest.raises(KeyError):
        expansion.years_since(events, "no_such_event")


def test_share_growth_three_ways():
    assert expansion.point_change(4, 8) == 4
    assert expansion.percent_change(4, 8) == 100
    assert expansion.percent_change(8, 4) == -50
    assert expansion.cagr(4, 8, 4) == pytest.approx(18.92, abs=0.01)
    assert expansion.cagr(100, 121, 2) == pytest.approx(10)
    assert expansion.cagr(3, 0, 2) == -100
    with pytest.raises(ValueError):
        expansion.percent_change(0, 1)


@pytest.mark.parametrize("start, end, years", [(0, 8, 4), (-4, 8, 4), (4, -8, 4), (4, 8, 0), (4, 8, -1)])
def test_cagr_refuses_impossible_input(start, end, years):
    with pytest.raises(ValueError):
        expansion.cagr(start, end, years)


def test_a_share_is_not_a_level():
    changes = expansion.level_change_pct(4, 8, pd.Series([-50.0, 0.0, 50.0]))
    assert changes.tolist() == pytest.approx([0.0, 100.0, 200.0])
    assert expansion.total_change_for_flat_level(4, 8) == -50
    assert expansion.level_change_pct(4, 8, expansion.total_change_for_flat_level(4, 8)) == pytest.approx(0)
    with pytest.raises(ValueError):
        expansion.level_change_pct(0, 8, 0.0)
    with pytest.raises(ValueError):
        expansion.total_change_for_flat_level(4, 0)


def test_reach_statements_differ_but_can_all_hold():
    table = facts.table()
    assert expansion.reach_by_reading(table).to_dict() == {"000": 200.0, "002": 220.0, "003": 190.0}
    assert expansion.all_can_hold(table) is True


def test_reach_bounds_that_cannot_all_hold():
    rows = pd.DataFrame({"metric": ["countries_served"] * 2, "entity": ["AliExpress"] * 2,
                         "bound": ["over", "exact"], "value": [200.0, 200.0]})
    assert expansion.all_can_hold(rows) is False
    rows["bound"] = ["approx", "exact"]
    with pytest.raises(ValueError):
        expansion.all_can_hold(rows)


def test_explorer_shows_the_tested_functions_and_reports_bad_input():
    explorer = share_growth_explorer()
    start, _end, span, result = explorer.children
    assert "+4 points" in result.value and "+100.0%" in result.value and "+18.9% a year" in result.value
    span.value = 0
    assert "years must be positive" in result.value
    span.value, start.value = 4, 0.0
    assert "must be positive" in result.value
