"""Load the casebook's datasets by name, typed as their schemas say.

Every file in ``datasets/`` is described in ``datasets/datapackage.json`` (a
Frictionless Data Package) with a Table Schema in ``datasets/schemas/``.
``load("facts")`` reads the CSV, checks it against the schema and returns a
DataFrame whose numbers are numbers and whose coded columns (a string field
with an ``enum`` constraint) are pandas categories.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import pandas as pd

from course.paths import datasets_dir, file_stamp

_NUMBER_TYPES = {"integer": "Int64", "year": "Int64", "number": "float64", "boolean": "boolean"}


class DatasetError(Exception):
    """A data file is missing, malformed or does not match its schema."""


def _package_path() -> Path:
    return datasets_dir() / "datapackage.json"


def _read_json(path: Path, what: str) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DatasetError(f"{what} is missing: {path}") from None
    except json.JSONDecodeError as err:
        raise DatasetError(f"{what} is not valid JSON: {path} (line {err.lineno}: {err.msg})") from None


@cache
def _package() -> dict:
    return _read_json(_package_path(), "The data package description")


def available() -> list[str]:
    """The names of every dataset, in the order the data package lists them."""
    return [resource["name"] for resource in _package()["resources"]]


def resource(name: str) -> dict:
    """The data package entry for ``name``."""
    for entry in _package()["resources"]:
        if entry["name"] == name:
            return entry
    raise DatasetError(f"Unknown dataset {name!r}. Known datasets: {', '.join(available())}")


def schema(name: str) -> dict:
    """The Table Schema of dataset ``name``."""
    path = datasets_dir() / resource(name)["schema"]
    return _read_json(path, f"The schema of dataset {name!r}")


def data_path(name: str) -> Path:
    return datasets_dir() / resource(name)["path"]


def _dtype(field: dict):
    enum = field.get("constraints", {}).get("enum")
    if enum is not None:
        return pd.CategoricalDtype(categories=enum, ordered=bool(field.get("ordered", False)))
    return _NUMBER_TYPES.get(field.get("type", "string"), "str")


def _check_header(path: Path, fields: list[dict]) -> None:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), None)
    except FileNotFoundError:
        raise DatasetError(f"Data file is missing: {path}") from None
    except UnicodeDecodeError as err:
        raise DatasetError(f"{path.name} is not UTF-8 text: {err.reason} at byte {err.start}") from None
    expected = [field["name"] for field in fields]
    if header != expected:
        raise DatasetError(
            f"{path.name} has the wrong columns.\n  expected: {expected}\n  found:    {header}"
        )


def _convert(frame: pd.DataFrame, fields: list[dict], path: Path) -> pd.DataFrame:
    for field in fields:
        column = field["name"]
        raw = frame[column]
        kind = field.get("type", "string")
        where = f"{path.name}, column {column!r}"
        if field.get("constraints", {}).get("required") and raw.isna().any():
            rows = (raw[raw.isna()].index + 2).tolist()[:5]
            raise DatasetError(f"{where}: required value missing on line(s) {rows}")
        if kind in ("integer", "year", "number"):
            numbers = pd.to_numeric(raw, errors="coerce")
            bad = numbers.isna() & raw.notna()
            if bad.any():
                line = int(bad.idxmax()) + 2
                raise DatasetError(f"{where}: {raw[bad].iloc[0]!r} on line {line} is not a {kind}")
            if kind != "number" and ((numbers.dropna() % 1) != 0).any():
                raise DatasetError(f"{where}: expected whole numbers")
            frame[column] = numbers.astype(_dtype(field))
        elif kind == "boolean":
            mapped = raw.map({"true": True, "false": False}, na_action="ignore")
            bad = mapped.isna() & raw.notna()
            if bad.any():
                raise DatasetError(f"{where}: {raw[bad].iloc[0]!r} is not true or false")
            frame[column] = mapped.astype("boolean")
        elif kind == "date":
            frame[column] = pd.to_datetime(raw, format="%Y-%m-%d", errors="raise")
        else:
            dtype = _dtype(field)
            if isinstance(dtype, pd.CategoricalDtype):
                unknown = set(raw.dropna()) - set(dtype.categories)
                if unknown:
                    raise DatasetError(f"{where}: values {sorted(unknown)} are not among {list(dtype.categories)}")
            frame[column] = raw.astype(dtype)
    return frame


# Typed frames by data and schema file, with their (mtime, size) when read: reading and typing
# a CSV again costs tens of milliseconds, and test cells load the same dataset many times.
_CACHE: dict[tuple[str, str], tuple[tuple, pd.DataFrame]] = {}


def load(name: str) -> pd.DataFrame:
    """Dataset ``name`` as a typed DataFrame (see :func:`available`).

    Each call returns a new copy, so a caller may change it freely.
    """
    path = data_path(name)
    key = (str(path), str(datasets_dir() / resource(name)["schema"]))
    try:
        stamp = (file_stamp(path), file_stamp(Path(key[1])))
    except OSError:
        return _read(name, path)  # a file is missing: _read says which
    cached = _CACHE.get(key)
    if cached is None or cached[0] != stamp:
        cached = _CACHE[key] = (stamp, _read(name, path))
    return cached[1].copy(deep=True)


def _read(name: str, path: Path) -> pd.DataFrame:
    fields = schema(name)["fields"]
    _check_header(path, fields)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except pd.errors.ParserError as err:
        raise DatasetError(f"{path.name} is not a well-formed CSV file: {err}") from None
    frame = _convert(frame, fields, path)
    key = schema(name).get("primaryKey")
    if key:
        duplicated = frame.duplicated(subset=[key] if isinstance(key, str) else key)
        if duplicated.any():
            raise DatasetError(f"{path.name}: duplicate {key} {frame.loc[duplicated, key].iloc[0]!r}")
    frame.attrs["source"] = f"datasets/{path.name}"
    return frame
