"""Review flags for the instructor, after execution.

No score depends on this module: test cells are scored by the grader's own
verdicts (``course.grading.verdict``), on a notebook rebuilt from the release
(``course.grading.conformance``). What it adds is what an instructor should
look at:

- **the submission as handed in** (read from ``submitted/``) compared with the
  gradebook: a test cell edited, turned into markdown, deleted or duplicated,
  graded cells' metadata edited;
- **the student's code**, read, not run: patching modules, rebinding names the
  tests use, comparison methods, dunder access, dynamic code, shell commands
  and magics, imports of the interpreter's machinery. Python has endless
  spellings for each, so this only ever raises a flag (``records.flag``): an
  honest student who imports ``os`` keeps the points.
"""

from __future__ import annotations

import ast
import builtins
import functools
import json
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.api import Gradebook, SourceCell
from nbgrader.preprocessors import NbGraderPreprocessor

from course.grading import records
from course.notebooks import grading
from course.paths import file_stamp

FLAG_PREFIX = "tampering"

# Modules that reach the interpreter, the kernel, the file system or the network.
FORBIDDEN_MODULES = {
    "builtins", "sys", "os", "posix", "ctypes", "gc", "importlib", "inspect", "types", "IPython", "ipykernel",
    "subprocess", "socket", "shutil", "signal", "pickle", "marshal", "unittest", "mock", "threading",
    "_thread", "multiprocessing", "urllib", "http", "requests", "pathlib", "io", "atexit", "code", "codeop",
    "traceback", "faulthandler", "resource", "pty", "sqlite3", "nbgrader", "tempfile", "runpy",
    "site", "sysconfig", "weakref", "copyreg", "asyncio",
}
FORBIDDEN_CALLS = {
    "eval", "exec", "compile", "__import__", "getattr", "setattr", "delattr", "vars", "globals", "locals",
    "open", "breakpoint", "exit", "quit", "get_ipython", "input",
}
BUILTIN_NAMES = set(dir(builtins))
DUNDER = re.compile(r"^__\w+__$")
# Dunders an answer may use: reading a type's name, defining how an object is built or shown.
HARMLESS_DUNDERS = {"__name__", "__doc__", "__qualname__", "__init__", "__repr__", "__str__"}
MAGIC_LINE = re.compile(r"^\s*[!%]", re.MULTILINE)


# ---------------------------------------------------------------- reading cells

def _python(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _bound_names(tree: ast.AST) -> dict[str, str]:
    """``{name: what it is bound to}``: imports give the imported path, anything else ''."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else \
                    alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.setdefault(node.id, "")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.setdefault(node.name, "")
    return bound


def protected_names(source_cells) -> dict[str, str]:
    """Names the tests rely on: those a locked cell reads but does not set itself (set by the
    setup and data cells, or builtins), with what imports bind them to."""
    bound: dict[str, str] = {}
    free: set[str] = set()
    for cell in source_cells:
        if cell.cell_type == "code" and not cell.solution and (tree := _python(cell.source)):
            own = _bound_names(tree)
            for name, target in own.items():
                bound.setdefault(name, target)
            free |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
                     and n.id not in own}
    return {name: bound.get(name) or ("builtins." + name if name in BUILTIN_NAMES else "")
            for name in free if name in bound or name in BUILTIN_NAMES}


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def tampering(source: str, protected: dict[str, str]) -> list[str]:
    """What in the student's cell ``source`` could change how a test judges it (empty: nothing)."""
    found: list[str] = []
    if MAGIC_LINE.search(source):
        found.append("runs a shell command or magic (! or %)")
    tree = _python(MAGIC_LINE.sub("pass  # ", source))
    if tree is None:
        return found
    modules = {name for name, target in protected.items() if target and not target.startswith("builtins.")}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in FORBIDDEN_MODULES:
                    found.append(f"imports {name}")
            for name, target in _bound_names(node).items():
                if name in protected and protected[name] != target:
                    found.append(f"rebinds {name!r}, which the tests use")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
                node.func.id in FORBIDDEN_CALLS or (node.func.id == "type" and len(node.args) == 3)):
            found.append(f"calls {node.func.id}()")
        elif isinstance(node, ast.Attribute):
            if DUNDER.match(node.attr) and not (node.attr in HARMLESS_DUNDERS and isinstance(node.ctx, ast.Load)):
                found.append(f"uses {node.attr}")
            elif isinstance(node.ctx, (ast.Store, ast.Del)) and _root_name(node.value) in modules:
                found.append(f"patches {_root_name(node.value)}.{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and DUNDER.match(node.value):
            found.append(f"names {node.value}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if DUNDER.match(node.name) and node.name not in HARMLESS_DUNDERS:
                found.append(f"defines {node.name} (an object that can fake comparisons)")
            elif node.name in protected:
                found.append(f"rebinds {node.name!r}, which the tests use")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            if node.id in protected:
                found.append(f"rebinds {node.id!r}, which the tests use")
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in modules:
            found.append(f"aliases the module {node.value.id}")
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            found.append("declares global or nonlocal names")
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------- the submission as handed in

def submission_changes(submitted: NotebookNode | None, released: NotebookNode | None, source_cells,
                       grade_cells) -> dict[str, list[str]]:
    """``{grade id: [what the student changed]}`` for the graded and answer cells of the case,
    compared with the gradebook and the released notebook (whose tests lack the hidden part)."""
    changes: dict[str, list[str]] = {}
    if submitted is None:
        return changes
    handed_out = {grading(c).get("grade_id"): c.source for c in (released.cells if released else [])}
    by_id: dict[str, list] = {}
    for cell in submitted.cells:
        grade_id = grading(cell).get("grade_id")
        if grade_id:
            by_id.setdefault(grade_id, []).append(cell)
    for cell in source_cells:
        if cell.name not in grade_cells and not cell.solution:
            continue
        found = by_id.get(cell.name, [])
        reasons = changes.setdefault(cell.name, [])
        if not found:
            reasons.append("deleted (or its grade id removed)")
            continue
        if len(found) > 1:
            reasons.append(f"duplicated ({len(found)} cells with this grade id)")
        first = found[0]
        meta = grading(first)
        if first.cell_type != cell.cell_type:
            reasons.append(f"turned into a {first.cell_type} cell")
        if cell.locked and cell.name in handed_out and first.source != handed_out[cell.name]:
            reasons.append("its code edited")
        expected = {"grade": cell.name in grade_cells, "solution": bool(cell.solution), "locked": bool(cell.locked)}
        edited = [key for key, value in expected.items() if bool(meta.get(key, False)) != value]
        if cell.name in grade_cells and float(meta.get("points", 0) or 0) != float(grade_cells[cell.name].max_score):
            edited.append("points")
        if edited:
            reasons.append(f"its metadata edited ({', '.join(edited)})")
    return {name: reasons for name, reasons in changes.items() if reasons}


@functools.lru_cache(maxsize=1024)  # asked of the release's test cells, for every student
def short_answer_question(source: str) -> str | None:
    """The question id of a test cell that grades a short answer (``grade(answer, "case/key")``)."""
    tree = _python(source)
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "grade" \
                and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
            question = node.args[1].value
            return question if isinstance(question, str) else None  # grade() takes only text ids
    return None


# ---------------------------------------------------------------- the preprocessor

class TrustCheck(NbGraderPreprocessor):
    """After execution, before SaveAutoGrades: believe a test cell only if nothing tampered with it."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        info = resources["nbgrader"]
        case = handed_out(info["db_url"], info["assignment"], info["notebook"])
        grade_cells = case.grade_cells
        order = _source_order(nb, case.source_cells)
        source_cells = sorted(case.source_cells, key=lambda c: order.get(c.name, 1e9))
        submitted = _read(Path.cwd() / "submitted" / info["student"] / info["assignment"] / f"{info['notebook']}.ipynb")
        findings = self._check_submission(submitted, case.released, source_cells, grade_cells)
        findings += self._check_code(nb, source_cells, grade_cells, case.protected_names(source_cells))
        for grade_id, reason in findings:
            records.flag(f"{FLAG_PREFIX}: {grade_id}: {reason}")
        return nb, resources

    def _check_submission(self, submitted, released, source_cells, grade_cells) -> list[tuple[str, str]]:
        findings = []
        tests_after: dict[str, list[str]] = _tests_after_answers(source_cells, grade_cells)
        for grade_id, reasons in submission_changes(submitted, released, source_cells, grade_cells).items():
            # an answer cell's changes count against the tests that grade it
            for target in ([grade_id] if grade_id in grade_cells else tests_after.get(grade_id, [])):
                findings += [(target, f"{'test' if target == grade_id else 'answer'} cell {grade_id} {r}")
                             for r in reasons]
        return findings

    def _check_code(self, nb, source_cells, grade_cells, protected) -> list[tuple[str, str]]:
        locked: dict[str, SourceCell] = {c.name: c for c in source_cells if c.locked and not c.solution}
        findings: list[tuple[str, str]] = []
        tainted: list[str] = []
        for index, cell in enumerate(nb.cells):
            grade_id = grading(cell).get("grade_id")
            if cell.cell_type != "code":
                continue
            if grade_id in locked:
                if tainted and grade_id in grade_cells:
                    findings += [(grade_id, reason) for reason in tainted]
                continue
            where = f"cell {grade_id or index + 1}"
            tainted += [f"{where} {reason}" for reason in tampering(cell.source, protected)
                        if f"{where} {reason}" not in tainted]
        return findings


class HandedOut:
    """What the gradebook and release/ hold of one notebook of a case: the same for every
    student, so read once per grading worker (``handed_out``)."""

    def __init__(self, db_url: str, assignment: str, notebook: str, release_path: Path):
        with Gradebook(db_url) as gradebook:
            source_nb = gradebook.find_notebook(notebook, assignment)
            solutions = {c.name for c in source_nb.solution_cells}
            self.source_cells = tuple(_Cell(c, solutions) for c in source_nb.source_cells)
            self.grade_cells = {c.name: _Grade(c.max_score) for c in source_nb.grade_cells}
        self.released = _read(release_path)
        self._protected: dict[tuple[str, ...], dict[str, str]] = {}

    def protected_names(self, ordered_cells) -> dict[str, str]:
        """``protected_names`` of the source cells in the submission's order (nearly always the same)."""
        order = tuple(c.name for c in ordered_cells)
        if order not in self._protected:
            self._protected[order] = protected_names(ordered_cells)
        return self._protected[order]


_HANDED_OUT: dict[tuple, HandedOut] = {}


def handed_out(db_url: str, assignment: str, notebook: str) -> HandedOut:
    """The ``HandedOut`` record of a notebook, read again only if the gradebook URL or the released file change."""
    release_path = Path.cwd() / "release" / assignment / f"{notebook}.ipynb"
    try:
        stamp: tuple[int, int] | None = file_stamp(release_path)
    except OSError:
        stamp = None
    key = (db_url, str(release_path), stamp)
    if key not in _HANDED_OUT:
        _HANDED_OUT[key] = HandedOut(db_url, assignment, notebook, release_path)
    return _HANDED_OUT[key]


class _Cell:
    """A gradebook source cell, detached from the database session."""

    def __init__(self, cell, solutions: set[str]):
        self.name, self.cell_type, self.source = cell.name, cell.cell_type, cell.source
        self.locked = bool(cell.locked)
        self.solution = cell.name in solutions


class _Grade:
    def __init__(self, max_score):
        self.max_score = max_score


def _source_order(nb, source_cells) -> dict[str, float]:
    positions: dict[str | None, int] = {}
    for index, cell in enumerate(nb.cells):
        positions.setdefault(grading(cell).get("grade_id"), index)
    return {c.name: positions.get(c.name, 1e9) for c in source_cells}


def _tests_after_answers(source_cells, grade_cells) -> dict[str, list[str]]:
    """``{answer cell: [the test cells that follow it, up to the next answer]}``."""
    following: dict[str, list[str]] = {}
    current = None
    for cell in source_cells:
        if cell.solution:
            current = cell.name
            following[current] = []
        elif cell.name in grade_cells and current is not None:
            following[current].append(cell.name)
    return following


def _read(path: Path) -> NotebookNode | None:
    try:
        return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except (OSError, ValueError, json.JSONDecodeError):
        return None
