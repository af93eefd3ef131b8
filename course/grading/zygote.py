"""The zygote: a warm, single-threaded Python that forks one fresh kernel per notebook.

It imports what every casebook notebook imports (IPython, ipykernel, numpy,
pandas, matplotlib, ipywidgets and the ``course`` package), reads every
dataset, draws a figure and formats a few tracebacks once, then waits for
requests on stdin, one JSON object a line::

    {"argv": [...], "cwd": "...", "env": {...}}

For each request it forks the kernel, which starts a new session; the zygote
stays its parent and reaps it at the next request, so until then whoever
watches the kernel sees it as a zombie (``kernels.ForkedKernel``). It answers
``{"pid": KERNEL_PID}`` (or ``{"error": "..."}``) on stdout, and a
``{"ping": TOKEN}`` with ``{"pong": TOKEN, "pid": ITS_PID}``.

In the sandbox (``course.grading.sandbox``) the request also carries
``"isolate": {"uid": ..., "memory": ...}``: the zygote keeps only the right to
change user, and each kernel joins its memory group, becomes that other user,
drops every capability and sets no_new_privs before it runs any of the
kernel's code, so it can neither signal, trace nor read the zygote.

The zygote never runs student code: the kernel is a new process whose memory
starts as a copy of the zygote's, and nothing it does reaches the zygote or
the next kernel.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import sys
import threading
from pathlib import Path

from course import cases
from course.grading import output_limit, speedups, tracebacks

_STARTUP_PATH0 = sys.path[0] if sys.path else ""
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
LINUX_CAPABILITY_VERSION_3 = 0x20080522
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
PRELOAD = (
    "IPython",
    "IPython.core.history",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "ipykernel.zmqshell",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "course",
)
# Imported lazily by a kernel as it starts; warm them too when present.
OPTIONAL = ("psutil", "pdb", "sqlite3", "debugpy.server.api", "faulthandler", "ipykernel_launcher",
            "tornado.platform.asyncio", "IPython.core.completerlib", "IPython.core.debugger",
            "IPython.core.oinspect", "IPython.extensions.storemagic", "IPython.utils.wildcard")
# The casebook modules the notebooks import. ipywidgets registers its comm target only when
# imported inside a running kernel: each kernel registers it once started (``_become_kernel``).
COURSE_MODULES = ("course.checks", "course.data", "course.facts", "course.plotting", "course.outcomes",
                  "course.provenance", "course.shortanswer", "ipywidgets", *cases.notebook_modules())


def command(workdir: str | os.PathLike | None = None) -> list[str]:
    """The argv that starts a zygote (the one place a kernel launch is spelt out).

    A sandbox may prefix it (``["bwrap", ..., *command(workdir)]``); ``workdir``
    is the folder the zygote starts in (the course root).
    """
    return [sys.executable, "-m", "course.grading.zygote"]


def launch(argv: list[str], workdir, env: dict[str, str]):
    """Start a zygote with ``argv`` (``command()``, perhaps prefixed); talk to it through the pipes."""
    import subprocess

    return subprocess.Popen(argv, cwd=workdir, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, bufsize=1)


def worker_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a kernel gets from ``nbgrader autograde`` (its own plus NBGRADER_EXECUTION)."""
    env = dict(base if base is not None else os.environ)
    env["NBGRADER_EXECUTION"] = "autograde"
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


class _KernelShellStandIn:
    """What ``get_ipython()`` returns inside a kernel, as far as import-time checks look."""

    kernel = True


def preload() -> None:
    # ipykernel sets this before any user code runs; set it before matplotlib reads it.
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    # pandas picks display defaults at import by asking whether it runs in a Jupyter
    # kernel (display.max_columns is 20 there, 0 in a terminal): answer as a kernel would.
    import builtins
    import importlib

    builtins.get_ipython = _KernelShellStandIn  # type: ignore[attr-defined]  # for pandas' import only
    try:
        importlib.import_module("pandas")
    finally:
        del builtins.get_ipython  # type: ignore[attr-defined]
    for name in PRELOAD:
        importlib.import_module(name)
    for name in OPTIONAL:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    for name in COURSE_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
    if speedups.enabled():
        tracebacks.install()
    _warm_data()
    _warm_drawing()
    _warm_tracebacks()


def _warm_data() -> None:
    """Read every dataset and the facts table, so each kernel starts with them cached."""
    from course import data, facts

    try:
        for name in data.available():
            data.load(name)
        facts.table()
    except Exception:  # a broken dataset is reported by the notebook that loads it
        pass


def _warm_tracebacks() -> None:
    """Format the errors wrong answers raise most (a failed check, a missing column or label):
    IPython parses each file of a traceback once per process, pandas' largest in most of a second."""
    import pandas as pd
    from IPython.core.ultratb import VerboseTB

    from course import checks

    frame = pd.DataFrame({"a": [1.0]}, index=["x"])
    mistakes = (lambda: checks.canonical(object()), lambda: frame["b"], lambda: frame.loc["y"])
    formatter = VerboseTB()
    for mistake in mistakes:
        try:
            mistake()
        except Exception:
            formatter.structured_traceback(*sys.exc_info())


