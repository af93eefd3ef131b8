"""Submissions are files, not links: the walker and the copies that never follow one."""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path

import pytest

from course.grading import journal, submission_files
from course.grading.submission_files import (
    NotPlainFile,
    copy_plain,
    copy_tree,
    open_plain,
    problems,
)

CASE = "case1"


@pytest.fixture
def course(tmp_path) -> Path:
    """A course folder with a secret outside the submissions and one honest student, alice."""
    (tmp_path / "gradebook.db").write_bytes(b"SQLite format 3\0secret")
    honest = tmp_path / "submitted" / "alice" / CASE
    (honest / "data").mkdir(parents=True)
    (honest / "notebook.ipynb").write_text("{}", encoding="utf-8")
    (honest / "data" / "notes.txt").write_text("mine", encoding="utf-8")
    (honest / "timestamp.txt").write_text("2026-01-01 00:00:00", encoding="utf-8")
    return tmp_path


def _student(course: Path, name: str) -> Path:
    folder = course / "submitted" / name / CASE
    folder.mkdir(parents=True)
    (folder / "notebook.ipynb").write_text("{}", encoding="utf-8")
    return folder


def _refused(course: Path, name: str) -> list[str]:
    return submission_files.submission_problems(course, name, CASE)


def test_an_honest_tree_passes(course):
    assert _refused(course, "alice") == []
    assert problems(course / "submitted" / "alice" / CASE) == []


def test_a_missing_submission_has_nothing_to_refuse(course):
    assert _refused(course, "nobody") == []


def test_a_symbolic_link_to_a_file_outside_is_refused_with_its_name(course):
    folder = _student(course, "bob")
    (folder / "notes.txt").symlink_to(course / "gradebook.db")
    reasons = _refused(course, "bob")
    assert len(reasons) == 1
    assert reasons[0].startswith(f"submitted/bob/{CASE}/notes.txt is a symbolic link")
    assert "submissions must be plain files" in reasons[0]
    assert "gradebook.db" in reasons[0]  # where it points, for the instructor


def test_the_notebook_itself_as_a_link_is_refused(course):
    folder = course / "submitted" / "carol" / CASE
    folder.mkdir(parents=True)
    (course / "source").mkdir()
    (course / "source" / "notebook.ipynb").write_text("{}", encoding="utf-8")
    (folder / "notebook.ipynb").symlink_to(course / "source" / "notebook.ipynb")
    assert [r.split(" is ")[0] for r in _refused(course, "carol")] == [f"submitted/carol/{CASE}/notebook.ipynb"]


def test_a_symbolic_link_to_a_folder_is_refused_and_not_entered(course):
    folder = _student(course, "dave")
    (folder / "deep" / "deeper").mkdir(parents=True)
    (folder / "deep" / "deeper" / "everything").symlink_to(course, target_is_directory=True)
    reasons = _refused(course, "dave")
    assert len(reasons) == 1 and "deep/deeper/everything is a symbolic link" in reasons[0]


def test_a_dangling_link_is_refused(course):
    folder = _student(course, "erin")
    (folder / "gone.txt").symlink_to(course / "no-such-file")
    assert "gone.txt is a symbolic link" in _refused(course, "erin")[0]


def test_a_hard_link_to_a_file_outside_is_refused(course):
    folder = _student(course, "frank")
    os.link(course / "gradebook.db", folder / "notes.txt")
    reasons = _refused(course, "frank")
    assert len(reasons) == 1 and f"submitted/frank/{CASE}/notes.txt is a hard link" in reasons[0]


def test_a_fifo_a_socket_and_a_device_are_refused(course):
    folder = _student(course, "grace")
    os.mkfifo(folder / "pipe")
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(folder / "sock"))
    try:
        reasons = " | ".join(_refused(course, "grace"))
    finally:
        listening.close()
    assert "pipe is a FIFO" in reasons and "sock is a socket" in reasons
    if os.geteuid() == 0:
        os.mknod(folder / "zero", 0o600 | 0o020000, os.makedev(1, 5))
        assert "zero is a character device" in " | ".join(_refused(course, "grace"))


