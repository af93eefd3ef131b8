"""Tests for course.outcomes: reading outcome texts as numbers."""

import pandas as pd
import pytest

from course.data import load
from course.outcomes import OUTCOME_FIELDS, parse_outcomes, tidy_outcomes, write_table3_outcomes

# Notebooks fail a test cell on any warning, so the tests do too.
pytestmark = pytest.mark.filterwarnings("error")


def outcome(text, metric, direction, kind, value, unit):
    return dict(zip(OUTCOME_FIELDS, (text, metric, direction, kind, value, unit)))


TABLE3 = {
    "2.4 million exposures, sales up 356%": [
        outcome("2.4 million exposures", "exposures", "none", "level", 2_400_000.0, "count"),
        outcome("sales up 356%", "sales", "up", "change", 356.0, "percent"),
    ],
    "95% of orders delivered within 48 hours": [
        outcome("95% of orders delivered within 48 hours", "orders delivered within 48 hours", "none", "level", 95.0,
                "percent"),
    ],
    "Cash-on-delivery rate down to 28%": [
        outcome("Cash-on-delivery rate down to 28%", "cash-on-delivery rate", "down", "level", 28.0, "percent"),
    ],
    "Return rate down 22%, repurchase rate up 35%": [
        outcome("Return rate down 22%", "return rate", "down", "change", 22.0, "percent"),
        outcome("repurchase rate up 35%", "repurchase rate", "up", "change", 35.0, "percent"),
    ],
}

TABLE1 = {
    "Magcubic projectors exceeded USD 10 million in monthly sales": [
        outcome("Magcubic projectors exceeded USD 10 million in monthly sales", "monthly sales", "none", "lower_bound",
                10_000_000.0, "USD"),
    ],
    "PatPat Ramadan orders reached 46 times daily average": [
        outcome("PatPat Ramadan orders reached 46 times daily average", "PatPat Ramadan orders vs daily average",
                "none", "level", 46.0, "times"),
    ],
    "Keychain merchants exceeded 1,000 daily orders during Spring Festival, +356% YoY": [
        outcome("Keychain merchants exceeded 1,000 daily orders during Spring Festival",
                "daily orders during Spring Festival", "none", "lower_bound", 1000.0, "count"),
        outcome("+356% YoY", None, "up", "change", 356.0, "percent"),
    ],
    "Delivery time in Brazil shortened to 3 days": [
        outcome("Delivery time in Brazil shortened to 3 days", "delivery time in Brazil", "down", "level", 3.0, "days"),
    ],
}


@pytest.mark.parametrize("text", TABLE3)
def test_table3_outcomes(text):
    assert parse_outcomes(text) == TABLE3[text]


@pytest.mark.parametrize("text", TABLE1)
def test_table1_key_outcomes(text):
    assert parse_outcomes(text) == TABLE1[text]


def test_cases_above_are_the_printed_cells():
    assert set(TABLE3) == set(load("table3_regional_marketing")["outcomes"])
    assert set(TABLE1) == set(load("table1_market_layout")["key_outcomes"])


def test_down_is_a_change_but_down_to_is_a_level():
    [by] = parse_outcomes("Cash-on-delivery rate down 28%")
    [to] = parse_outcomes("Cash-on-delivery rate down to 28%")
    assert (by["kind"], by["direction"], by["value"]) == ("change", "down", 28.0)
    assert (to["kind"], to["direction"], to["value"]) == ("level", "down", 28.0)
    assert by["metric"] == to["metric"] == "cash-on-delivery rate"


@pytest.mark.parametrize(
    "text, change",
    [
        ("sales increased by 35%", ("up", 35.0)),
        ("return rate fell 18 percent", ("down", 18.0)),
        ("-5% YoY", ("down", 5.0)),
    ],
)
def test_other_wordings_of_a_change(text, change):
    [parsed] = parse_outcomes(text)
    assert parsed["kind"] == "change"
    assert (parsed["direction"], parsed["value"]) == change


