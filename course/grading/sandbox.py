"""The grading sandbox: student kernels run under bubblewrap, as an unprivileged user, with limits.

Each grading worker starts its zygote through ``prefix(...)`` (the runner's
``zygote_prefix``): a small proxy (``Proxy``, outside) starts the zygote inside
one sandbox, and every kernel is forked from it. Inside, the kernel sees:

- read-only: the system's ``/usr`` (and its ``/bin``, ``/lib`` links), the
  Python installation and environment, the ``course`` package and the
  course's ``datasets/`` (at ``/sandbox/datasets``). Not ``source/``, the gradebook, ``submitted/``,
  ``autograded/`` nor the rest of the course folder;
- writable: only ``/sandbox/work`` (its working copy of the submission, its
  cwd), ``/tmp`` and ``/dev/shm``, all three emptied before every kernel, and
  all on one tmpfs of ``disk_bytes`` (what a notebook may write in all);
- no network (a network namespace with nothing in it), no System V IPC, and
  no process outside the sandbox (a pid namespace of its own);
- a uid of its own per worker, not the zygote's (which keeps only the right to
  change user): the kernel cannot signal, trace or read the zygote, and
  ``RLIMIT_NPROC`` counts its processes alone, which can be told apart and
  killed; limits on address space, CPU time per process, processes and file size;
- per notebook: ``notebook_seconds`` of wall time from the kernel's start and
  ``notebook_memory_bytes`` for all its processes together: a cgroup v2 group
  where memory is delegated to ``cgroup_v2_parent`` (by default the unified
  hierarchy's root, /sys/fs/cgroup), else a cgroup v1 memory group where the
  machine has one; elsewhere only the limits per process hold. Past either,
  the proxy kills every process of the kernel's uid and the submission fails
  with that reason. nbgrader's ``c.Execute.timeout`` is the
  wall-clock limit per cell.

The limits are ``SandboxLimits`` in ``nbgrader_config.py`` (``c.SandboxLimits.notebook_seconds = 600``).
The kernel talks to the grader over unix sockets in ``/sandbox/run``, a
folder of the scratch space, which the worker reaches through the proxy's
``/proc/PID/root`` (the tmpfs is mounted in the proxy's own mount namespace,
so it goes away with the proxy).
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeGuard

from traitlets import Integer, Unicode
from traitlets.config import Configurable

from course.grading import submission_files
from course.shortanswer import RECORDS_ENV

REFUSAL = ("no sandbox available ({why}); install bubblewrap or pass --no-sandbox to grade without one")
INSIDE = Path("/sandbox")
# Outside any range a system gives to real users: two uids per worker process (``uids``).
BASE_UID = 1_500_000_000
CAPABILITIES = "+setuid,+setgid"  # all the zygote keeps: each kernel drops them for good
MEMORY_CGROUPS = Path("/sys/fs/cgroup/memory")  # cgroup v1
UNIFIED_CGROUPS = Path("/sys/fs/cgroup")  # cgroup v2, where it is the only hierarchy
WATCH_INTERVAL = 0.1
CLONE_NEWNS, MS_REC, MS_PRIVATE, MS_NOSUID, MS_NODEV, MNT_DETACH = 0x20000, 0x4000, 1 << 18, 2, 4, 2
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/passwd", "/etc/group", "/etc/fonts",
                "/etc/nsswitch.conf")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create a sandbox on this machine."""


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 4 * 2**30      # RLIMIT_AS per process: pandas and matplotlib need ~1.5 GB of it
    cpu_seconds: int = 300             # RLIMIT_CPU per process: a loop that ignores interrupts dies
    processes: int = 128               # RLIMIT_NPROC for the kernel's uid: kernel threads included
    file_bytes: int = 64 * 2**20       # RLIMIT_FSIZE: no single file larger than this
    open_files: int = 1024             # RLIMIT_NOFILE
    notebook_seconds: int = 600        # wall time of one notebook's kernel, however its cells wait
    notebook_memory_bytes: int = 4 * 2**30  # all of a notebook's processes together
    disk_bytes: int = 256 * 2**20      # all a notebook writes (a tmpfs)
    cgroup_v2_parent: str = ""         # a cgroup v2 folder with memory delegated ("": the hierarchy's root)


