"""Visible checks that give a hint without giving the answer away.

A check compares a hash of the learner's value with the hash of the answer
key's value, so the release notebook can say "not yet, here is a hint" while
holding no answer. The hashes live in ``cases/<case>/answer_hashes.json`` and are
made by running the answer keys with ``CASEBOOK_RECORD_ANSWERS`` set
(``python -m course hashes``); a test keeps them in sync with the keys.

A check that fails raises ``NotYet``, an ``AssertionError`` (so the test cell
fails and nbgrader grades it as before) that IPython shows as its hint and the
cell's line, without a traceback through this module.
"""

from __future__ import annotations

import hashlib
import json
import linecache
import math
import numbers
import os
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from course.cases import CASES_DIR, HASHES_FILE

RECORD_ENV = "CASEBOOK_RECORD_ANSWERS"
# Six digits tell a rounded answer (86.8 for 86.79245...) from the exact one, as the hidden tests do,
# while the noise of computing the same number another way stays far below them.
SIGNIFICANT_DIGITS = 6


class NotYet(AssertionError):
    """A visible check's "not yet": its message is the hint."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows these lines instead of the traceback; the cell's line keeps the
        # "Cell In[n], line m" form that feedback uses to tell a visible check from a hidden test.
        return [f"\x1b[0;31m{self}\x1b[0m", *_cell_line(self.__traceback__)]


def _cell_line(tb) -> list[str]:
    """Where in the notebook's cell the check was called, as IPython names cells."""
    try:
        from IPython import get_ipython
    except ImportError:
        return []
    shell = get_ipython()
    if shell is None:
        return []
    found = None
    for frame, line in traceback.walk_tb(tb):
        label = shell.compile.format_code_name(frame.f_code.co_filename)
        if label:
            found = (label, line, frame.f_code.co_filename)
    if found is None:
        return []
    (kind, name), line, filename = found
    return [f"{kind} {name}, line {line}: {linecache.getline(filename, line).strip()}"]


def canonical(value, digits: int = SIGNIFICANT_DIGITS, decimals: int | None = None) -> str:
    """A text form that equal answers share: numbers to ``digits`` significant digits
    (first rounded to ``decimals`` places as numpy and pandas round, if given),
    text folded to lower case, containers element by element."""
    if value is None or isinstance(value, bool | np.bool_):
        return str(value if value is None else bool(value))
    if isinstance(value, numbers.Number):
        number = float(value)  # type: ignore[arg-type]  # a complex number raises TypeError
        if math.isnan(number):
            return "nan"
        if decimals is not None:
            number = float(np.round(number, decimals))
        return format(number, f".{digits}g")
    if isinstance(value, str):
        return " ".join(value.split()).lower()
    if isinstance(value, pd.DataFrame):
        return canonical({column: value[column] for column in sorted(value.columns, key=str)}, digits, decimals)
    if isinstance(value, pd.Series):
        return canonical(value.to_dict(), digits, decimals)
    if isinstance(value, Mapping):
        items = sorted((str(key), canonical(item, digits, decimals)) for key, item in value.items())
        return "{" + ",".join(f"{key}:{item}" for key, item in items) + "}"
    if isinstance(value, Sequence | set | frozenset):
        parts = [canonical(item, digits, decimals) for item in value]
        return "[" + ",".join(sorted(parts) if isinstance(value, set | frozenset) else parts) + "]"
    raise TypeError(f"Cannot check a value of type {type(value).__name__}")


def digest(key: str, value, digits: int = SIGNIFICANT_DIGITS, decimals: int | None = None) -> str:
    return hashlib.sha256(f"{key}={canonical(value, digits, decimals)}".encode()).hexdigest()[:20]


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def stored_hashes() -> dict[str, str]:
    """Every case's stored hashes, merged."""
    merged: dict[str, str] = {}
    for path in sorted(CASES_DIR.glob(f"*/{HASHES_FILE}")):
        merged.update(_load(path))
    return merged


def _record(key: str, value, digits: int, decimals: int | None) -> None:
    path = Path(os.environ[RECORD_ENV])
    hashes = _load(path)
    hashes[key] = digest(key, value, digits, decimals)
    path.write_text(json.dumps(dict(sorted(hashes.items())), indent=1) + "\n", encoding="utf-8")


def check(key: str, value, hint: str, digits: int = SIGNIFICANT_DIGITS, decimals: int | None = None) -> None:
    """Say whether ``value`` matches the answer key for ``key``; if not, raise
    ``NotYet`` whose message is ``hint``. Where the hidden test accepts an
    answer rounded to some decimal places, ``decimals`` rounds both sides so."""
    if os.environ.get(RECORD_ENV):
        _record(key, value, digits, decimals)
        return
    expected = stored_hashes().get(key)
    if expected is None:
        raise KeyError(f"No stored answer for check {key!r}; run `python -m course hashes`.")
    try:
        matches = digest(key, value, digits, decimals) == expected
    except TypeError as err:
        raise NotYet(f"Not yet: {err}. Hint: {hint}") from None
    if not matches:
        raise NotYet(f"Not yet. Hint: {hint}")
    print(f"Check {key}: looks right.")


def check_raises(error: type[Exception], function, cases: list[tuple], hint: str) -> None:
    """Say whether ``function(*args)`` raises ``error`` for every ``args`` in ``cases``; if not,
    raise ``NotYet`` with ``hint`` and the first call that did not."""
    name = getattr(function, "__name__", "the function")
    for args in cases:
        call = f"{name}({', '.join(map(repr, args))})"
        try:
            function(*args)
        except error:
            continue
        except Exception as err:  # noqa: BLE001 - any other error is the learner's to see
            raise NotYet(f"Not yet: {call} raised {type(err).__name__}, not {error.__name__}. Hint: {hint}") from None
        raise NotYet(f"Not yet: {call} should raise {error.__name__}. Hint: {hint}")
    print(f"Check {name}: refuses what it should.")
