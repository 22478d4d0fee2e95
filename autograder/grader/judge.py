"""Step: the hidden tests decided outside the student's kernel.

A grade cell whose hidden region is written in ``rnnkit.hidden``'s declarative form
(``judged(function, cases, comparison, ...)``) is graded in three moves, each in its own place:

1. **record** (``prepare``, once per batch, when the template is built): the hidden regions of
   the master run in a clean process of their own (``python -m autograder.grader.judge``), where
   ``judged`` records each case's inputs and the independent oracle's expected value instead of
   calling anything.  The records (``<template>/judged/<grade_id>.json``) never reach a kernel;
2. **produce** (per submission): the student's function is called on the recorded inputs:
   in the student's kernel (``kernel_code``: the results leave as one display message that the
   grader keeps as it arrives), or, for a numpy-only exercise, in the restricted interpreter
   (``run_restricted``: ``restricted.py``, inside the sandbox, with the student's solution cell
   alone).  Results are plain data; no object of the student's crosses;
3. **decide** (``decide``, in the grader's process): the plain results against the expected
   values, with the comparison the statement gives.  A failure becomes the grade cell's error
   output, which nbgrader's own ``SaveAutoGrades`` scores 0.

``execution.GuardedExecute`` composes 2 and 3 for each judged grade cell; a grade cell whose
hidden region is not in this form still runs its hidden tests in the kernel.
"""
from __future__ import annotations

import ast
import inspect
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from rnnkit import hidden

from . import data
from .cells import grade_id

WARNINGS = {"RuntimeWarning", "UserWarning", "DeprecationWarning", "FutureWarning", "ComplexWarning"}
SPEC_DIR = "judged"                  # in a template folder: one record per judged grade cell
# Resident memory of each process that produces or checks outside the kernel (the restricted
# interpreter, the Keras checker), while the kernel still lives: the Keras checker peaks at
# 583 MB rebuilding and running a 2-layer LSTM and an Embedding-LSTM on 2000 examples
# (/usr/bin/time -v, 2026-12-06).  Counted in a Gradescope machine's memory (platforms/gradescope.py).
CHECKER_MEMORY_MB = 1024
KNOWN_MODULES = {"keras", "tensorflow", "tf_keras", "jax", "jaxlib", "torch", "scipy", "sklearn", "pandas",
                 "rnnkit", "IPython", "matplotlib", "subprocess", "multiprocessing", "ctypes", "socket"}


# ----------------------------------------------------------------------------------------
# 1. record
# ----------------------------------------------------------------------------------------

def is_judged(hidden_source: str) -> bool:
    """Does this hidden region use the declarative form (a call of ``judged``)?"""
    try:
        tree = ast.parse(hidden_source)
    except SyntaxError:
        return False
    return any(isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", "")) == "judged"
               for n in ast.walk(tree))


def student_sentences(hidden_source: str) -> list[str]:
    """The literal text of the reasons a hidden region's ``Satisfies`` checks give: written for
    students (the output boundary lets them through), unlike the rest of the region."""
    try:
        tree = ast.parse(hidden_source)
    except SyntaxError:
        return []
    names = {n.args[0].id for n in ast.walk(tree) if isinstance(n, ast.Call)
             and getattr(n.func, "id", getattr(n.func, "attr", "")) == "Satisfies"
             and n.args and isinstance(n.args[0], ast.Name)}
    out = []
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef) and fn.name in names:
            for ret in ast.walk(fn):
                if isinstance(ret, ast.Return) and ret.value is not None:
                    for c in ast.walk(ret.value):
                        if isinstance(c, ast.JoinedStr):      # an f-string: its text around the values, whole
                            out.append("".join(v.value if isinstance(v, ast.Constant) else "\x00" for v in c.values))
                        elif isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value.strip():
                            out.append(c.value)
    return out


def hidden_regions(master) -> dict[str, str]:
    """grade_id -> the hidden region of each judged grade cell of a master notebook."""
    from nbgrader import utils

    from ..regions import split_at_region

    out = {}
    for cell in master.cells:
        if cell.cell_type != "code" or not utils.is_grade(cell):
            continue
        parts = split_at_region(cell.source, "hidden")
        if parts is not None and is_judged(parts[1]):
            out[grade_id(cell)] = parts[1]
    return out