def test_the_student_or_case_folder_as_a_link_is_refused(course):
    (course / "elsewhere" / CASE).mkdir(parents=True)
    (course / "elsewhere" / CASE / "notebook.ipynb").write_text("{}", encoding="utf-8")
    (course / "submitted" / "heidi").symlink_to(course / "elsewhere", target_is_directory=True)
    assert _refused(course, "heidi")[0].startswith("submitted/heidi is a symbolic link")
    (course / "submitted" / "ivan").mkdir()
    (course / "submitted" / "ivan" / CASE).symlink_to(course / "elsewhere" / CASE, target_is_directory=True)
    assert _refused(course, "ivan")[0].startswith(f"submitted/ivan/{CASE} is a symbolic link")


def test_many_bad_entries_are_listed_up_to_a_limit_and_counted(course):
    folder = _student(course, "judy")
    for i in range(12):
        (folder / f"link{i:02}").symlink_to(course / "gradebook.db")
    reasons = _refused(course, "judy")
    assert len(reasons) == submission_files.MAX_REASONS + 1
    assert reasons[-1].startswith(f"and {12 - submission_files.MAX_REASONS} more entries")


def test_a_folder_too_deep_to_read_by_its_path_is_refused(course):
    folder = _student(course, "quinn")
    handle = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(25):  # 25 x 200 characters: longer than a path may be
            os.mkdir("d" * 200, dir_fd=handle)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=handle)
            os.close(handle)
            handle = inner
        os.symlink(str(course / "gradebook.db"), "hidden", dir_fd=handle)
    finally:
        os.close(handle)
    reasons = _refused(course, "quinn")
    assert len(reasons) == 1 and "cannot be read (File name too long)" in reasons[0]
    assert journal.fingerprint(folder)  # the journal skips what it cannot read


def test_odd_names_are_shown_escaped(course):
    folder = _student(course, "mallory")
    (folder / "a\nb\x1b[31m").symlink_to(course / "gradebook.db")
    reason = _refused(course, "mallory")[0]
    assert "\n" not in reason and "\x1b" not in reason and "a\\nb" in reason


def test_open_plain_never_follows_a_link_at_the_end_or_on_the_way(course):
    folder = _student(course, "nia")
    (folder / "notes.txt").symlink_to(course / "gradebook.db")
    (folder / "sub").symlink_to(course, target_is_directory=True)
    os.mkfifo(folder / "pipe")
    base = course / "submitted"
    for path in (folder / "notes.txt", folder / "sub" / "gradebook.db", folder / "pipe"):
        with pytest.raises(NotPlainFile):
            open_plain(path, beneath=base)
    with pytest.raises(NotPlainFile):  # the trusted folder itself, a link
        open_plain(folder / "sub" / "gradebook.db")
    with os.fdopen(open_plain(folder / "notebook.ipynb", beneath=base)) as handle:
        assert handle.read() == "{}"


def test_copies_refuse_links_and_keep_plain_files(course, tmp_path_factory):
    honest = course / "submitted" / "alice" / CASE
    target = tmp_path_factory.mktemp("copy")
    copy_tree(honest, target / "work")
    assert (target / "work" / "data" / "notes.txt").read_text() == "mine"
    copy_plain(honest / "notebook.ipynb", target / "nb.ipynb")
    assert (target / "nb.ipynb").read_text() == "{}"
    folder = _student(course, "olga")
    (folder / "data").mkdir()
    (folder / "data" / "db").symlink_to(course / "gradebook.db")
    with pytest.raises(NotPlainFile, match="symbolic link"):
        copy_tree(folder, target / "other")
    assert not (target / "other" / "data" / "db").exists()
    # a target that is a link is never written through
    (target / "trap").symlink_to(course / "gradebook.db")
    with pytest.raises(OSError):
        copy_plain(honest / "notebook.ipynb", target / "trap")
    assert (course / "gradebook.db").read_bytes().startswith(b"SQLite format 3")


