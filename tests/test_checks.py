import json

import pandas as pd
import pytest

from course import checks


def test_canonical_folds_float_noise_and_text_case():
    assert checks.canonical(3.5000000001) == checks.canonical(3.5)
    assert checks.canonical("  Brazil ") == checks.canonical("brazil")
    assert checks.canonical(True) != checks.canonical(1)
    assert checks.canonical(3.5) != checks.canonical(3.6)


def test_canonical_of_frames_ignores_column_order_but_not_values():
    a = pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0]}, index=["p", "q"])
    assert checks.canonical(a) == checks.canonical(a[["y", "x"]])
    assert checks.canonical(a) != checks.canonical(a.assign(x=[1.0, 2.5]))


def test_canonical_rejects_unknown_types():
    with pytest.raises(TypeError):
        checks.canonical(object())


def test_check_passes_fails_with_hint_and_records(tmp_path, monkeypatch):
    hashes = tmp_path / "demo" / checks.HASHES_FILE
    hashes.parent.mkdir()
    monkeypatch.setattr(checks, "CASES_DIR", tmp_path)
    monkeypatch.setenv(checks.RECORD_ENV, str(hashes))
    checks.check("demo.x", 42.0, "hint")
    assert json.loads(hashes.read_text())["demo.x"] == checks.digest("demo.x", 42.0)
    monkeypatch.delenv(checks.RECORD_ENV)
    checks.check("demo.x", 42, "hint")
    with pytest.raises(AssertionError, match="Hint: think again"):
        checks.check("demo.x", 41, "think again")
    with pytest.raises(KeyError, match="No stored answer"):
        checks.check("demo.unknown", 1, "hint")


def test_stored_hashes_hold_no_plain_answers():
    stored = checks.stored_hashes()
    assert stored and all(len(value) == 20 and int(value, 16) >= 0 for value in stored.values())


def test_canonical_tells_a_rounded_number_from_the_exact_one_and_reads_numpy_booleans():
    import numpy as np

    assert checks.canonical(round(86.79245283, 1)) != checks.canonical(86.79245283)
    assert checks.canonical(100 * (1 - 0.7 / 5.3)) == checks.canonical((5.3 - 0.7) / 5.3 * 100)
    assert checks.canonical(np.bool_(False)) == checks.canonical(False)
    assert checks.canonical(0.6004, digits=3) == checks.canonical(0.6, digits=3)
    assert checks.canonical(49 / 80, decimals=3) == checks.canonical(0.612, decimals=3)  # numpy rounds as pandas does


def test_a_failing_check_shows_its_hint_and_the_cell_line_only(tmp_path, monkeypatch):
    monkeypatch.setattr(checks, "CASES_DIR", tmp_path)
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / checks.HASHES_FILE).write_text(json.dumps({"demo.x": checks.digest("demo.x", 42.0)}))
    with pytest.raises(checks.NotYet) as raised:
        checks.check("demo.x", 41, "think again")
    assert isinstance(raised.value, AssertionError)  # the test cell fails as before
    lines = raised.value._render_traceback_()
    assert "Not yet. Hint: think again" in lines[0] and "checks.py" not in "\n".join(lines)


def test_check_raises_names_the_call_that_did_not_raise(capsys):
    def guarded(x):
        if x <= 0:
            raise ValueError(x)
        return x

    checks.check_raises(ValueError, guarded, [(0,), (-1,)], "hint")
    assert "refuses" in capsys.readouterr().out
    with pytest.raises(checks.NotYet, match=r"guarded\(1\) should raise ValueError. Hint: positive only"):
        checks.check_raises(ValueError, guarded, [(0,), (1,)], "positive only")
    with pytest.raises(checks.NotYet, match=r"raised ZeroDivisionError, not ValueError"):
        checks.check_raises(ValueError, lambda x: 1 / x, [(0,)], "hint")