def record(master_path: Path, out_dir: Path) -> list[str]:
    """Run the judged hidden regions of ``master_path`` in this process, recording; write one
    JSON file per grade cell in ``out_dir``.  Only ``prepare``'s subprocess calls this."""
    import linecache

    import nbformat

    nb = nbformat.read(master_path, as_version=4)
    out_dir.mkdir(parents=True, exist_ok=True)
    done = []
    for gid, source in hidden_regions(nb).items():
        filename = f"<hidden tests of {gid}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        with hidden.recording() as checks:
            exec(compile(source, filename, "exec"), {"__name__": "__hidden__"})
        if not checks:
            raise RuntimeError(f"{gid}: the hidden region calls judged() but recorded no check")
        (out_dir / f"{gid}.json").write_text(json.dumps({"grade_id": gid, "checks": checks}))
        done.append(gid)
    return done


def cache_key(master_path: Path, data_dir: str | None = None) -> str:
    """What the records depend on: the master, the form, the recorder, the libraries the
    oracles use and the data they read (``data_dir``; default ``$IMDB_DATA_DIR``)."""
    import hashlib
    from importlib import metadata

    h = hashlib.sha256(Path(master_path).read_bytes())
    for module in (hidden, sys.modules[__name__]):
        h.update(Path(module.__file__).read_bytes())
    for dist in ("numpy", "keras", "tensorflow"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            pass
    folder = os.environ.get(data.ENV_VAR) if data_dir is None else data_dir   # what a hidden region reads (06: the word index)
    if folder and os.path.isdir(folder):
        h.update(os.path.realpath(folder).encode())
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.is_file():
                st = entry.stat()
                h.update(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:24]


def cache_dir() -> Path:
    """Records already made, by cache_key: a batch, a Gradescope run or a test reuses them
    (``JUDGE_CACHE``, default build/judged/ of the checkout; nothing secret leaves the course).
    Read where a run starts (the batch passes it on to its template workers)."""
    from .. import course

    return Path(os.environ.get("JUDGE_CACHE") or course.ROOT / "build" / "judged")


def prepare(master_path: Path, out_dir: Path, data_dir: str | None = None, cache: Path | None = None) -> None:
    """Record the master's judged checks in a clean process of their own (TensorFlow's oracles
    stay out of the grader; a master's mistake is a clear error, not a wrong grade), once per
    version of the master: the records are kept in ``cache`` (default ``cache_dir()``) and
    copied from there.  ``data_dir``: the data folder its hidden regions read (default
    ``$IMDB_DATA_DIR``; "" for none)."""
    import shutil
    import tempfile

    master_path, out_dir = Path(master_path).resolve(), Path(out_dir).resolve()
    cached = Path(cache or cache_dir()) / f"{master_path.stem}-{cache_key(master_path, data_dir)}"
    if not cached.is_dir():
        cached.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=".recording-", dir=cached.parent))
        proc = subprocess.run([sys.executable, "-m", "autograder.grader.judge", str(master_path), str(fresh)],
                              env=_recording_env(data_dir), capture_output=True, text=True,
                              cwd=str(master_path.parent))
        if proc.returncode != 0:
            shutil.rmtree(fresh, ignore_errors=True)
            raise RuntimeError(f"recording the hidden tests of {master_path.name} failed:\n{proc.stderr[-3000:]}")
        try:
            fresh.rename(cached)             # atomic: two batches recording at once keep one copy
        except OSError:
            shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(cached, out_dir, dirs_exist_ok=True)


def _recording_env(data_dir: str | None) -> dict[str, str]:
    from .. import course

    env = course.kernel_environment()
    if data_dir is not None:
        env.pop(data.ENV_VAR, None)
        if data_dir:
            env[data.ENV_VAR] = data_dir
    return env


def load(spec_dir) -> dict[str, list[dict]]:
    """grade_id -> its recorded checks (empty when the template has none)."""
    out = {}
    folder = Path(spec_dir) if spec_dir else None
    if folder is not None and folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            data = json.loads(path.read_text())
            out[data["grade_id"]] = data["checks"]
    return out


# ----------------------------------------------------------------------------------------
# 2. produce
# ----------------------------------------------------------------------------------------

def codec_source() -> str:
    """The source of what the producing side needs of rnnkit.hidden: plain data and one call."""
    return "import math\n" + "\n\n".join(inspect.getsource(f) for f in (
        hidden.to_plain, hidden.from_plain, hidden.Other, hidden._helper, hidden._builtin_name, hidden._arguments,
        hidden.call_case))


