"""Tracing numbers back to the readings in ``seeds/``.

Quotes are compared after folding white space, because the readings break
lines (and pages) in the middle of sentences; nothing else is normalised.
"""

from __future__ import annotations

import re
from functools import cache

from course.paths import seeds_dir

READINGS = {
    "000_2ac75adefbd94969.txt": "Chen (2026), AliExpress's Internationalization (paper)",
    "001_b3e453501eecc4f1.txt": "The Digital Silk Road (blog essay)",
    "002_e7a6a17b2cfe701e.txt": "China Daily (2019), Alibaba expands AliExpress footprint",
    "003_56eb73be327c13af.txt": "Alibaba: Expansion Into International Markets (case study)",
    "004_49d3781fa7568545.txt": "AliExpress customer group analysis (2013-2014)",
}

_SPACE = re.compile(r"\s+")


def fold_space(text: str) -> str:
    """Collapse every run of white space to one space."""
    return _SPACE.sub(" ", text).strip()


@cache
def reading_text(reading: str) -> str:
    """The text of a reading, by its file name, with white space folded."""
    if reading not in READINGS:
        known = ", ".join(sorted(READINGS))
        raise KeyError(f"Unknown reading {reading!r}. Known readings: {known}")
    return fold_space((seeds_dir() / reading).read_text(encoding="utf-8"))


def quote_in_reading(quote: str, reading: str) -> bool:
    """True when ``quote`` stands verbatim (white space aside) in ``reading``."""
    return fold_space(quote) in reading_text(reading)


def cite(reading: str, section: str) -> str:
    """A short citation such as ``reading 000, §2.1.2``."""
    return f"reading {reading[:3]}, §{section}" if section[:1].isdigit() else f"reading {reading[:3]}, {section}"
