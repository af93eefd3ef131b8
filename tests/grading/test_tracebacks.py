"""The grading kernels' traceback caches give IPython's own tracebacks, with less work."""

import json
import subprocess
import sys
import textwrap

# Cells as a student might write them: each raises, as wrong and blank answers do.
CELLS = [
    "x = 1\nassert x == 2, 'x should be 2'",
    "import pandas as pd\nframe = pd.DataFrame({'a': [1.0]}, index=['x'])\nframe['b']",  # Cython frames
    "frame.loc['y']",
    "def share(a, b):\n    return a / b\nshare(1, 0)",
    "raise NotImplementedError()",
    "try:\n    {}['key']\nexcept KeyError as err:\n    raise ValueError('no key') from err",
    "undefined_name + 1",
    "def broken(:\n    pass",  # a syntax error: shown and stored differently by IPython
    "import sys\nsys.exit(3)",  # SystemExit: shown as "exception only"
    "%xmode Verbose\nvalue = 41\nassert value == 42",  # settings changed: formatted anew
    "%xmode Context",
    "assert 1 == 2",
]

SCRIPT = textwrap.dedent("""
    import json, sys
    from IPython.core.interactiveshell import InteractiveShell
    from course.grading import tracebacks

    cached = sys.argv[1] == "cached"
    if cached:
        tracebacks.install()
    shell = InteractiveShell.instance(colors="linux")
    formatted = []
    tb = shell.InteractiveTB
    original = type(tb).structured_traceback
    def counting(self, *args, **kwargs):
        formatted.append(1)
        return original(self, *args, **kwargs)
    type(tb).structured_traceback = counting
    if cached:
        tracebacks.remember_last_traceback(shell)
    shown = []
    shell._showtraceback = lambda etype, evalue, stb: shown.append(stb)
    results = []
    for cell in json.loads(sys.stdin.read()):
        shown.clear()
        formatted.clear()
        shell.run_cell(cell, store_history=True)
        stored = shell.history_manager.exceptions.get(shell.execution_count - 1)
        results.append({"shown": list(shown), "stored": stored, "formatted": len(formatted)})
    print(json.dumps(results))
""")


def _run(mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode], input=json.dumps(CELLS), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_cached_tracebacks_are_ipythons_and_each_error_is_formatted_once():
    plain, cached = _run("plain"), _run("cached")
    assert len(plain) == len(CELLS)
    for cell, a, b in zip(CELLS, plain, cached):
        assert (a["shown"], a["stored"]) == (b["shown"], b["stored"]), f"traceback differs for {cell!r}"
    # IPython formats most errors twice (to show, to store); with the cache once
    formatted_twice = [cell for cell, a in zip(CELLS, plain) if a["formatted"] == 2]
    assert len(formatted_twice) >= 6
    for cell, a, b in zip(CELLS, plain, cached):
        assert b["formatted"] == (1 if a["formatted"] == 2 else a["formatted"]), cell


def test_a_lexer_subclass_with_its_own_rules_is_compiled_as_its_own():
    script = textwrap.dedent("""
        from pygments.lexers import get_lexer_by_name
        from pygments.token import Keyword
        from course.grading import tracebacks
        tracebacks.install()
        python = type(get_lexer_by_name("python3"))
        class Marking(python):  # adds no rules: shares the compiled ones
            pass
        class Shouting(python):
            tokens = {"root": [(r"shout", Keyword), *python.tokens["root"]]}
        Marking(), Shouting()
        assert Marking._tokens is python._tokens
        assert Shouting._tokens is not python._tokens
        assert list(Shouting().get_tokens("shout"))[0] == (Keyword, "shout")
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


def test_a_module_imported_later_is_found_after_a_miss(tmp_path):
    script = textwrap.dedent(f"""
        import inspect, sys
        from course.grading import tracebacks
        tracebacks.install()
        path = {str(tmp_path / "late_module.py")!r}
        open(path, "w").write("import inspect\\ndef here():\\n    return inspect.currentframe()\\n")
        code = compile("x = 1", path, "exec")
        assert inspect.getmodule(code) is None  # no module has that file yet
        sys.path.insert(0, {str(tmp_path)!r})
        import late_module
        assert inspect.getmodule(code) is late_module
        assert inspect.getmodule(late_module.here()) is late_module
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr
