"""Alternatives bank of 02_lstm_gates: correct answers written differently, each must keep every
point of its exercise.

Every entry replaces the whole source of one solution cell (grade_id) of
source/02_lstm_gates/02_lstm_gates.ipynb (see alternatives/README.md).
"""

_BROKEN_STEP = '''def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """A WRONG Exercise 2 (cs231n's gate order i, f, o, g): Exercise 3 must not pay for it."""
    u = h_prev.shape[1]
    a = x_t @ kernel + h_prev @ recurrent_kernel + bias
    sig = lambda v: 1 / (1 + np.exp(-v))
    i, f, o, g = sig(a[:, :u]), sig(a[:, u:2 * u]), sig(a[:, 2 * u:3 * u]), np.tanh(a[:, 3 * u:])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


'''

ALTERNATIVES = [
    # ---------------------------------------------------------------- cell_half_life
    dict(name="half_life_minus_ln2_over_ln_f", grade_id="n02_cell_half_life",
         why="-ln 2 / ln f with numpy, np.inf for the edge case (a NumPy float64 returned)",
         source='''import numpy as np


def cell_half_life(b_f):
    f = 1.0 / (1.0 + np.exp(-np.float64(b_f)))
    if f == 1.0:
        return np.inf
    return -np.log(2.0) / np.log(f)
'''),
    dict(name="half_life_log2", grade_id="n02_cell_half_life",
         why="in base 2: f^t = 2^(t log2 f) = 1/2 gives t = -1 / log2(f)",
         source='''import math


def cell_half_life(b_f):
    f = 1 / (1 + math.exp(-b_f))
    return float("inf") if f == 1 else -1 / math.log2(f)
'''),
    dict(name="half_life_stable_softplus", grade_id="n02_cell_half_life",
         why="numerically stable: ln sigma(b) = -log1p(exp(-b)), so t = ln 2 / log1p(exp(-b)); "
             "finite (about 1.6e17) at b_f = 40 instead of inf",
         source='''import numpy as np


def cell_half_life(b_f):
    return float(np.log(2.0) / np.log1p(np.exp(-float(b_f))))
'''),
    dict(name="half_life_logaddexp", grade_id="n02_cell_half_life",
         why="ln sigma(b) = -logaddexp(0, -b), stable for any b; change of base with math.log(2, 1 / f) elsewhere",
         source='''import numpy as np


def cell_half_life(b_f):
    return np.log(2) / np.logaddexp(0.0, -b_f)
'''),
    dict(name="half_life_change_of_base", grade_id="n02_cell_half_life",
         why="math.log(2, 1 / f): the logarithm of 2 in base 1/f, with a try/except for the edge case",
         source='''import math


def cell_half_life(b_f):
    f = 1 / (1 + math.exp(-b_f))
    try:
        return math.log(2, 1 / f)
    except ZeroDivisionError:
        return math.inf
'''),
    dict(name="half_life_bisection", grade_id="n02_cell_half_life",
         why="solves f^t = 1/2 numerically by bisection on log(f^t) instead of writing the closed form",
         source='''import math


def cell_half_life(b_f):
    f = 1 / (1 + math.exp(-b_f))
    if f >= 1:
        return math.inf
    lo, hi = 0.0, 1.0
    while hi * math.log(f) > math.log(0.5):
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if mid * math.log(f) > math.log(0.5) else (lo, mid)
    return (lo + hi) / 2
'''),
    # ---------------------------------------------------------------- lstm_cell_forward
    dict(name="concatenated_weights", grade_id="n02_lstm_cell_forward",
         why="the tutorials' concatenated form: [h_{t-1}, x_t] @ W' with W' = [U; W] stacked row-wise",
         source='''import numpy as np


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    u = recurrent_kernel.shape[0]
    stacked = np.vstack([recurrent_kernel, kernel])            # (u + d, 4u)
    z = np.hstack([h_prev, x_t]) @ stacked + bias
    sigma = lambda v: 1 / (1 + np.exp(-v))
    i, f, g, o = sigma(z[:, :u]), sigma(z[:, u:2 * u]), np.tanh(z[:, 2 * u:3 * u]), sigma(z[:, 3 * u:])
    c = f * c_prev + i * g
    return o * np.tanh(c), c
'''),
    dict(name="einsum_per_gate_float64", grade_id="n02_lstm_cell_forward",
         why="one np.einsum per gate on float64 copies of the inputs; the sigmoid written with tanh",
         source='''import numpy as np


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    x_t, h_prev, c_prev, kernel, recurrent_kernel, bias = (
        np.asarray(a, dtype=np.float64) for a in (x_t, h_prev, c_prev, kernel, recurrent_kernel, bias))
    u = h_prev.shape[1]
    pre = {}
    for k, gate in enumerate("ifco"):
        cols = slice(k * u, (k + 1) * u)
        pre[gate] = (np.einsum("bd,du->bu", x_t, kernel[:, cols])
                     + np.einsum("bv,vu->bu", h_prev, recurrent_kernel[:, cols]) + bias[cols])
    sigmoid = lambda v: 0.5 * (1 + np.tanh(0.5 * v))
    c_t = sigmoid(pre["f"]) * c_prev + sigmoid(pre["i"]) * np.tanh(pre["c"])
    h_t = sigmoid(pre["o"]) * np.tanh(c_t)
    return h_t, c_t
'''),
    dict(name="split_and_list", grade_id="n02_lstm_cell_forward",
         why="np.split into the four gates and a list [h_t, c_t] instead of a tuple",
         source='''import numpy as np


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    gates = np.split(np.dot(x_t, kernel) + np.dot(h_prev, recurrent_kernel) + bias, 4, axis=1)
    i, f, o = (1 / (1 + np.exp(-gates[k])) for k in (0, 1, 3))
    c_new = f * c_prev + i * np.tanh(gates[2])
    return [o * np.tanh(c_new), c_new]
'''),
    dict(name="loop_over_batch_rows", grade_id="n02_lstm_cell_forward",
         why="one example at a time (a loop over the batch), results stacked",
         source='''import numpy as np


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    u = np.shape(recurrent_kernel)[0]
    hs, cs = [], []
    for x_row, h_row, c_row in zip(x_t, h_prev, c_prev):
        a = x_row @ kernel + h_row @ recurrent_kernel + bias        # (4u,)
        i = 1 / (1 + np.exp(-a[:u]))
        f = 1 / (1 + np.exp(-a[u:2 * u]))
        o = 1 / (1 + np.exp(-a[3 * u:]))
        c = f * c_row + i * np.tanh(a[2 * u:3 * u])
        hs.append(o * np.tanh(c))
        cs.append(c)
    return np.stack(hs), np.stack(cs)
'''),

    # ---------------------------------------------------------------- lstm_forward
    dict(name="step_inlined_preallocated", grade_id="n02_lstm_forward",
         why="does not call lstm_cell_forward: the step is written inline, h_seq preallocated and filled",
         source='''import numpy as np


def lstm_forward(x, kernel, recurrent_kernel, bias, h0=None, c0=None):
    batch, steps, _ = x.shape
    u = recurrent_kernel.shape[0]
    h = np.zeros((batch, u)) if h0 is None else np.array(h0, dtype=float)
    c = np.zeros((batch, u)) if c0 is None else np.array(c0, dtype=float)
    h_seq = np.empty((batch, steps, u))
    sig = lambda v: 1 / (1 + np.exp(-v))
    for t in range(steps):
        a = x[:, t] @ kernel + h @ recurrent_kernel + bias
        c = sig(a[:, u:2 * u]) * c + sig(a[:, :u]) * np.tanh(a[:, 2 * u:3 * u])
        h = sig(a[:, 3 * u:]) * np.tanh(c)
        h_seq[:, t] = h
    return h_seq, h, c
'''),
    dict(name="time_major_list_keywords", grade_id="n02_lstm_forward",
         why="iterates over x transposed to time-major, calls lstm_cell_forward with keyword arguments, "
             "float64 zeros, returns a list",
         source='''import numpy as np


def lstm_forward(x, kernel, recurrent_kernel, bias, h0=None, c0=None):
    u = recurrent_kernel.shape[0]
    h = np.zeros((len(x), u)) if h0 is None else h0
    c = np.zeros((len(x), u)) if c0 is None else c0
    seq = []
    for x_t in np.transpose(x, (1, 0, 2)):
        h, c = lstm_cell_forward(x_t=x_t, h_prev=h, c_prev=c, kernel=kernel,
                                 recurrent_kernel=recurrent_kernel, bias=bias)
        seq.append(np.copy(h))
    return [np.stack(seq, axis=1), h, c]
'''),
    dict(name="concatenated_weights_inline", grade_id="n02_lstm_forward",
         why="precomputes x @ W for every step at once (np.einsum) and uses the concatenated gates, no helper",
         source='''import numpy as np


def lstm_forward(x, kernel, recurrent_kernel, bias, h0=None, c0=None):
    u = recurrent_kernel.shape[0]
    x_part = np.einsum("btd,dk->btk", x, kernel) + bias           # (batch, T, 4u)
    h = np.zeros((x.shape[0], u), np.float32) if h0 is None else h0
    c = np.zeros((x.shape[0], u), np.float32) if c0 is None else c0
    out = []
    for t in range(x.shape[1]):
        z = x_part[:, t] + h @ recurrent_kernel
        gate = 1 / (1 + np.exp(-z))
        c = gate[:, u:2 * u] * c + gate[:, :u] * np.tanh(z[:, 2 * u:3 * u])
        h = gate[:, 3 * u:] * np.tanh(c)
        out.append(h)
    return np.stack(out, axis=1), h, c
'''),
    dict(name="outputs_indexed_from_the_list", grade_id="n02_lstm_forward",
         why="keeps the step's result as one object and indexes it (out[0], out[1]) instead of unpacking",
         source='''import numpy as np


def lstm_forward(x, kernel, recurrent_kernel, bias, h0=None, c0=None):
    n = recurrent_kernel.shape[0]
    state = [np.zeros((x.shape[0], n), np.float32) if h0 is None else h0,
             np.zeros((x.shape[0], n), np.float32) if c0 is None else c0]
    hs = []
    for t in range(x.shape[1]):
        state = lstm_cell_forward(x[:, t, :], state[0], state[1], kernel, recurrent_kernel, bias)
        hs.append(state[0])
    return np.stack(hs, axis=1), state[0], state[1]
'''),
    dict(name="correct_forward_over_a_wrong_exercise_1", grade_id="n02_lstm_forward",
         why="no cascade: a correct lstm_forward that calls lstm_cell_forward, while the notebook's "
             "lstm_cell_forward is WRONG (Exercise 1 loses its points, Exercise 2 keeps all of its own)",
         source='''import numpy as np


''' + _BROKEN_STEP + '''def lstm_forward(x, kernel, recurrent_kernel, bias, h0=None, c0=None):
    n = recurrent_kernel.shape[0]
    h = np.zeros((x.shape[0], n), np.float32) if h0 is None else h0
    c = np.zeros((x.shape[0], n), np.float32) if c0 is None else c0
    outputs = []
    for t in range(x.shape[1]):
        h, c = lstm_cell_forward(x[:, t, :], h, c, kernel, recurrent_kernel, bias)
        outputs.append(h)
    return np.stack(outputs, axis=1), h, c
'''),

    # ---------------------------------------------------------------- lstm_param_count
    dict(name="factored", grade_id="n02_lstm_param_count",
         why="the factored form 4 u (d + u + 1)",
         source='''def lstm_param_count(input_dim, units):
    return 4 * units * (input_dim + units + 1)
'''),
    dict(name="numpy_integer_from_shapes", grade_id="n02_lstm_param_count",
         why="sums np.prod of the three weight shapes: a NumPy integer",
         source='''def lstm_param_count(input_dim, units):
    shapes = [(input_dim, 4 * units), (units, 4 * units), (4 * units,)]
    return np.sum([np.prod(s) for s in shapes])
'''),
    dict(name="per_gate_loop_float", grade_id="n02_lstm_param_count",
         why="adds up gate by gate in floating point: a whole-valued np.float64",
         source='''def lstm_param_count(input_dim, units):
    total = np.float64(0)
    for _gate in "ifco":
        total += input_dim * units + units * units + units
    return total
'''),

    # ---------------------------------------------------------------- true_range_statements
    dict(name="frozenset", grade_id="n02_true_range_statements",
         why="a frozenset instead of a set",
         source='''def true_range_statements():
    return frozenset({"b"})
'''),
    dict(name="one_item_list", grade_id="n02_true_range_statements",
         why="a list of one letter",
         source='''def true_range_statements():
    return ["b"]
'''),
    dict(name="tuple_of_a_capital_with_spaces", grade_id="n02_true_range_statements",
         why="a tuple holding one capital letter with spaces around it",
         source='''def true_range_statements():
    return (" B ",)
'''),
    # ---------------------------------------------------------------- true_step_statements
    dict(name="frozenset", grade_id="n02_true_step_statements",
         why="a frozenset instead of a set",
         source='''def true_step_statements():
    return frozenset({"e", "g"})
'''),
    dict(name="sorted_list", grade_id="n02_true_step_statements",
         why="a sorted list of the letters",
         source='''def true_step_statements():
    return ["e", "g"]
'''),
    dict(name="tuple_of_capitals", grade_id="n02_true_step_statements",
         why="a tuple of capital letters",
         source='''def true_step_statements():
    return ("E", "G")
'''),
    dict(name="set_from_a_string", grade_id="n02_true_step_statements",
         why="the set built from a string of letters, set('ge')",
         source='''def true_step_statements():
    return set("ge")
'''),
]
