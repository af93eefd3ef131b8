"""Visible checks that give a hint without giving the answer away.

A check compares a hash of the learner's value with the hash of the answer
key's value, so the release notebook can say "not yet, here is a hint" while
holding no answer. The hashes live in ``answer_hashes/<case>.json`` and are
made by running the answer keys with ``CASEBOOK_RECORD_ANSWERS`` set
(``python -m course hashes``); a test keeps them in sync with the keys.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

HASHES_DIR = Path(__file__).with_name("answer_hashes")
RECORD_ENV = "CASEBOOK_RECORD_ANSWERS"
SIGNIFICANT_DIGITS = 3


def canonical(value) -> str:
    """A text form that equal answers share: numbers to 3 significant digits,
    text folded to lower case, containers element by element."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Number):
        number = float(value)
        if math.isnan(number):
            return "nan"
        return format(number, f".{SIGNIFICANT_DIGITS}g")
    if isinstance(value, str):
        return " ".join(value.split()).lower()
    if isinstance(value, pd.DataFrame):
        return canonical({column: value[column] for column in sorted(value.columns, key=str)})
    if isinstance(value, pd.Series):
        return canonical(value.to_dict())
    if isinstance(value, Mapping):
        items = sorted((str(key), canonical(item)) for key, item in value.items())
        return "{" + ",".join(f"{key}:{item}" for key, item in items) + "}"
    if isinstance(value, Sequence | set | frozenset):
        parts = [canonical(item) for item in value]
        return "[" + ",".join(sorted(parts) if isinstance(value, set | frozenset) else parts) + "]"
    raise TypeError(f"Cannot check a value of type {type(value).__name__}")


def digest(key: str, value) -> str:
    return hashlib.sha256(f"{key}={canonical(value)}".encode()).hexdigest()[:20]


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def stored_hashes() -> dict[str, str]:
    """Every case's stored hashes, merged."""
    merged: dict[str, str] = {}
    for path in sorted(HASHES_DIR.glob("*.json")):
        merged.update(_load(path))
    return merged


def _record(key: str, value) -> None:
    path = Path(os.environ[RECORD_ENV])
    hashes = _load(path)
    hashes[key] = digest(key, value)
    path.write_text(json.dumps(dict(sorted(hashes.items())), indent=1) + "\n", encoding="utf-8")


def check(key: str, value, hint: str) -> None:
    """Say whether ``value`` matches the answer key for ``key``; if not, raise
    an AssertionError whose message is ``hint``."""
    if os.environ.get(RECORD_ENV):
        _record(key, value)
        return
    expected = stored_hashes().get(key)
    if expected is None:
        raise KeyError(f"No stored answer for check {key!r}; run `python -m course hashes`.")
    try:
        matches = digest(key, value) == expected
    except TypeError as err:
        raise AssertionError(f"{err}. {hint}") from None
    if not matches:
        raise AssertionError(f"Not yet. Hint: {hint}")
    print(f"Check {key}: looks right.")
