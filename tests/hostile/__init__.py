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


# What a kernel tries against the grader; each prints what happened, for tests/test_sandbox.py to read.
KILL_ZYGOTE = """\
import os, signal
for target in (os.getppid(), 1, -1):  # the zygote, the sandbox's first process, every process it may
    try:
        os.kill(target, signal.SIGKILL)
        print('signalled', target)
    except OSError as err:
        print('kill', target, type(err).__name__)
print('visible', {p: open(f'/proc/{p}/cmdline').read().replace(chr(0), ' ') for p in os.listdir('/proc') if p.isdigit()})"""
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
    reason: str = ""
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
            # cheats: nothing for the cheated cells, and a flag
            "edited-test-cell": (self.edit_cell("ex2_speed_up_test", lambda nb, i, c: setattr(c, "source", "pass")),
                                 Expect("flagged", ["ex2_speed_up_test"], "ex2_speed_up_test its code edited")),
            "test-cell-markdown": (self.edit_cell("ex3_biggest_test", markdown),
                                   Expect("flagged", ["ex3_biggest_test"], "turned into a markdown cell")),
            "deleted-test-cell": (self.edit_cell("ex5_disputes_test", lambda nb, i, c: nb.cells.pop(i)),
                                  Expect("flagged", ["ex5_disputes_test"], "ex5_disputes_test deleted")),
            # nbgrader alone would refuse the next two notebooks; repaired, they are graded
            # (the copy keeps the notebook-level cell id too, as raw JSON can)
            "duplicated-graded-cell": ({NOTEBOOK: _bytes(self.edit_cell(
                "ex6_shares_test", lambda nb, i, c: nb.cells.insert(i, copy.deepcopy(c))))},
                Expect("flagged", ["ex6_shares_test"], "ex6_shares_test duplicated (2 cells")),
            "edited-points": (self.edit_cell("ex7_plot_test", points),
                              Expect("flagged", ["ex7_plot_test"], "metadata edited (points)")),
            "edited-grade-flag": (self.edit_cell("ex4_claim_test", ungraded),
                                  Expect("flagged", ["ex4_claim_test"], "its metadata edited (grade)")),
            "always-equal": (self.answers(ex3_gains=self.key["ex3_gains"] + (
                "\nclass Region(str):\n    def __eq__(self, other):\n        return True\n"
                "biggest_speed_up_region = Region('nowhere')")),
                Expect("flagged", after("ex3_gains_test"), "defines __eq__")),
            "patched-course-helper": (self.answers(ex2_speed_up=(
                "from course import market\ndef speed_up(before, after):\n    return 3.0\n"
                "market.speed_up = speed_up")),
                Expect("flagged", after("ex2_speed_up_test"), "patches market.speed_up")),
            "patched-builtin": (self.answers(ex5_disputes="abs = lambda x: 0.0\ndispute_reduction_pct = 50.0"),
                                Expect("flagged", after("ex5_disputes_test"), "rebinds 'abs'")),
            "patched-numpy-pandas": (self.with_code("ex1_delivery_table",
                                                    "import numpy as np\nnp.isclose = lambda *a, **k: True\n"
                                                    "pd.testing.assert_frame_equal = lambda *a, **k: None"),
                                     Expect("flagged", after("ex1_delivery_table_test"), "patches pd.")),
            "disabled-tracebacks": (self.with_code("ex1_delivery_table",
                                                   "get_ipython().showtraceback = lambda *a, **k: None"),
                                    Expect("flagged", after("ex1_delivery_table_test"), "calls get_ipython()")),
            "reads-gradebook-and-source": (self.with_code("ex1_delivery_table", _try(
                f"open({str(self.root / 'gradebook.db')!r}, 'rb').read()\n"
                f"open({str(self.root / 'source' / CASE / NOTEBOOK)!r}).read()\n"
                "open('../../../gradebook.db', 'rb').read()")),
                Expect("flagged", after("ex1_delivery_table_test"), "calls open()")),
            "writes-gradebook-and-other-student": (self.with_code("ex1_delivery_table", _try(
                f"open({str(self.root / 'gradebook.db')!r}, 'w').write('x')\n"
                f"open({str(other)!r}, 'w').write('{{}}')")),
                Expect("flagged", after("ex1_delivery_table_test"), "calls open()")),
            "shell-rm": (self.with_code("ex1_delivery_table",
                                        f"!rm -rf {self.root / 'gradebook.db'} {self.root / 'submitted'} ../../../*"),
                         Expect("flagged", after("ex1_delivery_table_test"), "shell command")),
            "network": (self.with_code("ex1_delivery_table", _try(
                "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)")),
                Expect("flagged", after("ex1_delivery_table_test"), "imports socket")),
            "sys-exit": (self.with_code("ex4_clearance", "import sys\nsys.exit(0)"),
                         Expect("flagged", after("ex4_clearance_ratio_test"), "imports sys")),
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
            "memory-bomb": (self.answers(ex6_shares="hoard = bytearray(64 * 2**30)"), Expect("graded", ["ex6_shares_test"])),
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

