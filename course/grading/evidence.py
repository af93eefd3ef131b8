"""Evidence: a student's values as plain data, to leave the kernel and be judged outside it.

The grading process never receives an object from the kernel, only JSON that
``encode`` builds from Python builtins, numpy and pandas values and matplotlib
figures, and that ``decode`` turns back into values of the same types and
dtypes. Nothing in the JSON names code to run: ``decode`` builds values with
the grader's own constructors, so a lying ``__eq__``, ``__float__`` or
``isna`` stays in the kernel. Exact types are checked (a subclass of ``float``
is encoded as the float it holds), and anything else becomes ``Unavailable``,
which fails any test that uses it.

The kernel-side entry points, ``collect`` and ``call``, are what the grader
asks the kernel to evaluate; each returns one JSON string. What a kernel sends
is only ever what the student's program claims: a kernel may lie about its
own values, but it cannot change how the grader judges them.
"""

from __future__ import annotations

import json
import math
import numbers
from typing import TypeGuard

from course.grading import limits

__all__ = ["RemoteError", "Unavailable", "call", "collect", "decode", "encode"]


class Unavailable:
    """A value the kernel could not send as data; every use of it fails the test."""

    def __init__(self, reason: str):
        self.reason = reason

    def __repr__(self) -> str:
        return f"<not gradable: {self.reason}>"

    def _fail(self, *args, **kwargs):
        raise TypeError(f"this value cannot be graded ({self.reason})")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __float__ = __int__ = __len__ = _fail
    __iter__ = __getitem__ = __getattr__ = __call__ = __add__ = __sub__ = __mul__ = __truediv__ = _fail
    __hash__ = None  # type: ignore[assignment]


class RemoteError(Exception):
    """An exception a student's function raised in the kernel (its type's name is in ``type_names``)."""

    type_names: tuple[str, ...] = ()


class _TooBig(ValueError):
    pass


# ---------------------------------------------------------------- encoding (kernel side)

def encode(value):
    """``value`` as JSON-ready data, or ``{"t": "unavailable", ...}`` for what cannot be sent."""
    try:
        return _encode(value, _Budget(), 0)
    except _TooBig as err:
        return {"t": "unavailable", "why": str(err)}


class _Budget:
    """What one value may still spend: elements left, and how deep it may nest (``limits``)."""

    def __init__(self):
        given = limits.current()
        self.items = self.max_items = given.evidence_items
        self.max_depth = given.evidence_depth


def _spend(budget: _Budget, count: int) -> None:
    budget.items -= count
    if budget.items < 0:
        raise _TooBig(f"more than {budget.max_items} elements")


def _float(number: float):
    # JSON has no NaN or infinity; keep them as text
    return number if math.isfinite(number) else repr(number)


def _encode(value, budget: _Budget, depth: int):
    import numpy as np
    import pandas as pd

    if depth > budget.max_depth:
        raise _TooBig(f"nested deeper than {budget.max_depth}")
    _spend(budget, 1)
    if value is None:
        return {"t": "none"}
    if isinstance(value, np.generic):  # first: numpy's float64 and str_ are also float and str
        return _encode_scalar(value)
    if isinstance(value, bool):
        return {"t": "bool", "v": bool(value)}
    if isinstance(value, int) and not isinstance(value, bool):
        return {"t": "int", "v": int.__index__(value)}
    if isinstance(value, float):
        return {"t": "float", "v": _float(float.__float__(value))}
    if isinstance(value, complex):
        return {"t": "unavailable", "why": "a complex number"}
    if isinstance(value, str):
        return {"t": "str", "v": str.__str__(value)}
    if isinstance(value, (list, tuple, set, frozenset)):
        kind = {list: "list", tuple: "tuple", set: "set", frozenset: "frozenset"}[
            next(k for k in (list, tuple, set, frozenset) if isinstance(value, k))]
        items = list(value)
        _spend(budget, len(items))
        return {"t": kind, "v": [_encode(item, budget, depth + 1) for item in items]}
    if isinstance(value, dict):
        _spend(budget, len(value))
        return {"t": "dict", "v": [[_encode(k, budget, depth + 1), _encode(v, budget, depth + 1)]
                                   for k, v in dict.items(value)]}
    if isinstance(value, pd.DataFrame):
        _spend(budget, value.size)
        return {"t": "frame", "index": _encode_index(value.index, budget, depth),
                "columns": _encode_index(value.columns, budget, depth),
                "data": [_encode_array(value.iloc[:, i].array, budget, depth) for i in range(value.shape[1])]}
    if isinstance(value, pd.Series):
        _spend(budget, len(value))
        return {"t": "series", "name": _encode(value.name, budget, depth + 1),
                "index": _encode_index(value.index, budget, depth), "values": _encode_array(value.array, budget, depth)}
    if isinstance(value, pd.Index):
        return {"t": "index", "v": _encode_index(value, budget, depth)}
    if isinstance(value, np.ndarray):
        _spend(budget, value.size)
        return {"t": "ndarray", "shape": list(value.shape), "v": _encode_array(value.reshape(-1), budget, depth)}
    if _is_figure(value):
        return _encode_figure(value, budget)
    if callable(value):
        return {"t": "function"}
    return {"t": "unavailable", "why": f"a value of type {type(value).__name__}"}