def _warm_drawing() -> None:
    """Render one figure off pyplot: fonts and the PNG path are loaded before any kernel draws."""
    import io

    from matplotlib.figure import Figure

    figure = Figure()
    axes = figure.subplots()
    axes.barh(["a", "b"], [1.0, 2.0], label="x")
    axes.set_title("Title 0.5%")
    axes.legend()
    figure.savefig(io.BytesIO(), format="png", bbox_inches="tight")


class _CapabilityHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapabilityData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _prctl(option: int, value: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, value, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}, {value})")


def _isolate(spec: dict) -> None:
    """Become the kernel's own user with no capability and no way to gain one (in the fork)."""
    uid = int(spec["uid"])
    if spec.get("memory"):
        # join the notebook's memory group while still the zygote's user, who may
        with open(spec["memory"], "w", encoding="ascii") as procs:
            procs.write("0")
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    libc = ctypes.CDLL(None, use_errno=True)
    # from one unprivileged uid to another the capabilities stay: clear them (the ambient set follows)
    header, data = _CapabilityHeader(LINUX_CAPABILITY_VERSION_3, 0), (_CapabilityData * 2)()
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    with open("/proc/self/status", encoding="ascii") as status:
        fields = dict(line.split(":", 1) for line in status)
    if {int(x) for x in fields["Uid"].split()} != {uid} or any(
            int(fields[name], 16) for name in ("CapInh", "CapPrm", "CapEff", "CapAmb")):
        raise RuntimeError("the kernel could not drop the zygote's privileges")


def _become_kernel(request: dict) -> None:
    """In the forked kernel process: set up as ``python -m ipykernel_launcher`` would be, and run."""
    os.setsid()
    if request.get("isolate"):
        _isolate(request["isolate"])
    # undumpable like the zygote (and after a change of user): make its /proc files its own again
    _prctl(PR_SET_DUMPABLE, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)  # the request/answer pipes are the zygote's, not the kernel's
    sys.stdin = open(0, closefd=False)  # noqa: SIM115 - the kernel's stdin for as long as it lives
    cwd = request["cwd"]
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(request["env"])
    # ipykernel exits when its parent does: the zygote, whose stdin closes when the worker dies
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    import ipykernel_launcher

    sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
    # `python -m ipykernel_launcher` starts with the cwd first on sys.path and the
    # launcher removes it (IPython puts '' back); the zygote's cwd goes the same way.
    if sys.path and sys.path[0] in ("", _STARTUP_PATH0):
        del sys.path[0]
    from ipykernel import kernelapp

    # These two defaults are read from the environment when ipykernel is imported,
    # which happened in the zygote: give them the kernel's own environment.
    app = kernelapp.IPKernelApp.instance(
        parent_handle=int(os.environ.get("JPY_PARENT_PID") or 0),
        interrupt=int(os.environ.get("JPY_INTERRUPT_EVENT") or 0),
    )
    app.initialize()
    if speedups.enabled():
        tracebacks.remember_last_traceback(app.shell)
    output_limit.limit_kernel_output(app.shell)
    if "ipywidgets" in sys.modules:
        # what importing ipywidgets in a running kernel does (it was imported in the zygote)
        sys.modules["ipywidgets"].register_comm_target()
    app.start()


def _fork_kernel(request: dict) -> int:
    kernel = os.fork()
    if kernel == 0:
        code = 0
        try:
            _become_kernel(request)
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    return kernel


def _reap() -> None:
    """Collect the kernels that have exited (the worker has watched them go by now)."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            return


def _answer(request: dict) -> dict:
    if "ping" in request:
        return {"pong": request["ping"], "pid": os.getpid()}
    if "limit_reached" in request:  # the sandbox's proxy enforces the notebook's limits
        return {"limit": None}
    return {"pid": _fork_kernel(request)}


def serve(requests=None, answers=None) -> None:
    requests = requests or sys.stdin
    answers = answers or sys.stdout
    # nothing of the zygote may be read through /proc (kernels make themselves dumpable again)
    _prctl(PR_SET_DUMPABLE, 0)
    # Native threads (OpenBLAS's pool) stop themselves around fork; Python threads would not.
    answers.write(json.dumps({"ready": True, "pid": os.getpid(), "threads": threading.active_count(),
                              "native_threads": _thread_count()}) + "\n")
    answers.flush()
    for line in requests:
        if not line.strip():
            continue
        _reap()
        try:
            reply = _answer(json.loads(line))
        except Exception as err:  # reported to the worker, which fails that one student
            reply = {"error": f"{type(err).__name__}: {err}"}
        answers.write(json.dumps(reply) + "\n")
        answers.flush()


def main() -> None:
    preload()
    serve()
    # Nothing to clean up: skip tearing down the preloaded modules, most of a second.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
