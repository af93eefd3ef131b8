"""SYNTHETIC datasets calibrated to figures in reading 000.

Nothing here is observed data. Each module builds one table from a fixed seed
(``generate()``); ``python -m course.synthetic`` writes the four CSV files to
``datasets/`` and ``calibration.py`` holds the figures they are tuned to. The
datasheets in ``datasets/docs/`` explain every column and assumption.

The helpers below are shared by the four generators.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

SEED = 20260218  # the reading's publication date; one seed for all four files

_NORMAL = NormalDist()


def stratified_normal(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` standard normal draws, one from each of ``n`` equal-probability slices, shuffled.

    Means and shares computed from them then land within about 1/n of their
    expected values, so the calibration does not rest on a lucky seed.
    """
    slices = (np.arange(n) + rng.random(n)) / n
    # rng.random can return exactly 0.0, where the inverse CDF is undefined.
    slices = np.clip(slices, 1e-12, 1 - 1e-12)
    return rng.permutation([_NORMAL.inv_cdf(p) for p in slices])


def allocate(rng: np.random.Generator, n: int, shares: dict) -> np.ndarray:
    """``n`` labels in exactly the given shares (largest remainder), shuffled."""
    labels = list(shares)
    quotas = np.array([shares[label] for label in labels], dtype=float) * n / sum(shares.values())
    counts = np.floor(quotas).astype(int)
    # Hand the rows lost to rounding down to the largest remainders, first listed first on ties.
    for i in np.argsort(-(quotas - counts), kind="stable")[: n - counts.sum()]:
        counts[i] += 1
    return rng.permutation(np.repeat(np.array(labels, dtype=object), counts))


def csv_text(frame: pd.DataFrame, float_format: str) -> str:
    """The CSV text of ``frame`` exactly as committed: booleans as true/false, "\\n" line ends."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map({True: "true", False: "false"})
    return out.to_csv(
        index=False,
        float_format=float_format,
        date_format="%Y-%m-%d",
        na_rep="",
        lineterminator="\n",
    )