def _encode_scalar(value):
    import numpy as np

    dtype = value.dtype
    if dtype.kind == "b":
        return {"t": "np", "dtype": dtype.str, "v": bool(value)}
    if dtype.kind in "iu":
        return {"t": "np", "dtype": dtype.str, "v": int(value)}
    if dtype.kind == "f":
        return {"t": "np", "dtype": dtype.str, "v": _float(float(value))}
    if dtype.kind in "Mm":
        return {"t": "np", "dtype": dtype.str, "v": int(value.view(np.int64))}
    if dtype.kind == "U":
        return {"t": "np", "dtype": dtype.str, "v": str.__str__(value)}
    return {"t": "unavailable", "why": f"a numpy {dtype} value"}


def _encode_array(array, budget: _Budget, depth: int) -> dict:
    """A 1-d numpy array or pandas extension array, with its dtype."""
    import numpy as np
    import pandas as pd

    if type(array) is pd.arrays.NumpyExtensionArray:  # not its subclass StringArray
        array = array.to_numpy()
    dtype = array.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return {"dtype": "category", "ordered": bool(dtype.ordered),
                "categories": _encode_index(dtype.categories, budget, depth),
                "codes": [int(c) for c in np.asarray(array.codes)]}
    if isinstance(dtype, np.dtype):
        values = np.asarray(array)
        if dtype.kind == "b":
            return {"dtype": dtype.str, "v": [bool(x) for x in values]}
        if dtype.kind in "iu":
            return {"dtype": dtype.str, "v": [int(x) for x in values]}
        if dtype.kind == "f":
            return {"dtype": dtype.str, "v": [_float(float(x)) for x in values]}
        if dtype.kind in "Mm":
            return {"dtype": dtype.str, "v": [int(x) for x in values.view(np.int64)]}
        if dtype.kind == "O":
            return {"dtype": "O", "v": [_encode(x, budget, depth + 1) for x in values]}
        return {"dtype": "unavailable", "why": f"a {dtype} array"}
    # pandas' own dtypes: text, nullable numbers and booleans
    name = str(dtype)
    if isinstance(dtype, pd.StringDtype) or name in ("Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16",
                                                     "UInt32", "UInt64", "Float32", "Float64", "boolean"):
        missing = [bool(m) for m in pd.isna(np.asarray(array, dtype=object))]
        plain = [None if m else x for m, x in zip(missing, np.asarray(array, dtype=object))]
        return {"dtype": name, "storage": getattr(dtype, "storage", None),
                "na": "nan" if getattr(dtype, "na_value", None) is not pd.NA and isinstance(dtype, pd.StringDtype)
                else None,
                "missing": missing, "v": [_encode(x, budget, depth + 1) for x in plain]}
    return {"dtype": "unavailable", "why": f"a {name} column"}


def _encode_index(index, budget: _Budget, depth: int) -> dict:
    import pandas as pd

    _spend(budget, len(index))
    if isinstance(index, pd.MultiIndex):
        return {"kind": "multi", "names": [_encode(n, budget, depth + 1) for n in index.names],
                "levels": [_encode_array(index.get_level_values(i).array, budget, depth)
                           for i in range(index.nlevels)]}
    if isinstance(index, pd.RangeIndex):
        return {"kind": "range", "name": _encode(index.name, budget, depth + 1),
                "start": int(index.start), "stop": int(index.stop), "step": int(index.step)}
    return {"kind": "plain", "name": _encode(index.name, budget, depth + 1),
            "values": _encode_array(index.array, budget, depth)}


def _is_figure(value) -> bool:
    import sys

    figure_module = sys.modules.get("matplotlib.figure")
    return figure_module is not None and isinstance(value, figure_module.Figure)


def _texts(labels) -> list[str]:
    return [str(label.get_text()) for label in labels]


