"""The casebook's command line: ``python -m course COMMAND`` (or ``casebook COMMAND``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.assignments import CaseError, cases, require_case
from course.nbgrader_tools import NbgraderError
from course.paths import CHECKOUT_DIR, course_root


def _build(args) -> int:
    from course import release

    for path in release.build_all(args.cases, course_root()):
        print(f"built {path.relative_to(course_root())}")
    return 0


def _demo(args) -> int:
    import pandas as pd

    from course import demo

    chosen = args.cases or cases(CHECKOUT_DIR)
    print(f"Grading a demo class ({', '.join(demo.STUDENTS)}) in {args.workdir} ...", flush=True)
    tables = demo.run(chosen, Path(args.workdir).resolve(), CHECKOUT_DIR)
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        for case, table in tables.items():
            print(f"\n== {case}: points per graded cell (blank = not graded) ==")
            print(table.T.to_string(na_rep=""))
    return 0


def _hashes(args) -> int:
    from course import hash_recording

    chosen = args.cases or cases(CHECKOUT_DIR)
    for case in chosen:
        require_case(case, CHECKOUT_DIR)
    for case in chosen:
        print(f"wrote {hash_recording.record(case, CHECKOUT_DIR).relative_to(CHECKOUT_DIR)}")
    return 0


def _bench(args) -> int:
    from course import bench

    chosen = args.cases or cases(CHECKOUT_DIR)
    for case in chosen:
        require_case(case, CHECKOUT_DIR)
    bench.print_notebook_times(bench.notebook_times(chosen, CHECKOUT_DIR, repeats=args.repeats))
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m course",
        description="Build, grade and check the AliExpress internationalization casebook.",
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build release/ from source/ with nbgrader generate_assignment")
    build.add_argument("cases", nargs="*", metavar="CASE", help="cases to build (default: all)")
    build.set_defaults(run=_build)

    demo = commands.add_parser("demo", help="autograde a demo class and print each student's points per question")
    demo.add_argument("cases", nargs="*", metavar="CASE", help="cases to grade (default: all)")
    demo.add_argument("--workdir", default=str(CHECKOUT_DIR / "demo-class"),
                      help="scratch course folder for the demo (default: demo-class/)")
    demo.set_defaults(run=_demo)

    hashes = commands.add_parser("hashes", help="record the answer hashes the visible checks compare against")
    hashes.add_argument("cases", nargs="*", metavar="CASE", help="cases to record (default: all)")
    hashes.set_defaults(run=_hashes)

    bench = commands.add_parser("bench", help="time each answer key top to bottom (target: 20 s a case)")
    bench.add_argument("cases", nargs="*", metavar="CASE", help="cases to time (default: all)")
    bench.add_argument("--repeats", type=int, default=1, help="runs per case; the best is reported")
    bench.set_defaults(run=_bench)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (CaseError, NbgraderError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
