"""The grading sandbox: student kernels run under bubblewrap, as an unprivileged user, with limits.

Each grading worker starts its zygote through ``prefix(...)`` (the runner's
``zygote_prefix``): a small proxy (``Proxy``, outside) starts the zygote inside
one sandbox, and every kernel is forked from it. Inside, the kernel sees:

- read-only: the system's ``/usr`` (and its ``/bin``, ``/lib`` links), the
  Python installation and environment, the ``course`` package and the
  course's ``datasets/`` (at ``/sandbox/datasets``). Not ``source/``, the gradebook, ``submitted/``,
  ``autograded/`` nor the rest of the course folder;
- writable: only ``/sandbox/work`` (its working copy of the submission, its
  cwd), ``/tmp`` and ``/dev/shm``, all three emptied before every kernel;
- no network (a network namespace with nothing in it), no System V IPC;
- a uid of its own per worker (never root, so ``RLIMIT_NPROC`` applies and
  its processes can be told apart and killed), and limits on address space,
  CPU time per process, processes and file size. nbgrader's
  ``c.Execute.timeout`` is the wall-clock limit per cell.

The kernel talks to the grader over unix sockets in ``/sandbox/run``, a
folder bound from the worker's scratch space.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from course.shortanswer import RECORDS_ENV

REFUSAL = ("no sandbox available ({why}); install bubblewrap or pass --no-sandbox to grade without one")
INSIDE = Path("/sandbox")
# Outside any range a system gives to real users: one uid per worker process.
BASE_UID = 1_500_000_000
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/passwd", "/etc/group", "/etc/fonts",
                "/etc/nsswitch.conf")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create a sandbox on this machine."""


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 4 * 2**30      # RLIMIT_AS per process: pandas and matplotlib need ~1.5 GB of it
    cpu_seconds: int = 300             # RLIMIT_CPU per process: a loop that ignores interrupts dies
    processes: int = 128               # RLIMIT_NPROC for the worker's uid: kernel threads included
    file_bytes: int = 64 * 2**20       # RLIMIT_FSIZE: no single file larger than this
    open_files: int = 1024             # RLIMIT_NOFILE


@dataclass(frozen=True)
class Sandbox:
    """The datasets the kernels may read, and their limits."""

    datasets: str
    limits: Limits = field(default_factory=Limits)


def for_course(root: Path, limits: Limits | None = None) -> Sandbox:
    """The sandbox for grading the course at ``root``: its datasets are all it may read of it."""
    return Sandbox(datasets=str((Path(root) / "datasets").resolve()), limits=limits or Limits())


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


def bwrap_argv(scratch: Path, datasets: str | None, uid: int, limits: Limits, argv: list[str]) -> list[str]:
    """The command that runs ``argv`` in the sandbox whose writable parts are in ``scratch``."""
    command = [
        "prlimit", f"--as={limits.memory_bytes}", f"--cpu={limits.cpu_seconds}",
        f"--nproc={limits.processes}", f"--fsize={limits.file_bytes}", f"--nofile={limits.open_files}", "--",
        shutil.which("bwrap") or "bwrap",
        "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
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
        "--chdir", str(INSIDE / "work"),
        "--",
        "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
        "--bounding-set=-all", "--",
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
        _make_scratch(scratch, BASE_UID)
        done = subprocess.run(bwrap_argv(scratch, None, BASE_UID, Limits(), ["true"]),
                              capture_output=True, text=True, timeout=30)
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


def _make_scratch(scratch: Path, uid: int) -> None:
    scratch.chmod(0o755)
    for name in ("work", "run", "tmp", "shm"):
        folder = scratch / name
        folder.mkdir(exist_ok=True)
        os.chown(folder, uid, uid)
        folder.chmod(0o700)


WRITABLE_MOUNTS = {"tmp": Path("/tmp"), "shm": Path("/dev/shm")}


def mount_points(name: str) -> set[str]:
    """Entries of writable folder ``name`` that hold read-only binds (a checkout under /tmp):
    removing them from outside would unmount the environment under the zygote."""
    inside = WRITABLE_MOUNTS[name]
    return {Path(p).relative_to(inside).parts[0] for p in _python_paths() if Path(p).is_relative_to(inside)}


def _empty(folder: Path, keep: set[str] = frozenset()) -> None:
    for entry in folder.iterdir():
        if entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


_STATUS_IDS = re.compile(rb"^(PPid|Uid):\s*(\d+)", re.MULTILINE)


def processes_of(uid: int) -> list[tuple[int, int]]:
    """``(pid, parent pid)`` of every process whose real uid is ``uid``."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status", "rb") as status:
                ids = dict(_STATUS_IDS.findall(status.read()))
        except OSError:  # gone meanwhile
            continue
        if int(ids.get(b"Uid", -1)) == uid:
            found.append((int(name), int(ids.get(b"PPid", 0))))
    return found


class Proxy:
    """Stands between a grading worker and its zygote, which runs in the sandbox.

    It speaks the zygote's protocol (``course.grading.zygote``): for each fork
    request it kills what the last kernel left behind, empties the writable
    folders, copies the submission's folder in as the kernel's working copy,
    writes the connection file with paths inside the sandbox and links the
    worker's socket paths to the kernel's, then passes the request on.
    """

    def __init__(self, datasets: str | None, limits: Limits, argv: list[str]):
        self.uid = BASE_UID + os.getppid()
        self.scratch = Path(tempfile.mkdtemp(prefix="casebook-sandbox-"))
        self.keep = {name: mount_points(name) for name in WRITABLE_MOUNTS}
        _make_scratch(self.scratch, self.uid)
        self._font_cache()
        # Not /tmp itself: IPython writes paths under HOME as "~/...", which would change the
        # tracebacks of a checkout under /tmp from what nbgrader's own run shows.
        self.env = {"HOME": "/tmp/home", "TMPDIR": "/tmp", "MPLCONFIGDIR": "/tmp/matplotlib",
                    "CASEBOOK_DATASETS": str(INSIDE / "datasets") if datasets else ""}
        self.zygote = subprocess.Popen(bwrap_argv(self.scratch, datasets, self.uid, limits, argv),
                                       env={**os.environ, **self.env}, stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True, bufsize=1)

    def _font_cache(self) -> None:
        """The zygote imports matplotlib: give it the grader's font cache instead of building one."""
        import matplotlib

        cache, target = Path(matplotlib.get_cachedir()), self.scratch / "tmp" / "matplotlib"
        if cache.is_dir():
            shutil.copytree(cache, target, dirs_exist_ok=True)
            for path in (target, *target.rglob("*")):
                os.chown(path, self.uid, self.uid)

    def kill_strays(self, keep: int | None) -> None:
        """Kill every process of the sandbox's uid but ``keep`` (what a kernel left behind)."""
        for _ in range(100):  # a process bomb may still be forking while we kill
            strays = [pid for pid, _parent in processes_of(self.uid) if pid != keep]
            if not strays:
                return
            for pid in strays:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)

    def prepare(self, request: dict) -> dict:
        self.kill_strays(keep=self.zygote_pid)
        for name in ("work", "tmp", "shm"):
            _empty(self.scratch / name, self.keep.get(name, set()))
        home = self.scratch / "tmp" / "home"  # IPython warns, and makes a temporary one, if HOME is missing
        home.mkdir(exist_ok=True)
        os.chown(home, self.uid, self.uid)
        work = self.scratch / "work"
        for entry in Path(request["cwd"]).iterdir():
            if entry.is_dir():
                shutil.copytree(entry, work / entry.name, symlinks=True)
            elif entry.is_file():
                shutil.copy2(entry, work / entry.name)
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
                link.symlink_to(self.scratch / "run" / link.name)
        inside = self.scratch / "run" / connection.name
        inside.write_text(json.dumps(info), encoding="utf-8")
        os.chown(inside, self.uid, self.uid)
        inside.chmod(0o600)
        argv[argv.index("-f") + 1] = str(INSIDE / "run" / connection.name)
        env = {**request["env"], **self.env, RECORDS_ENV: "1"}
        return {**request, "argv": argv, "cwd": str(INSIDE / "work"), "env": env}

    def serve(self, requests, answers) -> int:
        hello = self.zygote.stdout.readline()
        if not hello:
            return self.zygote.wait() or 1
        self.zygote_pid = json.loads(hello).get("pid")
        # the zygote reports its pid as seen inside, which is the same pid: no pid namespace
        answers.write(hello)
        answers.flush()
        for line in requests:
            if not line.strip():
                continue
            try:
                forwarded = json.dumps(self.prepare(json.loads(line)))
            except (OSError, ValueError, KeyError) as err:
                answers.write(json.dumps({"error": f"sandbox: {type(err).__name__}: {err}"}) + "\n")
                answers.flush()
                continue
            self.zygote.stdin.write(forwarded + "\n")
            self.zygote.stdin.flush()
            reply = self.zygote.stdout.readline()
            if not reply:
                break
            answers.write(reply)
            answers.flush()
        return 0

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.zygote.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.zygote.wait(timeout=5)
        self.kill_strays(keep=None)
        if self.zygote.poll() is None:
            self.zygote.kill()
            self.zygote.wait()
        shutil.rmtree(self.scratch, ignore_errors=True)


def prefix(sandbox: Sandbox) -> list[str]:
    """What the runner puts before the zygote's command to start it in ``sandbox`` (``zygote_prefix``)."""
    limits = sandbox.limits
    return [sys.executable, "-m", "course.grading.sandbox", "--datasets", sandbox.datasets,
            "--memory", str(limits.memory_bytes), "--cpu", str(limits.cpu_seconds),
            "--processes", str(limits.processes), "--"]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m course.grading.sandbox",
                                     description="Run a grading zygote in the sandbox (used by the runner).")
    parser.add_argument("--datasets")
    parser.add_argument("--memory", type=int, default=Limits.memory_bytes)
    parser.add_argument("--cpu", type=int, default=Limits.cpu_seconds)
    parser.add_argument("--processes", type=int, default=Limits.processes)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    limits = Limits(memory_bytes=args.memory, cpu_seconds=args.cpu, processes=args.processes)
    proxy = Proxy(args.datasets, limits, command)
    try:
        return proxy.serve(sys.stdin, sys.stdout)
    finally:
        proxy.close()


if __name__ == "__main__":
    sys.exit(main())
