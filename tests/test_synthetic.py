"""The SYNTHETIC datasets: calibration to reading 000, reproducibility, schema and invariants."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from functools import cache

import pandas as pd
import pytest

from course import data
from course.paths import CHECKOUT_DIR
from course.provenance import quote_in_reading
from course.synthetic import SEED
from course.synthetic.__main__ import GENERATORS, main
from course.synthetic.calibration import TARGETS, targets_for

DATASETS_DIR = CHECKOUT_DIR / "datasets"
NAMES = [module.NAME for module in GENERATORS]
FILES = [f"{name}.csv" for name in NAMES]


@cache
def committed(name: str) -> pd.DataFrame:
    return data.load(name)


@pytest.fixture(autouse=True)
def _checkout_datasets(monkeypatch):
    # Read the committed files even if the environment points elsewhere.
    monkeypatch.setenv("CASEBOOK_DATASETS", str(DATASETS_DIR))


# ---- calibration ---------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_quote_is_verbatim_in_its_reading(target):
    assert quote_in_reading(target.quote, target.reading), f"{target.name}: quote not found in {target.reading}"


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_committed_file_meets_target(target):
    achieved = target.achieved(committed(target.dataset))
    low, high = target.bounds()
    assert target.holds(achieved), (
        f"{target.name}: {achieved:.5g} {target.unit} is outside {target.relation} [{low:.5g}, {high:.5g}]"
    )


def test_every_dataset_has_targets():
    assert {target.dataset for target in TARGETS} == set(NAMES)


def test_target_bounds_follow_the_relation():
    above = next(t for t in TARGETS if t.relation == "above")
    assert not above.holds(above.value) and above.holds(above.value + above.tolerance / 2)
    below = next(t for t in TARGETS if t.relation == "below")
    assert not below.holds(below.value) and below.holds(below.value - below.tolerance / 2)
    assert not below.holds(below.value - 2 * below.tolerance)


# ---- reproducibility -----------------------------------------------------------


def test_regeneration_is_byte_identical(tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    for name in FILES:
        fresh = (tmp_path / name).read_bytes()
        assert fresh == (DATASETS_DIR / name).read_bytes(), f"{name} does not regenerate identically"
        assert b"\r" not in fresh


def test_check_passes_on_the_committed_files():
    result = subprocess.run(
        [sys.executable, "-m", "course.synthetic", "--check"],
        cwd=CHECKOUT_DIR, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", FILES)
def test_check_names_an_altered_file(name, tmp_path, capsys):
    for each in FILES:
        shutil.copy(DATASETS_DIR / each, tmp_path / each)
    altered = tmp_path / name
    lines = altered.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1][:-1] + ("0" if lines[1][-1] != "0" else "1")
    altered.write_text("\n".join(lines), encoding="utf-8", newline="")
    assert main(["--check", "--out", str(tmp_path)]) != 0
    err = capsys.readouterr().err
    assert f"{name} differs" in err
    assert all(other not in err for other in FILES if other != name)


def test_check_names_a_missing_file(tmp_path, capsys):
    assert main(["--check", "--out", str(tmp_path)]) != 0
    err = capsys.readouterr().err
    assert all(f"{name} is missing" in err for name in FILES)


def test_help_runs(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    assert "--check" in capsys.readouterr().out


@pytest.mark.parametrize("name", FILES)
def test_files_are_small(name):
    assert (DATASETS_DIR / name).stat().st_size < 1_500_000


# ---- schemas and dtypes --------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_complete(name):
    schema = data.schema(name)
    assert schema["missingValues"] == [""]
    assert schema["primaryKey"] == schema["fields"][0]["name"]
    for field in schema["fields"]:
        assert field["description"].strip(), (name, field["name"])
        assert "required" in field["constraints"], (name, field["name"])


@pytest.mark.parametrize("name", NAMES)
def test_values_respect_schema_bounds(name):
    frame = committed(name)
    for field in data.schema(name)["fields"]:
        column = frame[field["name"]].dropna()
        constraints = field["constraints"]
        if "minimum" in constraints:
            assert (column >= constraints["minimum"]).all(), (name, field["name"])
        if "maximum" in constraints:
            assert (column <= constraints["maximum"]).all(), (name, field["name"])
        if "pattern" in constraints:
            assert column.str.fullmatch(constraints["pattern"]).all(), (name, field["name"])


EXPECTED_DTYPES = {
    "synthetic_deliveries": {
        "region": "category", "period": "category", "fulfilment": "category",
        "campaign": "category", "delivery_hours": "Int64", "clearance_hours": "Int64",
    },
    "synthetic_product_trials": {
        "merchant_type": "category", "year": "Int64", "category": "category", "first_order_units": "Int64",
        "sell_through": "float64", "reordered": "boolean", "reorder_units": "Int64", "blockbuster": "boolean",
    },
    "synthetic_payments": {
        "market": "category", "period": "category", "method": "category", "amount_usd": "float64",
        "biometric_auth": "boolean", "fraud": "boolean", "settlement_days": "Int64",
    },
    "synthetic_influencer_campaign": {
        "tier": "category", "followers": "Int64", "views": "Int64", "gmv_usd": "float64",
        "commission_rate": "float64", "commission_usd": "float64", "new_customers": "Int64",
    },
}


@pytest.mark.parametrize("name", NAMES)
def test_loads_with_the_right_dtypes(name):
    frame = committed(name)
    assert [field["name"] for field in data.schema(name)["fields"]] == list(frame.columns)
    for column, dtype in EXPECTED_DTYPES[name].items():
        assert str(frame[column].dtype) == dtype, (name, column, frame[column].dtype)
    if name == "synthetic_deliveries":
        assert pd.api.types.is_datetime64_dtype(frame["order_date"])
    assert frame.iloc[:, 0].is_unique


def test_ordered_categories():
    assert list(committed("synthetic_deliveries")["period"].cat.categories) == ["before", "after"]
    assert committed("synthetic_payments")["period"].cat.ordered
    tier = committed("synthetic_influencer_campaign")["tier"]
    assert tier.cat.ordered and list(tier.cat.categories) == ["top", "mid", "grassroots"]


# ---- invariants ----------------------------------------------------------------


def test_deliveries_invariants():
    orders = committed("synthetic_deliveries")
    middle_east = orders["region"] == "Middle East"
    assert orders.loc[middle_east, "delivery_hours"].isna().all(), "the reading gives no Middle East delivery time"
    assert orders.loc[~middle_east, "delivery_hours"].notna().all()
    assert orders["clearance_hours"].notna().eq(middle_east).all()
    campaign = orders[orders["campaign"].notna()]
    assert (campaign["region"] == "Southeast Asia").all() and (campaign["period"] == "after").all()
    assert (campaign["fulfilment"] == "local_warehouse").all()
    assert campaign["order_date"].between("2025-03-01", "2025-03-30").all()
    assert (orders.loc[orders["period"] == "before", "fulfilment"] == "cross_border").all()
    years = orders["order_date"].dt.year
    assert set(years[orders["period"] == "before"]) == {2023} and set(years[orders["period"] == "after"]) == {2025}
    assert orders["order_date"].is_monotonic_increasing


def test_product_trials_invariants():
    trials = committed("synthetic_product_trials")
    assert (trials["first_order_units"] < 500).all()
    assert set(trials["year"]) == {2023, 2025}, "2024 is not given by the reading"
    assert (trials["days_observed"] == 14).all()
    assert (trials["units_sold_14d"] <= trials["first_order_units"]).all()
    ratio = trials["units_sold_14d"] / trials["first_order_units"]
    assert ((ratio - trials["sell_through"]).abs() <= 0.0005 + 1e-9).all()
    assert trials["reorder_units"].isna().eq(~trials["reordered"]).all()
    # The documented rule, on the column as written.
    assert trials["blockbuster"].eq(trials["sell_through"] >= 0.8).all()
    assert trials["reordered"].eq(trials["sell_through"] >= 0.5).all()
    reordered = trials[trials["reordered"]]
    assert (reordered["reorder_units"] >= reordered["first_order_units"]).all()


def test_payments_invariants():
    payments = committed("synthetic_payments")
    before = payments["period"] == "before"
    assert not payments.loc[before, "biometric_auth"].any()
    assert (payments.loc[payments["biometric_auth"], "market"] == "Brazil").all()
    assert (payments.loc[~before, "settlement_days"] == 1).all()
    assert (payments.loc[before, "settlement_days"] > 1).all()
    assert (payments.loc[payments["method"] == "pix", "market"] == "Brazil").all()
    assert (payments.loc[payments["method"] == "oxxo", "market"] == "Mexico").all()
    assert payments["period"].value_counts().nunique() == 1, "equal periods make the fraud rates comparable"


def test_influencer_campaign_invariants():
    campaign = committed("synthetic_influencer_campaign")
    commission = campaign["commission_rate"] * campaign["gmv_usd"]
    assert ((campaign["commission_usd"] - commission).abs() <= 0.005 + 1e-9).all(), "commission off by more than a cent"
    assert (campaign["views"] >= campaign["clicks"]).all()
    assert (campaign["clicks"] >= campaign["orders"]).all()
    assert (campaign["orders"] >= campaign["new_customers"]).all()
    grassroots = campaign["tier"] == "grassroots"
    assert (campaign.loc[grassroots, "commission_rate"] == 0.15).all()
    assert (campaign.loc[grassroots, "fixed_fee_usd"] == 0).all()
    assert campaign.loc[~grassroots, "followers"].min() > 100_000
    assert (campaign.loc[~grassroots, "commission_rate"] == 0).all(), "a 15% commission caps GMV / cost at 6.7 < 8"


# ---- datasheets ----------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_datasheet_documents_the_dataset(name):
    text = (DATASETS_DIR / "docs" / f"{name}.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in text.splitlines()[0]
    assert str(SEED) in text and "python -m course.synthetic" in text
    assert "CC BY 4.0" in text
    for field in data.schema(name)["fields"]:
        assert f"`{field['name']}`" in text, f"column {field['name']} undocumented"
    folded = " ".join(text.split())
    for target in targets_for(name):
        assert f"`{target.name}`" in text, f"target {target.name} missing from the datasheet"
        assert " ".join(target.quote.split()) in folded, f"quote of {target.name} missing from the datasheet"


def test_datapackage_lists_the_files():
    package = json.loads((DATASETS_DIR / "datapackage.json").read_text(encoding="utf-8"))
    listed = {entry["name"]: entry for entry in package["resources"]}
    for name in NAMES:
        assert listed[name]["path"] == f"{name}.csv"
        assert listed[name]["description"].startswith("SYNTHETIC")
