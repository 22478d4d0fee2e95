"""Mutation bank of 03_gru_vs_lstm: wrong answers as students really write them.

Instructor side only (never in the student bundle).  `make mutants` grades each one.
"""

_GRU_HEAD = '''import numpy as np


def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[-1]
    sigmoid = lambda a: 1.0 / (1.0 + np.exp(-a))
'''

_ADD_HEAD = '''def adding_problem(n, T, rng):
'''

_JAC_HEAD = '''import numpy as np


def gru_state_jacobian(x_t, h_prev, kernel, recurrent_kernel, bias):
    """d h_t / d h_{t-1} of one keras.layers.GRU step (reset_after=True, gates z, r, h)."""
'''

_JAC_BODY = '''    n = recurrent_kernel.shape[0]
    sig = lambda v: 1.0 / (1.0 + np.exp(-v))
    px = x_t @ kernel + bias[0]
    ph = h_prev @ recurrent_kernel + bias[1]
    z = sig(px[:, {z_cols}] + ph[:, {z_cols}])
    r = sig(px[:, {r_cols}] + ph[:, {r_cols}])
    q = ph[:, 2 * n:]
    cand = np.tanh(px[:, 2 * n:] + r * q)
    Uz, Ur, Uh = recurrent_kernel[:, {z_cols}].T, recurrent_kernel[:, {r_cols}].T, recurrent_kernel[:, 2 * n:].T
    slope = (1.0 - z) * (1.0 - cand ** 2)
    J = ({highway} + ((h_prev - cand) * z * (1.0 - z))[:, :, None] * Uz[None]
         + (slope * r)[:, :, None] * Uh[None] + {through_r})
    return {result}
'''

_JAC_RIGHT = dict(z_cols=":n", r_cols="n:2 * n", highway="z[:, :, None] * np.eye(n)[None]",
                  through_r="(slope * q * r * (1.0 - r))[:, :, None] * Ur[None]", result="J")


def _jac(**change) -> str:
    return _JAC_HEAD + _JAC_BODY.format(**{**_JAC_RIGHT, **change})


