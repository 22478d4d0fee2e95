"""The declarative form of the hidden tests (rnnkit/hidden.py), the grader's decision
(autograder/grader/judge.py) and the restricted interpreter (autograder/grader/restricted.py),
each on its own: no nbgrader, no kernel (tests/test_forgery.py grades through the whole path)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.grader import judge
from rnnkit import hidden
from rnnkit.hidden import AtLeast, Case, Close, Equal, Letters, Number, Whole, from_plain, judged, to_plain


# -- plain data ------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [None, True, 3, -2.5, "abc", math.inf, 2 ** 70, np.float32(1.5), np.int64(7),
                                   np.arange(6.0).reshape(2, 3), np.array(["a", "bc"]), (1, [2.0, "x"]),
                                   {"k": np.ones(2)}, frozenset({"a", "b"})])
def test_plain_data_round_trips(value):
    back = from_plain(to_plain(value))
    assert Equal()(back, value) is None
    assert type(back) is type(value) or isinstance(value, (set, frozenset))


def test_a_numpy_scalar_stays_a_scalar_and_a_python_float_a_float():
    assert isinstance(from_plain(to_plain(np.float64(2.0))), np.float64)
    assert type(from_plain(to_plain(2.0))) is float
    assert from_plain(to_plain(np.float64(2.0))).shape == ()


def test_objects_of_the_students_do_not_cross():
    class Sneaky:
        def __eq__(self, other):
            return True

    assert isinstance(from_plain(to_plain(Sneaky())), hidden.Other)
    assert isinstance(from_plain(to_plain(np.array([Sneaky()], dtype=object))), hidden.Other)
    assert Close()(from_plain(to_plain(Sneaky())), np.ones(2)) is not None


@pytest.mark.parametrize("data", [{"nd": "AAAA", "dtype": "|O", "shape": [1], "scalar": False},
                                  {"nd": "AAAA", "dtype": "<f8", "shape": [9], "scalar": False},
                                  [1, 2], {"exec": "print(1)"}])
def test_data_that_is_not_plain_is_refused(data):
    with pytest.raises((ValueError, TypeError)):
        from_plain(data)


# -- comparisons ------------------------------------------------------------------------------
def test_close_names_shapes_and_never_the_expected_values():
    expect = (np.full((2, 3), 0.123456), np.zeros(3))
    assert Close()(tuple(e.copy() for e in expect), expect) is None
    assert "shape (3, 2)" in Close()((np.zeros((3, 2)), np.zeros(3)), expect)
    assert "tuple of 2" in Close()(np.zeros(3), expect)
    why = Close()((np.zeros((2, 3)), np.zeros(3)), expect)
    assert "differ" in why and "0.123456" not in why
    assert Close()(np.array([True, False]), np.array([1.0, 0.0])) is not None


def test_number_atleast_whole_letters():
    assert Number()(np.float32(0.5), 0.5) is None
    assert Number()(True, 1.0) is not None and Number()(np.ones(1), 1.0) is not None
    assert Number()(math.inf, math.inf) is None and Number()(1e300, math.inf) is not None
    assert AtLeast(1e15)(math.inf, None) is None and AtLeast(1e15)(1e14, None) is not None
    assert Whole()(12.0, 12) is None and Whole()(12.5, 12) is not None and Whole()(np.int64(12), 12) is None
    assert Letters()([" A", "c"], frozenset("ac")) is None and Letters()("ac", frozenset("ac")) is not None


# -- the form ---------------------------------------------------------------------------------
def test_in_a_notebook_judged_checks_at_once():
    """judged reads the function from its caller's globals (a notebook's namespace)."""
    globals()["twice"] = lambda x: 2 * x
    try:
        judged("twice", [Case(np.ones(2), expect=np.full(2, 2.0))])
        globals()["twice"] = lambda x: 3 * x
        with pytest.raises(AssertionError, match=r"hidden test 1 of 1 \(twice\)"):
            judged("twice", [Case(np.ones(2), expect=np.full(2, 2.0))])
    finally:
        del globals()["twice"]


def test_in_place_changes_are_caught():
    def halve(a):
        a /= 2
        return a

    globals()["halve"] = halve
    try:
        judged("halve", [Case(np.ones(2), expect=np.full(2, 0.5))])
        with pytest.raises(AssertionError, match="in place"):
            judged("halve", [Case(np.ones(2), expect=np.full(2, 0.5))], unchanged=True)
    finally:
        del globals()["halve"]


def test_recording_calls_nothing_and_keeps_plain_data():
    with hidden.recording() as checks:
        judged("nobody_defines_this", [Case(np.ones(3), k=2, expect=np.zeros(3), compare=Number())],
               Close(rtol=1e-3), numpy_only=True)
    (check,) = checks
    assert check["function"] == "nobody_defines_this" and check["numpy_only"]
    assert check["cases"][0]["compare"] == {"kind": "Number", "rtol": 1e-6, "atol": 0.0}
    assert from_plain(check["cases"][0]["kwargs"]) == {"k": 2}


# -- the decision -----------------------------------------------------------------------------
def _check(**kw):
    with hidden.recording() as checks:
        judged("f", [Case(np.ones(2), expect=np.ones(2))], **kw)
    return checks[0]


def test_decide_passes_right_results_and_names_the_failing_case():
    check = _check()
    good = [{"result": to_plain(np.ones(2)), "after": to_plain(((np.ones(2),), {}))}]
    assert judge.decide(check, good) is None
    bad = [{"result": to_plain(np.zeros(2))}]
    assert judge.decide(check, bad).startswith("hidden test 1 of 1 (`f`)")
    assert "did not all run" in judge.decide(check, [])


def test_decide_never_echoes_what_student_code_chose():
    check = _check(numpy_only=True)
    leaky = "import SECRET_fragment_of_a_hidden_test"
    for outcome in ({"outcomes": [{"broken": [leaky]}]}, {"outcomes": [{"raised": "SECRET text"}]},
                    {"cell": "error", "type": "x", "broken": [leaky]}):
        assert "SECRET" not in judge.decide(check, outcome)
    assert "import keras" in judge.decide(check, {"outcomes": [{"broken": ["import keras"]}]})


# -- the restricted interpreter (no sandbox here: tests/test_forgery.py runs it inside) ----
def _run(cell: str, function="f"):
    with hidden.recording() as checks:
        judged(function, [Case(np.arange(4.0), expect=np.arange(4.0) * 2)], numpy_only=True)
    return judge.decide(checks[0], judge.run_restricted(checks[0], cell, None, "/tmp", 60))


def test_restricted_runs_numpy_and_refuses_the_rest():
    assert _run("def f(x):\n    return x * 2") is None
    assert _run("import keras\ndef f(x):\n    return np.multiply(x, 2)") is None      # imported, unused
    assert "import keras" in _run("def f(x):\n    import keras\n    return x * 2")
    assert "import tensorflow" in _run("import tensorflow as tf\ndef f(x):\n    return np.asarray(tf.constant(x)) * 2")
    assert "process" in _run("import os\ndef f(x):\n    os.system('true')\n    return x * 2")
    assert "thread" in _run("import threading, time\ndef f(x):\n"
                            "    threading.Thread(target=time.sleep, args=(3,)).start()\n    return x * 2")
    assert "`helper`" in _run("def f(x):\n    return helper(x)")
    assert "does not define `f`" in _run("def g(x):\n    return x")


def test_a_quiet_check_fails_a_warning_and_only_a_quiet_one():
    for quiet, words in ((True, "warned (RuntimeWarning"), (False, None)):
        with hidden.recording() as checks:
            judged("f", [Case(np.array([1000.0]), expect=np.array([np.inf]))], quiet=quiet, numpy_only=True)
        why = judge.decide(checks[0], judge.run_restricted(checks[0], "def f(x):\n    return np.exp(x)", None, "/tmp", 60))
        assert (why is None) if words is None else (words in why), why
    quiet_ok = "def f(x):\n    with np.errstate(over='ignore'):\n        return np.exp(x)"
    assert judge.decide(checks[0], judge.run_restricted(checks[0], quiet_ok, None, "/tmp", 60)) is None


def test_an_unchanged_input_holding_nan_is_unchanged():
    a = np.array([1.0, np.nan])
    assert Equal()((a,), (a.copy(),)) is None
    assert Equal()((a,), (np.array([1.0, 2.0]),)) is not None


def test_close_takes_what_np_asarray_makes_an_array_of_and_integer_wants_an_integer():
    from rnnkit.hidden import Integer

    assert Close()([[0.5]], np.array([[0.5]])) is None
    assert Close()([[0.5, "x"]], np.array([[0.5, 1.0]])) is not None
    assert Integer()(np.int32(12), 12) is None and Integer()(12, 12) is None
    assert Integer()(12.0, 12) is not None and Integer()(True, 1) is not None


def _rng(seed):
    return np.random.default_rng(seed)


def _cube():
    def f(v):
        return float(np.sum(v ** 3))
    return f


def _shape_of(result):
    return np.shape(result)


def test_made_arguments_and_a_probe_reach_the_function_where_it_runs():
    """A Generator and a function as arguments (made on the producing side, fresh per call),
    and a probe that reduces the result to plain data there; the same in a notebook."""
    from rnnkit.hidden import Made

    def cases():
        yield Case(Made(_rng, 3), 4, expect=np.random.default_rng(3).normal(size=4))
        yield Case(Made(_rng, 3), 2, expect=np.random.default_rng(3).normal(size=2))

    with hidden.recording() as checks:
        judged("draw", cases(), numpy_only=True, unchanged=True)
        judged("apply", [Case(Made(_cube), np.arange(3.0), expect=9.0, compare=Number())], numpy_only=True)
        judged("draw", cases(), Equal(), probe=_shape_of)
    draw = "def draw(rng, n):\n    return rng.normal(size=n)"
    apply = "def apply(f, v):\n    return f(v)"
    assert judge.decide(checks[0], judge.run_restricted(checks[0], draw, None, "/tmp", 60)) is None
    assert judge.decide(checks[1], judge.run_restricted(checks[1], apply, None, "/tmp", 60)) is None
    assert "not the expected one" in judge.decide(checks[0], judge.run_restricted(
        checks[0], draw.replace("normal", "uniform"), None, "/tmp", 60))
    checks[2]["cases"] = [dict(c, expect=to_plain(((4,), (2,))[k])) for k, c in enumerate(checks[2]["cases"])]
    assert judge.decide(checks[2], judge.run_restricted(checks[2], draw, None, "/tmp", 60)) is None
    globals()["draw"] = lambda rng, n: rng.normal(size=n)
    try:
        judged("draw", cases())
    finally:
        del globals()["draw"]


def _two_markers(got, expect):
    x = np.asarray(got)
    if x.shape != expect:
        return f"the shape is {x.shape}, not {expect}"
    if not np.all(np.sum(x[..., 1], axis=-1) == 2):
        return "each sequence needs exactly two markers"
    return None


def test_satisfies_checks_a_property_on_plain_data_in_the_grader():
    from rnnkit.hidden import Made, Satisfies

    with hidden.recording() as checks:
        judged("draw", [Case(Made(_rng, 1), 3, 5, expect=(3, 5, 2))], Satisfies(_two_markers), numpy_only=True)
    good = ("def draw(rng, n, T):\n    x = np.zeros((n, T, 2))\n    x[..., 0] = rng.uniform(size=(n, T))\n"
            "    for k in range(n):\n        x[k, rng.choice(T, 2, replace=False), 1] = 1\n    return x")
    bad = good.replace("rng.choice(T, 2, replace=False)", "0")
    assert judge.decide(checks[0], judge.run_restricted(checks[0], good, None, "/tmp", 60)) is None
    assert "two markers" in judge.decide(checks[0], judge.run_restricted(checks[0], bad, None, "/tmp", 60))


def test_the_reasons_of_a_satisfies_check_reach_the_student_whole():
    """An f-string reason keeps its text around the values (the boundary removes hidden-test
    text, and these sentences are written for students)."""
    from autograder.grader.boundary import Boundary

    src = ('def _c(got, expect):\n    return f"encode returns one id per character, shape {expect.shape}, got {got.shape}"'
           '\n\n\njudged("encode", [], Satisfies(_c))\n')
    message = "encode returns one id per character, shape (17,), got (16,)"
    assert Boundary([src], judge.student_sentences(src), {}, (), ()).clean(message).text == message
    assert "[hidden]" in Boundary([src], [], {}, (), ()).clean(message).text


def test_a_reason_with_a_number_in_it_says_only_that_the_result_is_wrong():
    """A shape or a size of a hidden case could tell its dimensions: such a reason becomes the
    plain fact; a reason without numbers (the kind of mistake) stays."""
    check = _check()
    shape = judge.decide(check, [{"result": to_plain(np.zeros(3)), "after": None}])
    assert shape == "hidden test 1 of 1 (`f`): the result is not the expected one"
    kind = judge.decide(check, [{"result": to_plain("text"), "after": None}])
    assert "where numbers are expected" in kind


def _same_draws_whatever_the_global_state(got, expect):
    first, again, other = got[:50], got[50:100], got[100:]
    if first != again:
        return "the same generator gave other draws once np.random's global state changed"
    return "two generators gave the same draws" if first == other else None


def _global_then_rng(global_seed, seed):
    np.random.seed(global_seed)
    return np.random.default_rng(seed)


def test_a_series_shares_a_made_argument_and_compares_its_results_at_once():
    """``Series``: one generator drawn from again and again (made once, at its first use), and
    the same seed before and after np.random's global state changes, judged as one list."""
    from rnnkit.hidden import Call, Made, Satisfies, Series

    def cases():
        a, b, c = Made(_global_then_rng, 1, 55), Made(_global_then_rng, 2, 55), Made(_global_then_rng, 2, 56)
        yield Series(Call(a, repeat=50), Call(b, repeat=50), Call(c, repeat=50), expect=None)
        one = Made(_rng, 7)
        yield Series(Call(one, repeat=3), expect=list(np.random.default_rng(7).integers(0, 1000, 3)), compare=Equal())

    with hidden.recording() as checks:
        judged("draw", cases(), Satisfies(_same_draws_whatever_the_global_state), numpy_only=True)
    good = "def draw(rng):\n    return int(rng.integers(0, 1000))"
    assert judge.decide(checks[0], judge.run_restricted(checks[0], good, None, "/tmp", 60)) is None
    global_state = "def draw(rng):\n    return int(np.random.randint(0, 1000))"
    assert "global state" in judge.decide(checks[0], judge.run_restricted(checks[0], global_state, None, "/tmp", 60))
    fresh = "def draw(rng):\n    return int(np.random.default_rng(55).integers(0, 1000))"
    assert "same draws" in judge.decide(checks[0], judge.run_restricted(checks[0], fresh, None, "/tmp", 60))
    globals()["draw"] = lambda rng: int(rng.integers(0, 1000))
    try:
        judged("draw", cases(), Satisfies(_same_draws_whatever_the_global_state))     # in a notebook
    finally:
        del globals()["draw"]


