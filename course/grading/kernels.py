"""Kernels for the grading workers: forked from the worker's zygote instead of started cold.

``ZygoteKernelManager`` is an ``AsyncKernelManager`` whose provisioner asks the
zygote for the kernel process; everything else (connection file, ports or
unix sockets, messaging, interrupt, shutdown) is jupyter_client's own.
``GradingExecute`` is nbgrader's ``Execute`` preprocessor with that manager (and a cap
on each cell's output, ``output_limit``), so ``c.Execute.*`` settings in
``nbgrader_config.py`` still apply.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import IO, Any, cast

import nbformat
import zmq
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbclient.exceptions import DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Type, default

from course.grading import limits, zygote as zygote_module
from course.grading.output_limit import CellOutputBudget
from course.grading.verdict import Judge, KernelUnresponsive, Verdict, user_expression_text
from course.notebooks import grading, is_test_cell
from course.shortanswer import RECORDS_ENV

LAUNCHER_ARGS = ["-m", "ipykernel_launcher"]
RECONNECT_INTERVAL_MS = 5
PING_TIMEOUT = 30  # a zygote that does not answer a ping within it is replaced
# After interrupting a kernel that did not answer the grader, how long it has to answer.
INTERRUPT_GRACE_SECONDS = 5
# The resources key under which GradingExecute leaves each test cell's verdict, by grade id.
VERDICTS = "casebook_verdicts"
# The user expression by which a cell's execute request also asks for the next test cells' values.
PREFETCH = "casebook_values"


class ZygoteError(RuntimeError):
    """The zygote could not start or fork a kernel."""


class Zygote:
    """A warm process (see ``course.grading.zygote``) that forks kernels on request."""

    def __init__(self, workdir: Path, env: dict[str, str], argv: list[str] | None = None,
                 process: subprocess.Popen | None = None):
        self.workdir = Path(workdir)
        self.env = dict(env)
        self.argv = argv or zygote_module.command(self.workdir)
        self._lock = threading.Lock()
        self.process = process  # one already started with zygote.launch(argv, workdir, env)
        self.pid: int | None = None  # as the zygote reports it (inside its sandbox, if any)

    def start(self) -> Zygote:
        self.launch()
        return self.wait_ready()

    def launch(self) -> None:
        self.process = zygote_module.launch(self.argv, self.workdir, self.env)

    def _launched(self) -> tuple[subprocess.Popen, IO[str], IO[str]]:
        """The zygote's process and the pipes to its stdin and stdout, once it is launched."""
        process = self.process
        if process is None or process.stdin is None or process.stdout is None:
            raise RuntimeError("the zygote is not launched, or not with its stdin and stdout piped")
        return process, process.stdin, process.stdout

    def wait_ready(self) -> Zygote:
        process, _, stdout = self._launched()
        hello = stdout.readline()
        if not hello:
            raise ZygoteError(f"the zygote exited before it was ready (exit code {process.wait()})")
        info = json.loads(hello)
        if info.get("threads", 1) != 1:
            raise ZygoteError(f"the zygote has {info['threads']} threads; forking it would not be safe")
        self.pid = info.get("pid")
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _ask(self, request: dict, timeout: float | None = None) -> dict | None:
        """Send ``request`` and read the answer; None if the zygote is gone or silent past ``timeout``."""
        _, stdin, stdout = self._launched()
        try:
            stdin.write(json.dumps(request) + "\n")
            stdin.flush()
        except OSError:
            return None
        # each request has one line of answer: nothing is left buffered for select to miss
        if timeout is not None and not select.select([stdout], [], [], timeout)[0]:
            return None
        line = stdout.readline()
        try:
            return json.loads(line) if line else None
        except ValueError:
            return None

    def healthy(self) -> bool:
        """Alive, answering, and still the process that said it was ready."""
        if not self.alive():
            return False
        token = uuid.uuid4().hex
        reply = self._ask({"ping": token}, timeout=PING_TIMEOUT)
        return reply is not None and reply.get("pong") == token and reply.get("pid") == self.pid

    def fork(self, argv: list[str], cwd: str, env: dict[str, str]) -> int:
        """Fork a kernel running ``ipykernel_launcher ARGV`` in ``cwd`` with ``env``; its pid.

        A zygote that died or stopped answering since the last kernel is replaced first, so
        whatever happened to it costs the next student nothing."""
        with self._lock:
            if not self.healthy():
                self.stop()
                self.start()
            reply = self._ask({"argv": argv, "cwd": str(cwd), "env": env})
        if reply is None:
            raise ZygoteError("the zygote exited while forking a kernel")
        if "error" in reply:
            raise ZygoteError(reply["error"])
        return int(reply["pid"])

    def limit_reached(self) -> str | None:
        """Which of the notebook's limits the sandbox enforced on the last kernel, if any."""
        with self._lock:
            reply = self._ask({"limit_reached": True}, timeout=PING_TIMEOUT) if self.alive() else None
        return (reply or {}).get("limit")

    def stop(self) -> None:
        if self.process is None:
            return
        process, stdin, _ = self._launched()
        try:
            stdin.close()
            process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        self.process = self.pid = None


