"""The memory group that holds a notebook's processes to one limit: cgroup v2 where memory is
delegated, cgroup v1 otherwise, none where neither is usable. On folders that act as cgroupfs does
(a new group comes with its interface files), since one machine has only one of the two."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from course.grading import sandbox

LIMIT = 3 * 2**30
INTERFACE = {"cgroup.procs": "", "tasks": "", "memory.events": "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n",
             "memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"}


@pytest.fixture
def cgroupfs(tmp_path, monkeypatch):
    """A unified root at tmp/v2 and this process's v1 memory group at tmp/v1, both without memory
    delegated until a test says so; a folder made under either gets the kernel's interface files."""
    unified, legacy = tmp_path / "v2", tmp_path / "v1"
    unified.mkdir()
    legacy.mkdir()
    (unified / "cgroup.subtree_control").write_text("cpu io\n")
    real_mkdir, real_rmdir = Path.mkdir, Path.rmdir

    def mkdir(path, *args, **kwargs):
        real_mkdir(path, *args, **kwargs)
        if path.name.startswith("casebook-"):
            for name, text in INTERFACE.items():
                (path / name).write_text(text)

    def rmdir(path):
        if path.name.startswith("casebook-") and path.is_dir():
            if (path / "cgroup.procs").read_text().strip():
                raise OSError(16, "Device or resource busy", str(path))  # a group with processes stays
            for file in path.iterdir():
                file.unlink()
        real_rmdir(path)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    monkeypatch.setattr(Path, "rmdir", rmdir)
    monkeypatch.setattr(sandbox, "UNIFIED_CGROUPS", unified)
    monkeypatch.setattr(sandbox, "_own_memory_group", lambda: None)
    return unified, legacy


def _delegate(unified: Path) -> None:
    (unified / "cgroup.subtree_control").write_text("cpu io memory pids\n")


def test_cgroup_v2_is_used_where_memory_is_delegated_with_no_swap_and_one_oom_for_all(cgroupfs):
    unified, _ = cgroupfs
    _delegate(unified)
    group = sandbox.MemoryGroup.create(LIMIT, os.getuid())
    assert isinstance(group, sandbox.UnifiedMemoryGroup) and not group.joined_by_kernel
    assert group.path == unified / f"casebook-{os.getpid()}"
    assert (group.path / "memory.max").read_text() == str(LIMIT)
    assert (group.path / "memory.swap.max").read_text() == "0"
    assert (group.path / "memory.oom.group").read_text() == "1"
    assert sandbox.notebook_memory_limited()


def test_a_v2_group_admits_a_process_and_counts_its_oom_kills(cgroupfs):
    unified, _ = cgroupfs
    _delegate(unified)
    group = sandbox.MemoryGroup.create(LIMIT, os.getuid())
    group.admit(4321)
    assert (group.path / "cgroup.procs").read_text() == "4321"
    assert group.oom_kills() == 0
    (group.path / "memory.events").write_text("low 0\noom 2\noom_kill 3\n")
    assert group.oom_kills() == 3


def test_a_configured_v2_parent_is_used_instead_of_the_root(cgroupfs, tmp_path):
    unified, _ = cgroupfs
    delegated = unified / "casebook.slice"
    delegated.mkdir()
    _delegate(delegated)
    assert sandbox.MemoryGroup.create(LIMIT, os.getuid()) is None  # the root does not delegate memory
    group = sandbox.MemoryGroup.create(LIMIT, os.getuid(), str(delegated))
    assert group.path.parent == delegated
    assert sandbox.notebook_memory_limited(str(delegated)) and not sandbox.notebook_memory_limited()


