"""Tables 1-3, Figures 1-2 and the timeline against the readings in seeds/."""

import re

import pandas as pd
import pytest

from course import data
from course.outcomes import write_table3_outcomes
from course.paths import datasets_dir, seeds_dir
from course.provenance import READINGS, fold_space, quote_in_reading

PAPER = "000_2ac75adefbd94969.txt"

# Each table as printed: its header row, tab-separated in the reading.
TABLES = {
    "table1_market_layout": "Market Type\tTarget Region\tCore Strategy\tKey Outcomes",
    "table2_hosting_models": "Model\tMerchant Responsibilities\tPlatform Support\tSuitable Seller Type\tTypical Case",
    "table3_regional_marketing": "Region\tCore Strategy\tKey Actions\tOutcomes",
}
MINE = [*TABLES, "table3_outcomes", "figure1_gmv_share", "figure2_blockbuster_rate", "timeline"]

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def paper_lines():
    return (seeds_dir() / PAPER).read_text(encoding="utf-8").splitlines()


def text_cells(frame):
    return [(column, cell) for column in frame.columns for cell in frame[column].dropna().astype(str)]


@pytest.mark.parametrize("name", TABLES)
def test_table_columns_follow_the_printed_header(name, paper_lines):
    assert TABLES[name] in paper_lines
    printed = [heading.lower().replace(" ", "_") for heading in TABLES[name].split("\t")]
    assert list(data.load(name).columns) == printed


@pytest.mark.parametrize("name", TABLES)
def test_table_rows_are_the_printed_rows(name, paper_lines):
    table = data.load(name)
    start = paper_lines.index(TABLES[name]) + 1
    printed = paper_lines[start : start + len(table)]
    rows = ["\t".join(row) for row in table.astype(str).itertuples(index=False)]
    assert len(table) == 4
    assert rows == printed
    assert paper_lines[start + len(table)] == "", "the printed table has more rows than the dataset"


@pytest.mark.parametrize("name", TABLES)
def test_every_table_cell_is_verbatim_in_the_paper(name):
    for column, cell in text_cells(data.load(name)):
        assert quote_in_reading(cell, PAPER), f"{name}.{column}: {cell!r} is not in reading 000"


@pytest.mark.parametrize("name", MINE)
def test_loads_with_schema_dtypes_and_constraints(name):
    frame = data.load(name)
    for field in data.schema(name)["fields"]:
        column = frame[field["name"]]
        constraints = field.get("constraints", {})
        if "enum" in constraints:
            assert isinstance(column.dtype, pd.CategoricalDtype), field["name"]
        elif field["type"] == "number":
            assert column.dtype == "float64", field["name"]
        elif field["type"] == "integer":
            assert column.dtype == "Int64", field["name"]
        if "minimum" in constraints:
            assert (column.dropna() >= constraints["minimum"]).all(), field["name"]
        if "maximum" in constraints:
            assert (column.dropna() <= constraints["maximum"]).all(), field["name"]


@pytest.mark.parametrize("name", MINE)
def test_text_has_no_stray_white_space(name):
    for column, cell in text_cells(data.load(name)):
        assert cell == fold_space(cell), f"{name}.{column}: {cell!r}"


@pytest.mark.parametrize(
    "name, value_column",
    [("figure1_gmv_share", "gmv_share_percent"), ("figure2_blockbuster_rate", "blockbuster_rate_percent")],
)
def test_figure_values_are_stated_or_missing(name, value_column):
    figure = data.load(name)
    stated = figure["status"] == "stated"
    assert figure.loc[stated, value_column].notna().all()
    assert figure.loc[stated, "quote"].notna().all()
    assert figure.loc[~stated, value_column].isna().all(), "a value the reading does not give"
    assert figure.loc[~stated, "quote"].isna().all()
    assert figure.loc[~stated, "note"].notna().all(), "say why the value is missing"
    for row in figure[stated].itertuples():
        value = getattr(row, value_column)
        assert quote_in_reading(row.quote, PAPER), row.quote
        assert f"{value:g}%" in row.quote, f"{value:g}% is not in {row.quote!r}"