class SandboxLimits(Configurable):
    """The sandbox's limits, from ``nbgrader_config.py`` (``c.SandboxLimits.disk_bytes = ...``)."""

    memory_bytes = Integer(Limits.memory_bytes, help="Address space of each kernel process (bytes)").tag(config=True)
    cpu_seconds = Integer(Limits.cpu_seconds, help="CPU time of each kernel process (seconds)").tag(config=True)
    processes = Integer(Limits.processes, help="Processes and threads of a kernel's user").tag(config=True)
    file_bytes = Integer(Limits.file_bytes, help="Size of any one file a kernel writes (bytes)").tag(config=True)
    open_files = Integer(Limits.open_files, help="Open files of each kernel process").tag(config=True)
    notebook_seconds = Integer(Limits.notebook_seconds,
                               help="Wall time of one notebook, from its kernel's start (seconds)").tag(config=True)
    notebook_memory_bytes = Integer(Limits.notebook_memory_bytes,
                                    help="Memory of all a notebook's processes together (bytes; needs "
                                         "cgroup v2 with memory delegated, or a cgroup v1 memory "
                                         "controller)").tag(config=True)
    disk_bytes = Integer(Limits.disk_bytes, help="All a notebook writes, in every writable folder (bytes)"
                         ).tag(config=True)
    cgroup_v2_parent = Unicode(Limits.cgroup_v2_parent,
                               help="A cgroup v2 folder whose cgroup.subtree_control enables memory, in which "
                                    "the sandbox makes one group per worker (empty: /sys/fs/cgroup itself)"
                               ).tag(config=True)

    def limits(self) -> Limits:
        return Limits(**{f.name: getattr(self, f.name) for f in dataclasses.fields(Limits)})


@dataclass(frozen=True)
class Sandbox:
    """The datasets the kernels may read, and their limits."""

    datasets: str
    limits: Limits = field(default_factory=Limits)


def for_course(root: Path, limits: Limits | None = None) -> Sandbox:
    """The sandbox for grading the course at ``root``: its datasets are all it may read of it;
    its limits are ``limits``, or those of the course's configuration."""
    if limits is None:
        from course.grading.course_setup import load_config

        limits = SandboxLimits(config=load_config(Path(root))).limits()
    return Sandbox(datasets=str((Path(root) / "datasets").resolve()), limits=limits)


def uids(worker: int) -> tuple[int, int]:
    """The zygote's uid and its kernels' for grading worker ``worker`` (a pid)."""
    return BASE_UID + 2 * worker, BASE_UID + 2 * worker + 1


def _python_paths() -> list[str]:
    """The interpreter, its environment and every import path, without the working folder."""
    found = {Path(sys.base_prefix), Path(sys.prefix), Path(sys.executable).resolve().parent.parent}
    found |= {Path(p) for p in sys.path if p and Path(p).is_dir() and Path(p).resolve() != Path.cwd()}
    from course.paths import PACKAGE_DIR

    found.add(PACKAGE_DIR)
    course_parent = PACKAGE_DIR.parent
    # The checkout holding `course/` also holds source/ and a gradebook: bind the package only.
    found = {p.resolve() for p in found if p.resolve() != course_parent.resolve()}
    return sorted({str(p) for p in found if not any(p != q and p.is_relative_to(q) for q in found)})


