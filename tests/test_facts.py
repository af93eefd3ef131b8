"""Checks on datasets/facts.csv: every number traced to a verbatim quote in seeds/.

The CSV is read twice: raw (every cell a string, to check the text as stored)
and through ``course.data.load`` (to check the types the notebooks get).
"""

from __future__ import annotations

import csv
import json
import re

import pandas as pd
import pytest

from course.data import load
from course.paths import datasets_dir
from course.provenance import READINGS, fold_space, quote_in_reading

COLUMNS = ["id", "reading", "section", "entity", "region", "metric", "scenario", "period",
           "value", "value_high", "bound", "unit", "value_text", "quote", "note"]
BOUNDS = {"exact", "approx", "over", "at_least", "under", "at_most", "range"}
SCENARIOS = {"stated", "before", "after", "industry_average", "target", "claimed_ratio", "forecast"}
REQUIRED = ["id", "reading", "section", "entity", "metric", "scenario", "value", "bound", "unit",
            "value_text", "quote"]
ID_PATTERN = re.compile(r"^(\d{3})_[a-z0-9]+(?:_[a-z0-9]+)*$")
PERIOD_PATTERN = re.compile(r"^\d{4}(?:-\d{2}|-\d{4})?$")
MAX_QUOTE = 320


# ------------------------------------------------------------------ reading numbers out of text

WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "first": 1, "second": 2, "third": 3, "single": 1, "double": 2, "doubled": 2, "twofold": 2,
    "triple": 3, "tripled": 3, "threefold": 3, "tenfold": 10, "half": 0.5, "decade": 10,
}
TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[A-Za-z]+")
RATIO = re.compile(r"\d\s*:\s*\d|\b(?:one|a)\s+in\s+[a-z]+\b", re.IGNORECASE)


def numbers_in(text: str) -> list[float]:
    """Every number written in ``text``, in order: digits (with thousands separators) or words."""
    found = []
    for token in TOKEN.findall(text):
        if token[0].isdigit():
            found.append(float(token.replace(",", "")))
        elif token.lower() in WORDS:
            found.append(float(WORDS[token.lower()]))
    return found


def expected_value(text: str) -> tuple[float, float | None]:
    """The value (and the second number, for ranges) that ``text`` expresses.

    "1:8" and "one in six" give the second term (8, 6); otherwise the first number.
    """
    numbers = numbers_in(text)
    if not numbers:
        raise ValueError(f"no number in {text!r}")
    if RATIO.search(text):
        return numbers[-1], None
    return numbers[0], (numbers[1] if len(numbers) > 1 else None)


@pytest.mark.parametrize(
    "text, value, high",
    [
        ("6-7 days", 6, 7),
        ("10,000-100,000 followers", 10000, 100000),
        ("USD 6.5 trillion", 6.5, None),
        ("six times faster", 6, None),
        ("surge tenfold", 10, None),
        ("ROI of 1:8", 8, None),
        ("one in six", 6, None),
        ("more than one million monthly views", 1, None),
        ("20 to 30 emerging markets", 20, 30),
        ("doubled", 2, None),
        ("T+1", 1, None),
        ("+356% YoY", 356, None),
    ],
)
def test_number_parser(text, value, high):
    assert expected_value(text) == (value, high)


def test_number_parser_rejects_text_without_numbers():
    with pytest.raises(ValueError):
        expected_value("several months")


# Words in value_text that fix the bound.
CUES = [
    (re.compile(r"\b(?:more than|over|exceed\w*|surpass\w*)\b", re.IGNORECASE), "over"),
    (re.compile(r"\b(?:below|less than|fewer than|under)\b", re.IGNORECASE), "under"),
    (re.compile(r"~|\b(?:about|approximately|around|nearly|near)\b", re.IGNORECASE), "approx"),
    (re.compile(r"\d\+"), "at_least"),
    (re.compile(r"\btop\s+(?:\d|[a-z]+\b)", re.IGNORECASE), "at_most"),
]


