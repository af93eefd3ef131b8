"""The casebook's command line: ``python -m course COMMAND`` (or ``casebook COMMAND``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.cases import CaseError, names as cases, require_case
from course.instructor.nbgrader_tools import NbgraderError
from course.paths import CHECKOUT_DIR, course_root


def _progress(items, what: str):
    """A progress bar on stderr when it is a terminal (none in logs and CI)."""
    from tqdm import tqdm

    return tqdm(items, desc=what, unit="case", disable=None, leave=False)


def _chosen(given: list[str]) -> list[str]:
    """The cases asked for (all when none), every name checked before any work starts."""
    for case in given:
        require_case(case)
    return list(given) or cases()


def _build(args) -> int:
    from course.instructor import release

    root = course_root()
    for case in _progress(_chosen(args.cases), "building"):
        print(f"built {release.build(case, root).relative_to(root)}")
    return 0


def _demo(args) -> int:
    import pandas as pd

    from course.instructor import demo

    chosen = args.cases or cases()
    print(f"Grading a demo class ({', '.join(demo.STUDENTS)}) in {args.workdir} ...", flush=True)
    tables = demo.run(chosen, Path(args.workdir).resolve(), CHECKOUT_DIR,
                      progress=lambda items: _progress(items, "grading"))
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        for case, table in tables.items():
            print(f"\n== {case}: points per graded cell (blank = not graded) ==")
            print(table.T.to_string(na_rep=""))
    return 0


def _hashes(args) -> int:
    from course.instructor import hash_recording

    for case in _progress(_chosen(args.cases), "recording"):
        print(f"wrote {hash_recording.record(case, CHECKOUT_DIR).relative_to(CHECKOUT_DIR)}")
    return 0


def _bench(args) -> int:
    from course.instructor import bench

    cases_given = list(args.cases)
    target = "notebooks"
    if cases_given and cases_given[0] in ("notebooks", "grading", "cluster"):
        target = cases_given.pop(0)
    if target == "cluster":
        case = cases_given[0] if cases_given else None
        if case:
            require_case(case)
        bench.print_cluster_benchmark(bench.cluster_benchmark(
            case, students=args.students, workdir=Path(args.workdir).resolve() if args.workdir else None))
        return 0
    if target == "grading":
        case = cases_given[0] if cases_given else None
        if case:
            require_case(case)
        result = bench.grading_benchmark(case, students=args.students, workers=args.workers,
                                         workdir=Path(args.workdir).resolve() if args.workdir else None)
        bench.print_grading_benchmark(result)
        return 0 if result["identical"] else 1
    chosen = _chosen(cases_given)
    bench.print_notebook_times(bench.notebook_times(chosen, CHECKOUT_DIR, repeats=args.repeats))
    return 0


def _grade(args) -> int:
    from course.grading import records, runner

    root = course_root()
    require_case(args.case)
    if args.workers is not None and args.workers < 1:
        raise runner.GradingError("--workers must be at least 1")
    from course.grading import sandbox

    if args.no_sandbox:
        print("warning: grading without a sandbox: student code runs as you and can read the gradebook",
              file=sys.stderr)
    else:
        sandbox.require()
    if args.scheduler or args.cluster != "pool":
        outcome = _grade_on_cluster(args, root)
    else:
        outcome = runner.grade_class(args.case, root, workers=args.workers, db_url=args.db_url,
                                     students=args.student, force=args.force, quiet=args.quiet,
                                     sandboxed=not args.no_sandbox)
    print(records.format_summary(args.case, outcome.records, outcome.seconds, skipped=len(outcome.skipped)))
    print(f"records and logs: {records.folder(root, args.case).relative_to(root)}/")
    return 1 if outcome.failed else 0


def _grade_on_cluster(args, root: Path):
    from course.grading import cluster

    if args.scheduler or args.cluster == "dask":
        if args.workers is not None:
            raise cluster.GradingError("--workers counts this machine's processes: a Dask scheduler's "
                                       "cluster grades with the workers it has")
        scheduler = args.scheduler or cluster.configured_scheduler(root)
        print(f"grading on the Dask cluster at {scheduler}", file=sys.stderr)
        return cluster.grade_class(args.case, root, scheduler=scheduler, db_url=args.db_url, students=args.student,
                                   force=args.force, quiet=args.quiet, sandboxed=not args.no_sandbox)
    return cluster.grade_class(args.case, root, local_workers=args.workers, db_url=args.db_url,
                               students=args.student, force=args.force, quiet=args.quiet,
                               sandboxed=not args.no_sandbox)


def _db_url(text: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(text)
    except ArgumentError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a database URL (e.g. sqlite:///gradebook.db or postgresql://host/db)") from None
    return text


def _gradebook_url(args, root: Path) -> str:
    """The gradebook to read: --db-url, else the course's gradebook.db, which must exist."""
    from course.instructor import nbgrader_tools

    if args.db_url:
        return args.db_url
    if not (root / "gradebook.db").is_file():
        raise FileNotFoundError(f"No gradebook at {root / 'gradebook.db'}: run `nbgrader autograde` first, "
                                "or give --db-url.")
    return nbgrader_tools.db_url(root)


def _report(args) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from course.reports import report

    root = course_root()
    require_case(args.case)
    out = Path(args.out or root / "reports" / args.case).resolve()
    print(f"Writing the grading report of {args.case} to {out} ...", file=sys.stderr, flush=True)
    try:
        files = report.write(root, args.case, out, _gradebook_url(args, root), args.canvas_id)
    except SQLAlchemyError as err:
        raise NbgraderError(f"Cannot read the gradebook: {err}") from None
    for kind, path in files.items():
        print(f"{kind:>14}: {path}")
    return 0


def _feedback(args) -> int:
    from course.instructor import feedback

    root = course_root()
    require_case(args.case)
    url = _gradebook_url(args, root)
    print(f"Generating feedback for {args.case} (hidden tests removed) ...", file=sys.stderr, flush=True)
    try:
        pages = feedback.generate(root, args.case, args.student, url)
    except feedback.RefusedFeedback as refused:
        for page in refused.pages:
            print(f"wrote {page.relative_to(root)}")
        raise
    for page in pages:
        print(f"wrote {page.relative_to(root)}")
    return 0


def _notes(args) -> int:
    from course.instructor import teaching_notes

    chosen = _chosen(args.cases)
    for path in teaching_notes.write(chosen, CHECKOUT_DIR):
        print(f"wrote {path.relative_to(CHECKOUT_DIR)}")
    return 0


def _answers(args) -> int:
    from course.instructor import selfstudy

    root = course_root()
    require_case(args.case)
    folder = Path(args.to).resolve()
    if not args.yes:
        if not sys.stdin.isatty():
            raise CaseError("Not asked interactively: add --yes to confirm you want the answer key.")
        reply = input(f"Have you tried {args.case} yourself? Write its answer key to {folder}? [y/N] ")
        if reply.strip().lower() not in ("y", "yes"):
            print("Nothing written. Try the checks' hints first.")
            return 1
    print(f"wrote {selfstudy.write_answer_key(root, args.case, folder)}")
    return 0


