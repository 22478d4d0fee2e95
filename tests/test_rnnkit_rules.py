"""rnnkit.rules.numpy_only: the check behind every "numpy only" exercise."""
import sys
import threading

import numpy as np
import pytest

from rnnkit.rules import RuleBroken, forbidden_calls, numpy_only

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def layer():
    dense = keras.layers.Dense(2)
    dense.build((None, 3))
    return dense


X = np.ones((2, 3), np.float32)


def test_numpy_code_passes_and_returns_its_result():
    out = numpy_only(lambda x, k=2: np.tanh(x) * k, X, k=3)
    np.testing.assert_allclose(out, 3 * np.tanh(X))


def test_an_import_outside_the_call_is_no_offence():
    import keras as _k  # noqa: F401  (already imported: the call below must still pass)

    def f(x):
        import keras  # noqa: F401  (a cached import runs no Keras code)
        return x + 1
    numpy_only(f, X)


@pytest.mark.parametrize("how", ["new_layer", "prebuilt_layer", "keras_ops", "tensorflow", "thread"])
def test_keras_or_tensorflow_inside_the_call_breaks_the_rule(how, layer):
    import tensorflow as tf

    def f(x):
        if how == "new_layer":
            return np.asarray(keras.layers.Dense(2)(x))
        if how == "prebuilt_layer":
            return np.asarray(layer(x))
        if how == "keras_ops":
            return np.asarray(keras.ops.tanh(x))
        if how == "tensorflow":
            return tf.math.sigmoid(x).numpy()
        out = []
        t = threading.Thread(target=lambda: out.append(np.asarray(layer(x))))
        t.start()
        t.join()
        return out[0]
    with pytest.raises(RuleBroken, match="numpy only"):
        numpy_only(f, X)
    assert sys.getprofile() is None and threading.getprofile() is None


def test_switching_the_check_off_breaks_the_rule(layer):
    def f(x):
        saved = sys.getprofile()
        sys.setprofile(None)
        y = np.asarray(layer(x))
        sys.setprofile(saved)
        return y
    with pytest.raises(RuleBroken, match="switched off"):
        numpy_only(f, X)


def test_allowed_references_are_exempt_but_only_them(layer):
    def reference(x):
        return np.asarray(layer(x))

    def uses_reference(x):
        return reference(x) + 1

    numpy_only(uses_reference, X, allow=[reference])
    with pytest.raises(RuleBroken):
        numpy_only(uses_reference, X)
    _, calls = forbidden_calls(lambda x: reference(x) + np.asarray(layer(x)), X, allow=[reference])
    assert calls, "Keras called outside the allowed reference must still count"


def test_exceptions_propagate_and_the_profiler_is_restored():
    def boom(x):
        raise ValueError("student bug")
    with pytest.raises(ValueError, match="student bug"):
        numpy_only(boom, X)
    assert sys.getprofile() is None
