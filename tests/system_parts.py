"""The system parts some tests need beyond Python, and why one is missing here.

``bwrap``     the grading sandbox: bubblewrap, usable here (``course.grading.sandbox.problem()``)
``postgres``  a PostgreSQL server's binaries, which the ``postgres_url`` fixture starts
``chromium``  Debian's Chromium at /usr/bin/chromium, which the browser test drives

``make system`` installs all three (CI's ``.ci/run`` calls it). A test declares what it
needs with ``@pytest.mark.needs("bwrap", ...)`` and is skipped with the reason where a part
is missing (``tests/conftest.py``). ``CASEBOOK_HIDE_SYSTEM=bwrap,postgres,chromium`` (any of
them) makes parts count as missing, to check those skips on a machine that has them.
"""

from __future__ import annotations

import functools
import glob
import os
from pathlib import Path

HIDE_ENV = "CASEBOOK_HIDE_SYSTEM"
PARTS = ("bwrap", "postgres", "chromium")
CHROMIUM = Path("/usr/bin/chromium")
POSTGRES_GLOB = "/usr/lib/postgresql/*/bin/initdb"


def hidden() -> set[str]:
    names = {name.strip() for name in os.environ.get(HIDE_ENV, "").split(",") if name.strip()}
    unknown = names - set(PARTS)
    if unknown:
        raise ValueError(f"{HIDE_ENV}: unknown part(s) {', '.join(sorted(unknown))}; known: {', '.join(PARTS)}")
    return names


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server's bin folder (Debian's layout), or None."""
    found = sorted(glob.glob(POSTGRES_GLOB))
    return Path(found[-1]).parent if found else None


def missing(part: str) -> str | None:
    """Why ``part`` cannot be used here, in one line; None when it can."""
    if part not in PARTS:
        raise ValueError(f"unknown system part {part!r}; known: {', '.join(PARTS)}")
    if part in hidden():
        return f"{part} hidden by {HIDE_ENV}"
    return _probe(part)


@functools.cache
def _probe(part: str) -> str | None:
    # The sandbox probe starts bubblewrap once: cached for the session.
    if part == "bwrap":
        from course.grading import sandbox

        why = sandbox.problem()
        if why is None:
            return None
        hint = " (`make system` installs bubblewrap)" if "not found" in why else ""
        return " ".join(f"no grading sandbox: {why}{hint}".split())
    if part == "postgres":
        if postgres_bin() is not None:
            return None
        return f"no PostgreSQL server at {POSTGRES_GLOB} (`make system` installs postgresql)"
    if CHROMIUM.exists():
        return None
    return f"no Chromium at {CHROMIUM} (`make system` installs chromium)"