def bwrap_argv(scratch: Path, datasets: str | None, uid: int, limits: Limits, argv: list[str],
               memory: Path | None = None) -> list[str]:
    """The command that runs ``argv`` as ``uid`` in the sandbox whose writable parts are in
    ``scratch``; ``memory``, a memory cgroup, is bound at /sandbox/memory for kernels to join."""
    command = [
        "prlimit", f"--as={limits.memory_bytes}", f"--cpu={limits.cpu_seconds}",
        f"--nproc={limits.processes}", f"--fsize={limits.file_bytes}", f"--nofile={limits.open_files}", "--",
        shutil.which("bwrap") or "bwrap",
        "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-pid", "--unshare-cgroup-try",
        "--die-with-parent", "--new-session", "--hostname", "sandbox",
        # bwrap runs as root so it can bind folders only root may enter; setpriv then drops to `uid`.
        "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
        "--proc", "/proc", "--dev", "/dev",
        # First, so that a checkout or environment under /tmp is bound on top of them, not hidden.
        "--bind", str(scratch / "tmp"), "/tmp",
        "--bind", str(scratch / "shm"), "/dev/shm",
    ]
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            command += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            command += ["--ro-bind", path, path]
    for path in SYSTEM_FILES:
        if os.path.exists(path):
            command += ["--ro-bind", path, path]
    made: set[str] = set()
    for path in _python_paths():
        # bwrap would make missing parents root-only; the kernel's uid must pass through them
        for parent in reversed(Path(path).parents):
            if str(parent) != "/" and str(parent) not in made and not any(
                    str(parent) == s or str(parent).startswith(s + "/") for s in SYSTEM_DIRS):
                made.add(str(parent))
                command += ["--perms", "0755", "--dir", str(parent)]
        command += ["--ro-bind", path, path]
    command += [
        "--perms", "0755", "--dir", str(INSIDE),
        *(["--ro-bind", datasets, str(INSIDE / "datasets")] if datasets else []),
        "--bind", str(scratch / "work"), str(INSIDE / "work"),
        "--bind", str(scratch / "run"), str(INSIDE / "run"),
        *(["--bind", str(memory), str(INSIDE / "memory")] if memory else []),
        # not the work folder: the zygote imports nothing from a student's files
        "--chdir", "/",
        "--",
        "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", f"--inh-caps=-all,{CAPABILITIES}",
        f"--ambient-caps=-all,{CAPABILITIES}", f"--bounding-set=-all,{CAPABILITIES}", "--",
        *argv,
    ]
    return command


def problem() -> str | None:
    """Why no sandbox can be made here, or None when one can."""
    if shutil.which("bwrap") is None:
        return "bubblewrap not found"
    for tool in ("setpriv", "prlimit"):
        if shutil.which(tool) is None:
            return f"{tool} (util-linux) not found"
    if os.geteuid() != 0:
        return "grading must run as root to give kernels a uid of their own"
    scratch = Path(tempfile.mkdtemp(prefix="casebook-probe-"))
    try:
        _make_scratch(scratch, BASE_UID + 1, BASE_UID)
        done = subprocess.run(bwrap_argv(scratch, None, BASE_UID, Limits(), ["true"]),
                              check=False, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bubblewrap not permitted: {err}"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if done.returncode != 0:
        return f"bubblewrap not permitted: {(done.stderr or done.stdout).strip()[:200]}"
    return None


def require() -> None:
    """Raise SandboxUnavailable with the refusal message unless a sandbox works here."""
    why = problem()
    if why:
        raise SandboxUnavailable(REFUSAL.format(why=why))


def _make_scratch(scratch: Path, uid: int, zygote_gid: int) -> None:
    """The writable folders: the kernel's, and its zygote's group's (which warms up in /tmp)."""
    scratch.chmod(0o755)
    for name in ("work", "run", "tmp", "shm"):
        folder = scratch / name
        folder.mkdir(exist_ok=True)
        os.chown(folder, uid, zygote_gid)
        folder.chmod(0o770)


WRITABLE_MOUNTS = {"tmp": Path("/tmp"), "shm": Path("/dev/shm")}


def mount_points(name: str) -> set[str]:
    """Entries of writable folder ``name`` that hold read-only binds (a checkout under /tmp):
    removing them from outside would unmount the environment under the zygote."""
    inside = WRITABLE_MOUNTS[name]
    return {Path(p).relative_to(inside).parts[0] for p in _python_paths() if Path(p).is_relative_to(inside)}


def _empty(folder: Path, keep: frozenset[str] | set[str] = frozenset()) -> None:
    for entry in folder.iterdir():
        if entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


_STATUS = re.compile(rb"^(PPid|Uid|State|NSpid):\s*(.*)$", re.MULTILINE)


def _status(pid: int | str) -> dict[bytes, bytes] | None:
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            return dict(_STATUS.findall(status.read()))
    except OSError:  # gone meanwhile
        return None


def processes_of(uid: int) -> list[tuple[int, int]]:
    """``(pid, parent pid)`` of every living process (not a zombie) whose real uid is ``uid``."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        fields = _status(name)
        if fields and int(fields[b"Uid"].split()[0]) == uid and not fields[b"State"].startswith(b"Z"):
            found.append((int(name), int(fields[b"PPid"])))
    return found


def outer_pid(inner: int, ancestor: int | None) -> int | None:
    """The pid here of the descendant of ``ancestor`` whose pid in its own (innermost)
    namespace is ``inner``: the zygote reports pids as seen inside the sandbox."""
    parents, candidates = {}, []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        fields = _status(name)
        if fields is None:
            continue
        parents[int(name)] = int(fields[b"PPid"])
        namespaced = fields.get(b"NSpid", b"").split()
        if len(namespaced) > 1 and int(namespaced[-1]) == inner:
            candidates.append(int(name))
    for pid in candidates:
        up = parents.get(pid)
        while up and up != ancestor:
            up = parents.get(up)
        if up == ancestor:
            return pid
    return None


def start_time(pid: int) -> bytes | None:
    """When process ``pid`` started (field 22 of /proc/PID/stat), to tell it from a later one with its pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read()
    except OSError:
        return None
    fields = text[text.rindex(b")") + 2:].split()
    return None if fields[0] in (b"Z", b"X") else fields[19]


class MemoryGroup:
    """A memory cgroup holding the processes of one worker's kernels, one notebook at a time
    (``LegacyMemoryGroup`` for cgroup v1, ``UnifiedMemoryGroup`` for v2). The zygote stays
    outside, so only the notebook's own pages count."""

    joined_by_kernel = True  # the kernel writes itself into cgroup.procs (bound at /sandbox/memory)

    def __init__(self, path: Path):
        self.path = path

    @staticmethod
    def create(limit: int, owner: int, unified_parent: str = "") -> MemoryGroup | None:
        """A new group for one proxy's kernels, limited to ``limit`` bytes: cgroup v2 under
        ``unified_parent`` (or the unified hierarchy's root) where memory is delegated there,
        else cgroup v1 under this process's own group; None where neither can be used."""
        unified = _unified_parent(unified_parent)
        if unified is not None:
            return UnifiedMemoryGroup.make(unified, limit, owner)
        parent = _own_memory_group()
        return LegacyMemoryGroup.make(parent, limit, owner) if parent is not None else None

    @classmethod
    def make(cls, parent: Path, limit: int, owner: int) -> MemoryGroup | None:
        """A group of this kind under ``parent`` for this process's kernels, or None if the
        machine's kernel refuses one (the folder is removed again)."""
        _remove_stale_groups(parent)
        group = cls(parent / f"casebook-{os.getpid()}")
        try:
            group.path.mkdir()
        except OSError:
            return None
        try:
            group.set_limit(limit, owner)
            group.oom_kills()
        except (OSError, ValueError):
            group.remove()
            return None
        return group

    def set_limit(self, limit: int, owner: int) -> None:
        """Hold the group to ``limit`` bytes; ``owner`` is the uid that moves kernels in."""
        raise NotImplementedError

    def admit(self, pid: int) -> None:
        """Move process ``pid`` (as seen by this process) into the group."""
        (self.path / "cgroup.procs").write_text(str(pid), encoding="ascii")

    def oom_kills(self) -> int:
        """How many processes the group's limit has killed so far."""
        raise NotImplementedError

    def remove(self) -> None:
        for _ in range(50):  # the last processes may take a moment to leave
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.02)


class LegacyMemoryGroup(MemoryGroup):
    """cgroup v1: ``memory.limit_in_bytes`` (and the swap limit where swap is accounted).

    Kernels join it themselves (``zygote._isolate``) through its ``cgroup.procs``, which
    belongs to the zygote's uid, so the kernel's uid can neither leave the group nor change
    its limit.
    """

    def set_limit(self, limit: int, owner: int) -> None:
        (self.path / "memory.limit_in_bytes").write_text(str(limit))
        with contextlib.suppress(OSError):  # with swap accounting, swap counts too
            (self.path / "memory.memsw.limit_in_bytes").write_text(str(limit))
        for name in ("cgroup.procs", "tasks"):
            os.chown(self.path / name, owner, owner)

    def oom_kills(self) -> int:
        return _counter(self.path / "memory.oom_control", "oom_kill")


class UnifiedMemoryGroup(MemoryGroup):
    """cgroup v2: ``memory.max``, no swap, and ``memory.oom.group`` so that one OOM kill takes
    every process of the notebook.

    v2 lets a process be moved only by whoever may write the ``cgroup.procs`` of the common
    ancestor of its old and new group, so the proxy moves each kernel itself, before it answers
    the fork request: the worker sends no cell before that answer, so no student code has run.
    """

    joined_by_kernel = False

    def set_limit(self, limit: int, owner: int) -> None:
        (self.path / "memory.max").write_text(str(limit))
        for name, value in (("memory.swap.max", "0"), ("memory.oom.group", "1")):
            with contextlib.suppress(FileNotFoundError):  # without swap (or before Linux 4.19)
                (self.path / name).write_text(value)

    def oom_kills(self) -> int:
        return _counter(self.path / "memory.events", "oom_kill")


