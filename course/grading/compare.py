"""Comparing two graded classes: scores cell by cell, and the autograded notebooks.

Used by the tests and the grading benchmark to show that the casebook's
command and ``nbgrader autograde`` give the same result.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from course import notebooks

# Per-run fields: when a cell ran, and nbclient/ipykernel bookkeeping.
VOLATILE_CELL_METADATA = ("execution",)
# "Cell In[7], line 3" (coloured between the words): the kernel's count of cells run, which
# test cells judged outside it do not advance
CELL_COUNT = re.compile(r"In\[\d*\]")


def score_differences(first: dict, second: dict) -> list[str]:
    """Human-readable differences between two ``{student: {cell: score}}`` tables."""
    problems = []
    for student in sorted(set(first) | set(second)):
        a, b = first.get(student), second.get(student)
        if a is None or b is None:
            problems.append(f"{student}: graded in only one of the two")
            continue
        for cell in sorted(set(a) | set(b)):
            if a.get(cell, "missing") != b.get(cell, "missing"):
                problems.append(f"{student} {cell}: {a.get(cell, 'missing')} != {b.get(cell, 'missing')}")
    return problems


WIDGET_MODEL_ID = re.compile(r"[0-9a-f]{32}")
# "<matplotlib.legend.Legend at 0x7f42...>": where an object happened to live in memory
OBJECT_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def _merge_streams(outputs: list) -> list:
    """Consecutive prints to one stream: the kernel sends them as one message or several,
    depending on timing; the text is what counts."""
    merged: list[dict] = []
    for output in outputs:
        if (output.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == output.get("name")):
            merged[-1] = {**merged[-1], "text": merged[-1]["text"] + output["text"]}
        else:
            merged.append(dict(output))
    return merged


def _outcome(output: dict) -> dict:
    """A test cell's output as far as a student reads it: a judged cell's error has the kernel's
    name and message but not its traceback, which quotes the kernel's frames."""
    if output.get("output_type") == "error":
        return {"output_type": "error", "ename": output.get("ename"), "evalue": output.get("evalue")}
    return output


def comparable(notebook) -> dict:
    """The notebook without what changes from run to run, or between a test cell run in the
    kernel and one judged by the grader: execution times and counts, how stream output was split
    into messages, tracebacks of test cells, widget model ids (random per run) and objects'
    addresses."""
    clean = copy.deepcopy(notebook)
    for cell in clean.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.get("metadata", {}).pop(key, None)
        if cell.get("cell_type") == "code":
            cell.pop("execution_count", None)
            outputs = _merge_streams(cell.get("outputs", []))
            for output in outputs:
                output.pop("execution_count", None)
            if notebooks.is_test_cell(cell):
                outputs = [_outcome(output) for output in outputs]
            cell["outputs"] = outputs
    widgets = clean.get("metadata", {}).pop("widgets", None)
    text = CELL_COUNT.sub("In[]", OBJECT_ADDRESS.sub(" at ADDRESS>", json.dumps(clean, sort_keys=True)))
    plain = json.loads(WIDGET_MODEL_ID.sub("widget-model", text))
    if widgets is not None:
        plain["metadata"]["widgets"] = {
            kind: sorted(WIDGET_MODEL_ID.sub("widget-model", json.dumps(model, sort_keys=True))
                         for model in value.get("state", {}).values())
            if isinstance(value, dict) else value
            for kind, value in widgets.items()
        }
    return plain


def notebook_differences(first_root: Path, second_root: Path, case: str) -> list[str]:
    """Autograded notebooks (and other files) that differ between two course folders."""
    problems = []
    first_dir, second_dir = Path(first_root) / "autograded", Path(second_root) / "autograded"
    first_files = {p.relative_to(first_dir) for p in first_dir.glob(f"*/{case}/**/*") if p.is_file()}
    second_files = {p.relative_to(second_dir) for p in second_dir.glob(f"*/{case}/**/*") if p.is_file()}
    for only in sorted(first_files ^ second_files):
        problems.append(f"{only}: present in only one of the two")
    for path in sorted(first_files & second_files):
        if path.suffix == ".ipynb":
            a = comparable(notebooks.read(first_dir / path))
            b = comparable(notebooks.read(second_dir / path))
            if a != b:
                for i, (ca, cb) in enumerate(zip(a["cells"], b["cells"])):
                    if ca != cb:
                        problems.append(f"{path}: cell {i} ({ca.get('id', '')}) differs")
                        break
                else:
                    problems.append(f"{path}: notebook metadata or cell count differs")
        elif (first_dir / path).read_bytes() != (second_dir / path).read_bytes():
            problems.append(f"{path}: contents differ")
    return problems
