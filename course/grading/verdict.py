"""Verdicts decided in the grading process, from the student's values as data.

For each graded test cell, just before the kernel runs it, the grader asks the
kernel for the values the cell's code reads (``evidence.collect``), rebuilds
them as the grader's own objects, and runs the cell's code, the instructor's
visible checks and hidden tests, here, with the casebook's modules imported
here. A function the student wrote stays in the kernel: the cell calls a
``RemoteFunction``, which sends the arguments to the kernel as data and gets
the result (or the exception's type names) back as data.

What decides a name's origin is the release, not the student: a name that the
notebook's locked cells import is the grader's (``pd``, ``market``, ``check``,
``grade`` ...); any other name the cell reads is the student's value. Nothing
the kernel does to its own modules, builtins, the test cell's names, tracing
hooks or display changes how the cell's code runs here.

The score follows nbgrader's rules for a test cell: an exception means 0; a
last expression that is a number is partial credit (clamped to [0, points]);
anything else, full points.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import io
import json
import warnings
from dataclasses import dataclass
from typing import cast

from course.grading import evidence, limits
from course.grading.output_limit import clip
from course.points import clamp_points

__all__ = ["Judge", "RemoteFunction", "Verdict", "free_names", "trusted_imports"]

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass
class Verdict:
    points: float
    max_points: float
    error: str | None = None       # "Name: message" of the exception that failed the cell
    line: int | None = None        # the cell's line that raised it (1-based), if known
    hidden: bool = False           # raised by a hidden test's line
    printed: str = ""              # what the cell's code printed while judged (clipped)
    result: float | None = None    # the number the cell ended with, clamped: its partial credit

    @property
    def passed(self) -> bool:
        return self.error is None and self.points >= self.max_points


class KernelUnresponsive(RuntimeError):
    """The kernel did not answer the grader's request in time."""


@functools.lru_cache(maxsize=4096)  # the release's test cells, the same for every student
def free_names(source: str) -> tuple[str, ...]:
    """Every name the cell's code reads, but Python's builtins, sorted."""
    tree = ast.parse(source)
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    return tuple(sorted(names - BUILTIN_NAMES))


def trusted_imports(locked_sources: list[str]) -> dict:
    """The namespace made by running, here, only the import statements of the release's locked cells."""
    namespace: dict = {"__builtins__": builtins, "__name__": "__casebook_grading__"}
    for source in locked_sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        imports: list[ast.stmt] = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
        if imports:
            exec(compile(ast.Module(body=imports, type_ignores=[]), "<release imports>", "exec"), namespace)
    return namespace


class RemoteFunction:
    """A function the student defined, called in the kernel with data and answering with data."""

    def __init__(self, name: str, ask):
        self.__name__ = self.name = name
        self._ask = ask  # ask(expression) -> the JSON text the kernel's expression returned

    def __repr__(self) -> str:
        return f"<student function {self.name}>"

    def __call__(self, *args, **kwargs):
        request = json.dumps({"args": [evidence.encode(a) for a in args],
                              "kwargs": [[k, evidence.encode(v)] for k, v in kwargs.items()]}, allow_nan=False)
        answer = json.loads(self._ask(f"__import__('course.grading.evidence', fromlist=['call'])"
                                      f".call(get_ipython().user_ns, {self.name!r}, {request!r})"))
        if "error" in answer:
            raise _student_exception(answer["error"], str(answer.get("message", "")), answer.get("args"))
        return _value(answer.get("result"), self._ask)


def _student_exception(type_names: list, message: str, args: list | None = None) -> Exception:
    """The exception a student's function raised, as a class the grader's ``except`` clauses match:
    the builtin ``Exception`` subclass nearest in its type's ancestry, never a ``BaseException``
    that would stop the grader (``SystemExit``, ``KeyboardInterrupt``). It is built from the
    exception's plain arguments where that reads as the kernel's did, else so it reads as its message."""
    names = [str(n) for n in type_names if isinstance(n, str)] or ["Exception"]
    base = next((getattr(builtins, n) for n in names if isinstance(getattr(builtins, n, None), type)
                 and issubclass(getattr(builtins, n), Exception)), Exception)
    if names[0] != base.__name__:
        bases = (evidence.RemoteError,) if base is Exception else (base, evidence.RemoteError)
        base = type(names[0], bases, {"type_names": tuple(names)})
    if isinstance(args, list) and all(type(a) in (str, int, float, bool) for a in args) \
            and str(built := base(*args)) == message:
        return built
    if str(built := base(message)) == message:
        return built
    return type(base.__name__, (base,), {"__str__": lambda self: message})(message)  # KeyError quotes it