def _calls(check: dict) -> list[dict]:
    return [{k: c.get(k) for k in ("args", "kwargs", "made", "probe", "series", "makers") if k in c} for c in check["cases"]]


KERNEL_CODE = '''
def __lstm_course_produce(request, codec):
    import json
    from IPython import get_ipython
    from IPython.display import display
    space = get_ipython().user_ns
    plain = {"__name__": "codec"}
    exec(codec, plain)
    results = []
    for check in request:
        fn = space.get(check["function"])
        if not callable(fn):
            results.append({"cell": "missing"})
            continue
        helpers = {name: plain["_helper"](given) for name, given in check["provide"].items()}
        globs = getattr(fn, "__globals__", space)
        saved = {name: globs.get(name, helpers) for name in helpers}
        globs.update(helpers)
        try:
            results.append([plain["call_case"](fn, call) for call in check["calls"]])
        finally:
            for name, old in saved.items():
                if old is helpers:
                    globs.pop(name, None)
                else:
                    globs[name] = old
    display({MIME: json.dumps(results)}, raw=True)
__lstm_course_produce(REQUEST, CODEC)
del __lstm_course_produce
'''


def kernel_code(checks: list[dict]) -> str:
    """The code run in the student's kernel in place of the hidden region: call the functions
    of ``checks`` on their inputs and send the plain results as one display message."""
    request = [{"function": c["function"], "provide": c["provide"], "calls": _calls(c)} for c in checks]
    return (KERNEL_CODE.replace("MIME", repr(hidden.MIME))
            .replace("REQUEST", f"__import__('json').loads({json.dumps(json.dumps(request))})")
            .replace("CODEC", repr(codec_source())))


def kernel_results(outputs) -> tuple[list | None, str]:
    """(the per-check outcomes the produce step sent, "") or (None, why not)."""
    blobs = [o for o in outputs if o.get("output_type") == "display_data" and hidden.MIME in o.get("data", {})]
    if len(blobs) != 1:
        return None, ("the hidden tests' results did not arrive" if not blobs
                      else "the hidden tests' results were sent more than once")
    try:
        data = json.loads(blobs[0]["data"][hidden.MIME])
    except (TypeError, ValueError):
        return None, "the hidden tests' results could not be read"
    return (data, "") if isinstance(data, list) else (None, "the hidden tests' results could not be read")


def solution_cell(nb, function: str, before: int) -> str | None:
    """The source of the last cell before index ``before`` that defines ``function`` at its top
    level (the definition the notebook would use)."""
    found = None
    for cell in nb.cells[:before]:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            if f"def {function}(" in cell.source:
                found = cell.source
            continue
        if any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == function for n in tree.body):
            found = cell.source
    return found


def run_in_sandbox(code: str, request: dict, spec, cwd: str, timeout: float,
                   memory_mb: int = CHECKER_MEMORY_MB, env: dict | None = None):
    """Run ``python -I -c code`` (inside the kernel's sandbox when ``spec``, its
    ``sandbox.SandboxSpec``, is given; with the kernel's environment ``env``, default the
    grader's) with ``request`` on its standard input; its reply is the JSON on the last line
    that starts with the request's nonce.  "timeout" past ``timeout`` seconds, "memory" when
    its resident memory passed ``memory_mb`` (it is killed), None without a reply."""
    import tempfile
    from dataclasses import replace

    from . import sandbox, supervise

    nonce = secrets.token_hex(16)
    cmd = [sys.executable, "-I", "-c", code]
    env = dict(os.environ if env is None else env)
    if spec is not None:
        cmd, env = sandbox.launcher(cmd, env, replace(spec, pid_file="", report_file="", memory_mb=memory_mb))
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, cwd=cwd, start_new_session=True)
    with tempfile.NamedTemporaryFile("w", suffix=".pid") as pid_file:
        pid_file.write(str(proc.pid))
        pid_file.flush()
        watchdog = supervise.MemoryWatchdog(pid_file.name, memory_mb)
        watchdog.start()
        try:
            out, _ = proc.communicate(json.dumps(dict(request, nonce=nonce)).encode(), timeout=max(1.0, timeout))
        except subprocess.TimeoutExpired:
            supervise.kill_tree(proc.pid)
            proc.communicate()
            return "timeout"
        finally:
            watchdog.stop()
            supervise.kill_tree(proc.pid)
    if watchdog.killed_at_mb is not None:
        return "memory"
    for line in reversed(out.decode(errors="replace").splitlines()):
        if line.startswith(nonce):
            try:
                return json.loads(line[len(nonce):])
            except ValueError:
                return None
    return None