def _shortanswer_eval(args) -> int:
    from course.shortanswer import evaluate

    return evaluate.report(args)


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

    bench = commands.add_parser(
        "bench", help="benchmarks: `bench [notebooks] [CASE ...]` times each answer key (target: 20 s a case); "
                      "`bench grading [CASE]` grades a simulated class with nbgrader and with `grade`; "
                      "`bench cluster [CASE]` over a local Dask cluster of 1 and 2 workers, and the coordinator's "
                      "own cost per student")
    bench.add_argument("cases", nargs="*", metavar="TARGET/CASE",
                       help="optional target (notebooks, grading or cluster), then cases (default: all; "
                            "grading: the heaviest case)")
    bench.add_argument("--repeats", type=int, default=1, help="notebooks: runs per case; the best is reported")
    bench.add_argument("--students", type=int, default=100, help="grading: size of the simulated class")
    bench.add_argument("--workers", type=int, default=None, help="grading: workers for `grade` (default: cores)")
    bench.add_argument("--workdir", default=None, help="grading: scratch course folder (default: a temp folder)")
    bench.set_defaults(run=_bench)

    grade = commands.add_parser(
        "grade", help="autograde every submission of a case (nbgrader's steps, all cores, warm kernels)")
    grade.add_argument("case", metavar="CASE", help="the case (nbgrader assignment) to grade")
    grade.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    grade.add_argument("--db-url", default=None,
                       help="gradebook URL (default: the course's, sqlite:///gradebook.db); "
                            "e.g. postgresql+psycopg://user@host/db")
    grade.add_argument("--student", action="append", default=None, metavar="ID",
                       help="grade only this student (repeatable)")
    grade.add_argument("--force", action="store_true",
                       help="grade again students already graded (default: resume, skipping them)")
    grade.add_argument("--quiet", action="store_true", help="no progress bar")
    grade.add_argument("--no-sandbox", action="store_true",
                       help="run student code without the bubblewrap sandbox (only where none is available)")
    grade.add_argument("--cluster", choices=("pool", "local", "dask"), default="pool",
                       help="pool: this machine's worker processes (the default); local: a Dask cluster of "
                            "them; dask: the Dask cluster of --scheduler, or of c.ClusterGrading.scheduler_address "
                            "in nbgrader_config.py")
    grade.add_argument("--scheduler", metavar="ADDRESS", default=None,
                       help="grade on the Dask cluster of this scheduler (e.g. tcp://head:8786; implies "
                            "--cluster dask); the gradebook must then be PostgreSQL (--db-url)")
    grade.set_defaults(run=_grade)

    report = commands.add_parser(
        "report", help="grading report of a case: scores, Canvas CSV, nbgrader export, item analysis",
        description="Write a case's grading report: per student and per question scores (errors, flags and "
                    "late penalties in their own columns), a Canvas gradebook CSV, nbgrader's own export, "
                    "an item analysis with figures, and report.html.")
    report.add_argument("case", metavar="CASE", help="the case (nbgrader assignment) to report on")
    report.add_argument("--db-url", type=_db_url, help="gradebook database URL (default: the course's gradebook.db)")
    report.add_argument("--out", help="folder for the report (default: reports/CASE)")
    report.add_argument("--canvas-id", help="the Canvas assignment id, for the gradebook column header")
    report.set_defaults(run=_report)

    feedback = commands.add_parser(
        "feedback", help="feedback pages for students, never showing hidden tests, rubrics or model answers")
    feedback.add_argument("case", metavar="CASE", help="the case to generate feedback for")
    feedback.add_argument("--student", help="one student only (default: everyone autograded)")
    feedback.add_argument("--db-url", type=_db_url, help="gradebook database URL (default: the course's gradebook.db)")
    feedback.set_defaults(run=_feedback)

    notes = commands.add_parser(
        "notes", help="instructor teaching notes: write docs/teaching-notes/<case>.md from source/ and course/",
        description="Write each case's teaching notes (synopsis, session plan, expected answers, wrong answers, "
                    "rubric bands, the readings' contradictions) and the index, docs/teaching-notes/README.md, "
                    "from the answer keys, the facts table and docs/teaching-notes/src/<case>.toml.")
    notes.add_argument("cases", nargs="*", metavar="CASE", help="cases to write (default: all)")
    notes.set_defaults(run=_notes)

    answers = commands.add_parser(
        "answers", help="self-study: write a case's answer key (after you have tried it)",
        description="Write the answer key notebook of a case, without the hidden tests, for a learner "
                    "studying alone. Asks for confirmation unless --yes.")
    answers.add_argument("case", metavar="CASE", help="the case whose answer key to write")
    answers.add_argument("--to", default="answer-keys", help="folder to write it in (default: ./answer-keys)")
    answers.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    answers.set_defaults(run=_answers)

    shortanswer_eval = commands.add_parser(
        "shortanswer-eval", help="measure the short-answer grader on held-out labelled answers",
        description="Grade the held-out short answers (course/shortanswer/data/shortanswer_heldout.json) and "
                    "compare with the instructor's points: exact agreement, mean absolute error, gamed answers, "
                    "the share sent to review and the share of errors the review set holds.")
    from course.shortanswer.evaluate import add_arguments

    add_arguments(shortanswer_eval)
    shortanswer_eval.set_defaults(run=_shortanswer_eval)
    return main


def _grading_errors():
    from course.grading.course_setup import GradingError
    from course.grading.sandbox import SandboxUnavailable

    return GradingError, SandboxUnavailable


def _notes_errors():
    from course.instructor.teaching_notes import NotesError

    return (NotesError,)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (CaseError, NbgraderError, FileNotFoundError, *_grading_errors(), *_notes_errors()) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
