"""The sandbox: its command line, its limits, and a kernel against the grader and the next students
(the whole corpus of hostile submissions is graded by test_hostile.py)."""

import re
from pathlib import Path

import pytest

from course.grading import sandbox

no_sandbox = pytest.mark.needs("bwrap")  # skipped where no sandbox can be made


def test_writable_folders_are_mounted_before_the_environment(tmp_path):
    argv = sandbox.bwrap_argv(tmp_path, None, 60000, sandbox.Limits(), ["python"])
    tmp_bind = argv.index(str(tmp_path / "tmp")) + 1
    assert argv[tmp_bind] == "/tmp"
    environment = [i for i, item in enumerate(argv) if item == "--ro-bind" and argv[i + 1] in sandbox._python_paths()]
    # a checkout or virtual environment under /tmp must be bound over the scratch /tmp, not hidden by it
    assert environment and tmp_bind < min(environment)


def test_emptying_keeps_the_mount_points_of_the_environment(tmp_path):
    (tmp_path / "checkout").mkdir()
    (tmp_path / "left-by-student").mkdir()
    (tmp_path / "note.txt").write_text("x")
    sandbox._empty(tmp_path, keep={"checkout"})
    assert [p.name for p in tmp_path.iterdir()] == ["checkout"]


def test_mount_points_name_the_first_folder_under_tmp(monkeypatch):
    monkeypatch.setattr(sandbox, "_python_paths",
                        lambda: ["/usr/lib/python3", "/tmp/ci/clone/.venv", "/tmp/ci/clone/course"])
    assert sandbox.mount_points("tmp") == {"ci"}
    assert sandbox.mount_points("shm") == set()
    assert Path("/tmp/ci").is_relative_to(sandbox.WRITABLE_MOUNTS["tmp"])


def test_processes_of_a_uid_are_found_with_their_parents():
    import os
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        found = sandbox.processes_of(os.getuid())
        assert (os.getpid(), os.getppid()) in found
        assert (child.pid, os.getpid()) in found
        assert all(pid != child.pid for pid, _parent in sandbox.processes_of(os.getuid() + 1))
    finally:
        child.kill()
        child.wait()


def test_the_sandbox_has_its_own_pid_namespace_and_the_zygote_keeps_only_the_right_to_change_user(tmp_path):
    argv = sandbox.bwrap_argv(tmp_path, None, 60000, sandbox.Limits(), ["python"])
    assert "--unshare-pid" in argv
    assert "--ambient-caps=-all,+setuid,+setgid" in argv and "--bounding-set=-all,+setuid,+setgid" in argv
    zygote, kernel = sandbox.uids(1234)
    assert sandbox.BASE_UID <= zygote < kernel and sandbox.uids(1235)[0] > kernel


def test_the_limits_come_from_the_configuration_with_todays_defaults():
    from traitlets.config import Config

    assert sandbox.SandboxLimits().limits() == sandbox.Limits()
    config = Config({"SandboxLimits": {"notebook_seconds": 30, "disk_bytes": 2**20}})
    limits = sandbox.SandboxLimits(config=config).limits()
    assert (limits.notebook_seconds, limits.disk_bytes, limits.memory_bytes) == (30, 2**20, sandbox.Limits.memory_bytes)


def test_a_forked_kernel_is_watched_though_it_is_not_a_child():
    import signal
    import subprocess

    from course.grading import kernels

    # a grandchild, re-parented away from this process once its shell exits
    shell = subprocess.run(["sh", "-c", "sleep 30 >/dev/null 2>&1 & echo $!"], capture_output=True, text=True)
    kernel = kernels.ForkedKernel(int(shell.stdout))
    assert kernel.poll() is None
    kernel.send_signal(signal.SIGKILL)
    assert kernel.wait(timeout=10) is not None
    kernel.send_signal(signal.SIGKILL)  # gone: nothing is signalled, no error

    child = subprocess.Popen(["sleep", "30"])  # a zombie until reaped keeps its exit status
    watched = kernels.ForkedKernel(child.pid)
    child.send_signal(signal.SIGTERM)
    assert watched.wait(timeout=10) == -signal.SIGTERM
    child.wait()


# One worker grades them in this order: each hostile student is followed by an honest one.
HOSTILE = {"1-kills-zygote": "KILL_ZYGOTE", "2-writes-zygote-memory": "WRITE_ZYGOTE_MEMORY",
           "3-fills-disk": "FILL_DISK", "4-forks-and-hoards": "FORK_AND_HOARD",
           "5-sleeps-ignoring-interrupts": "SLEEP_IGNORING_SIGINT"}
