"""Numbers from the readings, looked up by fact id with their citation.

The facts table (``datasets/facts.csv``) is the one source of truth for every
figure a notebook quotes: notebooks call ``value("000_gmv_share_middle_east")``
instead of typing 15, and ``cite(...)`` to show where it comes from.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from course.data import load
from course.provenance import cite as _cite


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    return load("facts").set_index("id", drop=False)


def table() -> pd.DataFrame:
    """A fresh copy of the facts table, so a notebook cannot alter the cache."""
    return _table().reset_index(drop=True).copy()


def fact(fact_id: str) -> pd.Series:
    """One row of the facts table."""
    try:
        return _table().loc[fact_id]
    except KeyError:
        close = [i for i in _table().index if fact_id.split("_", 1)[-1][:8] in i][:5]
        hint = f" Similar ids: {', '.join(close)}" if close else ""
        raise KeyError(f"No fact with id {fact_id!r}.{hint}") from None


def value(fact_id: str) -> float:
    """The fact's value (the low end of a range)."""
    return float(fact(fact_id)["value"])


def cite(fact_id: str) -> str:
    """``reading 000, §2.1.2: "…quote…"`` for a fact."""
    row = fact(fact_id)
    return f'{_cite(row["reading"], row["section"])}: "{row["quote"]}"'
