"""A function that returns a Keras model, judged outside the student's kernel (issue 31, item 1).

The kernel only exports the model (``rnnkit.hidden.export_model``: its configuration and
weights, as plain data); the grader rebuilds it from Keras' own layers in a clean process of its
own, inside the sandbox (``judge.evaluate_keras``), and checks it there.  Through the one
grading path (the CLI, real nbgrader, sandboxed kernels), on a small synthetic master:

* a correct ``build_model(units)`` scores 2, and so does one built differently (functional API);
* a wrong architecture scores 0, with the check's reason;
* an object that only pretends to be a model (``to_json`` and ``get_weights`` of its own,
  with an ``isinstance`` check in the kernel fooled) scores 0: the rebuilt "model" fails;
* a model with a ``Lambda`` layer of the student's scores 0 with a clear message (Keras' safe
  mode refuses to rebuild code).
"""
from __future__ import annotations

import json

import nbformat
import pytest

from nbcells import answered, code_cell, grade_cli, hand_in, synthetic_release

pytestmark = pytest.mark.slow

AID = "syn_model"
ANSWER = ('def build_model(units):\n    """An LSTM(units) over (None, 3) inputs, then Dense(1)."""\n'
          '    ### BEGIN SOLUTION\n    return keras.Sequential([keras.Input((None, 3)), keras.layers.LSTM(units), '
          'keras.layers.Dense(1)])\n    ### END SOLUTION')
TESTS = '''_m = build_model(4)
assert _m.output_shape == (None, 1), "the output must be (batch, 1)"
print("Visible tests passed.")
### BEGIN HIDDEN TESTS
from rnnkit.hidden import Case, Satisfies, export_model, judged


def _is_lstm_then_dense(got, units):
    from rnnkit.hidden import rebuild_model

    import keras
    model = rebuild_model(got)
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    kinds = [type(layer).__name__ for layer in layers]
    if kinds != ["LSTM", "Dense"]:
        return f"the layers are {kinds}, not an LSTM then a Dense layer"
    if layers[0].units != units or model.output_shape != (None, 1):
        return "the LSTM's width or the output shape is not the one asked for"
    out = model(np.zeros((2, 5, 3), "float32"))
    return None if tuple(out.shape) == (2, 1) else "the model does not map (2, 5, 3) inputs to (2, 1)"


judged("build_model", [Case(u, expect=u) for u in (2, 7)], Satisfies(_is_lstm_then_dense, keras=True),
       probe=export_model)
### END HIDDEN TESTS'''

FUNCTIONAL = ('def build_model(units):\n    x = keras.Input((None, 3))\n    h = keras.layers.LSTM(units)(x)\n'
              '    return keras.Model(x, keras.layers.Dense(1)(h))')
WRONG = ('def build_model(units):\n    return keras.Sequential([keras.Input((None, 3)), keras.layers.GRU(units), '
         'keras.layers.Dense(1)])')
FAKE = '''import json as _json
def build_model(units):
    real = keras.Sequential([keras.Input((None, 3)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    class Pretend(keras.Model):
        output_shape = (None, 1)
        def __init__(self):
            pass
        def to_json(self):
            return _json.dumps({"class_name": "Sequential", "config": {"layers": []}})
        def get_weights(self):
            return []
    return Pretend.__new__(Pretend) if units != 4 else real
'''
LAMBDA = ('def build_model(units):\n    return keras.Sequential([keras.Input((None, 3)), keras.layers.LSTM(units), '
          'keras.layers.Lambda(lambda t: t * 1.0), keras.layers.Dense(1)])')


def master():
    sol = dict(grade=False, solution=True, locked=False)
    nb = nbformat.v4.new_notebook(cells=[
        code_cell("import numpy as np\nimport keras"),
        code_cell(ANSWER, "g_model_answer", **sol),
        code_cell(TESTS, "g_model", grade=True, solution=False, locked=True, points=2),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("models")
    subs, out = tmp / "subs", tmp / "out"
    src, release = synthetic_release(tmp, AID, master())
    for student, answer in {"correct": ANSWER, "functional": FUNCTIONAL, "wrong": WRONG, "fake": FAKE,
                            "lambda": LAMBDA}.items():
        hand_in(subs, student, AID, answered(release, "g_model_answer", answer))
    cli = grade_cli(subs, out, src, cell_timeout=120, timeout=1500)
    assert cli.returncode == 0, cli.stderr[-2000:]

    def test(student):
        data = json.loads((out / "students" / student / AID / "results.json").read_text())
        return next(t for t in data["tests"] if t["extra_data"]["grade_id"] == "g_model")
    return test


@pytest.mark.parametrize("student, score, words", [
    ("correct", 2, ""), ("functional", 2, ""), ("wrong", 0, "not an LSTM then a Dense"),
    ("fake", 0, "hidden test 1 of 2"), ("lambda", 0, "Keras' own layers")])
def test_a_model_is_judged_on_its_rebuilt_copy(graded, student, score, words):
    t = graded(student)
    assert t["score"] == score, t["output"]
    assert words in t["output"], t["output"]
