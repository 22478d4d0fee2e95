"""The kernel-side integrity guard: runs INSIDE the grading kernel, never in the grader.

``tamper.guard_setup_code()`` sends this module's source to the kernel once, before the first
cell; it becomes the module ``_autograder_guard`` there (never shown in the notebook, never
importable from the student's files).  ``execution.GuardedExecute`` then calls, silently:

* ``snapshot()`` once, at install: what the tests rely on (numpy, math, builtins, the
  IPython hooks) is recorded;
* ``run()`` before every grade cell: ``restore()`` puts back whatever student code replaced
  and records what it was in ``LAST`` (read back as an expression);
* ``mark()`` / ``forget()`` around the hidden part of a grade cell: what that part left
  behind (its source in linecache, its names, its last traceback) is dropped, so that the
  next cell's code cannot read the hidden tests back.

It is plain Python with no import from the course, so that it can be unit-tested in-process
against an IPython shell (tests/test_kernel_guard.py) and linted like any module.
"""
import linecache
import sys
import threading

from IPython import get_ipython

RESTORED = ("builtins", "numpy", "numpy.testing", "numpy.linalg", "math", "operator")
WATCHED = ("keras", "keras.layers", "keras.models", "keras.losses", "keras.ops", "tensorflow", "rnnkit", "rnnkit.rules")
# set by ipykernel for every execute request (stdin forwarding), not by students
VOLATILE = {"builtins.input", "builtins.raw_input", "builtins.getpass"}
_snap, _classes, _ip = {}, {}, {}
_MISSING = object()


def _take(name):
    m = sys.modules.get(name)
    if m is not None and name not in _snap:
        _snap[name] = (m, dict(vars(m)))


def _class_functions(cls):
    return {k: v for k, v in vars(cls).items() if callable(v) or isinstance(v, (staticmethod, classmethod, property))}


def snapshot():
    for name in RESTORED:
        try:
            __import__(name)
        except Exception:
            pass
        _take(name)
    for name in WATCHED:
        _take(name)
    ip = get_ipython()
    objs = [ip] + ([ip.kernel] if getattr(ip, "kernel", None) is not None else [])
    for obj in objs:
        for cls in type(obj).__mro__:
            if cls is not object and cls not in _classes:
                _classes[cls] = _class_functions(cls)
    _ip.update(
        objs=[(o, set(vars(o))) for o in objs],
        lists={k: list(getattr(ip, k)) for k in ("input_transformers_post", "input_transformers_cleanup", "ast_transformers")},
        tm={k: list(getattr(ip.input_transformer_manager, k)) for k in ("cleanup_transforms", "line_transforms", "token_transformers")},
        events={k: list(ip.events.callbacks.get(k, [])) for k in ("pre_execute", "pre_run_cell")},
        exc=(ip.custom_exceptions, ip.CustomTB),
        hooks=(sys.displayhook, sys.excepthook),
    )


def restore():
    changed = []
    for name, (m, saved) in list(_snap.items()):
        cur = vars(m)
        for k, v in saved.items():
            if cur.get(k, _MISSING) is not v and name + "." + k not in VOLATILE:
                cur[k] = v
                changed.append(name + "." + k)
    for name in WATCHED:
        _take(name)
    for cls, saved in _classes.items():
        for k, v in saved.items():
            if vars(cls).get(k, _MISSING) is not v:
                try:
                    setattr(cls, k, v)
                except Exception:
                    pass
                changed.append(cls.__name__ + "." + k)
    ip = get_ipython()
    for obj, keys in _ip.get("objs", []):
        for k in list(vars(obj)):
            if k not in keys and k in dir(type(obj)) and callable(getattr(type(obj), k, None)):
                delattr(obj, k)
                changed.append(type(obj).__name__ + "()." + k)
    for k, v in _ip.get("lists", {}).items():
        if list(getattr(ip, k)) != v:
            getattr(ip, k)[:] = v
            changed.append("IPython." + k)
    for k, v in _ip.get("tm", {}).items():
        lst = getattr(ip.input_transformer_manager, k)
        if list(lst) != v:
            lst[:] = v
            changed.append("IPython.input_transformer_manager." + k)
    for k, v in _ip.get("events", {}).items():
        cbs = ip.events.callbacks.get(k)
        if cbs is not None and list(cbs) != v:
            cbs[:] = v
            changed.append("IPython.events." + k)
    if "exc" in _ip and (ip.custom_exceptions, ip.CustomTB) != _ip["exc"]:
        ip.custom_exceptions, ip.CustomTB = _ip["exc"]
        changed.append("IPython.set_custom_exc")
    if "hooks" in _ip and (sys.displayhook, sys.excepthook) != _ip["hooks"]:
        sys.displayhook, sys.excepthook = _ip["hooks"]
        changed.append("sys.displayhook/excepthook")
    if sys.gettrace() is not None or sys.getprofile() is not None:
        sys.settrace(None)
        sys.setprofile(None)
        changed.append("sys.settrace/setprofile")
    threading.settrace(None)
    threading.setprofile(None)
    return ";".join(changed)


_marks = {}


def mark():
    # before the hidden part of a grade cell: what exists already
    _marks.update(lines=set(linecache.cache), names=set(get_ipython().user_ns))


def forget():
    # after it: drop its source (linecache), the names it made and its last traceback, so
    # that code run later (the next question's) cannot read the hidden tests back
    for k in set(linecache.cache) - _marks.get("lines", set(linecache.cache)):
        linecache.cache.pop(k, None)
    ns = get_ipython().user_ns
    for k in set(ns) - _marks.get("names", set(ns)):
        ns.pop(k, None)
    for k in ("last_type", "last_value", "last_traceback", "last_exc"):
        sys.__dict__.pop(k, None)
    _marks.clear()


LAST = ""


def run():
    # called from inside a cell execution, where IPython's builtin trap is active, as it
    # was when the snapshot was taken (exit, quit and get_ipython are only there then)
    global LAST
    LAST = restore()