def _counter():
    return {"calls": 0}


def _calls_made(result, box, n):
    return {"returned": result, "calls": box["calls"]}


def test_a_probe_that_asks_for_them_gets_the_arguments_after_the_call():
    """A probe with more than one parameter sees the call's arguments after it: what a
    ``train(model, ...)`` did to the model it was given."""
    from rnnkit.hidden import Made

    with hidden.recording() as checks:
        judged("bump", [Case(Made(_counter), 3, expect={"returned": None, "calls": 3})], Equal(),
               numpy_only=True, probe=_calls_made)
    good = "def bump(box, n):\n    box['calls'] += n"
    assert checks[0]["cases"][0]["probe"]["with_args"] is True
    assert judge.decide(checks[0], judge.run_restricted(checks[0], good, None, "/tmp", 60)) is None
    assert judge.decide(checks[0], judge.run_restricted(checks[0], good.replace("+= n", "+= 1"), None, "/tmp", 60))


def test_a_grading_process_past_its_memory_limit_is_killed_and_said_so():
    """The restricted interpreter (and the Keras checker) live beside the kernel: past
    judge.CHECKER_MEMORY_MB of resident memory they are killed, and the exercise says why."""
    hog = ("import time\ndef f(x):\n    big = np.ones((CHECKER_MEMORY_MB + 256) * 131072)\n"
           "    time.sleep(5)\n    return x * 2").replace("CHECKER_MEMORY_MB", str(judge.CHECKER_MEMORY_MB))
    why = _run(hog)
    assert why is not None and "memory" in why and str(judge.CHECKER_MEMORY_MB) in why, why