def run_restricted(check: dict, cell_source: str, spec, cwd: str, timeout: float, env: dict | None = None) -> dict:
    """Call ``check``'s function from ``cell_source`` alone in the restricted interpreter,
    inside the kernel's sandbox when ``spec`` is given (``run_in_sandbox``)."""
    from . import restricted

    request = {"cell": cell_source, "function": check["function"], "calls": _calls(check),
               "provide": check["provide"], "codec": codec_source()}
    reply = run_in_sandbox(Path(restricted.__file__).read_text(), request, spec, cwd, timeout, env=env)
    if reply in ("timeout", "memory"):
        return {"cell": reply}
    return reply if isinstance(reply, dict) else {"cell": "crashed"}


# ----------------------------------------------------------------------------------------
# 3. decide
# ----------------------------------------------------------------------------------------

def _rule(broken: list) -> str:
    words = []
    for what in broken:
        what = str(what)
        if what.startswith("import "):
            name = what[len("import "):]
            words.append(f"import {name}" if name in KNOWN_MODULES else "an import of a module other than NumPy "
                                                                         "and the standard library")
        elif what in ("starting a process", "ctypes", "a thread still running after the call"):
            words.append(what)
        else:
            words.append("a forbidden operation")
    return ("this exercise is numpy only (NumPy and the standard library, in its own cell), and your code "
            f"used: {', '.join(dict.fromkeys(words))}")


def _cell_problem(function: str, outcome: dict) -> str:
    kind = outcome.get("cell")
    if kind == "name":
        name = outcome.get("name") or "a name"
        return (f"`{function}` is graded from its own solution cell alone (numpy only), and that cell does not "
                f"define `{name}`: define or import it in that cell (NumPy is there as `np`)")
    if kind == "missing":
        return f"your notebook does not define `{function}` in a solution cell"
    if kind == "timeout":
        return f"`{function}` ran past the cell's time limit on the hidden inputs"
    if kind == "memory":
        return (f"`{function}` used more than the {CHECKER_MEMORY_MB} MB of memory its grading process may use "
                "on the hidden inputs")
    if kind == "crashed":
        return f"`{function}` crashed the interpreter that grades it (too much memory? a recursion without end?)"
    if outcome.get("broken"):
        return _rule(outcome["broken"])
    return f"running the solution cell of `{function}` alone raised {outcome.get('type', 'an exception')}"


EVALUATOR = '''
import json, os, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
request = json.loads(sys.stdin.read())
out_fd = os.dup(1)
sys.stdout = sys.stderr = open(os.devnull, "w")
codec = {"__name__": "codec"}
exec(request["codec"], codec)
verdicts = []
for item in request["items"]:
    try:
        why = codec["_helper"](item["check"])(codec["from_plain"](item["got"]), codec["from_plain"](item["expect"]))
        verdicts.append(None if why is None else str(why)[:500])
    except Exception as exc:
        verdicts.append("the model could not be rebuilt and checked (" + codec["_builtin_name"](exc) + "): build it "
                        "from Keras' own layers, with no Lambda layer or class of your own")
os.write(out_fd, (request["nonce"] + json.dumps(verdicts) + "\\n").encode())
'''


def keras_items(check: dict, outcomes) -> list[tuple[int, dict]]:
    """The cases of ``check`` whose comparison needs Keras, with what to evaluate: (case
    index, item) for each case that returned a result."""
    if not isinstance(outcomes, list):
        return []
    items = []
    for k, (case, out) in enumerate(zip(check["cases"], outcomes)):
        cmp = case.get("compare") or {}
        if cmp.get("kind") == "Satisfies" and cmp.get("keras") and isinstance(out, dict) and "result" in out:
            items.append((k, {"check": {"source": cmp["source"], "defines": cmp["defines"]},
                              "got": out["result"], "expect": case["expect"]}))
    return items


