"""Measure the short-answer grader on held-out answers nobody tuned it on.

    python -m course shortanswer-eval [--json FILE] [--source DIR] [--show-errors] [--by-style]

``data/shortanswer_heldout.json`` (beside this module) holds answers written from each
question, its model answer and its ideas' neutral descriptions only, in the
styles real students use (paraphrase, examples, non-native English, terse,
swapped or false claims in the right words, denials, keyword strings, the
question copied back), with an instructor's points and ideas. Each answer is
scored as its test cell scores it: the visible length check, then the grade.

Printed: exact agreement, mean absolute error, gamed answers earning more than
a third of their points, the share sent to review, and the share of the
grader's errors (answers it scores differently from the instructor) that the
review set holds. The calibration set (``calibrate.py``) measures the rubrics'
fit to answers written alongside them; this measures the grader.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from course.paths import source_dir
from course.points import clamp_points
from course.shortanswer import check_length
from course.shortanswer.scoring import Result, grade_details

DEFAULT_JSON = Path(__file__).resolve().parent / "data" / "shortanswer_heldout.json"
# Answers the grader's rules are designed on; the held-out set only measures them.
DEV_JSON = DEFAULT_JSON.with_name("shortanswer_dev.json")
GAMED_SHARE = 1 / 3
# What the issue asks of the grader on answers it was not tuned on.
TARGET_REVIEW_SHARE = 0.15
# The best of a few runs: on a shared machine a single run measures the neighbours as much as the grader.
TIMING_RUNS = 3


@dataclass
class Case:
    row: dict
    result: Result
    cell_points: float  # what the test cell gives: 0 when the visible check fails it
    milliseconds: float = 0.0

    @property
    def label(self) -> float:
        return float(self.row["instructor_points"])

    @property
    def error(self) -> float:
        return self.cell_points - self.label

    @property
    def wrong(self) -> bool:
        return abs(self.error) > 1e-9

    @property
    def review(self) -> bool:
        return self.result.needs_review

    @property
    def gamed_over(self) -> bool:
        return self.row["category"] == "gamed" and self.cell_points > self.result.max_points * GAMED_SHARE + 1e-9


@dataclass
class Evaluation:
    cases: list[Case]

    def _share(self, items: list[Case], test) -> float:
        return sum(1 for c in items if test(c)) / len(items) if items else 0.0

    @property
    def exact(self) -> float:
        return self._share(self.cases, lambda c: not c.wrong)

    @property
    def mean_absolute_error(self) -> float:
        return sum(abs(c.error) for c in self.cases) / len(self.cases)

    @property
    def gamed(self) -> list[Case]:
        return [c for c in self.cases if c.row["category"] == "gamed"]

    @property
    def gamed_over(self) -> list[Case]:
        return [c for c in self.gamed if c.gamed_over]

    @property
    def review_share(self) -> float:
        return self._share(self.cases, lambda c: c.review)

    @property
    def errors_in_review(self) -> float:
        """Share of the grader's errors that the review set catches."""
        return self._share([c for c in self.cases if c.wrong], lambda c: c.review)

    @property
    def exact_outside_review(self) -> float:
        """Exact agreement on the answers whose score stands without review."""
        return self._share([c for c in self.cases if not c.review], lambda c: not c.wrong)

    def by(self, key: str) -> dict[str, list[Case]]:
        groups: dict[str, list[Case]] = defaultdict(list)
        for c in self.cases:
            groups[c.row[key]].append(c)
        return dict(sorted(groups.items()))


def read(path: Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["answers"]


def cell_points(answer, question_id: str, source: Path) -> tuple[Result, float]:
    """The result and the points of the test cell: ``check_length`` then ``grade``."""
    result = grade_details(answer, question_id, source=source)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            check_length(answer)
    except AssertionError:
        return result, 0.0
    return result, clamp_points(result.points, result.max_points)


def run(rows: list[dict], source: Path) -> Evaluation:
    cases = []
    for row in rows:
        grade_details(row["answer"], row["question_id"], source=source)  # load the rubric outside the timing
        times = []
        for _ in range(TIMING_RUNS):
            start = time.perf_counter()
            result, points = cell_points(row["answer"], row["question_id"], source)
            times.append((time.perf_counter() - start) * 1000)
        cases.append(Case(row, result, points, min(times)))
    return Evaluation(cases)


def summary(ev: Evaluation, name: str = "Held-out") -> str:
    gamed_points = sum(c.cell_points for c in ev.gamed)
    within_half = ev._share(ev.cases, lambda c: abs(c.error) <= 0.5 + 1e-9)
    return "\n".join([
        f"{name} answers: {len(ev.cases)} on {len(ev.by('question_id'))} questions",
        f"Exact agreement:            {ev.exact:.1%}",
        f"Within half a point:        {within_half:.1%}",
        f"Mean absolute error:        {ev.mean_absolute_error:.3f} points",
        f"Gamed answers over a third: {len(ev.gamed_over)} of {len(ev.gamed)} "
        f"({gamed_points:g} points earned by gamed answers in all)",
        f"Sent to review:             {ev.review_share:.1%} (target at most {TARGET_REVIEW_SHARE:.0%})",
        f"Errors inside review:       {ev.errors_in_review:.1%} of {sum(c.wrong for c in ev.cases)} errors",
        f"Exact outside review:       {ev.exact_outside_review:.1%}",
        f"Milliseconds per answer:    mean {sum(c.milliseconds for c in ev.cases) / len(ev.cases):.1f}, "
        f"max {max(c.milliseconds for c in ev.cases):.1f}",
    ])


def by_style(ev: Evaluation) -> str:
    lines = ["style                 n  exact   MAE  review"]
    for style, cases in ev.by("style").items():
        sub = Evaluation(cases)
        lines.append(f"{style:<18} {len(cases):>4}  {sub.exact:>5.0%} {sub.mean_absolute_error:>5.2f} "
                     f"{sub.review_share:>6.0%}")
    return "\n".join(lines)


def errors(ev: Evaluation) -> str:
    lines = []
    for c in ev.cases:
        if c.wrong or c.review:
            lines.append(f"{c.row['id']:<28} {c.row['style']:<16} instructor {c.label:g}, grader {c.cell_points:g}"
                         f"{' REVIEW' if c.review else ''}  found {','.join(c.result.found) or '-'}"
                         f"  reasons: {'; '.join(c.result.flags) or '-'}")
    return "\n".join(lines) or "No errors."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="held-out set (default: %(default)s)")
    parser.add_argument("--source", type=Path, default=None,
                        help="folder holding the case folders with rubrics.toml (default: the course's source/)")
    parser.add_argument("--show-errors", action="store_true",
                        help="list every answer scored differently from the instructor or sent to review")
    parser.add_argument("--by-style", action="store_true", help="agreement per answer style")


def report(args) -> int:
    ev = run(read(args.json), args.source or source_dir())
    names = {DEFAULT_JSON.resolve(): "Held-out", DEV_JSON.resolve(): "Development"}
    print(summary(ev, names.get(Path(args.json).resolve(), str(args.json))))
    if args.by_style:
        print(by_style(ev))
    if args.show_errors:
        print(errors(ev))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.shortanswer.evaluate",
                                     description="Grade the held-out short answers and compare with the "
                                                 "instructor's points.")
    add_arguments(parser)
    return report(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
