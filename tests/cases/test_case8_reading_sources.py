import math

import pandas as pd
import pytest

from course import data, facts
from course.cases.case8_reading_sources import source_criticism as sc
from course.cases.case8_reading_sources.widgets import claims_explorer, claims_rows_html


@pytest.fixture(scope="module")
def claims():
    return sc.claims_table(facts.table())


def test_claims_table_keeps_aliexpress_figures_of_the_compared_metrics(claims):
    assert list(claims.columns) == sc.CLAIM_COLUMNS
    assert set(claims["metric"]) == set(sc.COMPARED_METRICS)
    assert (claims["entity"] == "AliExpress").all()
    # Lazada's 110 million consumers and six countries are about another company.
    assert "000_lazada_active_consumers" not in set(claims["id"])
    assert claims.loc[claims["metric"] == "countries_served", "reading_no"].tolist() == ["000", "002", "003"]
    assert claims.index.tolist() == list(range(len(claims)))


def test_claims_table_for_anyone_includes_other_entities():
    rows = sc.claims_table(facts.table(), ["active_buyers"], entity=None)
    assert set(rows["entity"]) == {"AliExpress", "Lazada"}


def test_shared_metrics():
    shared = sc.shared_metrics(facts.table())
    assert {"countries_served", "active_buyers", "global_market_share"} <= set(shared)
    assert "transaction_volume_growth" not in shared  # reading 004 only
    assert shared == sorted(shared)


def test_comparison_table_puts_people_in_millions(claims):
    table = sc.comparison_table(claims)
    assert table.loc["people_reached", "000"] == 1500
    assert table.loc["countries_served"].dropna().to_dict() == {"000": 200, "002": 220, "003": 190}
    assert math.isnan(table.loc["people_reached", "001"])


def test_comparison_table_refuses_unknown_units_and_duplicates(claims):
    with pytest.raises(ValueError):
        sc.comparison_table(claims.assign(unit="USD_billion"))
    with pytest.raises(ValueError):
        sc.comparison_table(pd.concat([claims, claims.head(1)]))


def test_spread_table(claims):
    spread = sc.spread_table(sc.comparison_table(claims))
    assert spread.index.tolist() == ["active_buyers", "countries_served"]
    assert spread.loc["countries_served"].tolist() == pytest.approx([3, 190, 220, 30, 220 / 190])
    assert spread.loc["active_buyers", "spread"] == 0


def test_implied_total_and_guards():
    assert sc.implied_total(31, 4) == 775
    assert sc.implied_total(31, 8) == 387.5
    assert sc.implied_total(1, 8.4) == pytest.approx(11.905, abs=1e-3)
    for share in (0, -4, 101):
        with pytest.raises(ValueError):
            sc.implied_total(31, share)
    with pytest.raises(ValueError):
        sc.implied_total(-1, 8)


def test_growth_readings():
    assert sc.growth_readings(4.2) == {"multiple": 4.2, "times_more": pytest.approx(5.2)}
    assert sc.growth_readings(0) == {"multiple": 0.0, "times_more": 1.0}
    for bad in (-1, -0.5, float("nan")):
        with pytest.raises(ValueError):
            sc.growth_readings(bad)


def test_growth_table_of_reading_004():
    table = sc.growth_table(facts.table())
    assert table.index.tolist() == ["Global", "Israel", "Spain"]
    assert table.loc["Israel"].tolist() == [5, 6, 20]
    assert table.loc["Global", "gap_pct"] == pytest.approx(100 / 4.2)


def test_base_month_share_and_average_month():
    assert sc.base_month_min_share(4.2) == pytest.approx(23.81, abs=0.01)
    assert sc.vs_average_month(sc.base_month_min_share(4.2)) == pytest.approx(12 / 4.2)
    assert sc.vs_average_month(100 / 12) == pytest.approx(1)
    for bad in (0, -2):
        with pytest.raises(ValueError):
            sc.base_month_min_share(bad)


def test_implied_baseline_of_percent_faster():
    readings = sc.implied_baseline(1, 70)
    assert readings["less_time"] == pytest.approx(10 / 3)
    assert readings["more_speed"] == pytest.approx(1.7)
    for after, percent in [(0, 70), (1, 100), (1, -5)]:
        with pytest.raises(ValueError):
            sc.implied_baseline(after, percent)


def test_max_sales_per_commission():
    assert sc.max_sales_per_commission(15) == pytest.approx(6.667, abs=1e-3)
    with pytest.raises(ValueError):
        sc.max_sales_per_commission(0)


def test_latest_year_leaves_out_targets():
    years = sc.latest_year(data.load("timeline"))
    assert years.to_dict() == {"000": 2026, "001": 2022, "002": 2019, "003": 2023, "004": 2014}


def test_quality_scores_and_ties():
    scored = sc.quality_scores(sc.source_profiles())
    assert scored["score"].to_dict() == {"000": 6, "001": 0, "002": 4, "003": 1, "004": 0}
    assert scored["rank"].to_dict() == {"000": 1, "001": 4, "002": 2, "003": 3, "004": 4}
    assert set(sc.source_profiles()["sourcing"]) <= set(sc.SOURCING_LEVELS)
    with pytest.raises(KeyError):
        sc.quality_scores(sc.source_profiles(), {"impact_factor": 1})


def test_claims_explorer_shows_every_reading_with_quote_and_date():
    explorer = claims_explorer(facts.table())
    dropdown, result = explorer.children
    assert "cross_border_customers" in dropdown.options
    assert "220 countries and regions" in result.value and "undated" in result.value
    dropdown.value = "active_buyers"
    assert "Lazada" in result.value and "2018-09" in result.value


def test_claims_rows_html_escapes_text():
    rows = sc.claims_table(facts.table(), ["countries_served"]).assign(quote="<b>&</b>")
    assert "&lt;b&gt;&amp;" in claims_rows_html(rows)
