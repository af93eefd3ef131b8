"""datasets/ as a Frictionless Data Package: every file valid against its schema."""

from __future__ import annotations

import json
import shutil

import pytest
from frictionless import validate

from course import data


def test_package_validates(checkout):
    report = validate(str(checkout / "datasets" / "datapackage.json"))
    problems = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, "\n".join(problems[:10])


def test_every_resource_has_a_datasheet_and_sources(checkout):
    package = json.loads((checkout / "datasets" / "datapackage.json").read_text())
    for entry in package["resources"]:
        assert (checkout / "datasets" / entry["datasheet"]).is_file(), entry["name"]
        assert entry["sources"], entry["name"]
        if entry["name"].startswith("synthetic_"):
            assert "SYNTHETIC" in entry["description"]
            assert "SYNTHETIC" in (checkout / "datasets" / entry["datasheet"]).read_text().splitlines()[0]


def test_every_csv_in_datasets_is_described(checkout):
    package = json.loads((checkout / "datasets" / "datapackage.json").read_text())
    described = {entry["path"] for entry in package["resources"]}
    assert {p.name for p in (checkout / "datasets").glob("*.csv")} == described


def test_a_corrupted_file_fails_validation(checkout, tmp_path):
    copy = tmp_path / "datasets"
    shutil.copytree(checkout / "datasets", copy)
    path = copy / "figure2_blockbuster_rate.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace("2023", "twenty-three", 1)
    path.write_text("\n".join(lines) + "\n")
    assert not validate(str(copy / "datapackage.json")).valid


@pytest.mark.parametrize("name", data.available())
def test_ids_unique_and_required_fields_filled(name):
    frame = data.load(name)
    schema = data.schema(name)
    key = schema.get("primaryKey")
    if key:
        assert not frame.duplicated(subset=[key] if isinstance(key, str) else key).any()
    for field in schema["fields"]:
        if field.get("constraints", {}).get("required"):
            assert frame[field["name"]].notna().all(), field["name"]
