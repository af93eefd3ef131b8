"""Verdicts in the grading process: nbgrader's scoring rules, on data, with the casebook's own modules."""

from __future__ import annotations

import json

import pytest

from course.grading import evidence, verdict


def kernel(namespace: dict):
    """An ``ask`` that answers as a kernel holding ``namespace`` would (no kernel needed)."""

    def ask(expression: str) -> str:
        return eval(expression, {"get_ipython": type("Shell", (), {"user_ns": namespace})})

    return ask


def judge(source: str, namespace: dict, points: float = 2.0, imports: str = "import math") -> verdict.Verdict:
    return verdict.Judge([imports], kernel(namespace)).judge(source, points)


def test_a_passing_cell_earns_its_points_and_a_failing_one_nothing():
    assert judge("assert x == 3", {"x": 3}).points == 2.0
    failed = judge("assert x == 3, 'Not yet'", {"x": 4})
    assert failed.points == 0.0 and failed.error == "AssertionError: Not yet" and failed.line == 1


def test_a_last_number_is_partial_credit_clamped_and_anything_else_full_marks():
    assert judge("x / 4", {"x": 3}).points == 0.75
    assert judge("x", {"x": 9}).points == 2.0
    assert judge("x", {"x": -1}).points == 0.0
    assert judge("x > 0", {"x": -1}).points == 2.0   # a bool is not a number, as nbgrader reads it
    assert judge("'text'", {}).points == 2.0


def test_names_the_release_imports_are_the_graders_whatever_the_student_bound():
    # the student's "math" (a fake with an isclose that agrees with everything) never reaches the verdict
    result = judge("assert math.isclose(x, 3.0)", {"x": 4.0, "math": {"isclose": True}})
    assert result.points == 0.0


def test_only_import_statements_of_locked_cells_run_here():
    namespace = verdict.trusted_imports(["import math\nraise SystemExit('not run')", "from json import dumps"])
    assert namespace["math"].pi > 3 and namespace["dumps"] is json.dumps


def test_a_missing_name_fails_the_cell():
    result = judge("assert answer == 1", {})
    assert result.points == 0.0 and result.error.startswith("NameError")


def test_hidden_failures_are_told_from_visible_ones():
    source = "assert x > 0, 'visible hint'\n### BEGIN HIDDEN TESTS\nassert x == 5\n### END HIDDEN TESTS"
    assert not judge(source, {"x": -1}).hidden
    assert judge(source, {"x": 1}).hidden


def test_a_student_function_runs_in_the_kernel_and_answers_with_data():
    class Guarded(ValueError):
        pass

    def speed_up(before, after):
        if after <= 0:
            raise Guarded("no")
        return before / after

    source = ("assert speed_up(15, 5) == 3\n"
              "try:\n    speed_up(1, 0)\nexcept ValueError:\n    pass\nelse:\n    raise AssertionError('guard')")
    assert judge(source, {"speed_up": speed_up}).points == 2.0
    assert judge(source, {"speed_up": lambda b, a: b / a if a else 0}).points == 0.0


def test_a_students_system_exit_is_an_ordinary_failure_here():
    def leaves(*args):
        raise SystemExit(0)

    result = judge("leaves()", {"leaves": leaves})
    assert result.points == 0.0 and result.error.startswith("SystemExit")


def test_a_lying_value_is_judged_on_what_it_holds():
    class Anything(float):  # noqa: PLW1641 - a lying value, never hashed
        def __eq__(self, other):
            return True

    assert judge("assert abs(x - 3.5) < 1e-9", {"x": Anything(50.0)}).points == 0.0


def test_evidence_that_is_not_json_fails_the_cell_with_a_reason():
    result = verdict.Judge([], lambda expression: "not json").judge("assert x", 1.0)
    assert result.points == 0.0 and result.error.startswith("EvidenceError")