def _old_fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def test_the_journal_fingerprint_of_a_plain_tree_is_unchanged_and_follows_no_link(course):
    honest = course / "submitted" / "alice" / CASE
    (honest / "a-b").mkdir()
    (honest / "a-b" / "x").write_text("1", encoding="utf-8")
    assert journal.fingerprint(honest) == _old_fingerprint(honest)
    folder = _student(course, "peggy")
    os.mkfifo(folder / "pipe")  # opening it would block
    (folder / "root").symlink_to("/", target_is_directory=True)  # walking it would read the disk
    before = journal.fingerprint(folder)
    (folder / "root").unlink()
    (folder / "root").symlink_to(course, target_is_directory=True)
    assert journal.fingerprint(folder) != before


def test_the_sandbox_copies_no_link_into_the_kernels_work_folder(tmp_path):
    from types import SimpleNamespace

    from course.grading import sandbox

    (tmp_path / "secret").write_text("secret", encoding="utf-8")
    scratch = tmp_path / "scratch"
    for name in ("work", "run", "tmp", "shm"):
        (scratch / name).mkdir(parents=True)
    proxy = SimpleNamespace(kill_strays=lambda: None, scratch=scratch, keep={}, uid=os.getuid(), env={},
                            memory=None, seen_from_worker=scratch)
    connection = tmp_path / "kernel.json"
    connection.write_text('{"transport": "tcp"}', encoding="utf-8")
    request = {"argv": ["-f", str(connection)], "env": {}}
    honest = tmp_path / "honest"
    (honest / "data").mkdir(parents=True)
    (honest / "notebook.ipynb").write_text("{}", encoding="utf-8")
    (honest / "data" / "notes.txt").write_text("mine", encoding="utf-8")
    sandbox.Proxy.prepare(proxy, {**request, "cwd": str(honest)})
    assert (scratch / "work" / "data" / "notes.txt").read_text() == "mine"
    for make in (lambda f: (f / "secret").symlink_to(tmp_path / "secret"),
                 lambda f: (f / "everything").symlink_to(tmp_path, target_is_directory=True),
                 lambda f: os.link(tmp_path / "secret", f / "data" / "copy")):
        linked = tmp_path / f"linked-{len(list(tmp_path.glob('linked-*')))}"
        (linked / "data").mkdir(parents=True)
        (linked / "notebook.ipynb").write_text("{}", encoding="utf-8")
        make(linked)
        with pytest.raises(NotPlainFile):
            sandbox.Proxy.prepare(proxy, {**request, "cwd": str(linked)})
        assert not [p for p in (scratch / "work").rglob("*") if p.is_symlink() or p.name in ("secret", "copy")]


# ---------------------------------------------------------------- a class graded end to end

GRADED_CASE = "case1_market_selection"
SQLITE = b"SQLite format 3"


@pytest.fixture(scope="module")
def linked_class(tmp_path_factory):
    """A class of honest students and students whose submissions hold links or a FIFO, graded
    without the sandbox (the refusal comes before any kernel), one of them graded twice."""
    from course import notebooks
    from course.cases import notebook
    from course.grading import runner
    from course.instructor import demo, nbgrader_tools
    from course.paths import CHECKOUT_DIR

    root = demo.copy_course(CHECKOUT_DIR, tmp_path_factory.mktemp("links") / "course")
    nbgrader_tools.run(["generate_assignment", GRADED_CASE, "--force", "--quiet"], root)
    source = notebook(GRADED_CASE, "source", root)
    release = notebooks.read(notebook(GRADED_CASE, "release", root))
    key = notebooks.fill(release, notebooks.answers(notebooks.read(source)))
    gradebook = root / "gradebook.db"

    def submit(student):
        return demo.submit(root, GRADED_CASE, student, key).parent

    for student in ("honest", "honest-then-planted", "linked-later"):
        submit(student)
    (root / "submitted" / "honest" / GRADED_CASE / "timestamp.txt").write_text("2026-01-05 10:00:00 UTC")
    folder = root / "submitted" / "notebook-link" / GRADED_CASE
    folder.mkdir(parents=True)
    (folder / source.name).symlink_to(source)
    (submit("extra-link") / "notes.txt").symlink_to(gradebook)
    os.link(gradebook, submit("hard-link") / "notes.db")
    os.mkfifo(submit("fifo") / "pipe")
    elsewhere = root / "elsewhere"
    demo.submit(root, GRADED_CASE, "x", key)
    (root / "submitted" / "x").rename(elsewhere)
    (root / "submitted" / "folder-link").symlink_to(elsewhere, target_is_directory=True)

    first = runner.grade_class(GRADED_CASE, root, sandboxed=False, quiet=True)
    # a student graded once hands in again, with a link: the old grades and notebooks go
    (root / "submitted" / "linked-later" / GRADED_CASE / "notes.txt").symlink_to(gradebook)
    again = runner.grade_class(GRADED_CASE, root, sandboxed=False, quiet=True, students=["linked-later"])
    records = {r["student"]: r for r in first.records} | {r["student"]: r for r in again.records}
    return root, records, source


