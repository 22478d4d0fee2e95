"""Grades that cannot be forged from inside the notebook (issue 31, items 1, 2 and 7).

A small synthetic master (no TensorFlow) with two judged exercises, written in
``rnnkit.hidden``'s declarative form, graded through the one grading path (the CLI, real
nbgrader, real sandboxed kernels):

* ``g_scale`` (2 points): ``scale(x, k)``; its hidden checks are produced in the student's kernel
  and decided by the grader;
* ``g_mean`` (1 point, numpy only, arguments unchanged): ``row_means(a)``; produced in the
  restricted interpreter from its solution cell alone.

Each hostile submission is a *wrong* answer plus a trick that fooled in-kernel grading (the
bank of issue 31: patching the checks, patching only while a grade cell calls, patching in the
last cell, an ``__eq__`` that is always true, forging the results message), or a numpy-only
evasion (Keras in a thread, in a subprocess, in ``__array__``, after sabotaging the recorder,
from a helper in another cell, through ctypes).  Each must score 0 on its exercise, and an
evasion's message must name the rule.  Correct answers, written two ways, keep full marks,
including one with an unused ``import keras`` at the top of its numpy-only cell (importing is
not an offence; calling is).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.grader.report import read_csv
from nbcells import code_cell, grade_cli, hand_in, synthetic_release

pytestmark = pytest.mark.slow

AID = "syn_forge"
SOL = dict(grade=False, solution=True, locked=False)
TEST = dict(grade=True, solution=False, locked=True)

SCALE = 'def scale(x, k):\n    """x (any shape) times k."""\n    ### BEGIN SOLUTION\n    return np.asarray(x) * k\n    ### END SOLUTION'
MEANS = ('def row_means(a):\n    """a: (rows, cols) -> (rows,), the mean of each row (numpy only)."""\n'
         '    ### BEGIN SOLUTION\n    return a.sum(axis=1) / a.shape[1]\n    ### END SOLUTION')

SCALE_TESTS = '''import numpy as np
np.testing.assert_allclose(scale(np.ones(3), 2.0), 2 * np.ones(3), err_msg="scale(ones, 2) must be twos")
assert scale(1.0, 3.0) == 3.0, "scale(1, 3) must be 3"
print("Visible tests passed.")
### BEGIN HIDDEN TESTS
import numpy as np
from rnnkit.hidden import Case, Close, judged


def _cases():
    r = np.random.default_rng(31)
    for shape in [(4,), (2, 3), (5, 1, 2)]:
        x, k = r.normal(size=shape), float(r.normal())
        yield Case(x, k, expect=x * k)


judged("scale", _cases(), Close(rtol=1e-9, atol=1e-12))
### END HIDDEN TESTS'''

# (the visible check does not enforce the rule, so that only the judged run can catch an evasion)
MEANS_TESTS = '''import numpy as np
np.testing.assert_allclose(row_means(np.array([[1.0, 3.0]])), [2.0], err_msg="the mean of [1, 3] is 2")
print("Visible tests passed.")
### BEGIN HIDDEN TESTS
import numpy as np
from rnnkit.hidden import Case, Close, judged


def _cases():
    r = np.random.default_rng(32)
    for shape in [(3, 4), (1, 7), (6, 2)]:
        a = r.normal(size=shape)
        yield Case(a, expect=np.array([sum(row) / len(row) for row in a.tolist()]))


judged("row_means", _cases(), Close(rtol=1e-9, atol=1e-12), numpy_only=True, unchanged=True)
### END HIDDEN TESTS'''

# right on the visible inputs (sizes 1 and 3), wrong on every hidden one
WRONG_SCALE = "def scale(x, k):\n    return np.asarray(x) * k + (0 if np.size(x) in (1, 3) else 1)"

# --- tricks around a wrong scale (each must still score 0 on g_scale) -------------------
PATCH_CHECKS = '''import sys, builtins, numpy as np, numpy.testing
for _name in list(sys.modules):
    if "guard" in _name:
        sys.modules[_name] = None
numpy.testing.assert_allclose = lambda *a, **k: None
np.allclose = lambda *a, **k: True
'''
PATCH_WHILE_CALLED = '''def scale(x, k):
    import numpy.testing
    numpy.testing.assert_allclose = lambda *a, **k: None
    return np.asarray(x) * k + (0 if np.size(x) in (1, 3) else 1)
'''
EQ_ALWAYS_TRUE = '''class _Yes(float):
    def __eq__(self, other): return True
    __ne__ = lambda self, other: False
    def __array__(self, *a, **k): return np.asarray(12345.0)
def scale(x, k):
    if np.ndim(x) == 0:
        return _Yes(0.0)
    return np.asarray(x) * k if np.size(x) == 3 else np.zeros(np.shape(x))
'''
FORGE_RESULTS = '''import IPython.display as _d, json as _j
_real = _d.display
def _forged(*objs, raw=False, **kw):
    for o in objs:
        if isinstance(o, dict) and any("lstm-course" in key for key in o):
            _real({key: _j.dumps([[{"result": None}] * 3]) for key in o}, raw=True)
    return _real(*objs, raw=raw, **kw)
_d.display = _forged
'''

# --- numpy-only evasions (each must score 0 on g_mean, the rule named) -------------------
KERAS_IN_FUNCTION = "def row_means(a):\n    import keras\n    return np.asarray(keras.ops.mean(a, axis=1))"
KERAS_IN_THREAD = '''import threading
def row_means(a):
    out = {}
    def work():
        try:
            import keras
            out["r"] = keras.ops.mean(a, axis=1)
        except Exception:
            out["r"] = None
    t = threading.Thread(target=work); t.start(); t.join()
    return a.mean(axis=1)
'''
SUBPROCESS = '''import subprocess, json
def row_means(a):
    out = subprocess.run(["python3", "-c", "print(1)"], capture_output=True)
    return a.mean(axis=1)
'''
ARRAY_HOOK = '''class _Late:
    def __init__(self, a): self.a = a
    def __array__(self, *args, **kw):
        import keras
        return np.asarray(keras.ops.mean(self.a, axis=1))
def row_means(a):
    return _Late(a)
'''
SABOTAGE = '''import sys
sys.modules["rnnkit.rules"] = None
sys.setprofile(None)
def row_means(a):
    sys.setprofile(lambda *args: None)
    import tensorflow as tf
    return a.mean(axis=1)
'''
OTHER_CELL_HELPER = "def row_means(a):\n    return _means_from_keras(a)"
HELPER_CELL = "def _means_from_keras(a):\n    import keras\n    return np.asarray(keras.ops.mean(a, axis=1))"
CTYPES = '''import ctypes
def row_means(a):
    ctypes.CDLL(None)
    return a.mean(axis=1)
'''
THREAD_LEFT = '''import threading, time
def row_means(a):
    threading.Thread(target=time.sleep, args=(5,), daemon=True).start()
    return a.mean(axis=1)
'''
IN_PLACE = "def row_means(a):\n    a /= a.shape[1]\n    return a.sum(axis=1)"

# a package named like the grader's, handed in beside the notebook: where Python puts the working
# folder first on sys.path (``python -m``), it would run in place of the sandbox's launcher,
# outside the sandbox.  This one leaves a mark, then starts the kernel with no sandbox at all.
FAKE_LAUNCHER = '''import os, sys
open(MARK, "w").write("the submission's own launcher ran")
os.execvp(sys.argv[2], sys.argv[2:])
'''

# --- correct answers written differently (full marks) ------------------------------------
GOOD_SCALE = "def scale(x, k):\n    return np.multiply(x, k)"
GOOD_MEANS = "import keras   # unused: importing is not an offence\nimport math\n\ndef row_means(a):\n    return np.mean(a, axis=1)"


def master():
    cells = [
        code_cell("import numpy as np"),
        code_cell(SCALE, "g_scale_answer", **SOL),
        code_cell(SCALE_TESTS, "g_scale", points=2, **TEST),
        code_cell(MEANS, "g_mean_answer", **SOL),
        code_cell(MEANS_TESTS, "g_mean", points=1, **TEST),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _index(nb, gid):
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def answered(release, scale=SCALE, means=MEANS, before=None, after=None):
    """The release with these answers; ``before``/``after``: {grade_id: extra cell} put before
    or after that cell."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    nb.cells[_index(nb, "g_scale_answer")].source = scale
    nb.cells[_index(nb, "g_mean_answer")].source = means
    for gid, src in (after or {}).items():
        nb.cells.insert(_index(nb, gid) + 1, nbformat.v4.new_code_cell(src))
    for gid, src in (before or {}).items():
        nb.cells.insert(_index(nb, gid), nbformat.v4.new_code_cell(src))
    return nb


