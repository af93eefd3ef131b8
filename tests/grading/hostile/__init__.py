"""A corpus of hostile and broken submissions of case 1, each with the outcome grading must give.

Every entry builds a submission from the case-1 release and answer key
(``course.notebooks.fill``) and says what must happen:

- ``Expect("graded", zero=...)``: graded; the cells listed in ``zero`` earn
  nothing, every other graded cell what the answer key (or the partly right
  submission, or the blank release: ``scores``) earns alone;
- ``Expect("flagged", zero=..., reason=...)``: graded, the cheated cells earn
  nothing and the record's flags say ``reason``;
- ``Expect("failed", reason=...)``: an error status with ``reason`` in the record,
  and no grades in the gradebook (never a real zero).

``OTHER`` is the student whose folder the hostile entries try to overwrite.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

from course import notebooks

CASE = "case1_market_selection"
NOTEBOOK = "market_selection.ipynb"
OTHER = "honest-key"
TESTS = ["ex1_delivery_table_test", "ex2_speed_up_test", "ex3_gains_test", "ex3_biggest_test",
         "ex4_clearance_ratio_test", "ex4_claim_test", "ex5_disputes_test", "ex6_shares_test",
         "ex7_plot_test", "ex8_dual_track_test", "ex9_figure1_limits_test"]


# A wrong answer for one exercise, and the test cells it fails (and no other); a key "cell/variant"
# is another wrong answer to that cell.
WRONG = {
    "ex2_speed_up": ("def speed_up(before, after):\n    return before / after", ["ex2_speed_up_test"]),
    "ex3_gains": ("gains = delivery.assign(days_saved=delivery['before_days'] - delivery['after_days'],\n"
                  "                        speed_up=delivery['before_days'] / delivery['after_days'])\n"
                  "biggest_speed_up_region = 'nowhere'", ["ex3_biggest_test"]),
    "ex3_gains/frame": ("gains = delivery.assign(days_saved=delivery['before_days'] - delivery['after_days'] + 1,\n"
                        "                        speed_up=delivery['before_days'] / delivery['after_days'])\n"
                        "biggest_speed_up_region = gains['speed_up'].idxmax()", ["ex3_gains_test"]),
    "ex4_clearance": ("clearance_speed_up = 3.5\nclaim_holds = True\nhours_for_claim = 28.0", ["ex4_claim_test"]),
    "ex5_disputes": ("dispute_reduction_pct = 50.0", ["ex5_disputes_test"]),
    # a student who replaces builtins.abs breaks the kernel's matplotlib as well: their own plot is wrong
    "ex5_disputes/abs": ("dispute_reduction_pct = 50.0", ["ex5_disputes_test", "ex7_plot_test"]),
    "ex6_shares": ("stated_share = 20.0\nunstated_share = 80.0", ["ex6_shares_test"]),
    "ex7_plot": ("", ["ex7_plot_test"]),
}
# A trace function that jumps over every line of a test cell that asserts.
TRACER = """import sys, linecache
def skip_asserts(frame, event, arg):
    if "ipykernel_" not in frame.f_code.co_filename:
        return None  # only the notebook's own cells (/tmp/ipykernel_<pid>/...)
    if event == "line" and "assert" in linecache.getline(frame.f_code.co_filename, frame.f_lineno):
        try:
            frame.f_lineno = frame.f_lineno + 1
        except ValueError:
            pass
    return skip_asserts
sys.settrace(skip_asserts)"""
LYING_NUMBER = """class Anything(float):
    def __eq__(self, other):
        return True
    __ne__ = __lt__ = __gt__ = lambda self, other: False
    __le__ = __ge__ = __eq__
    def __sub__(self, other):
        return 0.0
    __rsub__ = __sub__
    def __abs__(self):
        return 0.0
dispute_reduction_pct = Anything(50.0)"""
LYING_FRAME = """
class Agreeable(pd.DataFrame):
    def equals(self, other):
        return True
    def isna(self):
        return pd.DataFrame(False, index=self.index, columns=self.columns)
gains = Agreeable(gains.assign(days_saved=gains["days_saved"] + 1))"""
ALWAYS_EQUAL = """
class Region(str):
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__
biggest_speed_up_region = Region("nowhere")"""
FAKE_FIGURE = """class Axes:
    def get_title(self): return "Delivery times"
    def get_xlabel(self): return "days"
    def get_ylabel(self): return ""
class Figure:
    axes = [Axes()]
