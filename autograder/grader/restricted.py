"""The restricted interpreter that grades a "numpy only" exercise (runs inside the sandbox).

The grader starts it as ``python -I -c <this file's source>`` through the sandbox launcher (the
same limits, namespaces and throwaway HOME as the student's kernel), so it needs nothing but the
standard library and NumPy.  It reads one request on standard input: the student's solution cell,
the function to call, the calls (plain data: ``rnnkit.hidden.to_plain``), the test's own helpers
(``provide``) and the source of the plain-data codec.  Then:

* NumPy and the standard library are imported first; from then on an **audit hook** (which no
  Python code can remove) refuses every other import, every process (``os.system``, ``fork``,
  ``exec``, ``posix_spawn``, ``subprocess``) and ``ctypes``: the rule holds by construction,
  not by watching.  A refused attempt is recorded and breaks the rule even if the student's code
  catches the error.  ``import keras`` at the top of the cell binds a stand-in that breaks the
  rule only when used (as ``rnnkit.rules`` says: importing is not an offence, calling is);
* the cell runs alone, with ``np``, ``numpy`` and ``math`` defined: a name it needs from another
  cell is a clear message, not a silent pass;
* each call gets fresh copies of its arguments; a thread still running after a call breaks the
  rule (the thread count is read from ``/proc/self/task``, which counts every thread);
* the results go out as plain data on the line that starts with the request's nonce.

Nothing here decides a grade: the grader compares the results (``judge.decide``).
"""
import json
import os
import sys

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):   # no BLAS thread pool
    os.environ[_var] = "1"

import math  # noqa: E402
import threading  # noqa: E402

import numpy  # noqa: E402

FORBIDDEN = ("keras", "tensorflow", "tf_keras", "jax", "jaxlib", "torch")
NO_IMPORT = {"subprocess", "_posixsubprocess", "multiprocessing", "_multiprocessing", "concurrent", "ctypes",
             "_ctypes", "pty", "socket", "_socket", "ssl", "_ssl"}
ALLOWED = (set(sys.stdlib_module_names) | {"numpy"}) - NO_IMPORT
PROCESS_EVENTS = ("os.system", "os.exec", "os.fork", "os.forkpty", "os.posix_spawn", "os.spawn",
                  "subprocess.Popen", "pty.spawn", "os.startfile")

broken: list = []          # what the audit hook refused (the rule names it)


def _refuse(what: str, exc_type):
    if what not in broken:
        broken.append(what)
    raise exc_type(f"numpy only: {what} is not allowed in this exercise")


def _audit(event, args):
    if event == "import":
        top = str(args[0]).split(".", 1)[0]
        if top not in ALLOWED:
            _refuse(f"import {top}", ImportError)
    elif event in PROCESS_EVENTS:
        _refuse("starting a process", PermissionError)
    elif event.startswith("ctypes."):
        _refuse("ctypes", PermissionError)


class _Stand_in:
    """What ``import keras`` (or tensorflow...) binds at the top of the cell: harmless until used."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Stand_in(f"{self._name}.{attr}")

    def __call__(self, *args, **kwargs):
        _refuse(f"import {self._name.split('.', 1)[0]}", RuntimeError)


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def _reply(nonce: str, payload: dict) -> None:
    os.write(_OUT, (nonce + json.dumps(payload) + "\n").encode())


def main() -> None:
    request = json.loads(sys.stdin.read())
    nonce = request["nonce"]
    codec: dict = {"__name__": "codec"}
    exec(compile(request["codec"], "<codec>", "exec"), codec)
    sys.stdin = open(os.devnull)
    sys.stdout = sys.stderr = open(os.devnull, "w")
    base_threads = _threads()
    sys.addaudithook(_audit)

    space = {"__name__": "__main__", "__builtins__": __builtins__, "np": numpy, "numpy": numpy, "math": math}
    import builtins
    real_import = builtins.__import__

    def cell_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name.split(".", 1)[0] in FORBIDDEN:
            return _Stand_in(name.split(".", 1)[0] if not fromlist else name)
        return real_import(name, globals, locals, fromlist, level)

    builtins.__import__ = cell_import
    try:
        exec(compile(request["cell"], "<your solution cell>", "exec"), space)
    except NameError as exc:
        name = getattr(exc, "name", None) or ""
        _reply(nonce, {"cell": "name", "name": name if name.isidentifier() and len(name) < 60 else ""})
        return
    except BaseException as exc:
        _reply(nonce, {"cell": "error", "type": _builtin_name(exc), "broken": list(broken)})
        return
    finally:
        builtins.__import__ = real_import
    function = space.get(request["function"])
    if not callable(function):
        _reply(nonce, {"cell": "missing"})
        return
    for name, given in request.get("provide", {}).items():    # the tests' own helpers, in its globals
        space[name] = codec["_helper"](given)
    outcomes = []
    for call in request["calls"]:
        before = len(broken)
        outcome = codec["call_case"](function, call)
        if _threads() > base_threads:
            broken.append("a thread still running after the call")
        if len(broken) > before:
            outcome = {"broken": broken[before:]}
        outcomes.append(outcome)
    _reply(nonce, {"outcomes": outcomes, "broken": list(broken)})


def _builtin_name(exc) -> str:
    """The exception's name if it is one of Python's own (a student's class name is not shown)."""
    import builtins

    name = type(exc).__name__
    return name if getattr(builtins, name, None) is type(exc) else "an exception"


_OUT = os.dup(1)

if __name__ == "__main__":
    main()