DISK = 64 * 2**20
NOTEBOOK_SECONDS = 30


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory):
    from course import notebooks
    from course.cases import notebook
    from course.grading import runner
    from course.instructor import demo, nbgrader_tools
    from course.paths import CHECKOUT_DIR

    import hostile

    root = demo.copy_course(CHECKOUT_DIR, tmp_path_factory.mktemp("sandbox") / "course")
    with open(root / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\nc.Execute.timeout = 10\nc.SandboxLimits.notebook_seconds = {NOTEBOOK_SECONDS}\n"
                     f"c.SandboxLimits.notebook_memory_bytes = 2**30\nc.SandboxLimits.disk_bytes = {DISK}\n")
    nbgrader_tools.run(["generate_assignment", hostile.CASE, "--force", "--quiet"], root)
    source = notebooks.read(notebook(hostile.CASE, "source", root))
    release = notebooks.read(notebook(hostile.CASE, "release", root))
    corpus = hostile.Corpus(release, notebooks.answers(source), {}, root)
    for student, code in HOSTILE.items():
        hostile.submit(root, student, corpus.with_code("ex1_delivery_table", getattr(hostile, code)))
        hostile.submit(root, f"{student[0]}-honest", corpus.answers())
    hostile.submit(root, "0-honest", corpus.answers())
    runner.grade_class(hostile.CASE, root, workers=1, quiet=True,
                       zygote_prefix=sandbox.prefix(sandbox.for_course(root)))
    return root, notebooks.graded_cells(source)


def _printed(root: Path, student: str) -> str:
    """What the student's first answer cell printed while graded."""
    from course import notebooks

    from hostile import CASE, NOTEBOOK

    nb = notebooks.read(root / "autograded" / student / CASE / NOTEBOOK)
    cell = next(c for c in nb.cells if notebooks.grading(c).get("grade_id") == "ex1_delivery_table")
    return "".join(o.get("text", "") for o in cell.outputs)


def _record(root: Path, student: str) -> dict:
    from course.grading import records

    from hostile import CASE

    return records.read_record(root, CASE, student)


@no_sandbox
def test_after_each_attack_the_next_student_on_the_worker_gets_their_scores(one_worker):
    from course.instructor import nbgrader_tools

    from hostile import CASE

    root, points = one_worker
    scores = nbgrader_tools.cell_scores(root, CASE)
    key = {cell: float(p) for cell, p in points.items()}
    for student in ["0-honest", *(f"{s[0]}-honest" for s in HOSTILE)]:
        assert _record(root, student)["status"] == "graded", _record(root, student)
        assert scores[student] == key, student


@no_sandbox
def test_a_kernel_cannot_signal_the_zygote_nor_see_the_worker(one_worker):
    root, _points = one_worker
    printed = _printed(root, "1-kills-zygote")
    assert re.search(r"^kill \d+ PermissionError$", printed, re.MULTILINE), printed  # its parent, the zygote
    assert "kill 1 PermissionError" in printed
    visible = eval(printed.split("visible ", 1)[1])
    # the sandbox's own processes only: bubblewrap's first one, the zygote and this kernel
    assert len(visible) <= 3 and all("bwrap" in c or "course.grading.zygote" in c for c in visible.values()), visible
    assert _record(root, "1-kills-zygote")["status"] == "graded"


@no_sandbox
def test_a_kernel_cannot_open_the_zygotes_memory(one_worker):
    printed = _printed(one_worker[0], "2-writes-zygote-memory")
    assert printed == "mem rb PermissionError\nmem r+b PermissionError\n"


@no_sandbox
def test_a_kernel_filling_the_disk_stops_at_the_cap(one_worker):
    printed = _printed(one_worker[0], "3-fills-disk")
    assert "stopped OSError 28" in printed  # ENOSPC: the tmpfs is full
    assert 0 < int(printed.split("written ")[1]) <= DISK


@no_sandbox
def test_memory_spread_over_processes_fails_the_notebook(one_worker):
    if not sandbox.notebook_memory_limited():
        pytest.skip("no memory cgroup (v2 delegated or v1) here: only the limit per process applies")
    record = _record(one_worker[0], "4-forks-and-hoards")
    assert record["status"] == "failed"
    assert record["reasons"][-1] == ("the notebook's processes together used more than 1 GB of memory "
                                     "(the sandbox killed them all)")


@no_sandbox
def test_a_notebook_that_sleeps_ignoring_interrupts_hits_the_notebook_limit(one_worker):
    record = _record(one_worker[0], "5-sleeps-ignoring-interrupts")
    assert record["status"] == "failed"
    assert record["reasons"][-1] == (f"the notebook ran past its limit of {NOTEBOOK_SECONDS} s of wall time "
                                     "(the sandbox killed its kernel and every process it started)")
    assert record["seconds"] < NOTEBOOK_SECONDS + 20