def _encode_figure(fig, budget: _Budget) -> dict:
    """What the casebook's figure checks read: each plot's titles, ticks, bars and lines."""
    from matplotlib.container import BarContainer

    axes = []
    for ax in fig.axes:
        bars = []
        for container in ax.containers:
            if isinstance(container, BarContainer):
                _spend(budget, len(container))
                bars.append({"label": str(container.get_label()), "orientation": str(container.orientation),
                             "rects": [[_float(float(r.get_x())), _float(float(r.get_y())),
                                        _float(float(r.get_width())), _float(float(r.get_height()))]
                                       for r in container]})
        lines = []
        for line in ax.get_lines():
            xs, ys = line.get_xdata(orig=False), line.get_ydata(orig=False)
            _spend(budget, len(xs))
            try:
                points = [[_float(float(x)), _float(float(y))] for x, y in zip(xs, ys)]
            except (TypeError, ValueError):
                points = []
            lines.append({"label": str(line.get_label()), "points": points})
        legend = ax.get_legend()
        axes.append({
            "title": str(ax.get_title()), "xlabel": str(ax.get_xlabel()), "ylabel": str(ax.get_ylabel()),
            "xticks": [_float(float(t)) for t in ax.get_xticks()], "xticklabels": _texts(ax.get_xticklabels()),
            "yticks": [_float(float(t)) for t in ax.get_yticks()], "yticklabels": _texts(ax.get_yticklabels()),
            "xlim": [_float(float(v)) for v in ax.get_xlim()], "ylim": [_float(float(v)) for v in ax.get_ylim()],
            "has_data": bool(ax.has_data()), "bars": bars, "lines": lines,
            "legend": None if legend is None else _texts(legend.get_texts()),
        })
    suptitle = getattr(fig, "_suptitle", None)
    return {"t": "figure", "axes": axes, "suptitle": None if suptitle is None else str(suptitle.get_text())}


# ---------------------------------------------------------------- kernel-side entry points

def collect(namespace: dict, names: list[str]) -> str:
    """The JSON of ``{name: encoded value}`` for the ``names`` bound in ``namespace``."""
    found = {}
    for name in names:
        if name in namespace:
            try:
                found[name] = encode(namespace[name])
            except Exception as err:  # a value whose encoding raised: not gradable, and says why
                found[name] = {"t": "unavailable", "why": f"{type(err).__name__} while reading it"}
    return json.dumps(found, allow_nan=False)


def call(namespace: dict, name: str, request: str) -> str:
    """Call ``namespace[name]`` with the encoded ``request`` arguments; the JSON of its result or error."""
    message = json.loads(request)
    args = [decode(a) for a in message["args"]]
    kwargs = {k: decode(v) for k, v in message["kwargs"]}
    try:
        result = namespace[name](*args, **kwargs)
    except BaseException as err:  # noqa: BLE001 - the student's error is the evidence
        if isinstance(err, KeyboardInterrupt):
            raise
        names = [c.__name__ for c in type(err).__mro__]
        # plain arguments too, so that the grader's rebuilt KeyError('x') reads 'x', quotes and all
        plain = [a[:2000] if type(a) is str else a for a in err.args
                 if type(a) in (str, int, bool) or (type(a) is float and math.isfinite(a))]
        return json.dumps({"error": names, "message": str(err)[:2000],
                           "args": plain if len(plain) == len(err.args) else None})
    return json.dumps({"result": encode(result)}, allow_nan=False)


# ---------------------------------------------------------------- decoding (grader side)

def _number(v):
    return float(v) if isinstance(v, str) else v


def decode(data):
    """The value ``data`` (from ``encode``) stands for, built with the grader's own types."""
    import numpy as np
    import pandas as pd

    if not isinstance(data, dict):
        return Unavailable("malformed evidence")
    kind = data.get("t")
    v = data.get("v")
    if kind == "none":
        return None
    if kind == "bool" and type(v) is bool:
        return v
    if kind == "int" and type(v) is int:
        return v
    if kind == "float":
        return float(_number(v))
    if kind == "str" and type(v) is str:
        return v
    if kind == "np":
        dtype = np.dtype(data["dtype"])
        if dtype.kind in "Mm":
            return np.int64(v).view(dtype)
        if dtype.kind in "biuf":
            return dtype.type(_number(v))
        if dtype.kind == "U" and type(v) is str:
            return np.str_(v)
    if kind in ("list", "tuple", "set", "frozenset") and isinstance(v, list):
        items = [decode(item) for item in v]
        try:
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[kind](items)
        except TypeError:
            return Unavailable("a set of unhashable values")
    if kind == "dict" and isinstance(v, list):
        try:
            return {decode(k): decode(item) for k, item in v}
        except TypeError:
            return Unavailable("a dict with unhashable keys")
    if kind == "frame":
        index, columns = _decode_index(data["index"]), _decode_index(data["columns"])
        arrays = [_decode_array(a) for a in data["data"]]
        if any(isinstance(a, Unavailable) for a in (index, columns, *arrays)):
            return Unavailable("a DataFrame with a column that cannot be graded")
        frame = pd.DataFrame({i: pd.Series(a, index=index, copy=False) for i, a in enumerate(arrays)},
                             index=index)
        frame.columns = columns
        return frame
    if kind == "series":
        index, values = _decode_index(data["index"]), _decode_array(data["values"])
        if isinstance(index, Unavailable) or isinstance(values, Unavailable):
            return Unavailable("a Series that cannot be graded")
        return pd.Series(values, index=index, name=decode(data["name"]), copy=False)
    if kind == "index":
        return _decode_index(v)
    if kind == "ndarray":
        array = _decode_array(v)
        if isinstance(array, Unavailable):
            return array
        return np.asarray(array).reshape(data["shape"])
    if kind == "figure":
        return _decode_figure(data)
    if kind == "unavailable":
        return Unavailable(str(data.get("why", "unknown")))
    return Unavailable(f"unknown evidence {kind!r}")