def test_figure1_states_only_the_middle_east_and_latin_america():
    figure = data.load("figure1_gmv_share").set_index("region")
    assert figure["gmv_share_percent"].dropna().to_dict() == {"Middle East": 15.0, "Latin America": 10.0}
    assert {"Europe/US", "Southeast Asia", "Rest of world"} <= set(figure.index)


def test_figure2_points_and_the_missing_2024():
    figure = data.load("figure2_blockbuster_rate").set_index(["merchant_type", "year"])
    rates = figure["blockbuster_rate_percent"]
    assert rates.dropna().to_dict() == {
        ("full_hosting", 2023): 38.0,
        ("full_hosting", 2025): 67.0,
        ("non_hosting", 2023): 12.0,
        ("non_hosting", 2025): 24.0,
    }
    assert rates.xs(2024, level="year").isna().all()
    assert (figure.xs(2024, level="year")["status"] == "not_given").all()
    for (_, year), row in figure[figure["status"] == "stated"].iterrows():
        assert str(year) in row["quote"]


@pytest.fixture(scope="module")
def timeline():
    return data.load("timeline")


def test_timeline_ids_unique_and_readable(timeline):
    assert timeline["id"].is_unique
    for row in timeline.itertuples():
        assert row.id.startswith(f"{row.reading[:3]}_{row.year}_"), row.id


def test_timeline_is_in_date_order(timeline):
    order = timeline.assign(month=timeline["month"].fillna(0)).sort_values(["year", "month"], kind="stable")
    assert order.index.tolist() == timeline.index.tolist()


def test_timeline_quotes_are_verbatim(timeline):
    assert len(timeline) >= 35
    assert set(timeline["reading"].astype(str)) == set(READINGS)
    for row in timeline.itertuples():
        assert quote_in_reading(row.quote, row.reading), f"{row.id}: quote not in {row.reading}"


def test_timeline_quotes_contain_the_year_or_the_note_dates_them(timeline):
    for row in timeline.itertuples():
        if str(row.year) in row.quote:
            continue
        # Otherwise the note quotes the words of the reading that date the event.
        assert isinstance(row.note, str) and row.note.startswith("Dated by"), f"{row.id}: how is it dated?"
        dating = re.findall(r'"([^"]+)"', row.note)
        assert any(re.search(r"\b(19|20)\d\d\b", words) and quote_in_reading(words, row.reading)
                   for words in dating), row.id


def test_timeline_covers_the_dated_events(timeline):
    stated = set(zip(timeline["reading"].str[:3], timeline["year"]))
    expected = {
        ("001", 1995), ("001", 1999), ("003", 1999),
        ("000", 2010), ("001", 2010), ("003", 2010), ("004", 2010),
        ("004", 2012), ("004", 2013), ("004", 2014),
        ("003", 2016), ("003", 2017), ("002", 2018), ("002", 2019),
        ("003", 2020), ("003", 2021), ("000", 2023), ("000", 2024), ("000", 2025),
        ("000", 2030), ("001", 2030),
    }
    assert expected <= stated, sorted(expected - stated)
    months = set(zip(timeline["reading"].str[:3], timeline["year"], timeline["month"].fillna(0)))
    assert {("004", 2013, 1), ("004", 2014, 2), ("002", 2018, 9), ("002", 2018, 11),
            ("000", 2024, 6), ("000", 2024, 10)} <= months


def test_future_targets_are_marked(timeline):
    published = timeline.loc[timeline["id"] == "000_2026_02_paper_published", "year"].item()
    future = timeline[timeline["year"] > published]
    assert len(future) == 2
    assert future["note"].str.contains("target").all()


def test_committed_table3_outcomes_are_what_the_parser_writes(tmp_path):
    fresh = write_table3_outcomes(tmp_path / "table3_outcomes.csv")
    committed = data.data_path("table3_outcomes")
    assert committed.read_bytes() == fresh.read_bytes(), "run: python -m course.outcomes"


@pytest.mark.parametrize("name", MINE)
def test_documented(name):
    doc = datasets_dir() / "docs" / f"{name}.md"
    text = doc.read_text(encoding="utf-8")
    for heading in ("## Source", "## Columns", "## Known issues", "## Licence"):
        assert heading in text, f"{doc.name} lacks {heading}"
    for field in data.schema(name)["fields"]:
        assert f"`{field['name']}`" in text, f"{doc.name} does not describe {field['name']}"