REFUSED = {
    "notebook-link": "market_selection.ipynb is a symbolic link",
    "extra-link": "notes.txt is a symbolic link",
    "hard-link": "notes.db is a hard link",
    "fifo": "pipe is a FIFO",
    "folder-link": "submitted/folder-link is a symbolic link",
    "linked-later": "notes.txt is a symbolic link",
}


def test_links_are_refused_with_their_reason_and_honest_students_graded(linked_class):
    from course import notebooks
    from course.grading import integrity
    from course.instructor import nbgrader_tools

    root, records, source = linked_class
    problems_found = []
    for student, expected in REFUSED.items():
        record = records[student]
        if record["status"] != "failed" or not any(expected in reason for reason in record["reasons"]):
            problems_found.append(f"{student}: expected '{expected}', got {record}")
        if os.path.lexists(root / "autograded" / student / GRADED_CASE):
            problems_found.append(f"{student}: refused, yet autograded/{student}/{GRADED_CASE} exists")
    assert not problems_found, "\n".join(problems_found)
    scores = nbgrader_tools.cell_scores(root, GRADED_CASE)
    full = notebooks.graded_cells(notebooks.read(source))
    assert scores["honest"] == full and scores["honest-then-planted"] == full
    graded = ["honest", "honest-then-planted"]
    assert [records[s]["status"] for s in graded] == ["graded", "graded"]
    assert integrity.gradebook_problems(nbgrader_tools.db_url(root), GRADED_CASE, graded, list(REFUSED)) == []


def test_feedback_has_nothing_of_the_gradebook_or_source_and_none_for_refused_students(
        linked_class, monkeypatch, capsys):
    from course import notebooks
    from course.instructor import cli, feedback

    root, _, source = linked_class
    # what a kernel without the sandbox could leave in its folder: feedback must not follow it
    planted = root / "autograded" / "honest-then-planted" / GRADED_CASE / "answers.txt"
    planted.symlink_to(root / "gradebook.db")
    (root / "feedback" / "extra-link" / GRADED_CASE).mkdir(parents=True)  # an earlier run's pages
    (root / "feedback" / "extra-link" / GRADED_CASE / "old.html").write_text("old", encoding="utf-8")
    monkeypatch.setenv("CASEBOOK_ROOT", str(root))
    assert cli.main(["feedback", GRADED_CASE]) != 0
    out, err = capsys.readouterr()
    assert "honest-then-planted" in err and "answers.txt is a symbolic link" in err
    assert f"feedback/honest/{GRADED_CASE}/" in out
    assert [p.parts[-3] for p in (root / "feedback").glob(f"*/{GRADED_CASE}/*.html")] == ["honest"]

    hidden = feedback.hidden_lines(notebooks.read(source))
    leaks = []
    for step in ("autograded", "feedback"):
        for path in (root / step).rglob("*"):
            if path.is_symlink() and step == "feedback":
                leaks.append(f"{path} is a link")
            if path.is_symlink() or not path.is_file():
                continue
            data = path.read_bytes()
            if SQLITE in data:
                leaks.append(f"{path} holds the gradebook")
            if step == "feedback":
                leaks.extend(f"{path} shows a hidden test: {line}" for line in hidden if line.encode() in data)
    assert not leaks, "\n".join(leaks)
    with pytest.raises(feedback.RefusedFeedback, match="fifo"):
        feedback.generate(root, GRADED_CASE, student="fifo")


