"""The form of the hidden tests: what a function is called on, what it must give, how it is compared.

A grade cell's hidden tests are written in this one declarative form, for one function of the
student's at a time::

    from rnnkit.hidden import judged, Case, Close

    def unseen():
        for seed in range(5):
            x, W = ...                                   # unseen inputs
            yield Case(x, W, expect=oracle(x, W))        # the independent oracle's answer

    judged("lstm_cell_forward", unseen(), Close(rtol=1e-5, atol=1e-5), numpy_only=True, unchanged=True)

Run in a notebook (an instructor running a master), ``judged`` calls the function and raises
``AssertionError`` at the first case that fails: the master runs as any notebook does.

In grading, the student's kernel never runs these lines.  The grader runs them once per batch in
a clean process of its own, where ``judged`` only records the cases and their expected values
(``recording``); the student's function is then called on the recorded inputs (in the student's
kernel, or, for a numpy-only exercise, in a restricted interpreter that can import only NumPy and
the standard library), its results come back as plain data (``to_plain``: numbers, strings and
NumPy arrays of a numeric dtype, nothing that runs code), and the grader compares them with the
expected values using the comparisons below.  Whatever a notebook patches in its own kernel
(``numpy.testing``, ``assert``, ``==``, builtins) changes nothing in that comparison.

This module holds no solution and no test: it is shipped to students so that they can read how
their work is judged (autograder/grader/judge.py is the grader's side).
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field

__all__ = ["Case", "Made", "Series", "Call", "Close", "Number", "AtLeast", "Whole", "Integer", "Equal", "Letters", "Satisfies", "judged", "recording",
           "to_plain", "from_plain", "compare_plain"]

MIME = "application/x.lstm-course.results+json"   # the kernel's results, as the grader receives them


# ----------------------------------------------------------------------------------------
# plain data: the only form in which a result crosses from student code to the grader.
# to_plain and from_plain are self-contained (the grader ships their source to the kernel
# and to the restricted interpreter).
# ----------------------------------------------------------------------------------------

def to_plain(value, _depth=0):
    """``value`` as JSON-able plain data: None, bool, int, float, str as themselves; NumPy
    arrays and scalars, tuples, lists, sets and dicts tagged.  Anything else that NumPy can turn
    into a numeric array becomes that array; any other object becomes ``{"other": True}``."""
    import base64
    import math

    import numpy as np

    if _depth > 20:
        return {"other": True}
    if value is None or type(value) in (bool, str):
        return value
    if type(value) is int:
        return value if abs(value) < 2 ** 62 else {"bigint": str(value)}
    if type(value) is float:
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        if arr.dtype.kind not in "biufcU" or arr.dtype.hasobject:
            return {"other": True}
        arr = np.array(arr, order="C")              # (ascontiguousarray makes a 0-d array 1-d)
        return {"nd": base64.b64encode(arr.tobytes()).decode(), "dtype": arr.dtype.str,
                "shape": list(arr.shape), "scalar": isinstance(value, np.generic)}
    if type(value) is tuple:
        return {"tuple": [to_plain(v, _depth + 1) for v in value]}
    if type(value) is list:
        return {"list": [to_plain(v, _depth + 1) for v in value]}
    if type(value) in (set, frozenset):
        return {"set": [to_plain(v, _depth + 1) for v in value]}
    if type(value) is dict:
        return {"dict": [[to_plain(k, _depth + 1), to_plain(v, _depth + 1)] for k, v in value.items()]}
    try:                                           # a tensor, a subclass of float or int...
        arr = np.asarray(value)
    except Exception:
        return {"other": True}
    if arr.dtype.kind in "biufc" and not arr.dtype.hasobject:
        return to_plain(np.array(arr), _depth + 1)
    return {"other": True}


def from_plain(data, _depth=0):
    """Rebuild ``to_plain``'s data: NumPy arrays (copied, numeric or string dtypes only),
    tuples, lists, frozensets, dicts.  Raises ValueError on anything else."""
    import base64

    import numpy as np

    if _depth > 22:
        raise ValueError("too deep")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        raise ValueError("untagged list")
    if type(data) is not dict or len(data) not in (1, 4):
        raise ValueError("not plain data")
    if "nd" in data:
        dtype = np.dtype(str(data["dtype"]))
        if dtype.kind not in "biufcU" or dtype.hasobject:
            raise ValueError("dtype")
        shape = tuple(int(s) for s in data["shape"])
        raw = base64.b64decode(data["nd"])
        if len(raw) != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
            raise ValueError("size")
        arr = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        return arr[()] if data.get("scalar") else arr
    (tag, inner), = data.items()
    if tag == "tuple":
        return tuple(from_plain(v, _depth + 1) for v in inner)
    if tag == "list":
        return [from_plain(v, _depth + 1) for v in inner]
    if tag == "set":
        items = [from_plain(v, _depth + 1) for v in inner]
        return frozenset(v if not isinstance(v, np.ndarray) else v.tobytes() for v in items)
    if tag == "dict":
        out = {}
        for k, v in inner:
            key = from_plain(k, _depth + 1)
            if isinstance(key, (list, dict, np.ndarray)):
                raise ValueError("key")
            out[key] = from_plain(v, _depth + 1)
        return out
    if tag == "float":
        return float(str(inner))
    if tag == "bigint":
        return int(str(inner))
    if tag == "other":
        return Other()
    raise ValueError("unknown tag")


class Other:
    """A result that was not plain data (an object of the student's): it matches nothing."""

    def __repr__(self):
        return "an object that is not a number, an array or a string"


# ----------------------------------------------------------------------------------------
# comparisons: plain data in, None (it matches) or the reason it does not, in words a student
# can act on (shapes and sizes only: never the expected values)
# ----------------------------------------------------------------------------------------

def _is_bool(v) -> bool:
    import numpy as np

    return isinstance(v, (bool, np.bool_)) or (isinstance(v, np.ndarray) and v.dtype.kind == "b")


def _real_scalar(v) -> bool:
    import numpy as np

    if _is_bool(v) or isinstance(v, (str, Other)) or v is None:
        return False
    return (isinstance(v, (int, float, np.integer, np.floating))
            or (isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype.kind in "iuf"))


def _describe(v) -> str:
    import numpy as np

    if isinstance(v, np.ndarray):
        return f"an array of shape {v.shape}"
    if isinstance(v, (tuple, list)):
        return f"a {type(v).__name__} of {len(v)} items"
    if v is None:
        return "None"
    if isinstance(v, Other):
        return repr(v)
    return f"a {type(v).__name__}"


@dataclass(frozen=True)
class Close:
    """Numbers or arrays (or tuples/lists of them, matched item by item) close to the expected
    ones: ``numpy.allclose(got, expected, rtol, atol)``, with the expected shape exactly."""
    rtol: float = 1e-5
    atol: float = 1e-8

    def __call__(self, got, expect) -> str | None:
        import numpy as np

        if isinstance(expect, (tuple, list)):
            if not isinstance(got, (tuple, list)) or len(got) != len(expect):
                return f"it returned {_describe(got)} where a tuple of {len(expect)} items is expected"
            for k, (g, e) in enumerate(zip(got, expect)):
                why = self(g, e)
                if why:
                    return f"item {k} of the result: {why}"
            return None
        if isinstance(got, (tuple, list)):       # nested lists of numbers: what np.asarray makes of them
            try:
                got = np.asarray(got)
            except (ValueError, TypeError):
                return f"it returned {_describe(got)} where an array is expected"
            if got.dtype.kind not in "iuf":
                return "it returned a list that is not an array of numbers"
        if got is None or isinstance(got, (str, Other, dict, frozenset)) or _is_bool(got):
            return f"it returned {_describe(got)} where numbers are expected"
        g, e = np.asarray(got), np.asarray(expect)
        if g.dtype.kind not in "iufc":
            return f"it returned {_describe(got)} of {g.dtype} where numbers are expected"
        if g.shape != e.shape:
            return f"the result has shape {g.shape} where {e.shape} is expected"
        if not np.all(np.isfinite(g[np.isfinite(e)])):
            return "the result has inf or nan where the expected values are finite"
        if not np.allclose(g, e, rtol=self.rtol, atol=self.atol, equal_nan=True):
            worst = float(np.max(np.abs(g.astype(complex) - e.astype(complex))[np.isfinite(e)], initial=0.0))
            return (f"the values differ from the expected ones (by up to {worst:.2g}; the tolerance is "
                    f"rtol={self.rtol:g}, atol={self.atol:g})")
        return None


@dataclass(frozen=True)
class Number:
    """One real number (a Python int or float, or a NumPy scalar; not a bool, not an array of
    more than one element) close to the expected one."""
    rtol: float = 1e-6
    atol: float = 0.0

    def __call__(self, got, expect) -> str | None:
        if not _real_scalar(got):
            return f"it returned {_describe(got)} where one number is expected"
        g, e = float(got), float(expect)
        if math.isinf(e) or math.isinf(g):
            return None if g == e else "the value differs from the expected one"
        if not math.isclose(g, e, rel_tol=self.rtol, abs_tol=self.atol):
            return f"the value differs from the expected one (tolerance rtol={self.rtol:g}, atol={self.atol:g})"
        return None


@dataclass(frozen=True)
class AtLeast:
    """One real number at least ``bound`` (infinity included)."""
    bound: float

    def __call__(self, got, expect) -> str | None:
        if not _real_scalar(got):
            return f"it returned {_describe(got)} where one number is expected"
        return None if float(got) >= self.bound else f"the value is below {self.bound:g}"


@dataclass(frozen=True)
class Whole:
    """A whole number (an int, a NumPy integer or a whole-valued float) equal to the expected one."""

    def __call__(self, got, expect) -> str | None:
        if not _real_scalar(got) or float(got) != round(float(got)):
            return f"it returned {_describe(got)} where a whole number is expected"
        return None if float(got) == float(expect) else "the number differs from the expected one"


@dataclass(frozen=True)
class Integer:
    """An integer (a Python int or a NumPy integer; not a bool, not a float) equal to the expected one."""

    def __call__(self, got, expect) -> str | None:
        import numpy as np

        whole = isinstance(got, (int, np.integer)) or (isinstance(got, np.ndarray) and got.ndim == 0
                                                          and got.dtype.kind in "iu")
        if not whole or _is_bool(got):
            return f"it returned {_describe(got)} where an integer (int or NumPy integer) is expected"
        return None if int(got) == int(expect) else "the number differs from the expected one"


@dataclass(frozen=True)
class Equal:
    """Exactly the expected plain value (sets compare as sets, tuples and lists alike)."""

    def __call__(self, got, expect) -> str | None:
        import numpy as np

        def norm(v):
            if isinstance(v, (tuple, list)):
                return tuple(norm(x) for x in v)
            if isinstance(v, (set, frozenset)):
                return frozenset(norm(x) for x in v)
            if isinstance(v, dict):
                return ("dict", tuple(sorted((repr(k), norm(x)) for k, x in v.items())))
            if isinstance(v, np.ndarray):          # NaN equals NaN here (an unchanged input)
                return (v.shape, tuple(x if x == x else "nan" for x in v.ravel().tolist()))
            if isinstance(v, np.generic):
                return v.item()
            return v
        try:
            same = norm(got) == norm(expect)
        except Exception:
            same = False
        return None if same is True else "the result differs from the expected one"


@dataclass(frozen=True)
class Letters:
    """A collection of letters (strings) that, stripped and in lower case, is the expected set."""

    def __call__(self, got, expect) -> str | None:
        if not isinstance(got, (tuple, list, frozenset, set)) or not all(isinstance(x, str) for x in got):
            return f"it returned {_describe(got)} where a set of letters is expected"
        return None if {x.strip().lower() for x in got} == set(expect) else "not the right set of letters"


class Satisfies:
    """A property of the result, for what no expected value pins down (a random draw, a dict
    with several acceptable answers): ``check(got, expect)`` returns None when it holds, else
    the reason in a sentence for the student.  ``check`` is a self-contained function of the
    hidden region, run by the grader on plain data (NumPy as ``np``, ``math``).  With
    ``keras=True`` it runs in a clean process of its own that has Keras: for a model the
    student's function returned, exported by ``export_model`` and rebuilt there from its
    configuration and weights (``rebuild_model``), never read in the student's kernel."""

    def __init__(self, check, keras: bool = False, _given: dict | None = None):
        self.check, self.keras, self._given = check, keras, _given

    def __call__(self, got, expect) -> str | None:
        fn = self.check if self.check is not None else _helper(self._given)
        why = fn(got, expect)
        return None if why is None else str(why)


def export_model(result):
    """A probe: the Keras model the student's function returned (alone, or first of a tuple),
    as plain data: its configuration (JSON), its weights, and how it was compiled.  Runs where
    the model was built; ``rebuild_model`` makes it again in the grader's clean process."""
    import json

    import numpy as np

    model = result[0] if isinstance(result, (tuple, list)) else result
    try:
        compiled = json.dumps(model.get_compile_config(), default=str) if getattr(model, "optimizer", None) else ""
    except Exception:
        compiled = ""
    return {"config": model.to_json(), "weights": [np.asarray(w) for w in model.get_weights()],
            "compile": compiled}


def rebuild_model(exported: dict):
    """The model of ``export_model``'s data, built again from Keras' own layers (no code of the
    student's runs: Keras' safe mode refuses a serialised lambda), with its weights; not
    compiled (a loss function of the student's own could not be rebuilt: a check reads
    ``exported["compile"]`` for how it was compiled)."""
    import json

    import keras

    config = json.loads(exported["config"])
    config.pop("compile_config", None)
    model = keras.models.model_from_json(json.dumps(config))
    model.set_weights(list(exported["weights"]))
    return model


COMPARISONS = {c.__name__: c for c in (Close, Number, AtLeast, Whole, Integer, Equal, Letters)}


def comparison_from(data: dict):
    if data["kind"] == "Satisfies":
        return Satisfies(None, data.get("keras", False), {"source": data["source"], "defines": data["defines"]})
    kind = COMPARISONS[data["kind"]]
    return kind(**{k: v for k, v in data.items() if k != "kind"})


def comparison_data(comparison) -> dict:
    from dataclasses import asdict

    if isinstance(comparison, Satisfies):
        return {"kind": "Satisfies", "keras": comparison.keras, **helper_data(comparison.check)}
    return {"kind": type(comparison).__name__, **asdict(comparison)}


def compare_plain(comparison, got, expect) -> str | None:
    """``comparison(got, expect)``, never raising: an error in it is a mismatch."""
    try:
        return comparison(got, expect)
    except Exception:
        return "the result could not be compared with the expected one"


# ----------------------------------------------------------------------------------------
# the declarative form
# ----------------------------------------------------------------------------------------

@dataclass
class Case:
    """One call: ``Case(*args, expect=..., compare=None, **kwargs)``."""
    args: tuple
    kwargs: dict
    expect: object
    compare: object = None

    def __init__(self, *args, expect, compare=None, **kwargs):
        self.args, self.kwargs, self.expect, self.compare = args, kwargs, expect, compare


class Made:
    """An argument that is not plain data (a random ``Generator``, a function, a Keras model),
    made where the student's function is called, by ``maker(*args)``: ``Made(_rng, 7)``.
    ``maker`` is a self-contained function of the hidden region (its source is shipped; NumPy is
    there as ``np``); each call gets a fresh one."""

    def __init__(self, maker, *args):
        self.maker, self.args = maker, args


class Call:
    """One step of a ``Series``: ``Call(*args, repeat=1, **kwargs)``, made ``repeat`` times."""

    def __init__(self, *args, repeat: int = 1, **kwargs):
        self.args, self.kwargs, self.repeat = args, kwargs, int(repeat)


class Series:
    """A case made of several calls, in order, whose results are compared at once, as a list:
    ``Series(Call(z, 1.0, rng, repeat=1000), expect=..., compare=Satisfies(...))``.  A ``Made``
    argument that several calls share (the same object) is made once, at its first use: one
    random generator drawn from again and again, say."""

    def __init__(self, *steps, expect, compare=None):
        self.steps, self.expect, self.compare = steps, expect, compare


def helper_data(fn) -> dict:
    import inspect

    return {"source": inspect.getsource(fn), "defines": fn.__name__}


def _helper(given: dict):
    """A test helper rebuilt from its source (``helper_data``), with NumPy and math at hand."""
    space: dict = {"__name__": "helper"}
    exec("import math\nimport numpy as np\nimport numpy\n" + given["source"], space)
    return space[given["defines"]]


def _builtin_name(exc) -> str:
    """The exception's name if it is one of Python's own (a student's class name is not shown)."""
    import builtins

    name = type(exc).__name__
    return name if getattr(builtins, name, None) is type(exc) else "an exception"


def _arguments(step: dict, shared: dict, makers: dict):
    """A call's arguments: the plain ones rebuilt, the made ones made (fresh, or once for the
    whole series when the maker is shared: ``shared`` keeps them)."""
    args, kwargs = list(from_plain(step["args"])), dict(from_plain(step["kwargs"]))
    for key, given in (step.get("made") or {}).items():
        if isinstance(given, str):                 # a series' maker, made at its first use
            if given not in shared:
                shared[given] = _helper(makers[given])(*from_plain(makers[given]["args"]))
            value = shared[given]
        else:
            value = _helper(given)(*from_plain(given["args"]))
        if key.isdigit():
            args[int(key)] = value
        else:
            kwargs[key] = value
    return args, kwargs


def call_case(fn, call: dict) -> dict:
    """One hidden case, where the student's function lives (the kernel, the restricted
    interpreter, a notebook): the arguments rebuilt from plain data and the made ones made;
    NumPy's floating-point warnings on and recorded; the result through the check's probe, if
    any (given the arguments too when it asks for them); the outcome as plain data.  A series
    (``Series``) calls the function step by step and its result is the list of the results."""
    import warnings

    import numpy as np

    steps = call.get("series")
    plan = steps if steps is not None else [call]
    shared: dict = {}
    results, warned = [], ""
    try:
        for step in plan:
            for _ in range(int(step.get("repeat", 1))):
                args, kwargs = _arguments(step, shared, call.get("makers") or {})
                with warnings.catch_warnings(record=True) as caught, \
                        np.errstate(over="warn", divide="warn", invalid="warn"):
                    warnings.simplefilter("always")
                    results.append(fn(*args, **kwargs))
                warned = warned or (caught[0].category.__name__ if caught else "")
        result = results if steps is not None else results[0]
        if call.get("probe"):
            probe = _helper(call["probe"])
            result = probe(result, *args, **kwargs) if call["probe"].get("with_args") else probe(result)
        outcome = {"result": to_plain(result), "warned": warned}
    except RecursionError:
        return {"raised": "RecursionError"}
    except NameError as exc:                   # a name from another cell: said plainly
        name = getattr(exc, "name", None) or ""
        return {"raised": "NameError", "name": name if name.isidentifier() and len(name) < 60 else ""}
    except Exception as exc:
        return {"raised": _builtin_name(exc)}
    made = call.get("made") or {}
    after_args = tuple(None if str(k) in made else a for k, a in enumerate(args))
    after_kwargs = {k: (None if k in made else v) for k, v in kwargs.items()}
    outcome["after"] = to_plain((after_args, after_kwargs)) if steps is None else None
    return outcome


@dataclass
class Check:
    """What ``judged`` records: one function, its cases, the rules the exercise states."""
    function: str
    cases: list
    compare: object
    numpy_only: bool = False
    unchanged: bool = False
    provide: dict = field(default_factory=dict)
    quiet: bool = False
    probe: object = None
    cpu_seconds: float | None = None

    def data(self) -> dict:
        return {"function": self.function, "numpy_only": self.numpy_only, "unchanged": self.unchanged,
                "quiet": self.quiet, "cpu_seconds": self.cpu_seconds,
                "provide": {name: helper_data(fn) for name, fn in self.provide.items()},
                "cases": [dict(call_data(c, self.probe), expect=to_plain(c.expect),
                               compare=comparison_data(c.compare or self.compare)) for c in self.cases]}


def probe_data(probe) -> dict | None:
    """The probe's source; ``with_args``: it takes the call's arguments after the result (a
    model the function trained in place, say)."""
    import inspect

    if probe is None:
        return None
    return dict(helper_data(probe), with_args=len(inspect.signature(probe).parameters) > 1)


def series_data(series: Series, probe=None) -> dict:
    """A series as plain data: its steps, each maker once (by a name the steps refer to)."""
    names: dict = {}
    makers: dict = {}
    steps = []
    for step in series.steps:
        made = {}
        for key, a in list(enumerate(step.args)) + list(step.kwargs.items()):
            if isinstance(a, Made):
                if id(a) not in names:
                    names[id(a)] = f"m{len(names)}"
                    makers[names[id(a)]] = dict(helper_data(a.maker), args=to_plain(tuple(a.args)))
                made[str(key)] = names[id(a)]
        steps.append({"args": to_plain(tuple(None if isinstance(a, Made) else a for a in step.args)),
                      "kwargs": to_plain({k: (None if isinstance(a, Made) else a) for k, a in step.kwargs.items()}),
                      "made": made, "repeat": step.repeat})
    return {"args": to_plain(()), "kwargs": to_plain({}), "made": {}, "series": steps, "makers": makers,
            "probe": probe_data(probe)}


def call_data(case: Case, probe=None) -> dict:
    """A case's call as plain data: the plain arguments (None where an argument is made), the
    made ones by position or name, the probe."""
    if isinstance(case, Series):
        return series_data(case, probe)
    made = {str(k): a for k, a in enumerate(case.args) if isinstance(a, Made)}
    made.update({k: a for k, a in case.kwargs.items() if isinstance(a, Made)})
    return {"args": to_plain(tuple(None if isinstance(a, Made) else a for a in case.args)),
            "kwargs": to_plain({k: (None if isinstance(a, Made) else a) for k, a in case.kwargs.items()}),
            "made": {k: dict(helper_data(m.maker), args=to_plain(tuple(m.args))) for k, m in made.items()},
            "probe": probe_data(probe)}


_RECORDER: list | None = None      # set by ``recording``: judged() records instead of running


class recording:
    """``with recording() as checks: exec(hidden_region)``: the grader's side."""

    def __enter__(self) -> list:
        global _RECORDER
        self._previous, _RECORDER = _RECORDER, []
        return _RECORDER

    def __exit__(self, *exc):
        global _RECORDER
        _RECORDER = self._previous
        return False


def judged(function: str, cases, compare=Close(), *, numpy_only: bool = False, unchanged: bool = False,
           provide: dict | None = None, quiet: bool = False, probe=None, cpu_seconds: float | None = None) -> None:
    """The hidden tests of one function: call ``function`` (a name in the notebook) on every
    case and compare its result with ``case.expect`` (``case.compare`` or ``compare``).

    ``numpy_only``: the exercise's rule (graded in a restricted interpreter: only NumPy and the
    standard library, the solution cell alone, no process, no thread left running);
    ``unchanged``: the arguments must come back unchanged (no in-place changes);
    ``quiet``: the call must not warn (an overflow, a division by zero: NumPy's default
    floating-point warnings, and any Python warning);
    ``provide``: names the function may call, bound to the test's own functions while it runs
    (a correct helper in place of another exercise's answer, so no mistake counts twice);
    ``probe``: a self-contained function of the hidden region that turns the result into plain
    data where it was made (a Keras model into its outputs on given inputs, say); declared with
    more parameters than the result, it is called ``probe(result, *args, **kwargs)`` with the
    call's arguments after the call (a model that ``train(model, ...)`` trained in place).
    ``cpu_seconds``: the CPU seconds the grade cell's visible part (a design exercise: the call of
    the student's function, the training, the visible checks) may use in the kernel, measured by
    the grader from outside it (not checked when the region runs in a notebook of its own).
    A case may be a ``Series`` of calls, judged as the list of their results."""
    check = Check(function, list(cases), compare, numpy_only, unchanged, dict(provide or {}), quiet, probe,
                  cpu_seconds)
    if _RECORDER is not None:
        _RECORDER.append(check.data())
        return
    space = sys._getframe(1).f_globals
    fn = space.get(function)
    if not callable(fn):
        raise NameError(f"{function} is not defined")
    data = check.data()
    globs = getattr(fn, "__globals__", space)
    missing = object()
    saved = {name: globs.get(name, missing) for name in check.provide}
    globs.update(check.provide)
    try:
        for k, case in enumerate(data["cases"], start=1):
            out = call_case(fn, case)
            assert "raised" not in out, f"hidden test {k} of {len(check.cases)} ({function}): it raised {out['raised']}"
            why = compare_plain(comparison_from(case["compare"]), from_plain(out["result"]), from_plain(case["expect"]))
            if why is None and unchanged and Equal()(from_plain(out["after"]),
                                                     (from_plain(case["args"]), from_plain(case["kwargs"]))):
                why = "it changed one of its arguments in place"
            if why is None and quiet and out["warned"]:
                why = "it warned (" + out["warned"] + "): the statement asks for no warning"
            assert why is None, f"hidden test {k} of {len(check.cases)} ({function}): {why}"
    finally:
        for name, old in saved.items():
            if old is missing:
                globs.pop(name, None)
            else:
                globs[name] = old