def test_the_reply_text_must_be_a_string_the_expression_returned():
    ok = {"content": {"status": "ok", "user_expressions": {"value": {"status": "ok", "data": {"text/plain": "'{}'"}}}}}
    assert verdict.user_expression_text(ok) == "{}"
    for reply in ({"content": {"status": "error"}},
                  {"content": {"status": "ok", "user_expressions": {"value": {"status": "error", "ename": "E"}}}},
                  {"content": {"status": "ok", "user_expressions": {"value": {"status": "ok",
                                                                               "data": {"text/plain": "42"}}}}}):
        with pytest.raises(ValueError):
            verdict.user_expression_text(reply)


def test_free_names_leave_out_builtins():
    assert verdict.free_names("x = len(y)\nprint(z, x)") == ("x", "y", "z")


def test_unavailable_values_fail_the_test():
    assert judge("assert x == 1", {"x": object()}).points == 0.0
    assert isinstance(evidence.decode({"t": "nonsense"}), evidence.Unavailable)


def test_what_the_checks_print_is_the_cells_output_and_a_number_its_partial_credit():
    passed = judge("print('Check x: looks right.')\nx / 4", {"x": 3})
    assert passed.printed == "Check x: looks right.\n" and passed.result == 0.75
    failed = judge("print('checking')\nassert x == 3, 'Not yet'", {"x": 4})
    assert failed.printed == "checking\n" and failed.result is None
    assert judge("x > 0", {"x": 1}).result is None   # full marks, not partial credit


def test_a_judged_cells_outputs_are_the_graders_run():
    from course.grading.kernels import verdict_outputs

    printed, error = verdict_outputs(judge("print('checking')\nassert x == 3, 'Not yet'", {"x": 4}))
    assert (printed.name, printed.text) == ("stdout", "checking\n")
    assert (error.ename, error.evalue, error.traceback[0]) == ("AssertionError", "Not yet", "Cell In[], line 2")
    [credit] = verdict_outputs(judge("x / 4", {"x": 3}))
    assert credit.output_type == "execute_result" and credit.data["text/plain"] == "0.75"
    assert verdict_outputs(judge("assert x == 3", {"x": 3})) == []


def test_a_student_functions_error_reads_as_it_did_in_the_kernel():
    class Missing(KeyError):
        def __str__(self):
            return "no such field"

    def lookup(row):
        return row["has_overseas_stock"]

    def custom(row):
        raise Missing("has_overseas_stock")

    source = "try:\n    f({})\nexcept KeyError as err:\n    assert str(err) == expected, str(err)"
    assert judge(source, {"f": lookup, "expected": "'has_overseas_stock'"}).error is None
    assert judge(source, {"f": custom, "expected": "no such field"}).error is None


def test_values_given_ahead_stand_until_the_kernel_runs_a_students_function():
    asked = []
    namespace = {"x": 3, "f": lambda v: v + 1}
    real = kernel(namespace)

    def ask(expression):
        asked.append(expression)
        return real(expression)

    judge_ = verdict.Judge(["import math"], ask)
    names = judge_.wanted(["assert x == 3", "assert f(x) == 4\nassert math.pi > 3"])
    assert names == ["f", "x"]
    judge_.remember(names, real(judge_.request(names)))
    assert judge_.judge("assert x == 3", 1.0).passed and asked == []
    namespace["x"] = 5  # the kernel's value changed, but nothing ran in the kernel since
    assert judge_.judge("assert f(3) == 4", 1.0).passed and len(asked) == 1  # the call, not the values
    assert not judge_.judge("assert x == 3", 1.0).passed and len(asked) == 2  # after a call: asked again


def test_the_test_cells_after_each_code_cell_are_found_past_markdown():
    from nbformat.v4 import new_code_cell, new_markdown_cell

    from course.grading.kernels import _tests_next

    def test(source):
        return new_code_cell(source, metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": source}})

    cells = [new_code_cell("a = 1"), new_markdown_cell("text"), test("t1"), test("t2"), new_code_cell(" "),
             new_code_cell("b = 2"), new_code_cell("c = 3"), test("t3")]
    assert _tests_next(cells) == {0: ["t1", "t2"], 6: ["t3"]}