_ZYGOTE: Zygote | None = None
_SETTINGS: dict = {"transport": "ipc", "runtime_dir": None}


def configure(transport: str = "ipc", runtime_dir: Path | None = None) -> None:
    """How this process's kernels talk: "ipc" (unix sockets in ``runtime_dir``) or "tcp" (loopback)."""
    if transport not in ("ipc", "tcp"):
        raise ValueError(f"transport must be 'ipc' or 'tcp', not {transport!r}")
    _SETTINGS["transport"] = transport
    _SETTINGS["runtime_dir"] = Path(runtime_dir) if runtime_dir else None


def runtime_dir() -> Path:
    if _SETTINGS["runtime_dir"] is None:
        _SETTINGS["runtime_dir"] = private_runtime_dir()
    return _SETTINGS["runtime_dir"]


def install_zygote(zygote: Zygote | None) -> None:
    """Make ``zygote`` the one this process's kernel managers fork from."""
    global _ZYGOTE  # noqa: PLW0603 - one zygote per worker process, shared by its kernel managers
    _ZYGOTE = zygote


def current_zygote() -> Zygote | None:
    return _ZYGOTE


def _stat(pid: int) -> list[bytes] | None:
    """The fields of ``/proc/PID/stat`` from the state on (the third), or None if there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read()
    except OSError:
        return None
    return text[text.rindex(b")") + 2:].split()


STATE, START_TIME, EXIT_CODE = 0, 19, 49  # fields 3, 22 and 52 of proc(5)


class ForkedKernel:
    """The part of ``subprocess.Popen`` jupyter_client uses, for a kernel forked by the zygote.

    The kernel is the zygote's child, not this process's (and in a sandbox, its pid here
    is not the one it has inside): it is watched through ``/proc``. The zygote reaps it only
    at its next request, so an exited kernel stays a zombie, with its exit status, while it
    is watched; a pid that is gone, or now names a process started later, has exited too.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        fields = _stat(pid)
        self._started = fields[START_TIME] if fields else None

    def poll(self) -> int | None:
        if self.returncode is None:
            fields = _stat(self.pid)
            if fields is None or fields[START_TIME] != self._started:
                self.returncode = 0  # reaped already: its status is lost
            elif fields[STATE] in (b"Z", b"X"):
                self.returncode = os.waitstatus_to_exitcode(int(fields[EXIT_CODE])) \
                    if len(fields) > EXIT_CODE else 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        started = time.monotonic()
        while (returncode := self.poll()) is None:
            if timeout is not None and time.monotonic() > started + timeout:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.005)
        return returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ZygoteProvisioner(LocalProvisioner):
    """Launch ``python -m ipykernel_launcher ...`` as a fork of the zygote; anything else as usual."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        # a grading kernel never grades a short answer its own code passes to ``grade``: only the grader does
        env = kwargs["env"] = {**(kwargs.get("env") or os.environ), RECORDS_ENV: "1"}
        zygote = current_zygote()
        if zygote is None or cmd[1:3] != LAUNCHER_ARGS:
            return await super().launch_kernel(cmd, **kwargs)
        cwd = kwargs.get("cwd") or os.getcwd()
        # jupyter_client uses only the part of Popen a ForkedKernel has
        self.process = cast(subprocess.Popen, ForkedKernel(zygote.fork(cmd[3:], cwd, env)))
        self.pid = self.process.pid
        self.pgid = self.pid  # the kernel leads its own session, like start_new_session=True
        self.cwd = cwd
        return self.connection_info

    async def send_signal(self, signum: int) -> None:
        # once the kernel has exited its process group may be gone, and its number reused
        if not isinstance(self.process, ForkedKernel) or self.process.poll() is None:
            await super().send_signal(signum)


class ReadyKernelClient(AsyncKernelClient):
    """jupyter_client's client, ready as soon as the kernel has answered ``kernel_info``
    on both channels.

    jupyter_client's own wait ends by listening to IOPub until it has been silent
    for 0.2 s, a pause in every kernel start; and when IOPub connects after the
    kernel has published its answer (the "slow joiner"), it waits another 0.2 s
    before asking again. Here the wait ends at the "idle" status that follows
    the answered request, and a kernel's IOPub welcome (sent when this client's
    subscription arrives) means "ask again now". nbclient ignores IOPub messages
    that answer other requests, so nothing else changes.
    """

    iopub_wait = 0.2  # jupyter_client's: no IOPub message within it means IOPub is not connected yet
    # evaluated by the kernel after the next cell's code, answered in that cell's reply (PREFETCH)
    prefetch: str | None = None

    def execute(self, code: str, silent: bool = False, store_history: bool = True,
                user_expressions: dict[str, Any] | None = None, allow_stdin: bool | None = None,
                stop_on_error: bool = True) -> str:
        if self.prefetch is not None and not silent:
            user_expressions = {**(user_expressions or {}), PREFETCH: self.prefetch}
            self.prefetch = None
        return super().execute(code, silent=silent, store_history=store_history, user_expressions=user_expressions,
                               allow_stdin=allow_stdin, stop_on_error=stop_on_error)

    @default("context")
    def _context_default(self):
        # The client connects while the forked kernel is still binding its sockets; ZeroMQ
        # would try again only after its default 100 ms.
        context = super()._context_default()
        context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_INTERVAL_MS)
        # ZeroMQ drops a message larger than this rather than fill the worker's memory with it
        context.setsockopt(zmq.MAXMSGSIZE, limits.current().message_bytes)
        return context

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply" \
                    and await self._iopub_idle_after(reply["parent_header"].get("msg_id")):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _iopub_idle_after(self, request_id: str | None) -> bool:
        """Read IOPub up to the kernel's "idle" after ``request_id``; False to ask again."""
        while True:
            try:
                message = await self.iopub_channel.get_msg(timeout=self.iopub_wait)
            except Empty:
                return False
            if message["msg_type"] == "iopub_welcome":
                return False  # subscribed just now: the status may have been published to no one
            if message["msg_type"] == "status" and message["content"].get("execution_state") == "idle" \
                    and message["parent_header"].get("msg_id") == request_id:
                return True


class ZygoteKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels come from the worker's zygote."""

    client_factory = Type(ReadyKernelClient, klass=AsyncKernelClient)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = f"k-{uuid.uuid4().hex[:12]}"
        self.connection_file = str(runtime_dir() / f"{name}.json")
        if _SETTINGS["transport"] == "ipc":
            self.transport = "ipc"
            self.ip = str(runtime_dir() / name)

    async def _async_pre_start_kernel(self, **kw):
        self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
        if self.provisioner is None:
            self.provisioner = ZygoteProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        return await super()._async_pre_start_kernel(**kw)

    pre_start_kernel = _async_pre_start_kernel

    async def _async_finish_shutdown(self, waittime=None, pollinterval=0.1, restart=False):
        # A kernel exits milliseconds after its shutdown reply: look that often, not every 0.1 s.
        await super()._async_finish_shutdown(waittime, pollinterval=min(pollinterval, 0.005), restart=restart)

    finish_shutdown = _async_finish_shutdown


class GradingExecute(Execute):
    """nbgrader's ``Execute`` with kernels forked from the worker's zygote, keeping at most
    twice ``cell_output_chars`` of each cell's output, and judging each test cell in this
    process (``course.grading.verdict``) instead of the kernel.

    A test cell never runs in the kernel: its verdict, and the output the autograded notebook
    and the feedback show (what its checks printed, the error that failed it, its partial
    credit), are the grader's."""

    @default("shutdown_kernel")
    def _kill_when_done(self):
        # the kernel is a throwaway fork: nothing of it needs a clean exit, and none of its code runs after
        return "immediate"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", ZygoteKernelManager)
        super().__init__(*args, **kwargs)
        self.budget = CellOutputBudget()
        self.judge: Judge | None = None
        self.running: tuple[int, NotebookNode] | None = None  # (index, cell) of the cell being run or judged
        self.read_next: dict[int, list[str]] = {}

    def preprocess(self, nb, resources=None, km=None):
        locked = [c.source for c in nb.cells if c.cell_type == "code" and grading(c).get("locked")]
        self.judge = Judge(locked, self._ask)
        # per code cell followed by test cells: the student's names those test cells read
        self.read_next = {index: self.judge.wanted(tests) for index, tests in _tests_next(nb.cells).items()}
        resources = resources if resources is not None else {}
        resources[VERDICTS] = {}
        return super().preprocess(nb, resources, km=km)

    def preprocess_cell(self, cell, resources, index):
        self.running = (index, cell)
        meta = grading(cell)
        if is_test_cell(cell) and self.judge is not None:
            verdict = self.judge.judge(cell.source, float(meta.get("points", 0)), meta.get("grade_id", "test cell"))
            resources[VERDICTS][meta.get("grade_id")] = verdict
            cell.outputs, cell.execution_count = verdict_outputs(verdict), None
            return cell, resources
        self.budget = CellOutputBudget()
        if self.judge is not None:
            self.judge.forget()  # the cell may change any value
            names = self.read_next.get(index)
            if names and self.kc is not None:
                # the test cells that follow read the values this cell leaves: ask in the same request
                self.kc.prefetch = self.judge.request(names)
        return super().preprocess_cell(cell, resources, index)

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        if self.kc is not None:
            self.kc.prefetch = None  # a cell nbclient did not send leaves nothing to answer
        names = self.read_next.get(kwargs.get("cell_index"))
        if names and self.judge is not None:
            with contextlib.suppress(ValueError):  # not answered (the cell failed): asked when judged
                self.judge.remember(names, user_expression_text(kwargs["execute_reply"], PREFETCH))

    def output(self, outs, msg, display_id, cell_index):
        if self.budget.admit(msg):
            return super().output(outs, msg, display_id, cell_index)
        notice = self.budget.notice()
        if notice is not None:
            outs.append(notice)
        return None

    def _ask(self, expression: str) -> str:
        """Evaluate ``expression`` in the kernel, outside any cell, and return the text it gives."""
        return run_sync(self._async_ask)(expression)

    async def _async_ask(self, expression: str) -> str:
        msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions={"value": expression})
        timeout = self.timeout if self.timeout and self.timeout > 0 else None
        for attempt in ("wait", "interrupted"):
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                remaining = None if deadline is None else max(deadline - time.monotonic(), 0)
                try:
                    reply = await self.kc.shell_channel.get_msg(timeout=remaining)
                except Empty:
                    break
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    return user_expression_text(reply)
            if not await ensure_async(self.kc.is_alive()):
                raise DeadKernelError("Kernel died while the grader read the student's values")
            if attempt == "wait":
                await ensure_async(self.km.interrupt_kernel())
                timeout = INTERRUPT_GRACE_SECONDS
        raise KernelUnresponsive(f"the kernel did not answer the grader within {self.timeout} s, "
                                 "even when interrupted")


