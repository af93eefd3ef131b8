"""The command line and the grading workers start without building jsonschema's IRI grammar."""

import subprocess
import sys

CHECK = ("import sys, nbformat; nbformat.validate(nbformat.v4.new_notebook()); "
         "print(sys.modules.get('rfc3987_syntax', 'never imported'))")


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_grading_workers_skip_the_grammar_and_still_validate_notebooks():
    assert _run("import course.grading.runner; " + CHECK) == "None"


def test_the_command_line_skips_it_too():
    assert _run("import runpy, sys; sys.argv = ['course', '--help']\n"
                "try:\n    runpy.run_module('course', run_name='__main__')\nexcept SystemExit:\n    pass\n"
                + CHECK).endswith("None")


def test_student_kernels_are_not_affected():
    assert _run("import course.data, course.checks, course.grading.zygote; " + CHECK) != "None"


def test_what_a_students_notebook_imports_leaves_nbformat_out():
    # nbformat's validator builds jsonschema's IRI grammar on import: close to a second of every
    # kernel's start, which a student's Run All and plain `nbgrader autograde` would pay.
    from course.cases import notebook_modules

    shared = ["course.data", "course.facts", "course.checks", "course.plotting", "course.shortanswer"]
    imports = "; ".join(f"import {module}" for module in [*notebook_modules(), *shared])
    assert _run(f"import sys; {imports}; print('nbformat' in sys.modules)") == "False"
