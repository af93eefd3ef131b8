"""Turn outcome texts such as "Return rate down 22%, repurchase rate up 35%" into numbers.

The paper's tables report results as short phrases. :func:`parse_outcomes`
splits a cell into outcome fragments and reads each one as

- ``metric``: what is measured, as worded ("return rate");
- ``direction``: ``up``, ``down`` or ``none``;
- ``kind``: ``change`` ("down 22%": a fall *by* 22%), ``level`` ("down to 28%":
  the new level, with no word on how large the fall was; "95% of orders") or
  ``lower_bound`` ("exceeded 1,000 daily orders");
- ``value`` and ``unit``: the number, scaled ("2.4 million" is 2400000.0), and
  one of ``percent``, ``count``, ``USD``, ``days``, ``hours``, ``times``.

A fragment that matches none of the patterns is left out: no number is better
than a wrong one. ``python -m course.outcomes`` rewrites
``datasets/table3_outcomes.csv`` from Table 3.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from course.data import data_path, load

OUTCOME_FIELDS = ["outcome", "metric", "direction", "kind", "value", "unit"]

# A comma between digits is a thousands separator ("1,000"), not a new outcome.
_BETWEEN_OUTCOMES = re.compile(r"(?<!\d),|,(?!\d)")

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = (
    r"(?P<currency>USD\s*|\$)?(?P<number>" + _NUMBER + r")"
    r"(?:\s+(?P<scale>thousand|million|billion))?"
    r"(?P<unit>\s*%|\s+percent|\s+days?|\s+hours?)?"
)
_PERCENT = r"(?P<number>" + _NUMBER + r")\s*(?:%|percent)"
# A metric never holds a percentage: "up 5% and costs down 3%" is two outcomes, not one.
_METRIC = r"(?P<metric>[^%]+?)"
_UP_WORDS = r"up|rose|increased|grew|raised"
_DOWN_WORDS = r"down|fell|decreased|reduced|shortened|cut"
_MOVE = r"(?P<verb>" + _UP_WORDS + "|" + _DOWN_WORDS + ")"

# "Cash-on-delivery rate down to 28%": the level reached, not the size of the fall.
_MOVED_TO_LEVEL = re.compile(_METRIC + r"\s+" + _MOVE + r"\s+to\s+" + _AMOUNT, re.IGNORECASE)
# "Return rate down 22%", "sales increased by 35%".
_CHANGED_BY = re.compile(_METRIC + r"\s+" + _MOVE + r"\s+(?:by\s+)?" + _PERCENT, re.IGNORECASE)
# "+356% YoY": a change whose metric the fragment does not name.
_SIGNED_CHANGE = re.compile(r"(?P<sign>[+\-\u2212])" + _PERCENT + r"(?:\s+(?:YoY|year-on-year))?", re.IGNORECASE)
# "95% of orders delivered within 48 hours".
_SHARE_OF = re.compile(_PERCENT + r"\s+of\s+" + _METRIC, re.IGNORECASE)
# "Keychain merchants exceeded 1,000 daily orders", "... exceeded USD 10 million in monthly sales".
_EXCEEDED = re.compile(r".+?\s+(?:exceeded|surpassed)\s+" + _AMOUNT + r"\s+(?:in\s+)?" + _METRIC, re.IGNORECASE)
# "PatPat Ramadan orders reached 46 times daily average".
_TIMES_BASELINE = re.compile(
    _METRIC + r"\s+reached\s+(?P<number>" + _NUMBER + r")\s+times\s+(?P<baseline>[^%]+)", re.IGNORECASE
)
# "2.4 million exposures": a number, then the words for what was counted (not a unit).
_COUNT_OF = re.compile(
    r"(?P<currency>USD\s*|\$)?(?P<number>" + _NUMBER + r")(?:\s+(?P<scale>thousand|million|billion))?"
    r"\s+(?!(?:percent|days?|hours?|times)\b)(?P<metric>[a-z][a-z -]*)",
    re.IGNORECASE,
)

_SCALES = {None: 1, "thousand": 1e3, "million": 1e6, "billion": 1e9}


def _number(match: re.Match) -> float:
    scale = (match.groupdict().get("scale") or "").lower() or None
    return float(match["number"].replace(",", "")) * _SCALES[scale]


def _unit(match: re.Match) -> str:
    groups = match.groupdict()
    if groups.get("currency"):
        return "USD"
    word = (groups.get("unit") or "").strip().lower()
    if word in ("%", "percent"):
        return "percent"
    if word.startswith("day"):
        return "days"
    if word.startswith("hour"):
        return "hours"
    return "count"


def _direction(verb: str) -> str:
    return "up" if re.fullmatch(_UP_WORDS, verb, re.IGNORECASE) else "down"


def _plain_case(words: str) -> str:
    """Lower-case a sentence-initial capital ("Return rate") but not a name ("PatPat", "USD")."""
    first, space, rest = words.strip().partition(" ")
    if first[1:] == first[1:].lower():
        first = first.lower()
    return first + space + rest


def _read_fragment(fragment: str) -> dict | None:
    def outcome(metric, direction, kind, value, unit):
        metric = _plain_case(metric) if metric else None
        return dict(zip(OUTCOME_FIELDS, (fragment, metric, direction, kind, value, unit)))

    words = fragment.rstrip(".").rstrip()  # a closing full stop is not part of the last word
    if match := _MOVED_TO_LEVEL.fullmatch(words):
        return outcome(match["metric"], _direction(match["verb"]), "level", _number(match), _unit(match))
    if match := _CHANGED_BY.fullmatch(words):
        return outcome(match["metric"], _direction(match["verb"]), "change", _number(match), "percent")
    if match := _SIGNED_CHANGE.fullmatch(words):
        direction = "up" if match["sign"] == "+" else "down"
        return outcome(None, direction, "change", _number(match), "percent")
    if match := _SHARE_OF.fullmatch(words):
        return outcome(match["metric"], "none", "level", _number(match), "percent")
    if match := _EXCEEDED.fullmatch(words):
        return outcome(match["metric"], "none", "lower_bound", _number(match), _unit(match))
    if match := _TIMES_BASELINE.fullmatch(words):
        return outcome(f"{match['metric']} vs {match['baseline']}", "none", "level", _number(match), "times")
    if match := _COUNT_OF.fullmatch(words):
        return outcome(match["metric"], "none", "level", _number(match), _unit(match))
    return None


def parse_outcomes(text: str) -> list[dict]:
    """The outcomes in ``text``, one dict per comma-separated fragment that can be read.

    >>> parse_outcomes("Cash-on-delivery rate down to 28%")[0]["kind"]
    'level'
    """
    if not isinstance(text, str):
        raise ValueError(
            f"parse_outcomes expects the text of one outcomes cell (a str), got {type(text).__name__}: {text!r}"
        )
    fragments = (part.strip() for part in _BETWEEN_OUTCOMES.split(text))
    return [parsed for fragment in fragments if fragment and (parsed := _read_fragment(fragment))]


def tidy_outcomes(table: pd.DataFrame, text_column: str = "outcomes", key: str = "region") -> pd.DataFrame:
    """One row per outcome in ``table[text_column]``, labelled by ``table[key]``."""
    missing = [column for column in (key, text_column) if column not in table.columns]
    if missing:
        raise KeyError(f"tidy_outcomes: no column {missing} in the table; its columns are {list(table.columns)}")
    rows = [
        {key: label, **parsed}
        for label, text in zip(table[key], table[text_column])
        if not pd.isna(text)  # an empty cell reports no outcome
        for parsed in parse_outcomes(text)
    ]
    tidy = pd.DataFrame(rows, columns=[key, *OUTCOME_FIELDS])
    tidy[key] = tidy[key].astype(table[key].dtype)
    tidy["value"] = tidy["value"].astype("float64")
    return tidy


def _cell(value) -> str:
    if pd.isna(value):
        return ""
    if isinstance(value, float):
        return format(value, ".15g")  # 2400000.0 -> "2400000", not "2.4e+06"
    return str(value)


def write_table3_outcomes(path: str | Path | None = None) -> Path:
    """Write Table 3's outcomes, tidy, to ``path`` (default: ``datasets/table3_outcomes.csv``)."""
    path = Path(path) if path is not None else data_path("table3_outcomes")
    tidy = tidy_outcomes(load("table3_regional_marketing"))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(tidy.columns)
        writer.writerows([_cell(value) for value in row] for row in tidy.itertuples(index=False))
    return path


if __name__ == "__main__":
    print(f"Wrote {write_table3_outcomes()}")