def _value(data, ask):
    if isinstance(data, dict) and data.get("t") == "function":
        return evidence.Unavailable("a function returned by a function")
    return evidence.decode(data)


class Judge:
    """Judges a notebook's test cells; ``ask`` evaluates an expression in the kernel and returns its text.

    The kernel's answer for a set of names may be given ahead (``remember``), from the request
    that ran the cell before; it stands until the kernel runs anything else (``forget``): a cell,
    or a student's function the tests call."""

    def __init__(self, locked_sources: list[str], ask):
        self.namespace = trusted_imports(locked_sources)
        self.ask = ask
        self._known: tuple[frozenset[str], str] | None = None

    def wanted(self, sources: list[str]) -> list[str]:
        """The names the cells ``sources`` read that are the student's, not the release's."""
        names: set[str] = set()
        for source in sources:
            with contextlib.suppress(SyntaxError):
                names.update(free_names(source))
        return sorted(names - set(self.namespace))

    @staticmethod
    def request(names: list[str]) -> str:
        """The expression that has the kernel send its values for ``names``."""
        return (f"__import__('course.grading.evidence', fromlist=['collect'])"
                f".collect(get_ipython().user_ns, {names!r})")

    def remember(self, names: list[str], answer: str) -> None:
        self._known = (frozenset(names), answer)

    def forget(self) -> None:
        self._known = None

    def _call(self, expression: str) -> str:
        self.forget()  # the student's function may change any of the student's values
        return self.ask(expression)

    def values(self, names) -> dict:
        """The student's values for ``names`` (those the kernel has), rebuilt here, each time anew."""
        wanted = [n for n in names if n not in self.namespace]
        if not wanted:
            return {}
        known = self._known
        answer = known[1] if known is not None and known[0].issuperset(wanted) else self.ask(self.request(wanted))
        found = json.loads(answer)
        if not isinstance(found, dict):
            return {}
        return {name: RemoteFunction(name, self._call) if isinstance(data, dict) and data.get("t") == "function"
                else evidence.decode(data) for name, data in found.items() if name in wanted}

    def judge(self, source: str, max_points: float, label: str = "test cell") -> Verdict:
        try:
            student = self.values(free_names(source))
        except (ValueError, TypeError) as err:  # the kernel's answer was not evidence
            return Verdict(0.0, max_points, f"EvidenceError: the kernel sent no readable values ({err})")
        return run_test(source, max_points, {**self.namespace, **student}, label)


@contextlib.contextmanager
def _grading_here():
    """Run instructor code in this process: what it prints is the cell's output (yielded), and its
    warnings are nobody's."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield printed


def run_test(source: str, max_points: float, namespace: dict, label: str = "test cell") -> Verdict:
    """Run a test cell's code in ``namespace`` and score it as nbgrader scores a test cell."""
    filename = f"<{label}>"
    tree = ast.parse(source, filename)
    last = cast(ast.Expr, tree.body.pop()) if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    hidden_from = next((i + 1 for i, line in enumerate(source.split("\n")) if HIDDEN_BEGIN in line), None)
    with _grading_here() as printed:
        try:
            exec(compile(tree, filename, "exec"), namespace)
            value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace) if last else None
        except KernelUnresponsive:
            raise
        except Exception as err:  # the cell failed: the student's answer did not pass
            line = _raising_line(err, filename)
            return Verdict(0.0, max_points, f"{type(err).__name__}: {err}", line,
                           hidden=hidden_from is None or line is None or line > hidden_from,
                           printed=clip(printed.getvalue(), limits.current().cell_output_chars))
    shown = clip(printed.getvalue(), limits.current().cell_output_chars)
    if evidence.is_number(value):
        points = clamp_points(float(value), max_points)
        return Verdict(points, max_points, printed=shown, result=points)
    return Verdict(float(max_points), max_points, printed=shown)


def _raising_line(err: BaseException, filename: str) -> int | None:
    line = None
    tb = err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def user_expression_text(reply: dict, name: str = "value") -> str:
    """The string a kernel's execute reply gives for user expression ``name``."""
    content = reply.get("content", {})
    result = content.get("user_expressions", {}).get(name)
    if content.get("status") != "ok" or not isinstance(result, dict):
        raise ValueError(f"the kernel did not evaluate the grader's request ({content.get('ename', 'no reply')})")
    if result.get("status") != "ok":
        raise ValueError(f"{result.get('ename')}: {str(result.get('evalue'))[:200]}")
    text = result.get("data", {}).get("text/plain")
    value = ast.literal_eval(text) if isinstance(text, str) else None
    if not isinstance(value, str):
        raise ValueError("the kernel's answer is not text")
    return value