def _tests_next(cells) -> dict[int, list[str]]:
    """For each code cell followed (past markdown) by test cells: those test cells' sources."""
    found: dict[int, list[str]] = {}
    last_code = None
    for index, cell in enumerate(cells):
        if is_test_cell(cell):
            if last_code is not None:
                found.setdefault(last_code, []).append(cell.source)
        elif cell.cell_type == "code" and cell.source.strip():
            last_code = index
    return found


def verdict_outputs(verdict: Verdict) -> list:
    """A judged test cell's outputs, as a run in the kernel would have left them: what its code
    printed, then the error that failed it or the partial credit it ended with (the feedback
    hides a hidden test's message, as it hides the kernel's)."""
    outputs = [nbformat.v4.new_output("stream", name="stdout", text=verdict.printed)] if verdict.printed else []
    if verdict.error:
        name, _, message = str(verdict.error).partition(": ")
        where = [f"Cell In[], line {verdict.line}"] if verdict.line else []
        outputs.append(nbformat.v4.new_output("error", ename=name, evalue=message,
                                              traceback=[*where, f"{name}: {message}"]))
    elif verdict.result is not None:
        outputs.append(nbformat.v4.new_output("execute_result", data={"text/plain": repr(verdict.result)},
                                              execution_count=None))
    return outputs


def private_runtime_dir() -> Path:
    """A short, private folder for connection files and unix sockets (paths must stay < 108 bytes)."""
    return Path(tempfile.mkdtemp(prefix="casebook-kernels-"))


worker_environment = zygote_module.worker_environment