def evaluate_keras(items: list[dict], spec, cwd: str, timeout: float, env: dict | None = None) -> list[str | None]:
    """Run the Keras checks of ``items`` in one clean process (inside the sandbox: it rebuilds
    what a student's code exported), one verdict each."""
    if not items:
        return []
    request = {"codec": codec_source() + "\n\n" + inspect.getsource(hidden.rebuild_model), "items": items}
    verdicts = run_in_sandbox(EVALUATOR, request, spec, cwd, timeout, env=env)
    if verdicts == "timeout":
        return ["checking the model ran past the cell's time limit"] * len(items)
    if verdicts == "memory":
        return [f"checking the model used more than the {CHECKER_MEMORY_MB} MB of memory the checker may use: "
                "a smaller model"] * len(items)
    if isinstance(verdicts, list) and len(verdicts) == len(items):
        return verdicts
    return ["the model could not be checked (the checking process failed)"] * len(items)


def quiet_about_the_case(reason: str) -> str:
    """A comparison's reason as the student reads it: a reason with a number in it (a shape, a
    size, a difference) could tell the hidden case's dimensions, so it becomes the plain fact."""
    import re

    return "the result is not the expected one" if re.search(r"\d", reason) else reason


def cpu_problem(cap: float, used: float) -> str | None:
    """A grade cell's CPU budget (``judged(..., cpu_seconds=cap)``) against the CPU seconds its
    visible part used, as the grader measured them from outside the kernel."""
    if used <= cap:
        return None
    return (f"the locked cell used {used:.0f} CPU seconds (measured by the grader, outside your kernel: your "
            f"function's call, the training and the checks), over the {cap:g} the statement allows: fewer "
            "epochs or a smaller model")


def decide(check: dict, outcomes, keras_verdicts: dict | None = None) -> str | None:
    """None when every case of ``check`` passed, else the first problem, in a sentence that
    names the hidden test and never shows an expected value or an input.  ``keras_verdicts``:
    case index -> the verdict ``evaluate_keras`` gave for a comparison that needs Keras."""
    function = check["function"]
    if isinstance(outcomes, dict) and "outcomes" not in outcomes:
        return _cell_problem(function, outcomes)
    if isinstance(outcomes, dict):
        if outcomes.get("broken"):
            return _rule(outcomes["broken"])
        outcomes = outcomes["outcomes"]
    cases = check["cases"]
    if not isinstance(outcomes, list) or len(outcomes) != len(cases):
        return f"the hidden tests of `{function}` did not all run"
    for k, (case, out) in enumerate(zip(cases, outcomes), start=1):
        where = f"hidden test {k} of {len(cases)} (`{function}`)"
        if not isinstance(out, dict):
            return f"{where}: its result could not be read"
        if out.get("broken"):
            return f"{where}: {_rule(out['broken'])}"
        if out.get("raised") == "NameError" and check.get("numpy_only"):
            return f"{where}: " + _cell_problem(function, {"cell": "name", "name": out.get("name", "")})
        if "raised" in out:
            return f"{where}: it raised {out['raised'] if str(out['raised']).isidentifier() else 'an exception'}"
        try:
            got = hidden.from_plain(out.get("result"))
            expect = hidden.from_plain(case["expect"])
            comparison = hidden.comparison_from(case["compare"])
        except (ValueError, KeyError, TypeError):
            return f"{where}: its result could not be read"
        if isinstance(comparison, hidden.Satisfies) and comparison.keras:
            why = (keras_verdicts or {}).get(k - 1, "the model was not checked")
        else:
            why = hidden.compare_plain(comparison, got, expect)
        if why:
            return f"{where}: {quiet_about_the_case(why)}"
        if check.get("unchanged"):
            try:
                after = hidden.from_plain(out.get("after"))
                before = (hidden.from_plain(case["args"]), hidden.from_plain(case["kwargs"]))
            except (ValueError, KeyError, TypeError):
                return f"{where}: its arguments could not be read back"
            if hidden.Equal()(after, before) is not None:
                return f"{where}: it changed one of its arguments in place (compute new arrays instead)"
        if check.get("quiet") and out.get("warned"):
            kind = out["warned"] if str(out["warned"]) in WARNINGS else "a warning"
            return (f"{where}: it warned ({kind}: an overflow, a division by zero...), and the statement "
                    "asks for no warning")
    return None


def main(argv=None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) != 2:
        sys.exit("usage: python -m autograder.grader.judge MASTER.ipynb OUT_DIR")
    record(Path(argv[0]), Path(argv[1]))


if __name__ == "__main__":
    main()