@pytest.mark.needs("bwrap")
def test_in_the_sandbox_plain_extra_files_reach_the_kernel_and_links_are_refused(tmp_path):
    import nbformat

    from course import notebooks
    from course.cases import notebook
    from course.grading import runner
    from course.instructor import demo, nbgrader_tools
    from course.paths import CHECKOUT_DIR

    root = demo.copy_course(CHECKOUT_DIR, tmp_path / "course")
    nbgrader_tools.run(["generate_assignment", GRADED_CASE, "--force", "--quiet"], root)
    release = notebooks.read(notebook(GRADED_CASE, "release", root))
    key = notebooks.fill(release, notebooks.answers(notebooks.read(notebook(GRADED_CASE, "source", root))))
    key.cells.append(nbformat.v4.new_code_cell("print(open('data/notes.txt').read())"))
    for student in ("honest", "extra-link", "fifo"):
        (demo.submit(root, GRADED_CASE, student, key).parent / "data").mkdir()
    (root / "submitted" / "honest" / GRADED_CASE / "data" / "notes.txt").write_text("my own notes\n")
    (root / "submitted" / "extra-link" / GRADED_CASE / "data" / "notes.txt").symlink_to(root / "gradebook.db")
    os.mkfifo(root / "submitted" / "fifo" / GRADED_CASE / "data" / "notes.txt")

    outcome = runner.grade_class(GRADED_CASE, root, quiet=True)  # sandboxed: the default
    status = {r["student"]: r for r in outcome.records}
    assert status["honest"]["status"] == "graded", status["honest"]
    assert "symbolic link" in status["extra-link"]["reasons"][0] and "FIFO" in status["fifo"]["reasons"][0]
    graded = root / "autograded" / "honest" / GRADED_CASE
    assert (graded / "data" / "notes.txt").read_text() == "my own notes\n"
    # the kernel read the file from its working copy in the sandbox
    assert "my own notes" in (graded / notebook(GRADED_CASE, "release", root).name).read_text(encoding="utf-8")
    assert not os.path.lexists(root / "autograded" / "extra-link" / GRADED_CASE)



def test_nbgrader_s_reads_of_a_submission_never_follow_a_link_swapped_in_after_the_check(course):
    from nbgrader.coursedir import CourseDirectory

    from course.grading import autograde

    class Reads(autograde.plain_reads()):  # as in Autograde's first pass, which reads submitted/
        _sanitizing = True
        _input_directory = "submitted"
        _output_directory = "autograded"

    coursedir = CourseDirectory()
    coursedir.root = str(course)
    reads = Reads(coursedir=coursedir)
    folder = _student(course, "rupert")
    (folder / "data").mkdir()
    (folder / "data" / "notes.txt").symlink_to(course / "gradebook.db")
    with pytest.raises(NotPlainFile, match=r"notes\.txt is a symbolic link"):
        reads.init_assignment(CASE, "rupert")
    assert not os.path.lexists(course / "autograded" / "rupert" / CASE / "data" / "notes.txt")
    (folder / "data" / "notes.txt").unlink()
    (folder / "data" / "notes.txt").write_text("mine", encoding="utf-8")
    reads.init_assignment(CASE, "rupert")
    assert (course / "autograded" / "rupert" / CASE / "data" / "notes.txt").read_text() == "mine"
    (folder / "notebook.ipynb").unlink()
    (folder / "notebook.ipynb").symlink_to(course / "gradebook.db")
    with pytest.raises(NotPlainFile, match=r"notebook\.ipynb is a symbolic link"):
        reads.convert_single_notebook(str(folder / "notebook.ipynb"))
    # the submission's time: read as nbgrader does, but a FIFO there fails instead of waiting forever
    plain = autograde.plain_course_directory()()
    plain.root = str(course)
    assert plain.get_existing_timestamp(str(course / "submitted" / "alice" / CASE)).year == 2026
    os.mkfifo(folder / "timestamp.txt")
    with pytest.raises(NotPlainFile, match=r"timestamp\.txt is a FIFO"):
        plain.get_existing_timestamp(str(folder))