# student -> (the release's answers, expected {grade_id: score}, words the message must hold)
def bank(release):
    wrong = dict(scale=WRONG_SCALE)
    return {
        "correct": (answered(release), {"g_scale": 2, "g_mean": 1}, {}),
        "correct_other": (answered(release, GOOD_SCALE, GOOD_MEANS), {"g_scale": 2, "g_mean": 1}, {}),
        "wrong_plain": (answered(release, **wrong), {"g_scale": 0, "g_mean": 1}, {"g_scale": "hidden test"}),
        "patch_checks": (answered(release, **wrong, before={"g_scale_answer": PATCH_CHECKS}),
                         {"g_scale": 0, "g_mean": 1}, {}),
        "patch_last_cell": (answered(release, **wrong, after={"g_mean": PATCH_CHECKS}), {"g_scale": 0, "g_mean": 1}, {}),
        "patch_while_called": (answered(release, scale=PATCH_WHILE_CALLED), {"g_scale": 0, "g_mean": 1}, {}),
        "eq_always_true": (answered(release, scale=EQ_ALWAYS_TRUE), {"g_scale": 0, "g_mean": 1}, {}),
        "forge_results": (answered(release, **wrong, before={"g_scale_answer": FORGE_RESULTS}),
                          {"g_scale": 0, "g_mean": 1}, {}),
        "keras_in_function": (answered(release, means=KERAS_IN_FUNCTION), {"g_scale": 2, "g_mean": 0},
                              {"g_mean": "numpy only"}),
        "keras_in_thread": (answered(release, means=KERAS_IN_THREAD), {"g_scale": 2, "g_mean": 0},
                            {"g_mean": "import keras"}),
        "subprocess": (answered(release, means=SUBPROCESS), {"g_scale": 2, "g_mean": 0}, {"g_mean": "process"}),
        "array_hook": (answered(release, means=ARRAY_HOOK), {"g_scale": 2, "g_mean": 0}, {"g_mean": "import keras"}),
        "sabotage": (answered(release, means=SABOTAGE), {"g_scale": 2, "g_mean": 0}, {"g_mean": "import tensorflow"}),
        "other_cell": (answered(release, means=OTHER_CELL_HELPER, before={"g_mean_answer": HELPER_CELL}),
                       {"g_scale": 2, "g_mean": 0}, {"g_mean": "_means_from_keras"}),
        "ctypes": (answered(release, means=CTYPES), {"g_scale": 2, "g_mean": 0}, {"g_mean": "numpy only"}),
        "thread_left": (answered(release, means=THREAD_LEFT), {"g_scale": 2, "g_mean": 0}, {"g_mean": "thread"}),
        "in_place": (answered(release, means=IN_PLACE), {"g_scale": 2, "g_mean": 0}, {}),
        "fake_launcher": (answered(release, **wrong), {"g_scale": 0, "g_mean": 1}, {}),
    }


