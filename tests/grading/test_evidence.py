"""Evidence: student values leave the kernel as JSON and come back as the grader's own objects."""

from __future__ import annotations

import json
import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from course.grading import evidence, limits
from course.plotting import bar_data, describe_bars

matplotlib.use("Agg")


def round_trip(value):
    return evidence.decode(json.loads(json.dumps(evidence.encode(value), allow_nan=False)))


PLAIN = [1, -7, 2.5, 10**30, True, False, None, "text", np.float64(3.0), np.int64(4), np.bool_(True),
         np.str_("y"), [1, (2, "a")], (None,), {"a": 1, (1, 2): [0.5]}, {1, 2}, frozenset({"x"})]


@pytest.mark.parametrize("value", PLAIN, ids=repr)
def test_plain_values_keep_their_value_and_exact_type(value):
    back = round_trip(value)
    assert type(back) is type(value)
    assert back == value


def test_nan_and_infinity_survive_json():
    assert math.isnan(round_trip(float("nan")))
    assert round_trip(float("-inf")) == float("-inf")
    assert np.isnan(round_trip(np.float64("nan")))


FRAMES = {
    "labelled": pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]}, index=pd.Index(["r1", "r2"], name="region")),
    "pivot": pd.DataFrame({"k": ["a", "b"], "w": ["x", "y"], "v": [1.0, 2.0]})
    .pivot_table(index="k", columns="w", values="v", aggfunc="first"),
    "multi-index": pd.DataFrame({"a": [1, 2]}, index=pd.MultiIndex.from_tuples([("x", 1), ("y", 2)], names=["p", "q"])),
    "nullable": pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "s": pd.array(["a", None], dtype="string"),
                              "b": pd.array([True, None], dtype="boolean")}),
    "category-and-dates": pd.DataFrame({"c": pd.Categorical(["a", "b", "a"], ordered=True),
                                        "d": pd.to_datetime(["2020-01-01", "2021-06-01", "2022-12-31"])}),
    "object-and-nan": pd.DataFrame({"o": [1, "two", None], "f": [np.nan, 1.5, 2.0]}),
    "int-columns": pd.DataFrame([[1, 2]], columns=[2019, 2020]),
}


@pytest.mark.parametrize("name", FRAMES)
def test_frames_keep_values_dtypes_index_and_columns(name):
    frame = FRAMES[name]
    back = round_trip(frame)
    pd.testing.assert_frame_equal(back, frame, check_index_type=True, check_column_type=True)
    assert type(back.index) is type(frame.index) and back.columns.dtype == frame.columns.dtype


def test_series_index_and_arrays_round_trip():
    series = pd.Series([1, 2], index=["a", "b"], name="n")
    pd.testing.assert_series_equal(round_trip(series), series, check_index_type=True)
    pd.testing.assert_index_equal(round_trip(pd.RangeIndex(2, 10, 2)), pd.RangeIndex(2, 10, 2), exact=True)
    array = np.arange(6, dtype="int32").reshape(2, 3)
    back = round_trip(array)
    assert back.dtype == array.dtype and back.shape == array.shape and (back == array).all()


def test_a_subclass_that_lies_arrives_as_the_plain_value_it_holds():
    class Anything(float):  # noqa: PLW1641 - a lie about equality only; never hashed
        def __eq__(self, other):
            return True

    class Region(str):  # noqa: PLW1641 - a lie about equality only; never hashed
        def __eq__(self, other):
            return True

    number, text = round_trip(Anything(50.0)), round_trip(Region("nowhere"))
    assert type(number) is float and number != 3.0
    assert type(text) is str and text != "Europe"


def test_what_is_not_data_is_unavailable_and_fails_any_use():
    class Opaque:
        pass

    for value in (Opaque(), 1j, iter([1])):
        back = round_trip(value)
        assert isinstance(back, evidence.Unavailable)
        with pytest.raises(TypeError, match="cannot be graded"):
            back == 1  # noqa: B015
        with pytest.raises(TypeError):
            float(back)


def test_a_function_is_named_not_sent():
    assert evidence.encode(len) == {"t": "function"}


def test_too_large_or_too_deep_is_unavailable():
    assert evidence.encode(list(range(limits.current().evidence_items + 1)))["t"] == "unavailable"
    nested: list = []
    for _ in range(limits.current().evidence_depth + 2):
        nested = [nested]
    assert evidence.encode(nested)["t"] == "unavailable"


def test_a_figure_is_rebuilt_so_the_checks_read_it_as_drawn():
    fig = Figure()
    ax = fig.add_subplot()
    pd.DataFrame({"before": [15.0, 12.0], "after": [5.0, 7.0]}, index=["Europe", "Asia"]).plot.barh(ax=ax)
    ax.set_title("Delivery")
    ax.set_xlabel("days")
    back = round_trip(fig)
    assert isinstance(back, Figure)
    assert bar_data(back) == bar_data(fig) == {"before": {"Europe": 15.0, "Asia": 12.0},
                                               "after": {"Europe": 5.0, "Asia": 7.0}}
    assert describe_bars(back) == describe_bars(fig)
    assert back.axes[0].get_legend() is not None


def test_collect_and_call_answer_in_json():
    namespace = {"x": 2.5, "double": lambda v: v * 2, "fails": lambda v: int("no")}
    assert json.loads(evidence.collect(namespace, ["x", "missing"])) == {"x": {"t": "float", "v": 2.5}}
    request = json.dumps({"args": [evidence.encode(3)], "kwargs": []})
    assert json.loads(evidence.call(namespace, "double", request)) == {"result": {"t": "int", "v": 6}}
    failed = json.loads(evidence.call(namespace, "fails", request))
    assert failed["error"][:2] == ["ValueError", "Exception"]
