"""Grading reports: errors, flags and late penalties stay apart from zeros;
the Canvas CSV has Canvas's shape; the item analysis says what it measures."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from nbgrader.api import Gradebook

from course import notebooks
from course.cases import notebook
from course.grading import records
from course.instructor import demo, nbgrader_tools
from course.reports import canvas, item_analysis, report, scores

CASE = "case1_market_selection"


@pytest.fixture
def course(graded_copy):
    """A private copy of case 1's autograded demo class, free to change."""
    return graded_copy(CASE)


def _students(root):
    entries = scores.submissions(root, CASE)
    return scores.by_student(entries, scores.question_points(root, CASE))


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "course", *args], cwd=cwd, capture_output=True, text=True)


def test_report_command_writes_every_part_from_a_database_url(course, tmp_path):
    moved = tmp_path / "elsewhere.db"
    shutil.move(course / "gradebook.db", moved)
    out = tmp_path / "rep"
    done = run("report", CASE, f"--db-url=sqlite:///{moved}", f"--out={out}", cwd=course)
    assert done.returncode == 0, done.stderr
    assert not (course / "gradebook.db").exists()
    students = pd.read_csv(out / "scores_by_student.csv", index_col="student")
    assert students.loc["answer-key", "score"] == students.loc["answer-key", "max_score"]
    assert students.loc["untouched", "score"] == 0
    assert set(students["status"]) == {scores.GRADED}
    with (out / "nbgrader_grades.csv").open() as handle:
        exported = list(csv.DictReader(handle))
    assert {row["student_id"] for row in exported} == set(students.index)
    assert {row["assignment"] for row in exported} == {CASE}
    assert (out / "canvas_gradebook.csv").read_text().startswith(",".join(canvas.FIXED_COLUMNS))
    for name in ("item_analysis.png", "totals.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (out / "report.html").read_text()
    assert "corrected item-total correlation" in page and "Bar chart: Item analysis" in page
    assert "Histogram of final scores" in page


def test_short_answers_marked_for_review_are_listed_first(course, tmp_path):
    """What VerdictSaveAutoGrades writes for a doubtful short answer: needs_manual_grade on the test
    cell and the instructor's note in the answer cell's comment."""
    from course.shortanswer import grade_details, review_note

    result = grade_details("In emerging markets AliExpress competes on fast delivery from overseas warehouses, "
                           "cutting delivery from 15 to 5 days. Running both tracks spreads the risk: after the "
                           "2024 US tariffs it moved traffic to other regions.", f"{CASE}/dual_track")
    assert result.needs_review
    with Gradebook(nbgrader_tools.db_url(course)) as gradebook:
        gradebook.find_grade("ex8_dual_track_test", "market_selection", CASE, "partly-right").needs_manual_grade = True
        gradebook.find_comment("ex8_dual_track", "market_selection", CASE, "partly-right").auto_comment = \
            review_note(result)
        gradebook.db.commit()
    students = _students(course)
    flags = students.loc["partly-right", "flags"]
    assert flags.startswith(f"ex8_dual_track: Provisional score {result.points:g} of 3")
    assert "wrong subject" in flags and students.loc["partly-right", "status"] == scores.GRADED
    page = report.write(course, CASE, tmp_path / "out")["report"].read_text()
    assert page.index("Short answers to review") < page.index("<h2>Students")
    assert "partly-right</b>: ex8_dual_track: Provisional score" in page


def test_an_instructors_review_in_the_formgrader_settles_tampering_flags(course):
    """The grader flags the notebook it raised a tampering flag on; a manual score on the cell, or
    unflagging the notebook in the formgrader, settles the flag. Other flags stay."""
    from course.grading.trust import FLAG_PREFIX

    tampered = [f"{FLAG_PREFIX}: ex2_speed_up_test: its source edited",
                f"{FLAG_PREFIX}: ex3_gains_test: its metadata edited (points)"]
    records.write_record(course, records.make_record("partly-right", CASE, "graded",
                                                     flags=[*tampered, "a note of another kind"]))
    url = nbgrader_tools.db_url(course)
    with Gradebook(url) as gradebook:
        gradebook.find_submission_notebook("market_selection", CASE, "partly-right").flagged = True
        gradebook.db.commit()
    assert _students(course).loc["partly-right", "flags"] == "; ".join([*tampered, "a note of another kind"])
    with Gradebook(url) as gradebook:
        gradebook.find_grade("ex2_speed_up_test", "market_selection", CASE, "partly-right").manual_score = 2.0
        gradebook.db.commit()
    assert _students(course).loc["partly-right", "flags"] == "; ".join([tampered[1], "a note of another kind"])
    with Gradebook(url) as gradebook:
        gradebook.find_submission_notebook("market_selection", CASE, "partly-right").flagged = False
        gradebook.db.commit()
    assert _students(course).loc["partly-right", "flags"] == "a note of another kind"


def test_a_failed_grading_record_is_an_error_not_a_zero(course):
    records.write_record(course, records.make_record(
        "partly-right", CASE, "failed", reasons=["kernel died"], flags=["duplicated a graded cell"], seconds=3.0))
    records.write_summary(course, CASE, [])
    students = _students(course)
    row = students.loc["partly-right"]
    assert row["status"] == scores.ERROR and row["reasons"] == "kernel died"
    assert pd.isna(row["score"]) and pd.isna(row["final_score"])
    assert "duplicated a graded cell" in row["flags"]
    sheet = canvas.gradebook({CASE: students})
    assert sheet.set_index("SIS User ID").loc["partly-right", CASE] == ""
    assert students.loc["untouched", "score"] == 0


def test_a_submission_without_grades_is_an_error_where_nbgrader_exports_zero(course, tmp_path):
    with Gradebook(nbgrader_tools.db_url(course)) as gradebook:
        gradebook.remove_submission(CASE, "untouched")  # what autograde does when a submission fails
    files = report.write(course, CASE, tmp_path / "out")
    students = pd.read_csv(files["students"], index_col="student")
    assert students.loc["untouched", "status"] == scores.ERROR
    assert "autograding failed" in students.loc["untouched", "reasons"]
    assert pd.isna(students.loc["untouched", "score"])
    assert pd.read_csv(files["questions"], index_col="student").loc["untouched"].isna().all()
    exported = pd.read_csv(files["nbgrader"]).set_index("student_id")
    assert exported.loc["untouched", "score"] == 0  # nbgrader's own export cannot tell


def test_late_penalty_is_its_own_column_and_lowers_the_final_score(course):
    with Gradebook(nbgrader_tools.db_url(course)) as gradebook:
        gradebook.find_submission(CASE, "answer-key").notebooks[0].late_submission_penalty = 2.0
        gradebook.db.commit()
    students = _students(course)
    row = students.loc["answer-key"]
    assert (row["score"], row["late_penalty"], row["final_score"]) == (row["max_score"], 2.0, row["max_score"] - 2)
    sheet = canvas.gradebook({CASE: students}).set_index("SIS User ID")
    assert sheet.loc["answer-key", CASE] == f"{row['max_score'] - 2:g}"


def test_canvas_csv_has_canvas_shape(tmp_path):
    students = pd.DataFrame({
        "name": ["Ada Lovelace", ""], "lms_user_id": ["101", ""], "status": [scores.GRADED, scores.MISSING],
        "max_score": [15.0, 15.0], "final_score": [12.5, None],
    }, index=pd.Index(["ada", "bob"], name="student"))
    path = canvas.write({"case1": students}, tmp_path / "canvas.csv", {"case1": "4321"})
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "case1 (4321)"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "15"]
    assert rows[2] == ["Lovelace, Ada", "101", "ada", "ada", "", "12.5"]
    assert rows[3] == ["bob", "", "bob", "bob", "", ""]