def test_the_formgrader_s_own_feedback_gives_no_page_to_a_student_whose_folder_holds_a_link(linked_class):
    """nbgrader generate_feedback alone, as the formgrader's button runs it: the configured
    RefuseNonPlainSubmissions drops the student, and nbgrader removes what it had copied for them."""
    from course.instructor import nbgrader_tools

    root, _, _ = linked_class
    planted = root / "autograded" / "honest-then-planted" / GRADED_CASE / "answers.txt"
    if not planted.is_symlink():
        planted.symlink_to(root / "gradebook.db")
    with pytest.raises(nbgrader_tools.NbgraderError) as failure:
        nbgrader_tools.run(["generate_feedback", GRADED_CASE, "--force"], root)
    assert "no feedback for honest-then-planted" in str(failure.value)
    assert "answers.txt is a symbolic link" in str(failure.value)
    assert not os.path.lexists(root / "feedback" / "honest-then-planted" / GRADED_CASE)
    assert list((root / "feedback" / "honest" / GRADED_CASE).glob("*.html"))
    held = [p for p in (root / "feedback").rglob("*") if p.is_symlink() or (p.is_file() and SQLITE in p.read_bytes())]
    assert held == []


def test_collect_brings_plain_submissions_and_refuses_links_in_the_exchange(tmp_path):
    """``nbgrader collect`` with the course's configuration (course.grading.exchange): a link in a
    student's folder in the exchange, or the folder as a link, is never followed into submitted/."""
    from course.instructor import demo, nbgrader_tools
    from course.paths import CHECKOUT_DIR

    root = demo.copy_course(CHECKOUT_DIR, tmp_path / "course")
    (root / "gradebook.db").write_bytes(b"")
    secret = tmp_path / "secret.txt"
    secret.write_text("the answer key", encoding="utf-8")
    inbound = tmp_path / "exchange" / "aliexpress-casebook" / "inbound"
    inbound.mkdir(parents=True)
    stamp = "2026-01-05 10:00:00.000000 UTC"

    def hand_in(student):
        folder = inbound / f"{student}+{CASE}+{stamp}+r4nd0m"
        (folder / "data").mkdir(parents=True)
        (folder / "notebook.ipynb").write_text("{}", encoding="utf-8")
        (folder / "data" / "notes.txt").write_text(f"{student}'s notes", encoding="utf-8")
        (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")
        return folder

    hand_in("alice")
    (hand_in("bob") / "data" / "key.txt").symlink_to(secret)
    elsewhere = hand_in("carol").rename(tmp_path / "carol-elsewhere")
    (inbound / f"carol+{CASE}+{stamp}+r4nd0m").symlink_to(elsewhere, target_is_directory=True)
    output = nbgrader_tools.run(["collect", CASE, f"--Exchange.root={tmp_path / 'exchange'}",
                                 "--ExchangeCollect.check_owner=False"], root)
    assert (root / "submitted" / "alice" / CASE / "data" / "notes.txt").read_text() == "alice's notes"
    assert not os.path.lexists(root / "submitted" / "bob") and not os.path.lexists(root / "submitted" / "carol")
    assert "Not collected: bob's submission" in output and "key.txt is a symbolic link" in output
    assert "Not collected: carol's submission" in output
    assert not [p for p in (root / "submitted").rglob("*") if p.is_symlink() or "answer key" in
                (p.read_text() if p.is_file() else "")]


def test_collect_never_follows_a_link_that_appears_after_the_check(tmp_path, monkeypatch):
    from nbgrader.coursedir import CourseDirectory

    from course.grading.exchange import PlainFilesCollect

    source, secret = tmp_path / "inbound-folder", tmp_path / "secret.txt"
    source.mkdir()
    (source / "notebook.ipynb").write_text("{}", encoding="utf-8")
    secret.write_text("the answer key", encoding="utf-8")
    collector = PlainFilesCollect(coursedir=CourseDirectory(root=str(tmp_path)))
    (source / "late.txt").symlink_to(secret)  # after init_src looked, before the copy
    collector.do_copy(str(source), str(tmp_path / "submitted" / "dave" / CASE))
    assert not os.path.lexists(tmp_path / "submitted" / "dave" / CASE)
