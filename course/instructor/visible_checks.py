"""Answers to every code exercise, wrong and right, to hold the visible checks to the hidden tests.

Each case's corpus (``source/<case>/answer_corpus.py``, never released) lists ``ENTRIES``: an answer cell's whole
source in place of the key's, made with ``wrong(...)`` (a typical mistake: a hidden test must fail)
or ``right(...)`` (a defensible answer in another style: every test must pass). For each entry the
exercise's test cells run twice over, in a copy of the key's namespace as it was before that answer
cell: the visible part alone (does the learner see "Not yet"?) and the hidden part alone (does
the grader give full points?). The two must agree cell by cell.

A case's notebook runs once, in this process; each entry then costs only its own cells.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import importlib.util
import io
import numbers
import warnings
from dataclasses import dataclass
from functools import cache

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.core.inputtransformer2 import TransformerManager

from course import notebooks
from course.cases import notebook
from course.instructor.feedback import BEGIN
from course.paths import source_dir

HIDDEN = f"### {BEGIN}"


@dataclass(frozen=True)
class Entry:
    cell: str        # grade_id of the answer cell
    name: str        # what the answer does, short
    source: str      # the whole answer cell
    right: bool

    @property
    def id(self) -> str:
        return f"{self.cell}/{self.name}"


def wrong(cell: str, name: str, source: str) -> Entry:
    return Entry(cell, name, source, False)


def right(cell: str, name: str, source: str) -> Entry:
    return Entry(cell, name, source, True)


def key(case: str, cell: str) -> str:
    """The answer key's source of ``cell``, for answers that change one thing in it."""
    return notebooks.answers(notebooks.read(notebook(case, "source")))[cell]


@dataclass
class Outcome:
    visible_error: str | None   # the first exception of the visible part: "Not yet" for the learner
    hidden_error: str | None    # why the hidden part falls short of full points, or None

    @property
    def agrees(self) -> bool:
        return (self.visible_error is None) == (self.hidden_error is None)


def _python(source: str) -> str:
    return TransformerManager().transform_cell(source)


def _is_short_answer(cell) -> bool:
    return "course.shortanswer" in cell.source


def _copied(namespace: dict) -> dict:
    """A namespace whose tables and containers an answer may change in place without harm."""
    out = {}
    for name, value in namespace.items():
        if isinstance(value, (pd.DataFrame, pd.Series, pd.Index, np.ndarray)):
            out[name] = value.copy()
        elif isinstance(value, (dict, list, set)):
            try:
                out[name] = copy.deepcopy(value)
            except Exception:  # noqa: BLE001 - a container of figures or modules is shared as it is
                out[name] = value
        else:
            out[name] = value
    return out


def _run(source: str, namespace: dict, keep_going: bool = False):
    """Run ``source`` (IPython's way of reading a cell); its last expression's value, or raise.

    With ``keep_going``, a statement that raises does not stop the next ones; the first error is raised at the end."""
    tree = ast.parse(_python(source))
    body, last = tree.body, None
    if body and isinstance(tail := body[-1], ast.Expr):
        body, last = body[:-1], tail.value
    first_error = None
    with contextlib.redirect_stdout(io.StringIO()):
        for statement in body:
            try:
                exec(compile(ast.Module([statement], []), "<cell>", "exec"), namespace)
            except Exception as err:  # noqa: BLE001 - a wrong answer may raise anything
                if not keep_going:
                    raise
                first_error = first_error or err
        value = None
        if last is not None:
            try:
                value = eval(compile(ast.Expression(last), "<cell>", "eval"), namespace)
            except Exception as err:  # noqa: BLE001
                if not keep_going:
                    raise
                first_error = first_error or err
    if first_error is not None:
        raise first_error
    return value


def _describe(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}"


class CaseRun:
    """A case's answer key run once, and its exercises run again on other answers."""

    def __init__(self, case: str):
        self.case = case
        self.cells = notebooks.read(notebook(case, "source")).cells
        self.before: dict[str, dict] = {}       # answer cell -> the namespace just before it
        self.tests: dict[str, list] = {}        # answer cell -> its code test cells
        namespace: dict = {"__name__": "__main__"}
        current = None
        for cell in self.cells:
            info = notebooks.grading(cell)
            if cell.cell_type != "code" or not info or _is_short_answer(cell):
                continue
            if info.get("solution"):
                current = info["grade_id"]
                self.before[current] = _copied(namespace)
                self.tests[current] = []
            elif info.get("grade") and current:
                self.tests[current].append(cell)
            _run(cell.source, namespace)
        plt.close("all")

    def exercises(self) -> list[str]:
        """The answer cells that code test cells grade."""
        return [cell for cell, tests in self.tests.items() if tests]

    def outcomes(self, entry: Entry) -> dict[str, Outcome]:
        """``{test cell: Outcome}`` for the answer ``entry``."""
        namespace = _copied(self.before[entry.cell])
        # An error is not reported: the tests then fail on what is missing, as in a notebook.
        with contextlib.suppress(Exception):
            _run(entry.source, namespace)
        results = {}
        for cell in self.tests[entry.cell]:
            visible, _, hidden = cell.source.partition(HIDDEN)
            points = float(notebooks.grading(cell)["points"])
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    _run(visible, namespace, keep_going=True)
                    visible_error = None
                except Exception as err:  # noqa: BLE001
                    visible_error = _describe(err)
                try:
                    score = _run(hidden, namespace)
                    hidden_error = None
                    if isinstance(score, numbers.Real) and not isinstance(score, bool) and score < points:
                        hidden_error = f"partial credit {score} of {points}"
                except Exception as err:  # noqa: BLE001
                    hidden_error = _describe(err)
            if caught and hidden_error is None:  # nbgrader gives 0 to a test cell that writes to stderr
                hidden_error = f"warning: {caught[0].message}"
            results[notebooks.grading(cell)["grade_id"]] = Outcome(visible_error, hidden_error)
        plt.close("all")
        return results


CORPUS_FILE = "answer_corpus.py"


def entries(case: str) -> list[Entry]:
    """The corpus of ``case`` (``source/<case>/answer_corpus.py``, never released): its wrong and
    right answers."""
    path = source_dir() / case / CORPUS_FILE
    spec = importlib.util.spec_from_file_location(f"answer_corpus_{case}", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"No answer corpus at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ENTRIES


@cache
def case_run(case: str) -> CaseRun:
    return CaseRun(case)