fig = Figure()
import course.plotting
course.plotting.bar_data = lambda fig: {"before_days": {}, "after_days": {}}
bar_data = course.plotting.bar_data
describe_bars = lambda fig: 'a chart'"""


# What a kernel tries against the grader; each prints what happened, for tests/grading/test_sandbox.py to read.
KILL_ZYGOTE = """\
import os, signal
for target in (os.getppid(), 1, -1):  # the zygote, the sandbox's first process, every process it may
    try:
        os.kill(target, signal.SIGKILL)
        print('signalled', target)
    except OSError as err:
        print('kill', target, type(err).__name__)
print('visible', {p: open(f'/proc/{p}/cmdline').read().replace(chr(0), ' ')
                  for p in os.listdir('/proc') if p.isdigit()})"""
WRITE_ZYGOTE_MEMORY = """\
import os
for mode in ('rb', 'r+b'):
    try:
        with open(f'/proc/{os.getppid()}/mem', mode) as memory:
            print('opened', mode)
    except OSError as err:
        print('mem', mode, type(err).__name__)"""
FILL_DISK = """\
written = 0
try:
    for n in range(10_000):  # many files, each under the limit on one file's size
        with open(f'filler-{n}', 'wb') as filler:
            for _ in range(16):
                filler.write(b'x' * 2**20)
                written += 2**20
except OSError as err:
    print('stopped', type(err).__name__, err.errno)
print('written', written)"""
FORK_AND_HOARD = """\
import os, time
children = []
for _ in range(8):  # each far under the limit on one process's address space
    child = os.fork()
    if child == 0:
        hoard = bytearray(512 * 2**20)
        time.sleep(600)
        os._exit(0)
    children.append(child)