MUTANTS = [
    # --- gru_cell_forward ------------------------------------------------------------------
    dict(name="swapped-z convention", grade_id="n03_gru_cell_forward",
         why="copies the deeplearning.ai / Chung et al. form h = z*h~ + (1-z)*h_prev, i.e. Keras' z renamed 1-z",
         source=_GRU_HEAD + '''    from_x = x_t @ kernel + bias[0]
    from_h = h_prev @ recurrent_kernel + bias[1]
    z = sigmoid(from_x[:, :u] + from_h[:, :u])
    r = sigmoid(from_x[:, u:2 * u] + from_h[:, u:2 * u])
    cand = np.tanh(from_x[:, 2 * u:] + r * from_h[:, 2 * u:])
    return z * cand + (1 - z) * h_prev'''),
    dict(name="reset before the recurrent matmul", grade_id="n03_gru_cell_forward",
         why="reset_after=False semantics from the original paper: (r * h_prev) @ U_h instead of r * (h_prev @ U_h + b[1]_h)",
         source=_GRU_HEAD + '''    Wz, Wr, Wh = kernel[:, :u], kernel[:, u:2 * u], kernel[:, 2 * u:]
    Uz, Ur, Uh = recurrent_kernel[:, :u], recurrent_kernel[:, u:2 * u], recurrent_kernel[:, 2 * u:]
    b_in, b_rec = bias[0], bias[1]
    z = sigmoid(x_t @ Wz + b_in[:u] + h_prev @ Uz + b_rec[:u])
    r = sigmoid(x_t @ Wr + b_in[u:2 * u] + h_prev @ Ur + b_rec[u:2 * u])
    cand = np.tanh(x_t @ Wh + b_in[2 * u:] + (r * h_prev) @ Uh + b_rec[2 * u:])
    return z * h_prev + (1 - z) * cand'''),
    dict(name="bias rows swapped", grade_id="n03_gru_cell_forward",
         why="takes bias[0] as the recurrent bias and bias[1] as the input bias",
         source=_GRU_HEAD + '''    from_x = x_t @ kernel + bias[1]
    from_h = h_prev @ recurrent_kernel + bias[0]
    z = sigmoid(from_x[:, :u] + from_h[:, :u])
    r = sigmoid(from_x[:, u:2 * u] + from_h[:, u:2 * u])
    cand = np.tanh(from_x[:, 2 * u:] + r * from_h[:, 2 * u:])
    return z * h_prev + (1 - z) * cand'''),
    dict(name="gate order r, z, h", grade_id="n03_gru_cell_forward",
         why="reads the reset gate from the first u columns (PyTorch's order is r, z, n)",
         source=_GRU_HEAD + '''    from_x = x_t @ kernel + bias[0]
    from_h = h_prev @ recurrent_kernel + bias[1]
    r = sigmoid(from_x[:, :u] + from_h[:, :u])
    z = sigmoid(from_x[:, u:2 * u] + from_h[:, u:2 * u])
    cand = np.tanh(from_x[:, 2 * u:] + r * from_h[:, 2 * u:])
    return z * h_prev + (1 - z) * cand'''),
    dict(name="recurrent bias outside the reset gate", grade_id="n03_gru_cell_forward",
         why="sums the two bias rows first, so b[1]_h escapes the reset gate",
         source=_GRU_HEAD + '''    b = bias[0] + bias[1]
    from_x = x_t @ kernel + b
    from_h = h_prev @ recurrent_kernel
    z = sigmoid(from_x[:, :u] + from_h[:, :u])
    r = sigmoid(from_x[:, u:2 * u] + from_h[:, u:2 * u])
    cand = np.tanh(from_x[:, 2 * u:] + r * from_h[:, 2 * u:])
    return z * h_prev + (1 - z) * cand'''),
    dict(name="hard sigmoid gates", grade_id="n03_gru_cell_forward",
         why="Keras 2's old default recurrent_activation='hard_sigmoid' (clip(0.2a + 0.5, 0, 1)) from an old tutorial",
         source=_GRU_HEAD + '''    hard = lambda a: np.clip(0.2 * a + 0.5, 0.0, 1.0)
    from_x = x_t @ kernel + bias[0]
    from_h = h_prev @ recurrent_kernel + bias[1]
    z = hard(from_x[:, :u] + from_h[:, :u])
    r = hard(from_x[:, u:2 * u] + from_h[:, u:2 * u])
    cand = np.tanh(from_x[:, 2 * u:] + r * from_h[:, 2 * u:])
    return z * h_prev + (1 - z) * cand'''),
    dict(name="Keras GRU + set_weights", grade_id="n03_gru_cell_forward",
         why="breaks the numpy-only rule: builds a keras.layers.GRU, loads the weights and returns its output (exact)",
         source='''import numpy as np
import keras


def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    layer = keras.layers.GRU(h_prev.shape[-1])
    layer.build((None, 1, x_t.shape[-1]))
    layer.set_weights([np.asarray(kernel, "float32"), np.asarray(recurrent_kernel, "float32"), np.asarray(bias, "float32")])
    out = layer(np.asarray(x_t, "float32")[:, None, :], initial_state=[np.asarray(h_prev, "float32")])
    return np.asarray(keras.ops.convert_to_numpy(out), dtype=np.float64)'''),
    dict(name="keras.ops.sigmoid gates", grade_id="n03_gru_cell_forward",
         why="breaks the numpy-only rule in one place: the gates through keras.ops.sigmoid, the rest in numpy (exact)",
         source='''import numpy as np
import keras


def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[-1]
    sigmoid = lambda a: np.asarray(keras.ops.convert_to_numpy(keras.ops.sigmoid(a)), dtype=np.float64)
    from_x = x_t @ kernel + bias[0]
    from_h = h_prev @ recurrent_kernel + bias[1]
    z = sigmoid(from_x[:, :u] + from_h[:, :u])
    r = sigmoid(from_x[:, u:2 * u] + from_h[:, u:2 * u])
    cand = np.tanh(from_x[:, 2 * u:] + r * from_h[:, 2 * u:])
    return z * h_prev + (1 - z) * cand'''),
    # --- gru_state_jacobian ----------------------------------------------------------------
    dict(name="highway_missing", grade_id="n03_gru_state_jacobian",
         why="forgets the term z_t * h_{t-1}: no diag(z_t) in the Jacobian",
         source=_jac(highway="0.0")),
    dict(name="highway_one_minus_z", grade_id="n03_gru_state_jacobian",
         why="puts diag(1 - z_t) on the highway (the other texts' convention mixed into Keras' equations)",
         source=_jac(highway="(1.0 - z)[:, :, None] * np.eye(n)[None]")),
    dict(name="jacobian_transposed", grade_id="n03_gru_state_jacobian",
         why="returns J[n, j, i]: the transpose (U where U.T belongs)",
         source=_jac(result="np.swapaxes(J, 1, 2)")),
    dict(name="z_path_sign_flipped", grade_id="n03_gru_state_jacobian",
         why="differentiates z * h_prev + (1 - z) * h~ in z as (h~ - h_prev): the other convention's sign",
         source=_jac().replace("(h_prev - cand)", "(cand - h_prev)")),
    dict(name="candidate_tanh_slope_forgotten", grade_id="n03_gru_state_jacobian",
         why="passes the gradient through h~ = tanh(...) without tanh' = 1 - h~**2",
         source=_jac().replace("(1.0 - cand ** 2)", "1.0")),
    dict(name="reset_path_missing", grade_id="n03_gru_state_jacobian",
         why="leaves out the term through the reset gate r_t",
         source=_jac(through_r="0.0")),
    dict(name="gate_order_rz", grade_id="n03_gru_state_jacobian",
         why="reads r from the first block and z from the second (order r, z, h)",
         source=_jac(z_cols="n:2 * n", r_cols=":n")),
    dict(name="reset_before_matmul", grade_id="n03_gru_state_jacobian",
         why="differentiates reset_after=False, h~ = tanh(x W_h + (r * h_{t-1}) U_h + b): not Keras 3's GRU",
         source=_JAC_HEAD + '''    n = recurrent_kernel.shape[0]
    sig = lambda v: 1.0 / (1.0 + np.exp(-v))
    px = x_t @ kernel + bias[0]
    ph = h_prev @ recurrent_kernel + bias[1]
    z = sig(px[:, :n] + ph[:, :n])
    r = sig(px[:, n:2 * n] + ph[:, n:2 * n])
    Uz, Ur, Uh = recurrent_kernel[:, :n].T, recurrent_kernel[:, n:2 * n].T, recurrent_kernel[:, 2 * n:].T
    cand = np.tanh(px[:, 2 * n:] + (r * h_prev) @ recurrent_kernel[:, 2 * n:] + bias[1, 2 * n:])
    slope = (1.0 - z) * (1.0 - cand ** 2)
    dr = r * (1.0 - r)
    J = (z[:, :, None] * np.eye(n)[None] + ((h_prev - cand) * z * (1.0 - z))[:, :, None] * Uz[None]
         + slope[:, :, None] * (Uh[None] * r[:, None, :])
         + slope[:, :, None] * np.einsum("ik,bk,bk,kj->bij", Uh, h_prev, dr, Ur))
    return J
'''),
    dict(name="gradient_tape_gru", grade_id="n03_gru_state_jacobian",
         why="breaks 'numpy only': tf.GradientTape batch_jacobian on a keras.layers.GRU (correct values)",
         source='''import numpy as np
import tensorflow as tf
import keras


def gru_state_jacobian(x_t, h_prev, kernel, recurrent_kernel, bias):
    """d h_t / d h_{t-1}, by automatic differentiation."""
    layer = keras.layers.GRU(h_prev.shape[1], dtype="float64")
    layer.build((None, 1, x_t.shape[1]))
    layer.set_weights([kernel, recurrent_kernel, bias])
    h = tf.constant(np.asarray(h_prev, np.float64))
    with tf.GradientTape() as tape:
        tape.watch(h)
        out = layer(tf.constant(np.asarray(x_t, np.float64)[:, None, :]), initial_state=h)
    return tape.batch_jacobian(out, h).numpy()
'''),
    # --- gru_param_count -------------------------------------------------------------------
    dict(name="builds a layer and counts", grade_id="n03_gru_param_count",
         why="breaks the no-Keras rule: builds keras.layers.GRU and returns count_params() (exact)",
         source='''import keras


def gru_param_count(input_dim, units, reset_after=True):
    layer = keras.layers.GRU(units, reset_after=reset_after)
    layer.build((None, 1, input_dim))
    return layer.count_params()'''),
    # (a whole-valued float count is correct work: the course accepts it; see alternatives/03_gru_vs_lstm.py)
    dict(name="one bias row", grade_id="n03_gru_param_count",
         why="counts one bias per gate, as for reset_after=False, whatever the flag",
         source='''def gru_param_count(input_dim, units, reset_after=True):
    return 3 * (units * (input_dim + units) + units)'''),
    dict(name="flag ignored", grade_id="n03_gru_param_count",
         why="always counts the two bias rows of reset_after=True",
         source='''def gru_param_count(input_dim, units, reset_after=True):
    return 3 * (units * (input_dim + units) + 2 * units)'''),
    dict(name="four gates", grade_id="n03_gru_param_count",
         why="reuses the LSTM's count, 4 blocks",
         source='''def gru_param_count(input_dim, units, reset_after=True):
    bias = 2 * units if reset_after else units
    return 4 * (units * (input_dim + units) + bias)'''),
    dict(name="recurrent weights forgotten", grade_id="n03_gru_param_count",
         why="counts the kernel and biases but not the (u, 3u) recurrent kernel",
         source='''def gru_param_count(input_dim, units, reset_after=True):
    bias = 2 * units if reset_after else units
    return 3 * (units * input_dim + bias)'''),
    # --- adding_problem ---------------------------------------------------------------------
    dict(name="second marker in the second half", grade_id="n03_adding_problem",
         why="uses the later one-marker-per-half variant instead of the paper's positions",
         source=_ADD_HEAD + '''    values = rng.uniform(-1, 1, size=(n, T))
    first = rng.integers(0, 10, size=n)
    second = rng.integers(T // 2, T, size=n)
    rows = np.arange(n)
    markers = np.zeros((n, T))
    markers[rows, first] = 1
    markers[rows, second] = 1
    X = np.stack([values, markers], axis=-1).astype(np.float32)
    y = 0.5 + (X[rows, first, 0] + X[rows, second, 0]) / 4
    return X, y.astype(np.float32)'''),
    dict(name="markers can coincide", grade_id="n03_adding_problem",
         why="draws the two positions independently, so now and then both land on one step",
         source=_ADD_HEAD + '''    values = rng.uniform(-1, 1, size=(n, T))
    first = rng.integers(0, 10, size=n)
    second = rng.integers(0, T // 2, size=n)
    rows = np.arange(n)
    markers = np.zeros((n, T))
    markers[rows, first] = 1
    markers[rows, second] = 1
    X = np.stack([values, markers], axis=-1).astype(np.float32)
    y = 0.5 + (values * markers).sum(axis=1) / 4
    return X, y.astype(np.float32)'''),
    dict(name="global numpy random state", grade_id="n03_adding_problem",
         why="calls np.random.uniform / np.random.randint and ignores rng",
         source=_ADD_HEAD + '''    values = np.random.uniform(-1, 1, size=(n, T))
    first = np.random.randint(0, 10, size=n)
    second = np.random.randint(0, T // 2 - 1, size=n)
    second = second + (second >= first)
    rows = np.arange(n)
    markers = np.zeros((n, T))
    markers[rows, first] = 1
    markers[rows, second] = 1
    X = np.stack([values, markers], axis=-1).astype(np.float32)
    y = 0.5 + (X[rows, first, 0] + X[rows, second, 0]) / 4
    return X, y.astype(np.float32)'''),
    dict(name="target scaled by 1/2", grade_id="n03_adding_problem",
         why="y = 0.5 + (X1 + X2) / 2, which leaves [0, 1]",
         source=_ADD_HEAD + '''    values = rng.uniform(-1, 1, size=(n, T))
    first = rng.integers(0, 10, size=n)
    second = rng.integers(0, T // 2 - 1, size=n)
    second = second + (second >= first)
    rows = np.arange(n)
    markers = np.zeros((n, T))
    markers[rows, first] = 1
    markers[rows, second] = 1
    X = np.stack([values, markers], axis=-1).astype(np.float32)
    y = 0.5 + (X[rows, first, 0] + X[rows, second, 0]) / 2
    return X, y.astype(np.float32)'''),
    dict(name="values in [0, 1]", grade_id="n03_adding_problem",
         why="rng.random() instead of rng.uniform(-1, 1)",
         source=_ADD_HEAD + '''    values = rng.random((n, T))
    first = rng.integers(0, 10, size=n)
    second = rng.integers(0, T // 2 - 1, size=n)
    second = second + (second >= first)
    rows = np.arange(n)
    markers = np.zeros((n, T))
    markers[rows, first] = 1
    markers[rows, second] = 1
    X = np.stack([values, markers], axis=-1).astype(np.float32)
    y = 0.5 + (X[rows, first, 0] + X[rows, second, 0]) / 4
    return X, y.astype(np.float32)'''),
    dict(name="two random first-half positions", grade_id="n03_adding_problem",
         why="picks two distinct steps anywhere in the first half: neither need be in the first ten",
         source=_ADD_HEAD + '''    values = rng.uniform(-1, 1, size=(n, T))
    markers = np.zeros((n, T))
    for i in range(n):
        markers[i, rng.choice(T // 2, size=2, replace=False)] = 1
    X = np.stack([values, markers], axis=-1).astype(np.float32)
    y = 0.5 + (values * markers).sum(axis=1) / 4
    return X, y.astype(np.float32)'''),
    dict(name="target as a column", grade_id="n03_adding_problem",
         why="returns y with shape (n, 1), the way Dense(1) outputs it",
         source=_ADD_HEAD + '''    values = rng.uniform(-1, 1, size=(n, T))
    first = rng.integers(0, 10, size=n)
    second = rng.integers(0, T // 2 - 1, size=n)
    second = second + (second >= first)
    rows = np.arange(n)
    markers = np.zeros((n, T))
    markers[rows, first] = 1
    markers[rows, second] = 1
    X = np.stack([values, markers], axis=-1).astype(np.float32)
    y = 0.5 + (X[rows, first, 0] + X[rows, second, 0]) / 4
    return X, y.astype(np.float32)[:, None]'''),
    # --- reading the experiment -------------------------------------------------------------
    dict(name="every model solved it", grade_id="n03_reading",
         why="assumes all three models learn the task without looking at the final fraction within 0.04",
         source='''def reading(results, baseline):
    return {"solved": set(results), "first_to_0.9": "LSTM", "baseline_mse": baseline["mse"]}'''),
    dict(name="hard-coded answers of one run", grade_id="n03_reading",
         why="types the values read off this run's table (the old form of the exercise) instead of reading the records",
         source='''def reading(results, baseline):
    return {"solved": {"GRU", "LSTM"}, "first_to_0.9": "LSTM", "baseline_mse": 0.0408}'''),
    dict(name="baseline within read as its MSE", grade_id="n03_reading",
         why="copies the baseline's 'within' (about 0.15) into baseline_mse",
         source='''def reading(results, baseline):
    solved = {m for m, r in results.items() if r["val_within"][-1] >= 0.9}
    first = {m: next((e for e, w in enumerate(r["val_within"]) if w >= 0.9), None) for m, r in results.items()}
    first = {m: e for m, e in first.items() if e is not None}
    return {"solved": solved, "first_to_0.9": min(first, key=first.get) if first else None,
            "baseline_mse": baseline["within"]}'''),
    dict(name="strictly above 0.9", grade_id="n03_reading",
         why="uses > 0.9 where the statement says at least 0.9: a final of exactly 0.9 is left out",
         source='''def reading(results, baseline):
    solved = {m for m, r in results.items() if r["val_within"][-1] > 0.9}
    first = {m: next((e for e, w in enumerate(r["val_within"]) if w > 0.9), None) for m, r in results.items()}
    first = {m: e for m, e in first.items() if e is not None}
    return {"solved": solved, "first_to_0.9": min(first, key=first.get) if first else None,
            "baseline_mse": baseline["mse"]}'''),
    dict(name="best final as first", grade_id="n03_reading",
         why="answers first_to_0.9 with the model that ends highest, not the one that got there first",
         source='''def reading(results, baseline):
    solved = {m for m, r in results.items() if r["val_within"][-1] >= 0.9}
    best = max(results, key=lambda m: results[m]["val_within"][-1])
    reached = any(max(r["val_within"]) >= 0.9 for r in results.values())
    return {"solved": solved, "first_to_0.9": best if reached else None, "baseline_mse": baseline["mse"]}'''),
    dict(name="first epoch of staying above", grade_id="n03_reading",
         why="counts the epoch from which a model stays at least 0.9 to the end, so a model that dips later loses its early epoch",
         source='''def reading(results, baseline):
    solved = {m for m, r in results.items() if r["val_within"][-1] >= 0.9}
    first = {}
    for m, r in results.items():
        w = r["val_within"]
        if w[-1] >= 0.9:
            e = len(w) - 1
            while e > 0 and w[e - 1] >= 0.9:
                e -= 1
            first[m] = e
    return {"solved": solved, "first_to_0.9": min(first, key=first.get) if first else None,
            "baseline_mse": baseline["mse"]}'''),
    dict(name="a name even when none reaches 0.9", grade_id="n03_reading",
         why="min over epochs with inf for 'never': when no model reaches 0.9 it still names one",
         source='''import numpy as np


def reading(results, baseline):
    solved = {m for m, r in results.items() if r["val_within"][-1] >= 0.9}
    first = {m: next((e for e, w in enumerate(r["val_within"]) if w >= 0.9), np.inf) for m, r in results.items()}
    return {"solved": solved, "first_to_0.9": min(first, key=first.get), "baseline_mse": baseline["mse"]}'''),
    dict(name="lowest MSE as first", grade_id="n03_reading",
         why="takes the model with the lowest validation MSE at any epoch as the first to reach 0.9",
         source='''def reading(results, baseline):
    solved = {m for m, r in results.items() if r["val_within"][-1] >= 0.9}
    reached = [m for m, r in results.items() if max(r["val_within"]) >= 0.9]
    first = min(reached, key=lambda m: min(results[m]["val_mse"])) if reached else None
    return {"solved": solved, "first_to_0.9": first, "baseline_mse": baseline["mse"]}'''),
    dict(name="reads the globals", grade_id="n03_reading",
         why="ignores its arguments and reads this notebook's own results and baseline",
         source='''def reading(results_, baseline_):
    solved = {m for m, r in results.items() if r["val_within"][-1] >= 0.9}
    first = {m: next((e for e, w in enumerate(r["val_within"]) if w >= 0.9), None) for m, r in results.items()}
    first = {m: e for m, e in first.items() if e is not None}
    return {"solved": solved, "first_to_0.9": min(first, key=first.get) if first else None,
            "baseline_mse": baseline["mse"]}'''),
]
