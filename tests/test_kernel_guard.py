"""The kernel-side guard (autograder/grader/kernel_guard.py), in-process against a real IPython
shell (fast tier).  The same module, installed in real kernels, is exercised end to end by
test_containment.py and test_autograde.py."""
from __future__ import annotations

import linecache
import sys
import types

import numpy as np
import pytest

from autograder.grader import tamper


@pytest.fixture
def guard():
    """A fresh guard installed exactly as a kernel installs it (tamper.guard_setup_code), in an
    IPython shell; everything it snapshots is put back afterwards."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    saved_np = dict(vars(np))
    saved_hooks = (sys.displayhook, sys.excepthook)
    sys.modules.pop(tamper.GUARD_MODULE, None)
    exec(compile(tamper.guard_setup_code(), "<test>", "exec"), {})
    mod = sys.modules[tamper.GUARD_MODULE]
    try:
        yield types.SimpleNamespace(mod=mod, shell=shell)
    finally:
        sys.modules.pop(tamper.GUARD_MODULE, None)
        vars(np).update(saved_np)
        sys.displayhook, sys.excepthook = saved_hooks


def test_the_guard_is_a_module_sent_whole():
    code = tamper.guard_setup_code()
    compile(code, "<guard>", "exec")
    from autograder.grader import kernel_guard

    assert kernel_guard.__doc__.splitlines()[0] in code
    assert tamper.GUARD_SETUP == code


def test_nothing_changed_reports_nothing(guard):
    guard.mod.run()
    assert guard.mod.LAST == ""


def test_a_replaced_numpy_function_is_restored_and_named(guard):
    real = np.allclose
    np.allclose = lambda *a, **k: True              # the classic: make every test pass
    np.testing.assert_allclose = lambda *a, **k: None
    guard.mod.run()
    assert np.allclose is real
    assert "numpy.allclose" in guard.mod.LAST and "numpy.testing.assert_allclose" in guard.mod.LAST
    assert not np.allclose(1.0, 2.0)


def test_ipython_hooks_and_tracing_are_put_back(guard):
    shell = guard.shell
    shell.ast_transformers.append(object())
    sys.excepthook = lambda *a: None
    sys.settrace(lambda *a: None)
    try:
        guard.mod.run()
    finally:
        sys.settrace(None)
    assert shell.ast_transformers == []
    changed = guard.mod.LAST.split(";")
    assert "IPython.ast_transformers" in changed
    assert "sys.displayhook/excepthook" in changed
    assert "sys.settrace/setprofile" in changed


def test_forget_drops_what_the_hidden_part_left(guard):
    ns = guard.shell.user_ns
    ns["visible_name"] = 1
    guard.mod.mark()
    # what running the hidden part leaves: a name, its source in linecache, a last traceback
    ns["_hidden_oracle"] = 2
    linecache.cache["<ipython-hidden>"] = (10, None, ["secret = 42\n"], "<ipython-hidden>")
    sys.last_value = ValueError("hidden")
    guard.mod.forget()
    assert "_hidden_oracle" not in ns and ns["visible_name"] == 1
    assert "<ipython-hidden>" not in linecache.cache
    assert not hasattr(sys, "last_value")
    ns.pop("visible_name")
