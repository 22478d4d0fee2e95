"""Check a notebook with its visible tests: `python -m rnnkit.check <notebook>.ipynb`.

What a student can run before handing in (and what the GitHub Classroom template runs on
every push).  The notebook is run top to bottom in a fresh kernel; every locked test cell
(nbgrader's "Autograder tests" cells) passes when it raises nothing, and earns its points.
A student version holds the *visible* tests only: the final grade also runs hidden tests
on inputs the student has not seen, so passing here is necessary, not sufficient.

Output: a line per question, or with ``--format reporter`` the JSON that GitHub Classroom's
``autograding-grading-reporter`` reads (``{"version": 1, "status", "max_score", "tests":
[{"name", "status", "score", "message", ...}]}``).  A question is named as the notebook
names it ("Exercise 3 · steps_to_vanish, 2 points": its own headings, ``rnnkit.questions``,
the grader's rule too), its grade id kept in ``grade_id``.  ``--github-output`` also writes it,
base64-encoded, as the step output ``result``.  The exit code is 0 when every test cell
passed, 1 when one failed, 2 when the notebook could not be run.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sys
import time
from pathlib import Path

from .env import QUIET_ENV
from .questions import question_names

CELL_TIMEOUT = 900          # seconds per cell: generous, a self-check never cuts a slow laptop short
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _points(cell) -> float | None:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    # a test cell: graded and not an answer (an answer graded by hand has no test to run here)
    if isinstance(meta, dict) and meta.get("grade") and not meta.get("solution") and cell.get("cell_type") == "code":
        return float(meta.get("points", 0) or 0)
    return None


def _error_text(outputs) -> str | None:
    for out in outputs:
        if out.get("output_type") == "error":
            if out.get("ename") == "NotImplementedError":
                return "NotImplementedError: the exercise this cell tests is not answered yet"
            return f"{out.get('ename', 'Error')}: {ANSI.sub('', str(out.get('evalue', '')))}".strip()
    return None


def check_notebook(path, timeout: int = CELL_TIMEOUT) -> dict:
    """Run ``path`` and score its test cells; the reporter's JSON."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    t0 = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:       # not a notebook at all: say so (never quoting the file), score nothing
        return {"version": 1, "status": "error", "max_score": 0, "tests": [],
                "message": f"{path.name} is not a valid Jupyter notebook ({type(exc).__name__})"}
    graded = [(i, c) for i, c in enumerate(nb.cells) if _points(c) is not None]
    names = question_names(nb)       # before running: from the notebook's own headings
    env = dict(os.environ, **QUIET_ENV)
    root = Path(__file__).resolve().parent.parent
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    problem = ""
    try:
        NotebookClient(nb, timeout=timeout, allow_errors=True, kernel_name="python3",
                       extra_arguments=["--IPKernelApp.log_level=ERROR"],
                       resources={"metadata": {"path": str(path.parent.resolve())}}).execute(env=env)
    except Exception as exc:       # the kernel died, a cell timed out: the cells that ran count
        problem = f"the notebook stopped: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    tests = []
    for n, (index, cell) in enumerate(graded, start=1):
        gid = cell.metadata["nbgrader"].get("grade_id", f"cell {index}")
        ran = cell.get("execution_count") is not None or bool(cell.get("outputs"))
        err = _error_text(cell.get("outputs", []))
        ok = ran and err is None
        message = ("All visible tests passed." if ok else
                   err if err else f"Not run ({problem or 'the notebook stopped before this cell'}).")
        tests.append({"name": names.get(gid, gid), "grade_id": gid, "status": "pass" if ok else "fail",
                      "score": _points(cell) if ok else 0.0, "max_score": _points(cell), "message": message,
                      "filename": path.name, "line_no": 0, "test_code": f"cell {index}", "execution_time": 0})
    status = "pass" if tests and all(t["status"] == "pass" for t in tests) else "fail"
    result = {"version": 1, "status": status, "max_score": sum(t["max_score"] for t in tests), "tests": tests,
              "execution_time": round(time.perf_counter() - t0, 1)}
    if problem:
        result["message"] = problem
    return result


def report_text(result: dict, name: str) -> str:
    lines = [f"{name}: {result.get('message', '')}".rstrip(": ")] if result.get("message") else []
    for t in result["tests"]:
        mark = "PASS" if t["status"] == "pass" else "FAIL"
        lines.append(f"{mark} {t['name']}: {t['score']:g}/{t['max_score']:g}  {t['message']}")
    got = sum(t["score"] for t in result["tests"])
    lines.append(f"visible tests: {got:g}/{result['max_score']:g} points"
                 " (the final grade also runs hidden tests)")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rnnkit.check", description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", help="the notebooks to check")
    parser.add_argument("--format", choices=("text", "reporter"), default="text")
    parser.add_argument("--github-output", action="store_true",
                        help="also write the reporter JSON, base64-encoded, as the step output 'result' ($GITHUB_OUTPUT)")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
    args = parser.parse_args(argv)
    results = [check_notebook(p, args.timeout) for p in args.notebooks]
    merged = {"version": 1, "max_score": sum(r["max_score"] for r in results),
              "tests": [t for r in results for t in r["tests"]],
              "status": ("error" if any(r["status"] == "error" for r in results) else
                         "pass" if all(r["status"] == "pass" for r in results) else "fail")}
    if args.format == "reporter":
        print(json.dumps(merged, indent=2))
    else:
        for path, r in zip(args.notebooks, results):
            print(report_text(r, Path(path).name))
    if args.github_output and os.environ.get("GITHUB_OUTPUT"):
        encoded = base64.b64encode(json.dumps(merged).encode()).decode()
        with open(os.environ["GITHUB_OUTPUT"], "a") as fh:
            fh.write(f"result={encoded}\n")
    return {"pass": 0, "fail": 1}.get(merged["status"], 2)


if __name__ == "__main__":
    sys.exit(main())