@pytest.mark.parametrize(
    "text, value",
    [
        ("2.4 million exposures", 2_400_000.0),
        ("12 thousand orders", 12_000.0),
        ("1.5 billion users", 1_500_000_000.0),
        ("1,000 orders", 1000.0),
        ("Sales exceeded USD 2.5 thousand in daily revenue", 2500.0),
    ],
)
def test_scaling(text, value):
    assert [row["value"] for row in parse_outcomes(text)] == [value]


def test_thousands_separator_does_not_split_an_outcome():
    parsed = parse_outcomes("Keychain merchants exceeded 1,000 daily orders")
    assert [row["value"] for row in parsed] == [1000.0]


def test_closing_full_stop_is_kept_in_the_outcome_text():
    [parsed] = parse_outcomes("sales up 356%.")
    assert parsed["outcome"] == "sales up 356%."
    assert parsed["value"] == 356.0


@pytest.mark.parametrize(
    "text",
    [
        "",
        "strong growth in all markets",
        "ranked among the global top three",
        "single payment times reduced to 6-9 seconds",
        "an ROI of 1:8",
        # Two movements without a comma: better nothing than 35% for "return rate down 22% and repurchase rate".
        "Return rate down 22% and repurchase rate up 35%",
    ],
)
def test_unparseable_text_gives_no_outcome(text):
    assert parse_outcomes(text) == []


def test_unparseable_fragment_is_left_out_and_the_rest_is_kept():
    parsed = parse_outcomes("brand awareness improved, sales up 40%")
    assert [row["outcome"] for row in parsed] == ["sales up 40%"]


@pytest.mark.parametrize("bad", [None, 356, 2.4, ["sales up 356%"], float("nan")])
def test_non_text_input_is_refused(bad):
    with pytest.raises(ValueError, match="expects the text of one outcomes cell"):
        parse_outcomes(bad)


def test_every_value_is_a_number_printed_in_its_outcome():
    for cell in [*TABLE3, *TABLE1]:
        for row in parse_outcomes(cell):
            printed = row["outcome"].replace(",", "")
            shown = {f"{row['value'] / scale:g}" for scale in (1, 1e3, 1e6, 1e9)}
            assert any(number in printed for number in shown), f"{row['value']} is not printed in {row['outcome']!r}"


def test_tidy_outcomes_one_row_per_outcome():
    table = pd.DataFrame(
        {
            "market": ["A", "B", "C", "D"],
            "results": ["sales up 10%, 3 thousand orders", "no number here", None,
                        "95% of orders delivered within 48 hours"],
        }
    )
    tidy = tidy_outcomes(table, text_column="results", key="market")
    assert list(tidy.columns) == ["market", *OUTCOME_FIELDS]
    assert tidy["market"].tolist() == ["A", "A", "D"]
    assert tidy["value"].tolist() == [10.0, 3000.0, 95.0]
    assert tidy["value"].dtype == "float64"


def test_tidy_outcomes_on_table3_keeps_the_regions_categories():
    table = load("table3_regional_marketing")
    tidy = tidy_outcomes(table)
    assert len(tidy) == 6
    assert isinstance(tidy["region"].dtype, pd.CategoricalDtype)
    assert list(tidy["region"].cat.categories) == list(table["region"].cat.categories)
    europe = tidy[tidy["region"] == "Europe"]
    assert europe["metric"].tolist() == ["return rate", "repurchase rate"]


def test_tidy_outcomes_names_a_missing_column():
    with pytest.raises(KeyError, match="outcomes"):
        tidy_outcomes(pd.DataFrame({"region": ["Europe"]}))


def test_tidy_outcomes_of_an_empty_table_has_the_columns():
    tidy = tidy_outcomes(pd.DataFrame({"region": pd.Series([], dtype="str"), "outcomes": pd.Series([], dtype="str")}))
    assert list(tidy.columns) == ["region", *OUTCOME_FIELDS]
    assert tidy.empty


def test_write_table3_outcomes(tmp_path):
    path = write_table3_outcomes(tmp_path / "table3_outcomes.csv")
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "region,outcome,metric,direction,kind,value,unit"
    assert "Middle East,2.4 million exposures,exposures,none,level,2400000,count\n" in text
    assert "\r" not in text
