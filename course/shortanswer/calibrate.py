"""Grade the labelled calibration answers and compare with the instructor's points.

    python -m course.shortanswer.calibrate [--csv FILE] [--source DIR] [--show-disagreements]

Prints exact agreement, agreement within one point, the full/partial/zero
confusion (instructor rows, grader columns), the share of gamed answers
scored above a third of their points, the share flagged for review and the
time per answer; then the same figures as ``evaluate`` for the development
set and, apart, the held-out set. Exits 1 when a calibration target is missed.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from course.paths import source_dir
from course.shortanswer import evaluate
from course.shortanswer.scoring import Result, grade_details

DEFAULT_CSV = Path(__file__).resolve().parent / "data" / "short_answer_calibration.csv"
TARGET_EXACT = 0.85
TARGET_WITHIN_ONE = 0.95
GAMED_SHARE_LIMIT = 1 / 3
BANDS = ("full", "partial", "zero")
COLUMNS = ("id", "question_id", "category", "answer", "instructor_points", "note")
CATEGORIES = ("good", "partial", "wrong", "gamed")


@dataclass
class Graded:
    row: dict
    result: Result
    milliseconds: float

    @property
    def label(self) -> float:
        return float(self.row["instructor_points"])

    @property
    def difference(self) -> float:
        return self.result.points - self.label


@dataclass
class Report:
    graded: list[Graded]

    def share(self, test) -> float:
        return sum(1 for g in self.graded if test(g)) / len(self.graded)

    @property
    def exact(self) -> float:
        return self.share(lambda g: abs(g.difference) < 1e-9)

    @property
    def within_one(self) -> float:
        return self.share(lambda g: abs(g.difference) <= 1 + 1e-9)

    @property
    def gamed(self) -> list[Graded]:
        return [g for g in self.graded if g.row["category"] == "gamed"]

    @property
    def gamed_max_share(self) -> float:
        return max((g.result.points / g.result.max_points for g in self.gamed), default=0.0)

    @property
    def gamed_over_limit(self) -> list[Graded]:
        return [g for g in self.gamed if g.result.points > g.result.max_points * GAMED_SHARE_LIMIT + 1e-9]

    def confusion(self) -> dict[str, dict[str, int]]:
        table = {a: {b: 0 for b in BANDS} for a in BANDS}
        for g in self.graded:
            table[band(g.label, g.result.max_points)][band(g.result.points, g.result.max_points)] += 1
        return table

    @property
    def milliseconds(self) -> list[float]:
        return [g.milliseconds for g in self.graded]

    def targets_met(self) -> bool:
        return self.exact >= TARGET_EXACT and self.within_one >= TARGET_WITHIN_ONE and not self.gamed_over_limit


def band(points: float, maximum: float) -> str:
    if points <= 1e-9:
        return "zero"
    return "full" if points >= maximum - 1e-9 else "partial"


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path} lacks column(s) {', '.join(sorted(missing))}")
        rows = list(reader)
    for row in rows:
        if row["category"] not in CATEGORIES:
            raise ValueError(f"{path}: row {row['id']} has category {row['category']!r}; use one of {CATEGORIES}")
    return rows


def run(rows: list[dict], source: Path) -> Report:
    graded = []
    for row in rows:
        grade_details(row["answer"], row["question_id"], source=source)  # load the rubric outside the timing
        start = time.perf_counter()
        result = grade_details(row["answer"], row["question_id"], source=source)
        graded.append(Graded(row, result, (time.perf_counter() - start) * 1000))
    return Report(graded)


def summary(report: Report) -> str:
    n = len(report.graded)
    flagged = report.share(lambda g: g.result.needs_review)
    times = report.milliseconds
    lines = [
        f"Answers graded: {n}",
        f"Exact agreement:        {report.exact:.1%} (target {TARGET_EXACT:.0%})",
        f"Within one point:       {report.within_one:.1%} (target {TARGET_WITHIN_ONE:.0%})",
        f"Gamed answers above a third of their points: {len(report.gamed_over_limit)} of {len(report.gamed)}"
        f" (highest share {report.gamed_max_share:.0%})",
        f"Flagged for review:     {flagged:.1%}",
        f"Milliseconds per answer: mean {sum(times) / n:.1f}, max {max(times):.1f}",
        "Confusion (rows: instructor, columns: grader):",
        "            " + "".join(f"{b:>9}" for b in BANDS),
    ]
    for label, counts in report.confusion().items():
        lines.append(f"  {label:<10}" + "".join(f"{counts[b]:>9}" for b in BANDS))
    return "\n".join(lines)


def disagreements(report: Report) -> str:
    lines = []
    for g in report.graded:
        if abs(g.difference) > 1e-9:
            lines.append(f"{g.row['id']:<9} {g.row['category']:<8} instructor {g.label:g}, grader "
                         f"{g.result.points:g}  found {','.join(g.result.found) or '-'}"
                         f"  flags: {'; '.join(g.result.flags) or '-'}")
    return "\n".join(lines) or "No disagreements."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.shortanswer.calibrate",
                                     description="Grade the labelled short-answer calibration set and check "
                                                 "the agreement targets.")
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="calibration CSV (default: %(default)s)")
    parser.add_argument("--source", type=Path, default=None,
                        help="folder holding the case folders with rubrics.toml (default: the course's source/)")
    parser.add_argument("--show-disagreements", action="store_true",
                        help="list every answer where grader and instructor differ")
    args = parser.parse_args(argv)
    report = run(read_rows(args.csv), args.source or source_dir())
    print(summary(report))
    # The calibration set fits the rubrics; these two measure the grader on answers written apart from them.
    for name, path in (("Development", evaluate.DEV_JSON), ("Held-out", evaluate.DEFAULT_JSON)):
        print(f"\n{evaluate.summary(evaluate.run(evaluate.read(path), args.source or source_dir()), name)}")
    if args.show_disagreements:
        print(disagreements(report))
    if not report.targets_met():
        print("Targets missed.")
        return 1
    print("Targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