def cue_bound(text: str) -> str | None:
    for pattern, bound in CUES:
        if pattern.search(text):
            return bound
    return None


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def raw() -> list[dict]:
    with (datasets_dir() / "facts.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return load("facts")


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads((datasets_dir() / "schemas" / "facts.schema.json").read_text(encoding="utf-8"))


def fails(rows, check) -> list[str]:
    return [row["id"] for row in rows if not check(row)]


# ------------------------------------------------------------------ the file as stored

def test_file_is_utf8_with_unix_line_endings():
    data = (datasets_dir() / "facts.csv").read_bytes()
    data.decode("utf-8")
    assert b"\r\n" not in data
    assert data.endswith(b"\n")


def test_schema_lists_the_columns_in_order(schema):
    assert [field["name"] for field in schema["fields"]] == COLUMNS
    assert schema["primaryKey"] == "id"
    assert schema["missingValues"] == [""]
    for field in schema["fields"]:
        assert field.get("description"), f"{field['name']} has no description"
        assert "required" in field.get("constraints", {}), f"{field['name']} has no required constraint"


def test_schema_patterns_and_required_fields_hold(raw, schema):
    for field in schema["fields"]:
        constraints = field["constraints"]
        name = field["name"]
        if constraints["required"]:
            assert not fails(raw, lambda r: r[name].strip()), f"empty required {name}"  # noqa: B023 - fails() calls it at once
        if "pattern" in constraints:
            pattern = re.compile(constraints["pattern"])
            bad = fails(raw, lambda r: r[name] == "" or pattern.fullmatch(r[name]))  # noqa: B023 - fails() calls it at once
            assert not bad, f"{name} does not match {constraints['pattern']}: {bad[:5]}"
        if "enum" in constraints:
            bad = fails(raw, lambda r: r[name] == "" or r[name] in constraints["enum"])  # noqa: B023 - fails() calls it at once
            assert not bad, f"{name} outside its enum: {bad[:5]}"


def test_required_fields_are_filled(raw):
    for column in REQUIRED:
        assert not fails(raw, lambda r: r[column].strip()), f"empty {column}"  # noqa: B023 - fails() calls it at once


def test_ids_are_unique_and_readable(raw):
    ids = [row["id"] for row in raw]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert not fails(raw, lambda r: ID_PATTERN.match(r["id"])), "ids must be <3 digits>_<snake_case>"
    assert not fails(raw, lambda r: r["id"][:3] == r["reading"][:3]), "id prefix must match the reading"


def test_controlled_columns(raw):
    assert not fails(raw, lambda r: r["reading"] in READINGS)
    assert not fails(raw, lambda r: r["bound"] in BOUNDS)
    assert not fails(raw, lambda r: r["scenario"] in SCENARIOS)
    assert not fails(raw, lambda r: re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*", r["metric"]))
    assert not fails(raw, lambda r: r["period"] == "" or PERIOD_PATTERN.match(r["period"]))


def test_sections_follow_each_readings_convention(raw):
    conventions = {
        "000": r"Abstract|Table [123]|\d+(?:\.\d+)*",
        "003": r"\d+",
        "002": r"para \d+",
        "004": r"para \d+",
        "001": r"[A-Z][A-Za-z ]+",
    }
    bad = fails(raw, lambda r: re.fullmatch(conventions[r["reading"][:3]], r["section"]))
    assert not bad, f"sections off convention: {bad}"


# ------------------------------------------------------------------ provenance

def test_every_quote_is_verbatim_in_its_reading(raw):
    bad = fails(raw, lambda r: quote_in_reading(r["quote"], r["reading"]))
    assert not bad, f"quotes not found in their reading: {bad}"


def test_quotes_are_short_and_tidy(raw):
    assert not fails(raw, lambda r: len(r["quote"]) <= MAX_QUOTE), "quote too long"
    assert not fails(raw, lambda r: r["quote"] == fold_space(r["quote"])), "quote has stray white space"


def test_value_text_is_in_the_quote(raw):
    assert not fails(raw, lambda r: r["value_text"] in r["quote"])


def test_value_is_read_from_value_text(raw):
    wrong = []
    for row in raw:
        value, second = expected_value(row["value_text"])
        if float(row["value"]) != value:
            wrong.append(f"{row['id']}: value {row['value']} but {row['value_text']!r} says {value:g}")
        if row["bound"] == "range" and (second is None or float(row["value_high"]) != second):
            wrong.append(f"{row['id']}: value_high {row['value_high']} vs {row['value_text']!r}")
    assert not wrong, "\n".join(wrong)


def test_value_high_only_and_always_with_range(raw):
    assert not fails(raw, lambda r: (r["bound"] == "range") == (r["value_high"] != ""))
    ranges = [r for r in raw if r["bound"] == "range"]
    assert ranges, "expected some ranges (6-7 days, 6-9 seconds, ...)"
    assert not fails(ranges, lambda r: float(r["value_high"]) >= float(r["value"]))


def test_bound_agrees_with_the_words(raw):
    wrong = [
        f"{r['id']}: {r['value_text']!r} reads as {cue_bound(r['value_text'])}, bound is {r['bound']}"
        for r in raw
        if cue_bound(r["value_text"]) not in (None, r["bound"])
    ]
    assert not wrong, "\n".join(wrong)
    # Directional bounds must come from the words themselves.
    directional = {"over", "under", "at_least", "at_most"}
    assert not fails(
        [r for r in raw if r["bound"] in directional], lambda r: cue_bound(r["value_text"]) == r["bound"]
    )


def test_percent_values_are_plausible(raw):
    shares = [r for r in raw if r["unit"] == "percent" and r["metric"].endswith(("_share", "_rate"))]
    assert not fails(shares, lambda r: 0 <= float(r["value"]) <= 100)


def test_same_quote_rows_do_not_repeat_a_number(raw):
    seen = {}
    for row in raw:
        key = (row["reading"], row["quote"], row["value_text"], row["metric"])
        assert key not in seen, f"{row['id']} repeats {seen.get(key)}"
        seen[key] = row["id"]


# ------------------------------------------------------------------ coverage

def test_coverage(raw):
    per_reading = pd.Series([r["reading"] for r in raw]).value_counts()
    assert len(raw) >= 150
    assert per_reading.get("000_2ac75adefbd94969.txt", 0) >= 100
    assert set(per_reading.index) == set(READINGS), "every reading must be represented"


def test_shared_metrics_allow_comparison_across_readings(raw):
    def readings_with(metric):
        return {r["reading"][:3] for r in raw if r["metric"] == metric}

    assert readings_with("countries_served") >= {"000", "002", "003"}
    assert readings_with("active_buyers") >= {"002", "003"}


# ------------------------------------------------------------------ typed loading

def test_load_types(facts):
    assert len(facts) >= 150
    assert facts["value"].dtype == "float64"
    assert facts["value_high"].dtype == "float64"
    for column in ["reading", "bound", "scenario", "unit"]:
        assert isinstance(facts[column].dtype, pd.CategoricalDtype), column
    assert facts["id"].is_unique
    assert facts["value_high"].notna().sum() == (facts["bound"] == "range").sum()


# ------------------------------------------------------------------ rows the first case uses

CASE_ONE = {
    # id: (section, region, metric, scenario, value, unit, extra)
    "000_delivery_days_europe_us_before": ("2.1", "Europe/US", "delivery_time_days", "before", 15, "days", {}),
    "000_delivery_days_europe_us_after": ("2.1", "Europe/US", "delivery_time_days", "after", 5, "days", {}),
    "000_delivery_days_southeast_asia_before": (
        "2.1.1", "Southeast Asia", "delivery_time_days", "industry_average", 12, "days", {}),
    "000_delivery_days_southeast_asia_after": (
        "2.1.1", "Southeast Asia", "delivery_time_days", "after", 6, "days", {"value_high": 7, "bound": "range"}),
    "000_delivery_days_brazil_before": ("2.1.3", "Brazil", "delivery_time_days", "industry_average", 14, "days", {}),
    "000_delivery_days_brazil_after": ("2.1.3", "Brazil", "delivery_time_days", "after", 3, "days", {}),
    "000_clearance_hours_middle_east": ("2.1.2", "Middle East", "customs_clearance_time", "after", 48, "hours", {}),
    "000_clearance_days_middle_east_industry": (
        "2.1.2", "Middle East", "customs_clearance_time", "industry_average", 7, "days", {}),
    "000_clearance_speedup_claimed": (
        "2.1.2", "Middle East", "customs_clearance_speedup", "claimed_ratio", 6, "times",
        {"value_text": "six times faster"}),
    "000_gmv_share_middle_east": ("2.2", "Middle East", "gmv_share", "stated", 15, "percent", {}),
    "000_gmv_share_latin_america": ("2.2", "Latin America", "gmv_share", "stated", 10, "percent", {}),
    "000_tax_dispute_rate_brazil": ("2.1.3", "Brazil", "tax_dispute_rate", "after", 0.7, "percent", {}),
    "000_tax_dispute_rate_brazil_industry": (
        "2.1.3", "Brazil", "tax_dispute_rate", "industry_average", 5.3, "percent", {}),
    "000_patpat_orders_within_48h": (
        "2.1.1", "Southeast Asia", "share_orders_delivered_within_48h", "stated", 95, "percent",
        {"entity": "PatPat"}),
    "000_last_mile_cost_cut_brazil": ("2.1.3", "Brazil", "last_mile_cost_change", "stated", 35, "percent", {}),
}


@pytest.mark.parametrize("fact_id", sorted(CASE_ONE))
def test_rows_the_first_case_relies_on(facts, fact_id):
    section, region, metric, scenario, value, unit, extra = CASE_ONE[fact_id]
    rows = facts[facts["id"] == fact_id]
    assert len(rows) == 1, f"missing fact {fact_id}"
    row = rows.iloc[0]
    assert row["reading"] == "000_2ac75adefbd94969.txt"
    assert (row["section"], row["region"], row["metric"], row["scenario"], row["unit"]) == (
        section, region, metric, scenario, unit)
    assert row["value"] == pytest.approx(value)
    for column, expected in extra.items():
        assert row[column] == expected, f"{fact_id}.{column}"
    if "value_high" not in extra:
        assert pd.isna(row["value_high"])


def test_six_times_claim_carries_its_arithmetic(facts):
    note = facts.set_index("id").loc["000_clearance_speedup_claimed", "note"]
    assert isinstance(note, str) and "3.5" in note
    hours = facts.set_index("id").loc["000_clearance_hours_middle_east", "value"]
    days = facts.set_index("id").loc["000_clearance_days_middle_east_industry", "value"]
    assert days * 24 / hours == pytest.approx(3.5)


def test_patpat_claim_has_one_row_per_place_it_is_made(facts):
    patpat = facts[(facts["entity"] == "PatPat") & (facts["metric"] == "share_orders_delivered_within_48h")]
    assert set(patpat["section"]) >= {"1", "2.1.1", "2.2", "5.1"}
    table3 = facts[(facts["section"] == "Table 3") & (facts["metric"] == "share_orders_delivered_within_48h")]
    assert len(table3) == 1