def _decode_array(data):
    import numpy as np
    import pandas as pd

    dtype = data.get("dtype")
    if dtype == "category":
        categories = _decode_index(data["categories"])
        return pd.Categorical.from_codes(data["codes"], dtype=pd.CategoricalDtype(categories, data["ordered"]))
    if dtype == "O":
        values = np.empty(len(data["v"]), dtype=object)
        for i, item in enumerate(data["v"]):
            values[i] = decode(item)
        return values
    if dtype == "unavailable" or dtype is None:
        return Unavailable(str(data.get("why", "a column")))
    if "missing" in data:
        values = [None if missing else decode(item) for missing, item in zip(data["missing"], data["v"])]
        if dtype in ("str", "string"):
            na = np.nan if data.get("na") == "nan" else pd.NA
            target = pd.StringDtype(storage=data.get("storage"), na_value=na)
        else:
            target = pd.api.types.pandas_dtype(dtype)
        return pd.array(values, dtype=target)
    numpy_dtype = np.dtype(dtype)
    if numpy_dtype.kind in "Mm":
        return np.array(data["v"], dtype=np.int64).view(numpy_dtype)
    if numpy_dtype.kind in "biuf":
        return np.array([_number(x) for x in data["v"]], dtype=numpy_dtype)
    return Unavailable(f"a {dtype} array")


def _decode_index(data):
    import pandas as pd

    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "range":
        return pd.RangeIndex(data["start"], data["stop"], data["step"], name=decode(data["name"]))
    if kind == "multi":
        levels = [_decode_array(level) for level in data["levels"]]
        if any(isinstance(level, Unavailable) for level in levels):
            return Unavailable("an index that cannot be graded")
        return pd.MultiIndex.from_arrays(levels, names=[decode(n) for n in data["names"]])
    if kind == "plain":
        values = _decode_array(data["values"])
        if isinstance(values, Unavailable):
            return values
        return pd.Index(values, name=decode(data["name"]), copy=False, tupleize_cols=False)
    return Unavailable("malformed index")


def _decode_figure(data):
    """A matplotlib figure (no pyplot, no window) that reads back as the student's did."""
    from matplotlib.figure import Figure

    fig = Figure()
    for spec in data.get("axes", []):
        ax = fig.add_subplot()
        for bar in spec["bars"]:
            rects = [[_number(v) for v in r] for r in bar["rects"]]
            if bar["orientation"] == "horizontal":
                ax.barh([r[1] for r in rects], [r[2] for r in rects], height=[r[3] for r in rects],
                        left=[r[0] for r in rects], align="edge", label=bar["label"])
            else:
                ax.bar([r[0] for r in rects], [r[3] for r in rects], width=[r[2] for r in rects],
                       bottom=[r[1] for r in rects], align="edge", label=bar["label"])
        for line in spec["lines"]:
            ax.plot([_number(p[0]) for p in line["points"]], [_number(p[1]) for p in line["points"]],
                    label=line["label"])
        if spec["has_data"] and not ax.has_data():
            ax.plot([], [])  # the student's plot had data of a kind not rebuilt here
        ax.set_title(spec["title"])
        ax.set_xlabel(spec["xlabel"])
        ax.set_ylabel(spec["ylabel"])
        ax.set_xticks([_number(t) for t in spec["xticks"]], labels=spec["xticklabels"])
        ax.set_yticks([_number(t) for t in spec["yticks"]], labels=spec["yticklabels"])
        ax.set_xlim(*[_number(v) for v in spec["xlim"]])
        ax.set_ylim(*[_number(v) for v in spec["ylim"]])
        if spec["legend"] is not None:
            ax.legend()
    if data.get("suptitle") is not None:
        fig.suptitle(data["suptitle"])
    return fig


def is_number(value) -> TypeGuard[numbers.Real]:
    """A real number, as nbgrader reads a test cell's last value for partial credit (not a bool)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
