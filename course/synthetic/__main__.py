"""Regenerate the SYNTHETIC datasets, or check the committed ones.

    python -m course.synthetic              write the four CSV files into datasets/
    python -m course.synthetic --out DIR    write them into DIR instead
    python -m course.synthetic --check      exit 1, naming each file, if a file in
                                            datasets/ (or --out DIR) differs from a
                                            fresh generation
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.paths import datasets_dir
from course.synthetic import SEED, csv_text, deliveries, influencer_campaign, payments, product_trials

GENERATORS = (deliveries, product_trials, payments, influencer_campaign)


def fresh() -> dict[str, str]:
    """File name -> CSV text of every dataset, generated now from ``SEED``."""
    return {f"{module.NAME}.csv": csv_text(module.generate(SEED), module.FLOAT_FORMAT) for module in GENERATORS}


def stale(folder: Path) -> dict[str, str]:
    """File name -> what is wrong, for each file in ``folder`` that is missing or out of date."""
    problems = {}
    for name, text in fresh().items():
        path = folder / name
        if not path.is_file():
            problems[name] = "is missing"
        elif path.read_bytes() != text.encode("utf-8"):
            problems[name] = "differs from a fresh generation"
    return problems


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in fresh().items():
        path = folder / name
        path.write_bytes(text.encode("utf-8"))  # bytes: no platform rewrites the "\n" line ends
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course.synthetic",
        description=f"Regenerate the SYNTHETIC datasets (seed {SEED}) calibrated to reading 000.",
    )
    parser.add_argument(
        "--out", type=Path, metavar="DIR", help="folder to write to, or with --check to compare (default: datasets/)"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file differs from a fresh generation"
    )
    args = parser.parse_args(argv)
    folder = args.out or datasets_dir()
    if args.check:
        problems = stale(folder)
        for name, problem in problems.items():
            print(f"{folder / name} {problem}; run `python -m course.synthetic` to regenerate it", file=sys.stderr)
        if not problems:
            print(f"The {len(GENERATORS)} synthetic datasets in {folder} match a fresh generation.")
        return 1 if problems else 0
    for path in write(folder):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