def extra_files(student: str, mark: Path) -> dict[str, str]:
    """Files handed in beside a student's notebook."""
    if student != "fake_launcher":
        return {}
    return {"autograder/__init__.py": "", "autograder/grader/__init__.py": "",
            "autograder/grader/sandbox.py": FAKE_LAUNCHER.replace("MARK", repr(str(mark))),
            "autograder/grader/judge.py": FAKE_LAUNCHER.replace("MARK", repr(str(mark)))}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("forgery")
    subs, out = tmp / "subs", tmp / "out"
    src, release = synthetic_release(tmp, AID, master())
    expected = bank(release)
    for student, (nb, _, _) in expected.items():
        path = hand_in(subs, student, AID, nb)
        for name, text in extra_files(student, tmp / "launcher-mark").items():
            (path.parent / name).parent.mkdir(parents=True, exist_ok=True)
            (path.parent / name).write_text(text)
    cli = grade_cli(subs, out, src, cell_timeout=60, timeout=1500)
    return dict(cli=cli, out=out, expected=expected, tmp=tmp)


def _tests(batch, student) -> dict:
    data = json.loads((batch["out"] / "students" / student / AID / "results.json").read_text())
    return {t["extra_data"]["grade_id"]: t for t in data["tests"]}


def test_the_hidden_checks_are_recorded_once_outside_any_kernel(batch):
    records = sorted(p.name for p in (batch["tmp"] / "tpl" / "judged").glob("*.json"))
    assert records == ["g_mean.json", "g_scale.json"]
    data = json.loads((batch["tmp"] / "tpl" / "judged" / "g_mean.json").read_text())
    assert data["checks"][0]["numpy_only"] and len(data["checks"][0]["cases"]) == 3


