"""Why a submission could not be graded, in the instructor's terms rather than nbgrader's."""

from __future__ import annotations

import re
from pathlib import Path

from course.grading import limits

__all__ = ["exception_lines", "reasons", "running_cell"]


LOG_PREFIX = re.compile(r"^\[\d{4}-\d\d-\d\d [\d:,]+ [A-Z]+\] ")


def reasons(log_text: str, error: BaseException | None, submitted: Path, expected: list[str],
            converter) -> list[str]:
    """Why a submission could not be graded, from nbgrader's log of it and the error it raised.

    ``submitted``: the student's folder; ``expected``: the notebook file names of the case;
    ``converter``: the Autograde converter that failed, to tell which cell the kernel was running.
    """
    files = sorted(str(p.relative_to(submitted)) for p in submitted.rglob("*") if p.is_file()) \
        if submitted.is_dir() else []
    if not files:
        return ["the submission is empty (no files)"]
    if not set(expected) & set(files):
        found = ", ".join(map(repr, files[:5])) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
        return [f"no notebook named {' or '.join(expected)} in the submission (found: {found})"]
    reasons: dict[str, str] = {}  # by kind, the first (innermost) of each
    for line in exception_lines(log_text):
        name, _, message = line.partition(": ")
        name = name.rsplit(".", 1)[-1]
        if name == "DeadKernelError":
            reasons.setdefault(name, f"the kernel died while running {running_cell(converter)} "
                                     "(os._exit, a crash or a limit?)")
        elif name in ("JSONDecodeError", "NotJSONError"):
            reasons.setdefault("json", f"invalid notebook JSON: {message}")
        elif name == "CellTimeoutError" and "Timeout waiting for IOPub output" in log_text:
            reasons.setdefault(name, f"the output of {running_cell(converter)} never all arrived "
                                     f"(one message over {limits.current().message_bytes:,} bytes, or a kernel still "
                                     "busy after the cell)")
        elif name == "UnresponsiveKernelError":
            reasons.setdefault(name, f"the kernel stopped responding while running {running_cell(converter)}")
        elif not message.startswith("Please see the"):  # nbgrader's pointer to the traceback
            reasons.setdefault(line, f"{name}: {message}")
    if error is not None and not reasons and not str(error).startswith("Please see the"):
        reasons["error"] = f"{type(error).__name__}: {error}"
    # the last distinct reasons, the root cause last
    return [r[:500] for r in list(reasons.values())[-3:]] or ["autograde failed (see the log)"]


def exception_lines(log_text: str) -> list[str]:
    """The exception line (``module.Error: message``) of each traceback in the log, in order."""
    lines = [LOG_PREFIX.sub("", line) for line in log_text.splitlines()]
    found = []
    for i, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last):"):
            # the first unindented line after the traceback
            for later in lines[i + 1:]:
                if later and not later.startswith((" ", "\t", "Traceback", "During handling",
                                                   "The above exception")):
                    found.append(later.strip())
                    break
    return found


def running_cell(converter) -> str:
    """The cell the kernel was running, or the grader judging, when the notebook failed."""
    from course.grading.kernels import GradingExecute

    for step in getattr(converter.exporter, "_preprocessors", ()):  # the instances nbconvert ran
        if isinstance(step, GradingExecute) and step.running is not None:
            index, cell = step.running
            return f"cell {cell.metadata.get('nbgrader', {}).get('grade_id') or index + 1}"
    return "a cell"
