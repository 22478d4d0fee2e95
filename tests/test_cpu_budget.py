"""A CPU budget counted where the notebook cannot reach it (issue 31: the design exercises).

The locked cell of a design exercise (04, 05, 06, 08) trains the student's model within a budget
of CPU seconds.  The kernel's own clock (``time.process_time``) is the student's to patch, so the
grader measures the cell again from outside the kernel (``supervise.descendants_cpu_seconds``,
read from ``/proc``) and fails it over the budget its hidden region states
(``judged(..., cpu_seconds=...)``).  Through the one grading path (the CLI, real nbgrader,
sandboxed kernels), on a small synthetic master without TensorFlow whose "training" burns CPU:

* an honest design within the budget keeps its point;
* one over it fails the visible check, as before;
* one over it that stops the kernel's clock (``time.process_time = lambda: 0.0``) passes the
  visible check and still scores 0, with the grader's measurement named;
* one that does its work in a child process scores 0 too (children count).

And, alone: the measurement itself, and ``rnnkit.budget.fresh_start`` (a trained model refused,
pretrained weights drawn again).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

import nbformat
import pytest

from autograder.grader import supervise
from nbcells import answered, code_cell, grade_cli, hand_in, synthetic_release

AID = "syn_budget"
BURN = "def _burn(seconds):\n    end = time.process_time() + seconds\n    while time.process_time() < end:\n        pass\n"
ANSWER = ('def design():\n    """Trains for a while; returns 1."""\n    ### BEGIN SOLUTION\n'
          '    _burn(0.2)\n    return 1\n    ### END SOLUTION')
TESTS = '''CPU_CAP = 2.0
_c0 = time.process_time()
_result = design()
_cpu = time.process_time() - _c0
assert _cpu <= CPU_CAP, f"training used {_cpu:.1f} CPU seconds, over the cap of {CPU_CAP}"


def _design_result():
    return _result

### BEGIN HIDDEN TESTS
from rnnkit.hidden import Case, Equal, judged

judged("_design_result", [Case(expect=1)], Equal(), cpu_seconds=2.0 + 1.5)
### END HIDDEN TESTS'''

OVER = 'def design():\n    _burn(6.0)\n    return 1'
CLOCK_STOPPED = ('import time as _t\n_real = _t.process_time\ndef design():\n    _burn(6.0)\n'
                 '    _t.process_time = lambda: 0.0      # the kernel\'s clock, stopped for the check\n    return 1')
IN_A_CHILD = ('import subprocess, sys\ndef design():\n    subprocess.run([sys.executable, "-c", '
              '"import time\\nend = time.process_time() + 6\\nwhile time.process_time() < end: pass"])\n    return 1')


def master():
    sol = dict(grade=False, solution=True, locked=False)
    nb = nbformat.v4.new_notebook(cells=[
        code_cell("import time\n" + BURN),
        code_cell(ANSWER, "g_design_answer", **sol),
        code_cell(TESTS, "g_design", grade=True, solution=False, locked=True, points=1),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("budget")
    subs, out = tmp / "subs", tmp / "out"
    src, release = synthetic_release(tmp, AID, master())
    for student, answer in {"honest": ANSWER, "over": OVER, "clock": CLOCK_STOPPED, "child": IN_A_CHILD}.items():
        hand_in(subs, student, AID, answered(release, "g_design_answer", answer))
    cli = grade_cli(subs, out, src, cell_timeout=60, timeout=900)
    assert cli.returncode == 0, cli.stderr[-2000:]

    def result(student):
        data = json.loads((out / "students" / student / AID / "results.json").read_text())
        return next(t for t in data["tests"] if t["extra_data"]["grade_id"] == "g_design")
    return result


@pytest.mark.slow
@pytest.mark.parametrize("student, score, words", [
    ("honest", 1, ""), ("over", 0, "over the cap of 2.0"),
    ("clock", 0, "measured by the grader, outside your kernel"),
    ("child", 0, "measured by the grader, outside your kernel")])
def test_the_budget_is_measured_outside_the_kernel(graded, student, score, words):
    t = graded(student)
    assert t["score"] == score, t["output"]
    assert words in t["output"], t["output"]


def test_a_child_process_cpu_time_counts():
    before = supervise.descendants_cpu_seconds()
    subprocess.run([sys.executable, "-c", "import time\nend = time.process_time() + 1\n"
                    "while time.process_time() < end: pass"], check=True)
    used = supervise.descendants_cpu_seconds() - before
    assert 0.9 <= used < 5, used


def test_a_running_child_counts_before_it_ends():
    before = supervise.descendants_cpu_seconds()
    child = subprocess.Popen([sys.executable, "-c", "import time\nend = time.process_time() + 30\n"
                              "while time.process_time() < end: pass"])
    try:
        time.sleep(1.5)
        used = supervise.descendants_cpu_seconds() - before
    finally:
        child.kill()
        child.wait()
    assert used >= 0.5, used


@pytest.mark.slow
def test_fresh_start_refuses_a_trained_model_and_redraws_pretrained_weights():
    import numpy as np
    import keras

    from rnnkit.budget import fresh_start

    def build():
        keras.utils.set_random_seed(7)
        m = keras.Sequential([keras.Input((4, 1)), keras.layers.LSTM(3), keras.layers.Dense(1)])
        m.compile(optimizer="adam", loss="mse")
        return m

    drawn = [w.copy() for w in build().get_weights()]
    pretrained = build()
    pretrained.set_weights([np.full_like(w, 0.5) for w in drawn])       # learnt elsewhere
    fresh = fresh_start(pretrained, 7)
    assert all(np.array_equal(a, b) for a, b in zip(drawn, fresh.get_weights()))

    trained = build()
    trained.fit(np.zeros((8, 4, 1)), np.zeros((8, 1)), epochs=1, verbose=0)
    with pytest.raises(AssertionError, match="already been trained"):
        fresh_start(trained, 7)