def _counter(path: Path, name: str) -> int:
    """The value of ``name`` in a cgroup file of "name value" lines."""
    for line in path.read_text().splitlines():
        key, _, value = line.partition(" ")
        if key == name:
            return int(value)
    raise ValueError(f"{path} does not count {name}")


def notebook_memory_limited(unified_parent: str = "") -> bool:
    """Whether the sandbox can hold all of a notebook's processes to one memory limit here."""
    return _unified_parent(unified_parent) is not None or _own_memory_group() is not None


def _unified_parent(configured: str = "") -> Path | None:
    """Where cgroup v2 groups with a memory limit can be made: ``configured`` or the root of the
    unified hierarchy, if memory is enabled for its children (``cgroup.subtree_control``)."""
    folder = Path(configured) if configured else UNIFIED_CGROUPS
    try:
        enabled = (folder / "cgroup.subtree_control").read_text().split()
    except OSError:
        return None
    return folder if "memory" in enabled else None


def _own_memory_group() -> Path | None:
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            folder = MEMORY_CGROUPS / path.lstrip("/")
            return folder if (folder / "memory.limit_in_bytes").exists() else None
    return None


def _remove_stale_groups(parent: Path) -> None:
    """The groups of proxies that were killed (an empty group can be removed, one in use cannot)."""
    for path in parent.glob("casebook-*"):
        owner = path.name.removeprefix("casebook-")
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            with contextlib.suppress(OSError):
                path.rmdir()


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _mount_private_tmpfs(folder: Path, size: int) -> None:
    """Mount a tmpfs of ``size`` bytes on ``folder`` in a mount namespace of this process's own,
    which ends with it: nothing is left mounted if the proxy is killed."""
    libc = _libc()
    if libc.unshare(CLONE_NEWNS) != 0 or libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0 \
            or libc.mount(b"tmpfs", str(folder).encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                          f"size={size},mode=0755".encode()) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"cannot mount the sandbox's tmpfs: {os.strerror(error)}")


@dataclass
class _Kernel:
    pid: int             # as seen outside the sandbox
    started: bytes
    deadline: float
    oom_kills: int


