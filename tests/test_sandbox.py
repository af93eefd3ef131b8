"""Unit tests for the sandbox's command line (the whole sandbox is exercised by test_hostile.py)."""

from pathlib import Path

from course.grading import sandbox


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
    monkeypatch.setattr(sandbox, "_python_paths", lambda: ["/usr/lib/python3", "/tmp/ci/clone/.venv", "/tmp/ci/clone/course"])
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