def test_without_v2_delegation_the_v1_group_is_used_and_the_kernel_joins_it(cgroupfs, monkeypatch):
    _, legacy = cgroupfs
    monkeypatch.setattr(sandbox, "_own_memory_group", lambda: legacy)
    group = sandbox.MemoryGroup.create(LIMIT, os.getuid())
    assert isinstance(group, sandbox.LegacyMemoryGroup) and group.joined_by_kernel
    assert (group.path / "memory.limit_in_bytes").read_text() == str(LIMIT)
    assert group.oom_kills() == 0


def test_with_neither_there_is_no_group_and_the_limits_per_process_stand_alone(cgroupfs):
    assert sandbox.MemoryGroup.create(LIMIT, os.getuid()) is None
    assert not sandbox.notebook_memory_limited()


def test_a_group_whose_kernel_files_are_missing_is_not_used_and_is_removed(cgroupfs, monkeypatch):
    unified, _ = cgroupfs
    _delegate(unified)
    monkeypatch.delitem(INTERFACE, "memory.events")  # a kernel too old to count OOM kills per group
    assert sandbox.MemoryGroup.create(LIMIT, os.getuid()) is None
    assert not list(unified.glob("casebook-*"))


def test_the_groups_of_killed_proxies_are_removed_and_a_live_ones_kept(cgroupfs):
    unified, _ = cgroupfs
    _delegate(unified)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (unified / f"casebook-{gone.pid}").mkdir()
    (unified / f"casebook-{os.getppid()}").mkdir()
    sandbox.MemoryGroup.create(LIMIT, os.getuid())
    names = {p.name for p in unified.glob("casebook-*")}
    assert names == {f"casebook-{os.getppid()}", f"casebook-{os.getpid()}"}


def test_a_group_still_holding_processes_is_not_removed_until_they_leave(cgroupfs):
    unified, _ = cgroupfs
    _delegate(unified)
    group = sandbox.MemoryGroup.create(LIMIT, os.getuid())
    group.admit(4321)
    group.remove()  # gives up after a second: the group stays, and a later proxy removes it
    assert group.path.is_dir()
    (group.path / "cgroup.procs").write_text("")
    group.remove()
    assert not group.path.exists()


class _Recorded(sandbox.UnifiedMemoryGroup):
    admitted: list[int]

    def admit(self, pid):
        self.admitted.append(pid)


def _proxy_with(memory, monkeypatch, kernel_pid):
    """A proxy whose zygote answers a fork with ``kernel_pid`` (no sandbox is started)."""
    proxy = object.__new__(sandbox.Proxy)
    proxy.memory, proxy.limits = memory, sandbox.Limits()
    proxy.zygote_pid, proxy.kernel, proxy.limit = os.getpid(), None, None
    proxy._lock = threading.Lock()
    proxy.kill_strays = lambda: None
    monkeypatch.setattr(proxy, "prepare", lambda request: request, raising=False)
    monkeypatch.setattr(proxy, "_forward", lambda line: {"pid": 1}, raising=False)
    monkeypatch.setattr(sandbox, "outer_pid", lambda inner, ancestor: kernel_pid)
    return proxy


def test_under_v2_the_proxy_moves_each_kernel_before_it_answers_the_fork(tmp_path, monkeypatch):
    kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / "memory.events").write_text("oom_kill 0\n")
        memory = _Recorded(tmp_path)
        memory.admitted = []
        proxy = _proxy_with(memory, monkeypatch, kernel.pid)
        assert proxy._fork({}) == {"pid": kernel.pid}
        assert memory.admitted == [kernel.pid]
    finally:
        kernel.kill()
        kernel.wait()


def test_a_kernel_that_cannot_be_moved_into_its_group_is_not_graded(tmp_path, monkeypatch):
    kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        memory = sandbox.UnifiedMemoryGroup(tmp_path / "gone")  # its cgroup.procs cannot be written
        proxy = _proxy_with(memory, monkeypatch, kernel.pid)
        reply = proxy._fork({})
        assert "pid" not in reply and "could not be put in its memory group" in reply["error"]
    finally:
        kernel.kill()
        kernel.wait()
