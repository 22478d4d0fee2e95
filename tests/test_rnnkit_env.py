"""rnnkit.setup(): quiet TensorFlow start-up and repeatable seeds, in a real interpreter."""
import os
import subprocess
import sys

SNIPPET = """
from rnnkit import setup
setup(seed=7)
import numpy as np, random, keras
layer = keras.layers.LSTM(3)
out = layer(np.ones((2, 4, 5), dtype="float32"))
print(random.random(), np.random.rand(), float(np.asarray(out).sum()))
"""


def _run(extra_env=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "ABSL_"))}
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-c", SNIPPET], capture_output=True, text=True, env=env, timeout=300)


def test_setup_is_silent_and_repeatable():
    a, b = _run(), _run()
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout, "the same seed must give the same numbers, including Keras' initialisers"
    assert a.stderr.strip() == "", f"TensorFlow printed to stderr after setup(): {a.stderr[:500]!r}"


def test_setup_respects_thread_limit():
    snippet = "from rnnkit import setup; setup(0); import tensorflow as tf; print(tf.config.threading.get_intra_op_parallelism_threads())"
    env = {k: v for k, v in os.environ.items()}
    env["RNNKIT_THREADS"] = "1"
    out = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, env=env, timeout=300)
    assert out.stdout.strip() == "1", out.stderr