def test_item_analysis_measures():
    cells = pd.DataFrame({"q1": [0, 1, 2, 2], "q2": [0, 0, 1, 1], "q3": [1, 1, 1, 1]},
                         index=["a", "b", "c", "d"], dtype=float)
    items = item_analysis.analyse(cells, {"q1": 2, "q2": 1, "q3": 1})
    assert items.loc["q1", "mean_share"] == pytest.approx(5 / 8)
    assert items.loc["q1", "full_marks"] == 0.5
    rest = cells["q2"] + cells["q3"]
    assert items.loc["q1", "discrimination"] == pytest.approx(cells["q1"].corr(rest))
    assert pd.isna(items.loc["q3", "discrimination"])  # everyone scored the same
    assert pd.isna(item_analysis.analyse(cells.iloc[:2], {"q1": 2, "q2": 1, "q3": 1}).loc["q1", "discrimination"])



def test_figure_texts_say_what_the_figure_shows_and_what_to_read_from_it():
    items = pd.DataFrame({"mean_share": [0.9, 0.3, 0.6], "discrimination": [0.8, 0.1, float("nan")]},
                         index=pd.Index(["q1", "q2", "q3"], name="question"))
    text = item_analysis.item_text(items, "Bar chart: the numbers")
    assert text.alt != text.caption and "3 questions" in text.alt
    assert "poorly: q2." in text.caption and "hardest questions: q2 (mean 30% of the points)" in text.caption
    assert text.data == "Bar chart: the numbers"
    steady = item_analysis.item_text(items.assign(discrimination=float("nan"), mean_share=0.5), "")
    assert "No discrimination to read" in steady.caption and "same mean score, 50%" in steady.caption

    totals = item_analysis.totals_text(pd.Series([0.0, 8.0, 18.0]), 18)
    assert totals.alt != totals.caption and totals.caption.startswith("3 graded students; mean 8.67")
    assert "2 below half marks" in totals.caption and totals.data.startswith("Histogram of final scores")
    assert "empty" in item_analysis.totals_text(pd.Series([], dtype=float), 18).caption


