"""Rules an exercise states, checked while the student's function runs.

Some exercises say **numpy only**: the point is to write the maths, not to call a layer that
already does it.  The test cells call the function through :func:`numpy_only`, which records
every Python function entered while it runs (``sys.setprofile``, in this thread and in any
thread the function starts).  If any of them belongs to Keras, TensorFlow, JAX or PyTorch
the rule is broken and :class:`RuleBroken` is raised, naming the rule and what was called.

Only what runs *during the call* counts: ``import keras`` at the top of a cell, or a Keras
oracle that the test itself computes before or after the call, is not an offence.

    h, c = numpy_only(lstm_cell_forward, x, h0, c0, W, U, b)

This module holds no solution; it is part of what students get, so that they can run the
same check themselves.
"""
from __future__ import annotations

import sys
import threading

# Top-level packages a "numpy only" function must not reach while it runs.
FORBIDDEN = ("keras", "tensorflow", "tf_keras", "jax", "jaxlib", "torch")
SWITCHED_OFF = "<the profiler was switched off>"

__all__ = ["FORBIDDEN", "RuleBroken", "numpy_only", "forbidden_calls"]


class RuleBroken(AssertionError):
    """An exercise's stated rule was broken (an AssertionError, so a test cell fails on it)."""


def _package(name) -> str:
    return name.split(".", 1)[0] if isinstance(name, str) else ""


def forbidden_calls(fn, *args, forbidden=FORBIDDEN, allow=(), **kwargs):
    """Call ``fn(*args, **kwargs)``; return ``(result, calls)`` where ``calls`` lists the
    forbidden modules whose code ran during the call (empty when the rule held).  If the
    function touched the recorder (``sys.setprofile``, ``settrace``), ``calls`` holds
    ``SWITCHED_OFF``.

    ``allow``: functions whose whole call (and everything they call) is exempt, for a test
    that swaps in a Keras-backed reference for a helper the function may call."""
    forbidden = frozenset(forbidden)
    calls: list[str] = []
    switches = (sys.setprofile, sys.settrace, threading.setprofile, threading.settrace)
    here = sys._getframe().f_code
    exempt_codes = {getattr(f, "__code__", None) for f in allow} - {None}
    inside: list = []          # frames of allowed functions currently running

    def record(frame, event, arg):
        if inside:
            if event == "return" and frame is inside[-1]:
                inside.pop()
            return
        if event == "call" and frame.f_code in exempt_codes:
            inside.append(frame)
            return
        if event == "call":
            module = frame.f_globals.get("__name__", "")
        elif event == "c_call":
            if arg in switches and frame.f_code is not here:
                calls.append(SWITCHED_OFF)
                return
            module = getattr(arg, "__module__", None) or ""
        else:
            return
        if _package(module) in forbidden and module not in calls:
            calls.append(module)

    previous, previous_threads = sys.getprofile(), threading.getprofile()
    threading.setprofile(record)
    sys.setprofile(record)
    try:
        result = fn(*args, **kwargs)
    finally:
        still_ours = sys.getprofile() is record
        sys.setprofile(previous)
        threading.setprofile(previous_threads)
    if not still_ours and SWITCHED_OFF not in calls:
        calls.append(SWITCHED_OFF)
    return result, calls


def numpy_only(fn, *args, allow=(), **kwargs):
    """Call ``fn(*args, **kwargs)`` and return its result, or raise :class:`RuleBroken` if
    Keras, TensorFlow (or JAX, PyTorch) code ran while it did (outside the functions listed
    in ``allow``, which a test may use as references for helpers ``fn`` calls)."""
    result, calls = forbidden_calls(fn, *args, allow=allow, **kwargs)
    if calls:
        name = getattr(fn, "__name__", "the function")
        if SWITCHED_OFF in calls:
            raise RuleBroken(f"rule broken: {name} must be numpy only, and it switched off the check "
                             "(sys.setprofile); write the computation with numpy instead")
        shown = ", ".join(sorted(calls)[:5])
        raise RuleBroken(f"rule broken: {name} must be numpy only (no Keras or TensorFlow inside the "
                         f"function), but while it ran it called into {shown}; write the maths with numpy")
    return result