class Proxy:
    """Stands between a grading worker and its zygote, which runs in the sandbox.

    It speaks the zygote's protocol (``course.grading.zygote``): for each fork
    request it kills what the last kernel left behind, empties the writable
    folders, copies the submission's folder in as the kernel's working copy,
    writes the connection file with paths inside the sandbox and links the
    worker's socket paths to the kernel's, then passes the request on with the
    kernel's uid and memory group, and answers with the kernel's pid as the
    worker sees it. A ping is passed on only while the zygote is the process
    that started. A thread watches the notebook's limits while its kernel runs.
    """

    def __init__(self, datasets: str | None, limits: Limits, argv: list[str]):
        self.zygote_uid, self.uid = uids(os.getppid())
        self.limits = limits
        self.scratch = Path(tempfile.mkdtemp(prefix="casebook-sandbox-"))
        _mount_private_tmpfs(self.scratch, limits.disk_bytes)
        # the worker, in the first mount namespace, reaches the sockets through ours
        self.seen_from_worker = Path(f"/proc/{os.getpid()}/root{self.scratch}")
        self.keep = {name: mount_points(name) for name in WRITABLE_MOUNTS}
        _make_scratch(self.scratch, self.uid, self.zygote_uid)
        self._font_cache()
        self.memory = MemoryGroup.create(limits.notebook_memory_bytes, self.zygote_uid, limits.cgroup_v2_parent)
        # Not /tmp itself: IPython writes paths under HOME as "~/...", which would change the
        # tracebacks of a checkout under /tmp from what nbgrader's own run shows.
        self.env = {"HOME": "/tmp/home", "TMPDIR": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib",
                    "CASEBOOK_DATASETS": str(INSIDE / "datasets") if datasets else ""}
        self.zygote = subprocess.Popen(bwrap_argv(self.scratch, datasets, self.zygote_uid, limits, argv,
                                                  self.memory.path if _joined_by_kernel(self.memory) else None),
                                       env={**os.environ, **self.env}, stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True, bufsize=1)
        # known once the zygote is ready
        self.zygote_pid: int | None = None
        self.zygote_inner_pid: int | None = None
        self.zygote_started: bytes | None = None
        self.kernel: _Kernel | None = None
        self.limit: str | None = None  # the limit the last kernel reached
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="sandbox-limits", daemon=True)

    def _font_cache(self) -> None:
        """The zygote imports matplotlib: give it the grader's font cache instead of building one."""
        import matplotlib

        cache, target = Path(matplotlib.get_cachedir()), self.scratch / "tmp" / "matplotlib"
        if cache.is_dir():
            shutil.copytree(cache, target, dirs_exist_ok=True)
            for path in (target, *target.rglob("*")):  # the zygote's: emptied before any kernel runs
                os.chown(path, self.zygote_uid, self.zygote_uid)

    def kill_strays(self) -> None:
        """Kill every process of the kernels' uid (what a kernel left behind, or a kernel past its limits)."""
        for _ in range(100):  # a process bomb may still be forking while we kill
            strays = [pid for pid, _parent in processes_of(self.uid)]
            if not strays:
                return
            for pid in strays:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)

    def zygote_intact(self) -> bool:
        """The zygote is still the process that said it was ready, and still runs as its own uid."""
        if not self.zygote_pid:
            return False
        fields = _status(self.zygote_pid)
        return fields is not None and start_time(self.zygote_pid) == self.zygote_started \
            and int(fields[b"Uid"].split()[0]) == self.zygote_uid

    def prepare(self, request: dict) -> dict:
        self.kill_strays()
        for name in ("work", "tmp", "shm"):
            _empty(self.scratch / name, self.keep.get(name, set()))
        home = self.scratch / "tmp" / "home"  # IPython warns, and makes a temporary one, if HOME is missing
        home.mkdir(exist_ok=True)
        os.chown(home, self.uid, self.uid)
        work = self.scratch / "work"
        # never through a link, nor a link copied in: NotPlainFile (an OSError) fails this kernel
        submission_files.copy_tree(Path(request["cwd"]), work)
        for path in work.rglob("*"):
            os.chown(path, self.uid, self.uid, follow_symlinks=False)
        argv = list(request["argv"])
        connection = Path(argv[argv.index("-f") + 1])
        info = json.loads(connection.read_text(encoding="utf-8"))
        if info.get("transport") == "ipc":
            outside = Path(info["ip"])
            info["ip"] = str(INSIDE / "run" / outside.name)
            for key in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"):
                link = Path(f"{outside}-{info[key]}")
                link.unlink(missing_ok=True)
                link.symlink_to(self.seen_from_worker / "run" / link.name)
        inside = self.scratch / "run" / connection.name
        inside.write_text(json.dumps(info), encoding="utf-8")
        os.chown(inside, self.uid, self.uid)
        inside.chmod(0o600)
        argv[argv.index("-f") + 1] = str(INSIDE / "run" / connection.name)
        env = {**request["env"], **self.env, RECORDS_ENV: "1"}
        joins = str(INSIDE / "memory" / "cgroup.procs") if _joined_by_kernel(self.memory) else None
        isolate = {"uid": self.uid, "memory": joins}
        return {**request, "argv": argv, "cwd": str(INSIDE / "work"), "env": env, "isolate": isolate}

    def _pipes(self) -> tuple[IO[str], IO[str]]:
        """The zygote's stdin and stdout, piped when it was started."""
        if self.zygote.stdin is None or self.zygote.stdout is None:
            raise RuntimeError("the zygote was started without its stdin and stdout piped")
        return self.zygote.stdin, self.zygote.stdout

    def _forward(self, line: str) -> dict | None:
        stdin, stdout = self._pipes()
        stdin.write(line + "\n")
        stdin.flush()
        reply = stdout.readline()
        return json.loads(reply) if reply else None

    def _fork(self, request: dict) -> dict | None:
        with self._lock:
            try:
                forwarded = json.dumps(self.prepare(request))
            except (OSError, ValueError, KeyError) as err:
                return {"error": f"sandbox: {type(err).__name__}: {err}"}
            self.limit = None
            reply = self._forward(forwarded)
            if reply is None or "pid" not in reply:
                return reply
            pid = outer_pid(int(reply["pid"]), self.zygote_pid)
            started = start_time(pid) if pid else None
            if not pid or started is None:
                return {"error": "sandbox: the kernel exited as soon as it was forked"}
            if self.memory and not self.memory.joined_by_kernel:
                try:
                    self.memory.admit(pid)
                except OSError as err:
                    self.kill_strays()
                    return {"error": f"sandbox: the kernel could not be put in its memory group ({err})"}
            self.kernel = _Kernel(pid, started, time.monotonic() + self.limits.notebook_seconds,
                                  self.memory.oom_kills() if self.memory else 0)
            return {"pid": pid}

    def _ping(self, request: dict) -> dict | None:
        if not self.zygote_intact():
            return {"error": "sandbox: the zygote is not the process that started"}
        reply = self._forward(json.dumps(request))
        if reply is not None and reply.get("pid") != self.zygote_inner_pid:
            return {"error": "sandbox: another process answered for the zygote"}
        return reply

    def _watch(self) -> None:
        """Enforce the notebook's limits on the running kernel; once it has exited, kill what it left."""
        while not self._closing.wait(WATCH_INTERVAL):
            with self._lock:
                kernel = self.kernel
                if kernel is None:
                    continue
                why = None
                if start_time(kernel.pid) != kernel.started:
                    self.kernel = None
                elif time.monotonic() > kernel.deadline:
                    why = (f"the notebook ran past its limit of {self.limits.notebook_seconds} s of wall time "
                           "(the sandbox killed its kernel and every process it started)")
                elif self.memory and self.memory.oom_kills() > kernel.oom_kills:
                    why = (f"the notebook's processes together used more than "
                           f"{_size(self.limits.notebook_memory_bytes)} of memory (the sandbox killed them all)")
                if why:
                    self.limit, self.kernel = why, None
                if self.kernel is None:
                    self.kill_strays()

    def serve(self, requests, answers) -> int:
        hello = self._pipes()[1].readline()
        if not hello:
            return self.zygote.wait() or 1
        self.zygote_inner_pid = json.loads(hello).get("pid")
        self.zygote_pid = outer_pid(self.zygote_inner_pid, self.zygote.pid)
        self.zygote_started = start_time(self.zygote_pid) if self.zygote_pid else None
        answers.write(hello)
        answers.flush()
        self._watcher.start()
        for line in requests:
            if not line.strip():
                continue
            request = json.loads(line)
            if "limit_reached" in request:
                with self._lock:
                    reply: dict | None = {"limit": self.limit}
            elif "ping" in request:
                reply = self._ping(request)
            else:
                reply = self._fork(request)
            if reply is None:
                break
            answers.write(json.dumps(reply) + "\n")
            answers.flush()
        return 0

    def close(self) -> None:
        self._closing.set()
        if self._watcher.is_alive():
            self._watcher.join()
        with contextlib.suppress(OSError):
            self._pipes()[0].close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.zygote.wait(timeout=5)
        self.kill_strays()
        if self.zygote.poll() is None:
            self.zygote.kill()
            self.zygote.wait()
        if self.memory:
            self.memory.remove()
        # unmounted, the folder is the one the worker's namespace sees (and removes with us)
        _libc().umount2(str(self.scratch).encode(), MNT_DETACH)
        shutil.rmtree(self.scratch, ignore_errors=True)


def _joined_by_kernel(memory: MemoryGroup | None) -> TypeGuard[MemoryGroup]:
    """Whether kernels join ``memory`` themselves (v1), so it is bound into the sandbox for them."""
    return memory is not None and memory.joined_by_kernel


def _size(count: int) -> str:
    return f"{count / 2**30:g} GB" if count >= 2**30 else f"{count / 2**20:g} MB"


def prefix(sandbox: Sandbox) -> list[str]:
    """What the runner puts before the zygote's command to start it in ``sandbox`` (``zygote_prefix``)."""
    return [sys.executable, "-m", "course.grading.sandbox", "--datasets", sandbox.datasets,
            "--limits", json.dumps(dataclasses.asdict(sandbox.limits)), "--"]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m course.grading.sandbox",
                                     description="Run a grading zygote in the sandbox (used by the runner).")
    parser.add_argument("--datasets")
    parser.add_argument("--limits", type=json.loads, default={}, help="Limits' fields, as JSON")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    proxy = Proxy(args.datasets, Limits(**args.limits), command)
    try:
        return proxy.serve(sys.stdin, sys.stdout)
    finally:
        proxy.close()


if __name__ == "__main__":
    sys.exit(main())