def test_a_figure_is_read_once_alt_text_then_caption():
    text = item_analysis.FigureText("A histogram.", "Mean 9 of 18.", "Scores: 0, 18 <all>.")
    page = report.figure_html("totals.png", text)
    assert page.count("A histogram.") == page.count("Mean 9 of 18.") == 1
    assert 'alt="A histogram."' in page and "<figcaption>Mean 9 of 18.</figcaption>" in page
    assert "<details" in page and "Scores: 0, 18 &lt;all&gt;." in page


def test_html_tables_scroll_in_their_own_box_with_text_left_and_reasons_one_a_line():
    frame = pd.DataFrame({"status": ["error", "graded"], "score": [float("nan"), 12.25],
                          "flags": ["ex1_a: first; ex2_b: second", ""]},
                         index=pd.Index(["ada", "bob"], name="student"))
    frame["lms_user_id"] = ["7", "8"]
    page = report.html_table(frame, "Students", lists=("flags",))
    assert page.startswith('<div class="table-scroll" role="region" tabindex="0" aria-label="Students">')
    assert '<td class="text">error</td><td></td><td class="text list"><ul><li>ex1_a: first</li>' in page
    assert "<td>12.2</td>" in page and '<th scope="col">Score</th>' in page
    assert '<th scope="col" class="text">Student</th>' in page and "lms_user_id" not in page
    assert '<td class="text list"></td>' in page  # bob has no flags


def test_totals_figure_counts_students_in_whole_numbers():
    fig = item_analysis.totals_figure(pd.Series([0.0, 8.0, 18.0]), 18, CASE)
    ax = fig.axes[0]
    for ticks in (ax.get_yticks(), ax.get_xticks()):
        assert all(tick == int(tick) for tick in ticks)

def test_the_report_lists_the_students_who_submitted_and_no_run_file(checkout, tmp_path):
    # "journal" and "summary" are also the names of the grading command's own files
    root = demo.copy_course(checkout, tmp_path / "course")
    nbgrader_tools.run(["generate_assignment", CASE, "--force", "--quiet"], root)
    release = notebooks.read(notebook(CASE, "release", root))
    key = notebooks.answers(notebooks.read(notebook(CASE, "source", root)))
    demo.submit(root, CASE, "summary", notebooks.fill(release, key))
    demo.submit(root, CASE, "alice", release)
    demo.submit(root, CASE, "journal", release).write_text("{ this is not a notebook", encoding="utf-8")
    graded = subprocess.run([sys.executable, "-m", "course", "grade", CASE, "--no-sandbox", "--quiet"],
                            cwd=root, env=nbgrader_tools.environment(), capture_output=True, text=True)
    assert graded.returncode == 1, graded.stderr[-3000:]  # journal's notebook failed
    assert "FAILED  journal" in graded.stdout
    assert records.read_summary(root, CASE)["totals"]["students"] == 3
    done = run("report", CASE, f"--out={tmp_path / 'out'}", cwd=root)
    assert done.returncode == 0, done.stderr

    students = pd.read_csv(tmp_path / "out" / "scores_by_student.csv", index_col="student")
    assert sorted(students.index) == ["alice", "journal", "summary"]
    assert students.loc["summary", "status"] == scores.GRADED
    assert students.loc["summary", "score"] == students.loc["summary", "max_score"]
    assert (students.loc["alice", "status"], students.loc["alice", "score"]) == (scores.GRADED, 0)
    assert students.loc["journal", "status"] == scores.ERROR
    assert students.loc["journal", "reasons"] == "; ".join(records.read_record(root, CASE, "journal")["reasons"])
    questions = pd.read_csv(tmp_path / "out" / "scores_by_question.csv", index_col="student")
    assert sorted(questions.index) == ["alice", "journal", "summary"]
    with (tmp_path / "out" / "canvas_gradebook.csv").open() as handle:
        sheet = list(csv.DictReader(handle))
    assert sorted(row["SIS User ID"] for row in sheet[1:]) == ["alice", "journal", "summary"]


@pytest.mark.parametrize("args, message", [
    (["report", "case1_market_selektion"], "no case named"),
    (["report", CASE, "--db-url", "not a url"], "is not a database URL"),
    (["feedback", CASE], "No gradebook at"),
])
def test_report_and_feedback_refuse_clearly(args, message, tmp_path, checkout):
    from course.instructor import demo

    root = demo.copy_course(checkout, tmp_path / "empty-course")
    done = run(*args, cwd=root)
    assert done.returncode == 2
    assert message in done.stderr
    assert not (root / "gradebook.db").exists()
