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
    hashes = tmp_path / "hashes.json"
    monkeypatch.setattr(checks, "HASHES_DIR", tmp_path)
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
