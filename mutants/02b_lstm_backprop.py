"""Mutation bank of 02b_lstm_backprop: plausible wrong answers, each must lose points.

Every entry replaces the whole source of one solution cell (grade_id) of
source/02b_lstm_backprop/02b_lstm_backprop.ipynb.
"""

_STEP_HEAD = '''import numpy as np


def lstm_cell_backward(dh, dc, cache):
    """Backward pass of one LSTM step (Keras' layout, gate order i, f, c, o)."""
'''

# The correct step with three hooks: the slopes, the cell's total gradient, dc_prev, the weights.
_STEP_BODY = '''    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    tanh_c = np.tanh(cache["c"])
    dc_total = {dc_total}
    da_i = dc_total * g * {slope_i}
    da_f = dc_total * cache["c_prev"] * {slope_f}
    da_c = dc_total * i * {slope_c}
    da_o = dh * tanh_c * {slope_o}
    da = np.concatenate([{blocks}], axis=1)
    dx = da @ cache["kernel"].T
    dh_prev = da @ cache["recurrent_kernel"].T
    dc_prev = {dc_prev}
    dW = {dW}
    dU = cache["h_prev"].T @ da
    db = {db}
    return dx, dh_prev, dc_prev, dW, dU, db
'''

_RIGHT = dict(dc_total="dc + dh * o * (1.0 - tanh_c ** 2)", slope_i="i * (1.0 - i)", slope_f="f * (1.0 - f)",
              slope_c="(1.0 - g ** 2)", slope_o="o * (1.0 - o)", blocks="da_i, da_f, da_c, da_o",
              dc_prev="dc_total * f", dW='cache["x"].T @ da', db="da.sum(axis=0)")


def _step(**change) -> str:
    return _STEP_HEAD + _STEP_BODY.format(**{**_RIGHT, **change})


_BPTT_HEAD = '''import numpy as np


def lstm_backward(dh_all, caches):
    """Backpropagation through time for an LSTM run by lstm_forward_cache."""
'''

_BPTT_BODY = '''    first = caches[0]
    dW = np.zeros(first["kernel"].shape)
    dU = np.zeros(first["recurrent_kernel"].shape)
    db = np.zeros(first["bias"].shape)
    dh_next = np.zeros(first["h_prev"].shape)
    dc_next = np.zeros(first["c_prev"].shape)
    T = len(caches)
    dx_steps = [None] * T
    for t in {order}:
        dx_t, dh_new, dc_new, dW_t, dU_t, db_t = lstm_cell_backward({dh}, {dc}, caches[t])
        dh_next, dc_next = dh_new, dc_new
        dx_steps[t] = dx_t
        {accumulate}
    return {result}
'''

_BPTT_RIGHT = dict(order="reversed(range(T))", dh="dh_all[:, t] + dh_next", dc="dc_next",
                   accumulate="dW, dU, db = dW + dW_t, dU + dU_t, db + db_t",
                   result="np.stack(dx_steps, axis=1), dh_next, dc_next, dW, dU, db")


def _bptt(**change) -> str:
    return _BPTT_HEAD + _BPTT_BODY.format(**{**_BPTT_RIGHT, **change})


_CHECK_HEAD = '''import numpy as np


def grad_check(f, x, analytic, eps=1e-5):
    """Relative error between analytic and the centred-difference gradient of f at x."""
'''

_CHECK_BODY = '''    point = np.array(x, dtype=float)
    numerical = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        kept = point[index]
        point[index] = kept + {step}
        f_plus = float(f(point.copy()))
        point[index] = kept {minus}
        f_minus = float(f(point.copy()))
        point[index] = kept
        numerical[index] = (f_plus - f_minus) / {denominator}
    a = np.asarray(analytic, dtype=float)
    n = numerical
    return float({error})
'''

_CHECK_RIGHT = dict(step="eps", minus="- eps", denominator="(2.0 * eps)",
                    error="np.max(np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), 1e-8))")


def _check(**change) -> str:
    return _CHECK_HEAD + _CHECK_BODY.format(**{**_CHECK_RIGHT, **change})


_CELL_PATH_HEAD = '''import numpy as np


def cell_path_jacobian(caches):
    """d c_T / d c_0 along the cell path, diag(f_T * ... * f_1), for every sequence."""
'''

MUTANTS = [
    # ---------------------------------------------------------------- lstm_cell_backward
    dict(name="dc_prev_missing_forget_gate", grade_id="n02b_lstm_cell_backward",
         why="dc_{t-1} = dc_total: forgets the factor f_t of c_t = f_t * c_{t-1} + ...",
         source=_step(dc_prev="dc_total")),
    dict(name="tanh_prime_of_cell_forgotten", grade_id="n02b_lstm_cell_backward",
         why="dc_total = dc + dh * o: forgets tanh'(c_t) on the way from h_t = o * tanh(c_t) to c_t",
         source=_step(dc_total="dc + dh * o")),
    dict(name="cell_gradient_not_summed", grade_id="n02b_lstm_cell_backward",
         why="dc_total = dh * o * tanh'(c_t): drops dc, the gradient c_t gets from step t + 1 (c_t is used twice)",
         source=_step(dc_total="dh * o * (1.0 - tanh_c ** 2)")),
    dict(name="sigmoid_slope_of_the_value", grade_id="n02b_lstm_cell_backward",
         why="takes sigma'(i) = sigma(i)(1 - sigma(i)) of the cached gate VALUE, as if it were the pre-activation",
         source=_step(slope_i="(1 / (1 + np.exp(-i))) * (1 - 1 / (1 + np.exp(-i)))",
                      slope_f="(1 / (1 + np.exp(-f))) * (1 - 1 / (1 + np.exp(-f)))",
                      slope_o="(1 / (1 + np.exp(-o))) * (1 - 1 / (1 + np.exp(-o)))")),
    dict(name="tanh_slope_on_sigmoid_gates", grade_id="n02b_lstm_cell_backward",
         why="uses 1 - gate**2 (tanh's slope) for the sigmoid gates i, f, o",
         source=_step(slope_i="(1.0 - i ** 2)", slope_f="(1.0 - f ** 2)", slope_o="(1.0 - o ** 2)")),
    dict(name="sigmoid_slope_on_candidate", grade_id="n02b_lstm_cell_backward",
         why="uses g * (1 - g) for the candidate, which is a tanh",
         source=_step(slope_c="g * (1.0 - g)")),
    dict(name="dW_transposed", grade_id="n02b_lstm_cell_backward",
         why="dW = da.T @ x, shape (4u, d): the transpose of the kernel's gradient",
         source=_step(dW='da.T @ cache["x"]')),
    dict(name="gate_blocks_ifog", grade_id="n02b_lstm_cell_backward",
         why="stacks da in cs231n's order i, f, o, g instead of Keras' i, f, c, o",
         source=_step(blocks="da_i, da_f, da_o, da_c")),
    dict(name="bias_gradient_averaged", grade_id="n02b_lstm_cell_backward",
         why="db = da.mean(axis=0): averages over the batch where the loss sums",
         source=_step(db="da.mean(axis=0)")),
    dict(name="cache_overwritten_in_place", grade_id="n02b_lstm_cell_backward",
         why="np.tanh(cache['c'], out=cache['c']): squashes the cached cell state in place",
         source=_STEP_HEAD + '''    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    tanh_c = cache["c"]
    np.tanh(tanh_c, out=tanh_c)
    dc_total = dc + dh * o * (1.0 - tanh_c ** 2)
    da = np.concatenate([dc_total * g * i * (1 - i), dc_total * cache["c_prev"] * f * (1 - f),
                         dc_total * i * (1 - g ** 2), dh * tanh_c * o * (1 - o)], axis=1)
    return (da @ cache["kernel"].T, da @ cache["recurrent_kernel"].T, dc_total * f,
            cache["x"].T @ da, cache["h_prev"].T @ da, da.sum(axis=0))
'''),
    dict(name="gradient_tape_step", grade_id="n02b_lstm_cell_backward",
         why="breaks 'numpy only': tf.GradientTape on a keras.layers.LSTMCell with the cached weights (correct values)",
         source='''import numpy as np
import tensorflow as tf
import keras


def lstm_cell_backward(dh, dc, cache):
    """Backward pass of one LSTM step, by automatic differentiation."""
    cell = keras.layers.LSTMCell(cache["recurrent_kernel"].shape[0], dtype="float64")
    cell.build((None, cache["kernel"].shape[0]))
    cell.set_weights([cache["kernel"], cache["recurrent_kernel"], cache["bias"]])
    x, h, c = (tf.constant(np.asarray(cache[k], np.float64)) for k in ("x", "h_prev", "c_prev"))
    with tf.GradientTape() as tape:
        tape.watch([x, h, c])
        _, (h1, c1) = cell(x, [h, c])
    grads = tape.gradient([h1, c1], [x, h, c] + list(cell.trainable_weights),
                          output_gradients=[tf.constant(np.asarray(dh, np.float64)), tf.constant(np.asarray(dc, np.float64))])
    return tuple(np.asarray(g) for g in grads)
'''),

    # ---------------------------------------------------------------- lstm_backward
    dict(name="weight_gradients_not_accumulated", grade_id="n02b_lstm_backward",
         why="dW = dW_t: keeps one step's weight gradients (the first step's, the last one computed) instead of the sum",
         source=_bptt(accumulate="dW, dU, db = dW_t, dU_t, db_t")),
    dict(name="h_gradient_from_next_step_only", grade_id="n02b_lstm_backward",
         why="dh_t = dh_next only (dh_all used at the last step alone): drops the loss's own gradient at earlier steps",
         source=_bptt(dh="(dh_all[:, t] if t == T - 1 else dh_next)")),
    dict(name="h_gradient_direct_only", grade_id="n02b_lstm_backward",
         why="dh_t = dh_all[:, t]: drops what step t + 1 sends back through h_t",
         source=_bptt(dh="dh_all[:, t]")),
    dict(name="cell_gradient_not_carried", grade_id="n02b_lstm_backward",
         why="dc_t = 0 at every step: the cell path (the carousel) never carries gradient back",
         source=_bptt(dc="np.zeros_like(dc_next)")),
    dict(name="walks_forwards_in_time", grade_id="n02b_lstm_backward",
         why="loops t = 0 .. T-1: step t gets the gradient of step t - 1 instead of t + 1",
         source=_bptt(order="range(T)")),
    dict(name="dx_in_reverse_order", grade_id="n02b_lstm_backward",
         why="appends dx_t while walking backwards and stacks them as they come: dx[:, 0] is the last step's",
         source=_bptt(result="np.stack(dx_steps[::-1], axis=1), dh_next, dc_next, dW, dU, db")),
    dict(name="initial_state_gradients_swapped", grade_id="n02b_lstm_backward",
         why="returns (dx, dc0, dh0, ...)",
         source=_bptt(result="np.stack(dx_steps, axis=1), dc_next, dh_next, dW, dU, db")),
    dict(name="gradient_tape_sequence", grade_id="n02b_lstm_backward",
         why="breaks 'numpy only': rebuilds a keras.layers.LSTM from the caches and differentiates it with tf.GradientTape",
         source='''import numpy as np
import tensorflow as tf
import keras


def lstm_backward(dh_all, caches):
    """BPTT by automatic differentiation."""
    W, U, b = caches[0]["kernel"], caches[0]["recurrent_kernel"], caches[0]["bias"]
    layer = keras.layers.LSTM(U.shape[0], return_sequences=True, dtype="float64")
    layer.build((None, len(caches), W.shape[0]))
    layer.set_weights([W, U, b])
    x = tf.constant(np.stack([c["x"] for c in caches], axis=1))
    h0, c0 = tf.constant(caches[0]["h_prev"]), tf.constant(caches[0]["c_prev"])
    with tf.GradientTape() as tape:
        tape.watch([x, h0, c0])
        loss = tf.reduce_sum(layer(x, initial_state=[h0, c0]) * dh_all)
    return tuple(np.asarray(g) for g in tape.gradient(loss, [x, h0, c0] + list(layer.trainable_weights)))
'''),

    # ---------------------------------------------------------------- grad_check
    dict(name="one_sided_difference", grade_id="n02b_grad_check",
         why="(f(x + eps) - f(x)) / eps: an error of order eps instead of eps^2",
         source=_check(minus="", denominator="eps")),
    dict(name="relative_error_of_the_maxima", grade_id="n02b_grad_check",
         why="max |a - n| / max(|a| + |n|): one global ratio instead of the ratio entry by entry",
         source=_check(error="np.max(np.abs(a - n)) / max(np.max(np.abs(a) + np.abs(n)), 1e-8)")),
    dict(name="relative_error_of_norms", grade_id="n02b_grad_check",
         why="||a - n|| / (||a|| + ||n||): a norm ratio instead of the entry-by-entry relative error",
         source=_check(error="np.linalg.norm(a - n) / max(np.linalg.norm(a) + np.linalg.norm(n), 1e-8)")),
    dict(name="divides_by_numerical_only", grade_id="n02b_grad_check",
         why="max |a - n| / |n|: divides by the numerical gradient alone",
         source=_check(error="np.max(np.abs(a - n) / np.maximum(np.abs(n), 1e-8))")),
    dict(name="no_floor_in_denominator", grade_id="n02b_grad_check",
         why="max |a - n| / (|a| + |n|) without the 1e-8 floor: 0 / 0 = nan where both gradients are 0",
         source=_check(error="np.max(np.abs(a - n) / (np.abs(a) + np.abs(n)))")),
    dict(name="fixed_eps", grade_id="n02b_grad_check",
         why="ignores the eps argument and always steps by 1e-5",
         source=_check(step="1e-5", minus="- 1e-5", denominator="2e-5")),
    dict(name="x_left_perturbed", grade_id="n02b_grad_check",
         why="perturbs x itself and never puts the entries back",
         source=_CHECK_HEAD + '''    numerical = np.zeros(np.shape(x))
    for index in np.ndindex(np.shape(x)):
        x[index] += eps
        f_plus = float(f(x))
        x[index] -= 2 * eps
        f_minus = float(f(x))
        numerical[index] = (f_plus - f_minus) / (2 * eps)
    a = np.asarray(analytic, dtype=float)
    return float(np.max(np.abs(a - numerical) / np.maximum(np.abs(a) + np.abs(numerical), 1e-8)))
'''),
    dict(name="first_ten_entries_only", grade_id="n02b_grad_check",
         why="too lenient a checker: computes the centred difference for the first 10 entries only, and the error over those",
         source=_CHECK_HEAD + '''    point = np.array(x, dtype=float)
    a = np.asarray(analytic, dtype=float).ravel()[:10]
    n = []
    for index in list(np.ndindex(point.shape))[:10]:
        kept = point[index]
        point[index] = kept + eps
        f_plus = float(f(point.copy()))
        point[index] = kept - eps
        f_minus = float(f(point.copy()))
        point[index] = kept
        n.append((f_plus - f_minus) / (2.0 * eps))
    n = np.array(n)
    return float(np.max(np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), 1e-8)))
'''),
    dict(name="never_puts_entries_back_on_a_copy", grade_id="n02b_grad_check",
         why="perturbs a copy of x but never restores its entries: from the second entry on, f sees two entries moved",
         source=_CHECK_HEAD + '''    point = np.array(x, dtype=float)
    numerical = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        point[index] += eps
        f_plus = float(f(point))
        point[index] -= 2 * eps
        f_minus = float(f(point))
        numerical[index] = (f_plus - f_minus) / (2.0 * eps)
    a = np.asarray(analytic, dtype=float)
    return float(np.max(np.abs(a - numerical) / np.maximum(np.abs(a) + np.abs(numerical), 1e-8)))
'''),
    dict(name="tensorflow_error", grade_id="n02b_grad_check",
         why="breaks 'numpy only': the relative error computed with TensorFlow ops",
         source=_CHECK_HEAD.replace("import numpy as np\n", "import numpy as np\nimport tensorflow as tf\n") + '''    point = np.array(x, dtype=float)
    numerical = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        kept = point[index]
        point[index] = kept + eps
        f_plus = float(f(point.copy()))
        point[index] = kept - eps
        f_minus = float(f(point.copy()))
        point[index] = kept
        numerical[index] = (f_plus - f_minus) / (2 * eps)
    a, n = tf.constant(np.asarray(analytic, dtype=float)), tf.constant(numerical)
    return float(tf.reduce_max(tf.abs(a - n) / tf.maximum(tf.abs(a) + tf.abs(n), 1e-8)))
'''),

    # ---------------------------------------------------------------- cell_path_jacobian
    dict(name="input_gate_instead_of_forget", grade_id="n02b_cell_path_jacobian",
         why="multiplies the input gates i_t: the cell path is scaled by f_t",
         source=_CELL_PATH_HEAD + '''    keep = np.ones_like(caches[0]["i"])
    for cache in caches:
        keep = keep * cache["i"]
    return keep[:, :, None] * np.eye(keep.shape[1])
'''),
    dict(name="last_forget_gate_only", grade_id="n02b_cell_path_jacobian",
         why="returns diag(f_T), one step's Jacobian, not the product over T steps",
         source=_CELL_PATH_HEAD + '''    f = caches[-1]["f"]
    return f[:, :, None] * np.eye(f.shape[1])
'''),
    dict(name="first_step_skipped", grade_id="n02b_cell_path_jacobian",
         why="multiplies the forget gates of steps 2 .. T only (off by one)",
         source=_CELL_PATH_HEAD + '''    keep = np.ones_like(caches[0]["f"])
    for cache in caches[1:]:
        keep = keep * cache["f"]
    return keep[:, :, None] * np.eye(keep.shape[1])
'''),
    dict(name="diagonal_only", grade_id="n02b_cell_path_jacobian",
         why="returns the (batch, u) diagonal instead of the (batch, u, u) matrices",
         source=_CELL_PATH_HEAD + '''    return np.prod([cache["f"] for cache in caches], axis=0)
'''),
    dict(name="tanh_slope_on_cell_path", grade_id="n02b_cell_path_jacobian",
         why="multiplies each step by tanh'(c_t) too, as if the cell went through a tanh at every step",
         source=_CELL_PATH_HEAD + '''    keep = np.ones_like(caches[0]["f"])
    for cache in caches:
        keep = keep * cache["f"] * (1 - np.tanh(cache["c"]) ** 2)
    return keep[:, :, None] * np.eye(keep.shape[1])
'''),
    dict(name="tensorflow_diag", grade_id="n02b_cell_path_jacobian",
         why="breaks 'numpy only': tf.linalg.diag for the diagonal matrices",
         source='''import numpy as np
import tensorflow as tf


def cell_path_jacobian(caches):
    """d c_T / d c_0 along the cell path, with tf.linalg.diag."""
    return tf.linalg.diag(np.prod([cache["f"] for cache in caches], axis=0)).numpy()
'''),
]
