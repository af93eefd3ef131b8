import json
import shutil

import pandas as pd
import pytest

from course import data


@pytest.fixture
def scratch_datasets(tmp_path, monkeypatch, checkout):
    copy = tmp_path / "datasets"
    shutil.copytree(checkout / "datasets", copy)
    monkeypatch.setenv("CASEBOOK_DATASETS", str(copy))
    data._package.cache_clear()
    yield copy
    data._package.cache_clear()


def test_every_dataset_loads_typed(checkout):
    for name in data.available():
        frame = data.load(name)
        assert len(frame) > 0, name
        for field in data.schema(name)["fields"]:
            column = frame[field["name"]]
            if "enum" in field.get("constraints", {}):
                assert isinstance(column.dtype, pd.CategoricalDtype), (name, field["name"])
            elif field["type"] == "number":
                assert column.dtype == "float64", (name, field["name"])


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(data.DatasetError, match="Known datasets: facts"):
        data.load("factz")


def test_missing_file_is_named(scratch_datasets):
    (scratch_datasets / "facts.csv").unlink()
    with pytest.raises(data.DatasetError, match=r"missing: .*facts\.csv"):
        data.load("facts")


def test_wrong_header_is_named(scratch_datasets):
    path = scratch_datasets / "figure1_gmv_share.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(["region,share", *lines[1:]]) + "\n")
    with pytest.raises(data.DatasetError, match=r"figure1_gmv_share\.csv has the wrong columns"):
        data.load("figure1_gmv_share")


def test_non_numeric_value_is_named(scratch_datasets):
    path = scratch_datasets / "facts.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "value"] = "fifteen"
    frame.to_csv(path, index=False)
    with pytest.raises(data.DatasetError, match=r"facts\.csv, column 'value': 'fifteen' on line 2 is not a number"):
        data.load("facts")


def test_broken_package_description_is_named(scratch_datasets):
    (scratch_datasets / "datapackage.json").write_text("{ not json")
    with pytest.raises(data.DatasetError, match="not valid JSON"):
        data.available()


def test_unknown_category_is_named(scratch_datasets):
    path = scratch_datasets / "figure2_blockbuster_rate.csv"
    path.write_text(path.read_text().replace("full_hosting", "fully_hosted", 1))
    with pytest.raises(data.DatasetError, match="fully_hosted"):
        data.load("figure2_blockbuster_rate")


def test_schema_paths_resolve(checkout):
    package = json.loads((checkout / "datasets" / "datapackage.json").read_text())
    for entry in package["resources"]:
        assert (checkout / "datasets" / entry["schema"]).is_file(), entry["name"]
        assert (checkout / "datasets" / entry["path"]).is_file(), entry["name"]


def test_load_returns_a_copy_the_caller_may_change(scratch_datasets):
    first = data.load("synthetic_payments")
    pd.testing.assert_frame_equal(first, data._read("synthetic_payments", data.data_path("synthetic_payments")))
    first.iloc[0, 0] = first.iloc[1, 0]
    first["extra"] = 1
    first.attrs["source"] = "changed"
    again = data.load("synthetic_payments")
    assert "extra" not in again.columns and again.attrs["source"] == "datasets/synthetic_payments.csv"
    pd.testing.assert_frame_equal(again, data._read("synthetic_payments", data.data_path("synthetic_payments")))


def test_an_edited_file_is_read_again(scratch_datasets):
    path = scratch_datasets / "figure1_gmv_share.csv"
    before = data.load("figure1_gmv_share")
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n")
    assert len(data.load("figure1_gmv_share")) == len(before) - 1
    path.unlink()
    with pytest.raises(data.DatasetError, match=r"missing: .*figure1_gmv_share\.csv"):
        data.load("figure1_gmv_share")
