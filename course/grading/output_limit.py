"""A cap on the output one cell sends and keeps while it is graded.

nbclient keeps every output a cell sends, in the worker's memory and then in the
autograded notebook; nbgrader's ``LimitOutput`` cuts it to 1,000 lines only after
the cell has run, however long the lines. A cell printing in a loop until the
timeout sent a worker past 5 GB and left a 1 GB autograded notebook. The casebook's
answer keys print at most ~50 kB a cell; here a cell gets ``cell_output_chars``
(``course.grading.limits``, configurable like every limit here):

- in the kernel (``limit_kernel_output``): what the cell prints or displays past the
  cap is never sent, one notice in its place, so a printing loop runs on to the
  timeout like any other loop;
- in the worker (``CellOutputBudget``): outputs are counted as they arrive and those
  past twice the cap (a kernel the student's code changed) are dropped. Errors are
  always kept, their text clipped: nbgrader scores a test cell by them. No message
  over ``message_bytes`` is received at all (ZeroMQ drops the connection; the
  submission fails for want of the cell's output).
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from typing import TypedDict

from course.grading import limits


def notice(limit: int | None = None) -> str:
    """What stands in a cell's output for what was not sent."""
    kept = limits.current().cell_output_chars if limit is None else limit
    return f"\n... output truncated: the grader keeps the first {kept:,} characters of a cell's output ...\n"


def content_size(content: dict) -> int:
    """About the characters an output message would add to the notebook."""
    size = len(content.get("text", ""))
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(json.dumps(value))
    return size


def clip(text: str, limit: int | None = None) -> str:
    """``text`` up to ``limit`` characters (default: an error's, ``error_text_chars``)."""
    limit = limits.current().error_text_chars if limit is None else limit
    return text if len(text) <= limit else text[:limit] + " ... (truncated by the grader)"


def clip_error(content: dict) -> None:
    """Clip an error's value and traceback lines in place; the error itself stays."""
    content["evalue"] = clip(str(content.get("evalue", "")))
    content["traceback"] = [clip(str(line)) for line in content.get("traceback", [])]


class Budget:
    """Characters of output left to one cell, and whether dropping has been announced."""

    def __init__(self, limit: int):
        self.left = limit
        self.announced = False

    def take(self, size: int) -> bool:
        """Count ``size`` characters; True while they fit."""
        self.left -= size
        return self.left >= 0

    def first_drop(self) -> bool:
        """True once, the first time output is dropped: the time to say so."""
        first, self.announced = not self.announced, True
        return first


class CellOutputBudget(Budget):
    """Decides, message by message, which of one cell's outputs the worker keeps."""

    def __init__(self, limit: int | None = None):
        super().__init__(limits.current().worker_output_chars if limit is None else limit)

    def admit(self, msg: dict) -> bool:
        """True to keep the output ``msg`` carries (an error's text clipped first)."""
        if msg["msg_type"] == "error":
            clip_error(msg["content"])
            return True
        return self.take(content_size(msg["content"]))

    def notice(self):
        """The output that stands for the dropped ones: once per cell, then None."""
        if not self.first_drop():
            return None
        from nbformat.v4 import new_output

        return new_output("stream", name="stderr", text=notice())


class _Execution(TypedDict):
    """What ``limit_kernel_output`` keeps of the execution under way."""

    budget: Budget
    write_notice: Callable[[str], object] | None


def limit_kernel_output(shell, limit: int | None = None) -> None:
    """In a kernel: what each execution prints (``sys.stdout``, ``sys.stderr``), displays or
    returns as its result through ``shell``, past ``limit`` characters in all (default:
    ``cell_output_chars``), is not sent.

    The streams are wrapped when each execution starts and unwrapped when it ends:
    IPython wraps their ``write`` for the same time to keep a copy of the output in its
    history, and the copy would still grow if the cap were inside that wrapper.
    """
    limit = limits.current().cell_output_chars if limit is None else limit
    dropped = notice(limit)
    lock = threading.Lock()  # ipykernel's pipe watchers write from threads of their own
    current: _Execution = {"budget": Budget(limit), "write_notice": None}  # both new at each execution
    wrapped: list[tuple[object, object]] = []

    def admit(size: int) -> bool:
        with lock:
            budget = current["budget"]
            kept = budget.take(size)
            announce = not kept and budget.first_drop()
        if announce and current["write_notice"] is not None:
            current["write_notice"](dropped)
        return kept

    def capped(write):
        def write_within_limit(text):
            return write(text) if admit(len(text)) else len(text)
        return write_within_limit

    def before_execution(*_):
        with lock:
            current.update(budget=Budget(limit), write_notice=sys.stderr.write)
        for stream in (sys.stdout, sys.stderr):
            wrapped.append((stream, stream.write))
            stream.write = capped(stream.write)

    def after_execution(*_):
        while wrapped:
            stream, write = wrapped.pop()
            stream.write = write

    publish = shell.display_pub.publish

    def publish_within_limit(data, *args, **kwargs):
        if admit(content_size({"data": data})):
            publish(data, *args, **kwargs)

    shell.display_pub.publish = publish_within_limit
    write_result = shell.displayhook.write_format_data

    def write_result_within_limit(format_dict, md_dict=None):
        # left unwritten, the result is not sent (ipykernel sends a result that has data)
        if admit(content_size({"data": format_dict})):
            write_result(format_dict, md_dict)

    shell.displayhook.write_format_data = write_result_within_limit
    shell.events.register("pre_execute", before_execution)
    shell.events.register("post_execute", after_execution)