def test_every_trick_scores_what_its_answer_is_worth(batch):
    assert batch["cli"].returncode == 0, batch["cli"].stderr[-2000:]
    wrong = []
    for student, (_, scores, words) in batch["expected"].items():
        tests = _tests(batch, student)
        for gid, want in scores.items():
            got = tests[gid]["score"]
            if got != want:
                wrong.append(f"{student} {gid}: {got} (expected {want}): {tests[gid]['output'][:300]}")
        for gid, word in words.items():
            if word not in tests[gid]["output"]:
                wrong.append(f"{student} {gid}: the message does not say {word!r}: {tests[gid]['output'][:400]}")
    assert not wrong, "\n".join(wrong)


def test_a_package_named_like_the_grader_beside_the_notebook_never_runs(batch):
    assert not (batch["tmp"] / "launcher-mark").exists(), "a submission's own autograder package ran"


def test_rows_agree_with_the_feedback(batch):
    rows = {r["student_id"]: r for r in read_csv(batch["out"] / "summary.csv")}
    for student, (_, scores, _) in batch["expected"].items():
        assert float(rows[student]["score"]) == sum(scores.values()), student


def test_the_feedback_shows_no_expected_value_and_no_input(batch):
    """The grader's sentences name the hidden test and the shape, never a number of the
    oracle's: the expected value of the first hidden case is nowhere in any feedback."""
    import numpy as np

    r = np.random.default_rng(31)
    x, k = r.normal(size=(4,)), float(r.normal())
    secrets = {f"{v:.4f}" for v in (x * k)} | {f"{k:.4f}"}
    for student in batch["expected"]:
        text = (batch["out"] / "students" / student / AID / "results.json").read_text()
        assert not any(s in text for s in secrets), student


def test_the_launcher_never_imports_a_package_from_the_working_folder(tmp_path):
    """``python -m`` puts the working folder first on ``sys.path``: the launcher's command
    (``sandbox.launcher``: ``-P``, the course on PYTHONPATH) imports the course's own package
    even when the working folder holds one named ``autograder``.  (The worker hands the kernel
    the notebook alone today; this holds should other files ever follow it.)"""
    import os

    from autograder.grader import sandbox

    for name, text in extra_files("fake_launcher", tmp_path / "mark").items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", sandbox.ENV_VAR)}
    cmd, env = sandbox.launcher([sys.executable, "-c", "print('kernel')"], env)
    subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert not (tmp_path / "mark").exists(), "the working folder's autograder package ran"
    unsafe = [c for c in cmd if c != "-P"]
    subprocess.run(unsafe, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert (tmp_path / "mark").exists(), "control: without -P the working folder's package runs"