for child in children:
    os.waitpid(child, 0)"""
SLEEP_IGNORING_SIGINT = """\
import signal, time
signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupt does nothing
# every later cell first sleeps just under the cell timeout: only the notebook's own limit stops it
get_ipython().events.register('pre_run_cell', lambda *args: time.sleep(8))"""


def after(test: str) -> list[str]:
    """``test`` and every test cell after it: what tampering before ``test`` costs."""
    return TESTS[TESTS.index(test):]


@dataclass
class Expect:
    status: str                      # "graded", "flagged" or "failed"
    zero: list[str] = field(default_factory=list)
    reason: str | tuple[str, ...] = ""  # a failure's reason, or one of several
    scores: str = "key"              # what the other cells earn: the "key"'s, the "partial" one's or "blank"


class Corpus:
    """Builds each entry's files from the case's release and answer key."""

    def __init__(self, release, key_answers: dict[str, str], partial: dict[str, str], root: Path,
                 memory_limited: bool = True):
        self.release, self.key, self.partial, self.root = release, key_answers, partial, root
        self.memory_limited = memory_limited  # whether the sandbox limits a notebook's memory in all


    def answers(self, **changes) -> object:
        return notebooks.fill(self.release, {**self.key, **changes})

    def with_code(self, cell: str, code: str) -> object:
        """The answer key with ``code`` run before the answer in ``cell``."""
        return self.answers(**{cell: code + "\n" + self.key[cell]})

    def edit_cell(self, grade_id: str, change) -> object:
        nb = self.answers()
        for index, cell in enumerate(nb.cells):
            if notebooks.grading(cell).get("grade_id") == grade_id:
                change(nb, index, cell)
                return nb
        raise KeyError(grade_id)

    def wrong(self, cell: str, code: str = "") -> object:
        """The answer key with the wrong answer ``WRONG[cell]``, after ``code``."""
        return self.answers(**{cell.split("/")[0]: code + "\n" + WRONG[cell][0]})

    def wrong_edit(self, cell: str, grade_id: str, change) -> object:
        """``wrong(cell)`` with ``change`` made to the cell ``grade_id``."""
        nb = self.wrong(cell)
        for index, found in enumerate(nb.cells):
            if notebooks.grading(found).get("grade_id") == grade_id:
                change(nb, index, found)
                return nb
        raise KeyError(grade_id)

    def cheats(self, markdown, points, ungraded) -> dict[str, tuple[object, Expect]]:
        """Each cheat with the wrong answer it tries to pass: those cells earn nothing, the rest the key's."""
        tag = _tagged
        entries = {
            # the notebook as handed in: restored from the release before anything runs
            "edited-test-cell": (self.wrong_edit("ex2_speed_up", "ex2_speed_up_test",
                                                 lambda nb, i, c: setattr(c, "source", "pass")),
                                 "flagged", "ex2_speed_up_test its code edited"),
            "test-cell-markdown": (self.wrong_edit("ex3_gains", "ex3_biggest_test", markdown),
                                   "flagged", "turned into a markdown cell"),
            "deleted-test-cell": (self.wrong_edit("ex5_disputes", "ex5_disputes_test",
                                                  lambda nb, i, c: nb.cells.pop(i)),
                                  "flagged", "ex5_disputes_test deleted"),
            # nbgrader alone would refuse this notebook (upstream #1083); the copy keeps its cell id too
            "duplicated-graded-cell": ({NOTEBOOK: _bytes(self.wrong_edit(
                "ex6_shares", "ex6_shares_test", lambda nb, i, c: nb.cells.insert(i, copy.deepcopy(c))))},
                "flagged", "ex6_shares_test duplicated (2 cells"),
            "edited-grade-flag": (self.wrong_edit("ex4_clearance", "ex4_claim_test", ungraded),
                                  "flagged", "its metadata edited (grade)"),
            "skip-execution-tag": (self.wrong_edit("ex5_disputes", "ex5_disputes_test", tag("skip-execution")),
                                   "graded", ""),
            "raises-exception-tag": (self.wrong_edit("ex6_shares", "ex6_shares_test", tag("raises-exception")),
                                     "graded", ""),
            # the kernel's objects, modules and hooks: the verdict uses none of them
            "always-equal": (self.answers(ex3_gains=self.key["ex3_gains"] + ALWAYS_EQUAL), "flagged", "defines __eq__"),
            "patched-course-helper": (self.answers(ex2_speed_up=WRONG["ex2_speed_up"][0] + (
                "\nfrom course.cases.case1_market_selection import market\nmarket.speed_up = speed_up")),
                                      "flagged", "patches market.speed_up"),
            "patched-builtin": (self.wrong("ex5_disputes", "abs = lambda x: 0.0"), "flagged", "rebinds 'abs'"),
            "patched-numpy-pandas": (self.wrong("ex3_gains/frame", "import numpy as np\n"
                                                "np.testing.assert_allclose = lambda *a, **k: None\n"
                                                "pd.testing.assert_frame_equal = lambda *a, **k: None"),
                                     "flagged", "patches pd."),
            "disabled-tracebacks": (self.wrong("ex5_disputes", "get_ipython().showtraceback = lambda *a, **k: None"),
                                    "flagged", "calls get_ipython()"),
            "fake-reference-module": (self.wrong("ex5_disputes", "class market:\n    @staticmethod\n"
                                                 "    def percent_reduction(a, b):\n        return 50.0\n"
                                                 "abs = lambda x: 0.0"), "graded", ""),
            "output-before-error": (self.wrong("ex6_shares", "def check(*args, **kwargs):\n"
                                               "    get_ipython().displayhook(2.0)\n"
                                               "def check_length(*args, **kwargs):\n    pass"), "graded", ""),
            "tracing-hook": (self.wrong("ex5_disputes", TRACER), "graded", ""),
            # the same hook on ipykernel's own code too hangs the kernel: no answer, no points (where it
            # stops answering depends on which of ipykernel's asserts it skips first)
            "tracing-hook-everywhere": (self.wrong("ex5_disputes", TRACER.replace('"ipykernel_"', '"ipykernel"')),
                                        "failed", ("did not answer the grader", "never all arrived",
                                                   "stopped responding")),
            "lying-number": (self.answers(ex5_disputes=LYING_NUMBER), "graded", ""),
            "lying-frame": (self.answers(ex3_gains=self.key["ex3_gains"] + LYING_FRAME), "graded", ""),
            "fake-figure": (self.answers(ex7_plot=FAKE_FIGURE), "graded", ""),
            # code a reader of Python does not see: IPython runs it all the same
            "prompts-hide-code": (self.answers(ex5_disputes=">>> abs = lambda *a: 0.0\n"
                                                            ">>> dispute_reduction_pct = 50.0"),
                                  "graded", ""),
            "magic-hides-code": (self.answers(ex5_disputes="%time abs = lambda *a: 0.0\ndispute_reduction_pct = 50.0"),
                                 "graded", ""),
            "exec-alias": (self.wrong("ex5_disputes", "run = eval('ex' + 'ec')\nrun('abs = lambda *a: 0.0')"),
                           "graded", ""),
            "sys-by-attributes": (self.wrong("ex5_disputes",
                                             "pd.io.common.os.sys.modules['builtins'].abs = lambda *a: 0.0"),
                                  "graded", ""),
            # modules of the student's own, handed in or written by a cell, then imported
            "extra-module-in-submission": ({NOTEBOOK: _bytes(self.answers(ex5_disputes="from helper import *")),
                                            "helper.py": b"import builtins\nbuiltins.abs = lambda *a: 0.0\n"
                                                         b"dispute_reduction_pct = 50.0\n"}, "graded", ""),
            "module-written-by-a-cell": (self.answers(ex5_disputes=(
                "with open('shim.py', 'w') as out:\n"
                "    out.write('import builtins\\nbuiltins.abs = lambda *a: 0.0\\n')\n"
                "import shim\ndispute_reduction_pct = 50.0")), "graded", ""),
        }
        targets = {"edited-test-cell": "ex2_speed_up", "test-cell-markdown": "ex3_gains",
                   "deleted-test-cell": "ex5_disputes", "duplicated-graded-cell": "ex6_shares",
                   "edited-grade-flag": "ex4_clearance", "skip-execution-tag": "ex5_disputes",
                   "raises-exception-tag": "ex6_shares", "always-equal": "ex3_gains",
                   "patched-course-helper": "ex2_speed_up", "patched-builtin": "ex5_disputes",
                   "patched-numpy-pandas": "ex3_gains/frame", "disabled-tracebacks": "ex5_disputes",
                   "fake-reference-module": "ex5_disputes", "output-before-error": "ex6_shares",
                   "tracing-hook": "ex5_disputes", "tracing-hook-everywhere": "ex5_disputes",
                   "lying-number": "ex5_disputes", "lying-frame": "ex3_gains/frame",
                   "fake-figure": "ex7_plot", "prompts-hide-code": "ex5_disputes", "magic-hides-code": "ex5_disputes",
                   "exec-alias": "ex5_disputes", "sys-by-attributes": "ex5_disputes/abs",
                   "extra-module-in-submission": "ex5_disputes/abs", "module-written-by-a-cell": "ex5_disputes/abs"}
        return {name: (files, Expect(status, WRONG[targets[name]][1], reason))
                for name, (files, status, reason) in entries.items()}

    def entries(self) -> dict[str, tuple[object, Expect]]:
        """``{student: (files, expected)}``; files is a notebook or ``{file name: bytes}``."""
        other = self.root / "submitted" / OTHER / CASE / NOTEBOOK

        def markdown(nb, i, cell):
            nb.cells[i] = notebooks.nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)

        def points(nb, i, cell):
            cell.metadata.nbgrader["points"] = 20

        def ungraded(nb, i, cell):
            cell.metadata.nbgrader["grade"] = False

        return {
            # honest: the same scores as alone
            "honest-key": (self.answers(), Expect("graded")),
            "honest-partial": (notebooks.fill(self.release, self.partial), Expect("graded", scores="partial")),
            "honest-blank": (self.release, Expect("graded", scores="blank")),
            "honest-stderr-noise": (self.with_code("ex1_delivery_table", 'import warnings\nwarnings.warn("noise")'),
                                    Expect("graded")),
            "honest-million-lines": (self.with_code("ex6_shares", 'print("\\n".join(map(str, range(1_000_000))))'),
                                     Expect("graded")),
            "wrong-kernel-name": (_kernel(self.answers(), "python2"), Expect("graded")),
            "imports-os-honestly": (self.with_code("ex5_disputes", "import os\nprint(os.getcwd())"),
                                    Expect("flagged", [], "imports os")),
            # cheats on a wrong answer: the wrong answer earns nothing, whatever else the cheat does
            **self.cheats(markdown, points, ungraded),
            # right answers with an edit that must gain nothing (not 20 points)
            "edited-points": (self.edit_cell("ex7_plot_test", points),
                              Expect("flagged", [], "metadata edited (points)")),
            # the sandbox: right answers keep their points; what the code tried reaches nothing
            "reads-gradebook-and-source": (self.with_code("ex1_delivery_table", _try(
                f"open({str(self.root / 'gradebook.db')!r}, 'rb').read()\n"
                f"open({str(self.root / 'source' / CASE / NOTEBOOK)!r}).read()\n"
                "open('../../../gradebook.db', 'rb').read()")),
                Expect("flagged", [], "calls open()")),
            "writes-gradebook-and-other-student": (self.with_code("ex1_delivery_table", _try(
                f"open({str(self.root / 'gradebook.db')!r}, 'w').write('x')\n"
                f"open({str(other)!r}, 'w').write('{{}}')")),
                Expect("flagged", [], "calls open()")),
            "shell-rm": (self.with_code("ex1_delivery_table",
                                        f"!rm -rf {self.root / 'gradebook.db'} {self.root / 'submitted'} ../../../*"),
                         Expect("flagged", [], "shell command")),
            "network": (self.with_code("ex1_delivery_table", _try(
                "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)")),
                Expect("flagged", [], "imports socket")),
            # the answer never runs: its tests earn nothing, the rest is graded
            "sys-exit": (self.with_code("ex4_clearance", "import sys\nsys.exit(0)"),
                         Expect("flagged", ["ex4_clearance_ratio_test", "ex4_claim_test"], "imports sys")),
            "process-bomb": (self.with_code("ex9_figure1_limits", (
                "import os, time\nwhile True:\n    if os.fork() == 0:\n        time.sleep(600)\n        os._exit(0)")),
                Expect("flagged", ["ex9_figure1_limits_test"], "imports os")),
            # against the grader and the next students, in place of an answer: nothing reaches them,
            # and the answer's tests earn nothing
            "kills-zygote": (self.answers(ex7_plot=KILL_ZYGOTE), Expect("flagged", ["ex7_plot_test"], "imports os")),
            "writes-zygote-memory": (self.answers(ex5_disputes=WRITE_ZYGOTE_MEMORY),
                                     Expect("flagged", ["ex5_disputes_test"], "imports os")),
            "fills-disk": (self.answers(ex6_shares=FILL_DISK), Expect("flagged", ["ex6_shares_test"], "calls open()")),
            # past a limit on the whole notebook: its kernel is killed and the submission fails
            "forks-and-hoards": (self.answers(ex6_shares=FORK_AND_HOARD),
                                 Expect("failed", reason="processes together used more than")
                                 if self.memory_limited else Expect("flagged", ["ex6_shares_test"], "imports os")),
            "sleeps-ignoring-interrupts": (self.with_code("ex4_clearance", SLEEP_IGNORING_SIGINT),
                                           Expect("failed", reason="ran past its limit of")),
            # broken, but the rest of the notebook is graded
            "infinite-loop": (self.answers(ex6_shares="while True:\n    pass"), Expect("graded", ["ex6_shares_test"])),
            "memory-bomb": (self.answers(ex6_shares="hoard = bytearray(64 * 2**30)"),
                            Expect("graded", ["ex6_shares_test"])),
            "output-flood": (self.answers(ex6_shares="while True:\n    print('x' * 10**6)"),
                             Expect("graded", ["ex6_shares_test"])),
            # broken beyond grading: an error status, never a zero
            "os-exit": (self.with_code("ex2_speed_up", "from os import _exit\n_exit(1)"),
                        Expect("failed", reason="the kernel died while running cell ex2_speed_up")),
            "huge-error": (self.with_code("ex6_shares", "raise ValueError('x' * 40 * 2**20)"),
                           Expect("failed", reason="the output of cell ex6_shares never all arrived")),
            "invalid-json": ({NOTEBOOK: b'{"cells": [,,,'},
                             Expect("failed", reason="invalid notebook JSON: Expecting value: line 1 column 12")),
            "misnamed-notebook": ({"Market Selection (1).ipynb": _bytes(self.answers())},
                                  Expect("failed", reason=f"no notebook named {NOTEBOOK} in the submission "
                                                          "(found: 'Market Selection (1).ipynb')")),
            "missing-notebook": ({"notes.txt": b"I forgot the notebook"},
                                 Expect("failed", reason=f"no notebook named {NOTEBOOK} in the submission "
                                                         "(found: 'notes.txt')")),
            "empty-submission": ({}, Expect("failed", reason="the submission is empty")),
        }


def _try(code: str) -> str:
    body = "\n".join("    " + line for line in code.splitlines())
    return f"try:\n{body}\nexcept Exception as err:\n    print('blocked:', type(err).__name__)"


def _tagged(tag: str):
    def change(nb, i, cell):
        cell.metadata.setdefault("tags", []).append(tag)
    return change


def _kernel(nb, name: str):
    nb = copy.deepcopy(nb)
    nb.metadata["kernelspec"] = {"name": name, "display_name": name, "language": "python"}
    return nb


def _bytes(nb) -> bytes:
    return (json.dumps(nb, indent=1) + "\n").encode()


def submit(root: Path, student: str, files) -> None:
    folder = root / "submitted" / student / CASE
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(files, dict) and "cells" not in files:
        for name, content in files.items():
            (folder / name).write_bytes(content)
    else:
        notebooks.write(files, folder / NOTEBOOK)

