"""Mutation bank of 02_lstm_gates: plausible wrong answers, each must lose points.

Every entry replaces the whole source of one solution cell (grade_id) of
source/02_lstm_gates/02_lstm_gates.ipynb.
"""

_CELL_HEAD = '''import numpy as np


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One LSTM step with Keras' weight layout (gate order i, f, c, o)."""
'''

_FORWARD_HEAD = '''import numpy as np


def lstm_forward(x, kernel, recurrent_kernel, bias, h0=None, c0=None):
    """Run an LSTM over a batch of sequences (Keras' weight layout)."""
'''

_COUNT_HEAD = '''def lstm_param_count(input_dim, units):
    """Trainable parameters of keras.layers.LSTM(units) on inputs with input_dim features."""
'''

_HALF_HEAD = '''import math

import numpy as np


def cell_half_life(b_f):
    """Steps after which the cell state halves, with the input gate closed and f = sigma(b_f)."""
'''

_RANGE_HEAD = '''def true_range_statements():
    """The letters (among "a", "b", "c") of the true statements, as a set of strings."""
'''

_STEP_HEAD = '''def true_step_statements():
    """The letters (among "d", "e", "f", "g") of the true statements, as a set of strings."""
'''


def _cell(body: str) -> str:
    return _CELL_HEAD + body


MUTANTS = [
    # ---------------------------------------------------------------- cell_half_life
    dict(name="half_life_reciprocal", grade_id="n02_cell_half_life",
         why="ln f / ln(1/2): the reciprocal of the half-life (the fraction of a half-life per step)",
         source=_HALF_HEAD + """    f = 1 / (1 + math.exp(-b_f))
    return math.inf if f >= 1 else math.log(f) / math.log(0.5)
"""),
    dict(name="half_life_log2_of_f", grade_id="n02_cell_half_life",
         why="log2(f): the base-2 logarithm of the forget gate, not its inverse (negative)",
         source=_HALF_HEAD + """    f = 1 / (1 + math.exp(-b_f))
    return math.inf if f >= 1 else math.log2(f)
"""),
    dict(name="half_life_of_the_bias", grade_id="n02_cell_half_life",
         why="uses b_f itself where the gate f = sigma(b_f) belongs: ln(1/2) / ln(b_f)",
         source=_HALF_HEAD + """    if b_f == 1:
        return math.inf
    return math.log(0.5) / math.log(abs(b_f)) if b_f != 0 else 0.0
"""),
    dict(name="half_life_one_over_one_minus_f", grade_id="n02_cell_half_life",
         why="1 / (1 - f): the mean number of steps a geometric 'forget with probability 1 - f' takes, not f^t = 1/2",
         source=_HALF_HEAD + """    f = 1 / (1 + math.exp(-b_f))
    return math.inf if f >= 1 else 1 / (1 - f)
"""),
    dict(name="half_life_time_constant", grade_id="n02_cell_half_life",
         why="-1 / ln f: the time to fall to 1/e, not to one half",
         source=_HALF_HEAD + """    f = 1 / (1 + math.exp(-b_f))
    return math.inf if f >= 1 else -1 / math.log(f)
"""),
    dict(name="half_life_rounded_up", grade_id="n02_cell_half_life",
         why="returns the first whole step at or below half (ceil), not the real-valued half-life",
         source=_HALF_HEAD + """    f = 1 / (1 + math.exp(-b_f))
    return math.inf if f >= 1 else float(math.ceil(math.log(0.5) / math.log(f)))
"""),
    dict(name="half_life_rounded", grade_id="n02_cell_half_life",
         why="rounds the half-life to the nearest whole step",
         source=_HALF_HEAD + """    f = 1 / (1 + math.exp(-b_f))
    return math.inf if f >= 1 else float(round(math.log(0.5) / math.log(f)))
"""),
    dict(name="half_life_sign_flipped", grade_id="n02_cell_half_life",
         why="ln 2 / ln f: drops the minus sign (a negative number of steps)",
         source=_HALF_HEAD + """    f = 1 / (1 + math.exp(-b_f))
    return math.inf if f >= 1 else math.log(2) / math.log(f)
"""),
    dict(name="half_life_no_edge_case", grade_id="n02_cell_half_life",
         why="no case for sigma(b_f) == 1.0: numpy divides ln(1/2) by 0.0 and returns -inf for b_f >= 37",
         source=_HALF_HEAD + """    f = 1 / (1 + np.exp(-np.float64(b_f)))
    return np.log(0.5) / np.log(f)
"""),
    dict(name="half_life_sigmoid_of_minus_b", grade_id="n02_cell_half_life",
         why="sigma(-b_f): the sigmoid's sign flipped (1 - f, the fraction forgotten, used as the gate)",
         source=_HALF_HEAD + """    f = 1 / (1 + math.exp(b_f))
    return math.inf if f >= 1 else math.log(0.5) / math.log(f)
"""),
    dict(name="half_life_tanh_gate", grade_id="n02_cell_half_life",
         why="takes the forget gate as tanh(b_f) instead of the sigmoid",
         source=_HALF_HEAD + """    f = math.tanh(b_f)
    return math.inf if f >= 1 else math.log(0.5) / math.log(abs(f) or 1e-300)
"""),
    # ---------------------------------------------------------------- lstm_cell_forward
    dict(name="cs231n_gate_order_ifog", grade_id="n02_lstm_cell_forward",
         why="slices the columns in cs231n's order i, f, o, g instead of Keras' i, f, c, o",
         source=_cell('''    u = h_prev.shape[1]
    a = x_t @ kernel + h_prev @ recurrent_kernel + bias
    sig = lambda v: 1 / (1 + np.exp(-v))
    i = sig(a[:, :u])
    f = sig(a[:, u:2 * u])
    o = sig(a[:, 2 * u:3 * u])
    g = np.tanh(a[:, 3 * u:])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c
''')),
    dict(name="tf1_gate_order_icfo", grade_id="n02_lstm_cell_forward",
         why="uses TF1 BasicLSTMCell's order i, j (candidate), f, o",
         source=_cell('''    u = h_prev.shape[1]
    a = x_t @ kernel + h_prev @ recurrent_kernel + bias
    sig = lambda v: 1 / (1 + np.exp(-v))
    i, j, f, o = (a[:, k * u:(k + 1) * u] for k in range(4))
    c = sig(f) * c_prev + sig(i) * np.tanh(j)
    h = sig(o) * np.tanh(c)
    return h, c
''')),
    dict(name="recurrent_kernel_transposed", grade_id="n02_lstm_cell_forward",
         why="multiplies h_prev by each gate's recurrent block transposed (column-vector habit U_k h)",
         source=_cell('''    u = h_prev.shape[1]
    sig = lambda v: 1 / (1 + np.exp(-v))
    pre = []
    for k in range(4):
        cols = slice(k * u, (k + 1) * u)
        pre.append(x_t @ kernel[:, cols] + h_prev @ recurrent_kernel[:, cols].T + bias[cols])
    i, f, g, o = sig(pre[0]), sig(pre[1]), np.tanh(pre[2]), sig(pre[3])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c
''')),
    dict(name="missing_tanh_on_cell", grade_id="n02_lstm_cell_forward",
         why="h_t = o * c_t: forgets the tanh on the cell state before the output gate",
         source=_cell('''    u = h_prev.shape[1]
    a = x_t @ kernel + h_prev @ recurrent_kernel + bias
    sig = lambda v: 1 / (1 + np.exp(-v))
    i, f = sig(a[:, :u]), sig(a[:, u:2 * u])
    g, o = np.tanh(a[:, 2 * u:3 * u]), sig(a[:, 3 * u:])
    c = f * c_prev + i * g
    h = o * c
    return h, c
''')),
    dict(name="output_uses_forget_gate", grade_id="n02_lstm_cell_forward",
         why="follows the tutorial error: h_t = tanh(c_t) * f_t (forget gate instead of output gate)",
         source=_cell('''    u = h_prev.shape[1]
    a = x_t @ kernel + h_prev @ recurrent_kernel + bias
    sig = lambda v: 1 / (1 + np.exp(-v))
    i, f = sig(a[:, :u]), sig(a[:, u:2 * u])
    g = np.tanh(a[:, 2 * u:3 * u])
    c = f * c_prev + i * g
    h = np.tanh(c) * f
    return h, c
''')),
    dict(name="output_reads_old_cell", grade_id="n02_lstm_cell_forward",
         why="h_t = o * tanh(c_prev): squashes the old cell state instead of the new one",
         source=_cell('''    u = h_prev.shape[1]
    a = x_t @ kernel + h_prev @ recurrent_kernel + bias
    sig = lambda v: 1 / (1 + np.exp(-v))
    i, f = sig(a[:, :u]), sig(a[:, u:2 * u])
    g, o = np.tanh(a[:, 2 * u:3 * u]), sig(a[:, 3 * u:])
    h = o * np.tanh(c_prev)
    c = f * c_prev + i * g
    return h, c
''')),
    dict(name="sigmoid_candidate", grade_id="n02_lstm_cell_forward",
         why="applies the sigmoid to the candidate as well (all four blocks through one activation)",
         source=_cell('''    u = h_prev.shape[1]
    a = 1 / (1 + np.exp(-(x_t @ kernel + h_prev @ recurrent_kernel + bias)))
    i, f, g, o = a[:, :u], a[:, u:2 * u], a[:, 2 * u:3 * u], a[:, 3 * u:]
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c
''')),
    dict(name="bias_forgotten", grade_id="n02_lstm_cell_forward",
         why="leaves out the bias (invisible with Keras' default zero i, c, o biases)",
         source=_cell('''    u = h_prev.shape[1]
    a = x_t @ kernel + h_prev @ recurrent_kernel
    sig = lambda v: 1 / (1 + np.exp(-v))
    i, f = sig(a[:, :u]), sig(a[:, u:2 * u])
    g, o = np.tanh(a[:, 2 * u:3 * u]), sig(a[:, 3 * u:])
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return h, c
''')),
    dict(name="cell_state_updated_in_place", grade_id="n02_lstm_cell_forward",
         why="updates c_prev in place (c_prev *= f; c_prev += i * g), corrupting the caller's state",
         source=_cell('''    u = h_prev.shape[1]
    a = x_t @ kernel + h_prev @ recurrent_kernel + bias
    sig = lambda v: 1 / (1 + np.exp(-v))
    i, f = sig(a[:, :u]), sig(a[:, u:2 * u])
    g, o = np.tanh(a[:, 2 * u:3 * u]), sig(a[:, 3 * u:])
    c = c_prev
    c *= f
    c += i * g
    h = o * np.tanh(c)
    return h, c
''')),
    # ---------------------------------------------------------------- lstm_forward
    dict(name="initial_state_ignored", grade_id="n02_lstm_forward",
         why="always starts from zeros, even when h0 and c0 are given",
         source=_FORWARD_HEAD + '''    batch, T = x.shape[0], x.shape[1]
    u = recurrent_kernel.shape[0]
    h = np.zeros((batch, u), np.float32)
    c = np.zeros((batch, u), np.float32)
    outs = []
    for t in range(T):
        h, c = lstm_cell_forward(x[:, t, :], h, c, kernel, recurrent_kernel, bias)
        outs.append(h)
    return np.stack(outs, axis=1), h, c
'''),
    dict(name="c0_ignored", grade_id="n02_lstm_forward",
         why="uses h0 but always starts the cell state from zeros",
         source=_FORWARD_HEAD + '''    batch, T = x.shape[0], x.shape[1]
    u = recurrent_kernel.shape[0]
    h = np.zeros((batch, u), np.float32) if h0 is None else h0
    c = np.zeros((batch, u), np.float32)
    outs = []
    for t in range(T):
        h, c = lstm_cell_forward(x[:, t, :], h, c, kernel, recurrent_kernel, bias)
        outs.append(h)
    return np.stack(outs, axis=1), h, c
'''),
    dict(name="h_seq_aliased", grade_id="n02_lstm_forward",
         why="keeps one state array, updates it in place and appends that same object at every step",
         source=_FORWARD_HEAD + '''    batch, T = x.shape[0], x.shape[1]
    u = recurrent_kernel.shape[0]
    h = np.zeros((batch, u), np.float32) if h0 is None else np.array(h0)
    c = np.zeros((batch, u), np.float32) if c0 is None else np.array(c0)
    outs = []
    for t in range(T):
        h_new, c = lstm_cell_forward(x[:, t, :], h, c, kernel, recurrent_kernel, bias)
        h[...] = h_new
        outs.append(h)
    return np.stack(outs, axis=1), h, c
'''),
    dict(name="h_seq_shifted", grade_id="n02_lstm_forward",
         why="stores the state before the step (h_{t-1}) in h_seq[:, t]",
         source=_FORWARD_HEAD + '''    batch, T = x.shape[0], x.shape[1]
    u = recurrent_kernel.shape[0]
    h = np.zeros((batch, u), np.float32) if h0 is None else h0
    c = np.zeros((batch, u), np.float32) if c0 is None else c0
    h_seq = np.zeros((batch, T, u), np.float32)
    for t in range(T):
        h_seq[:, t, :] = h
        h, c = lstm_cell_forward(x[:, t, :], h, c, kernel, recurrent_kernel, bias)
    return h_seq, h, c
'''),
    dict(name="initial_state_overwritten", grade_id="n02_lstm_forward",
         why="uses h0/c0 as the working buffers and overwrites them in place (h = h0; h[...] = ...)",
         source=_FORWARD_HEAD + '''    batch, T = x.shape[0], x.shape[1]
    u = recurrent_kernel.shape[0]
    h = np.zeros((batch, u), np.float32) if h0 is None else h0
    c = np.zeros((batch, u), np.float32) if c0 is None else c0
    h_seq = np.zeros((batch, T, u), np.float32)
    for t in range(T):
        h_new, c_new = lstm_cell_forward(x[:, t, :], h, c, kernel, recurrent_kernel, bias)
        h[...] = h_new
        c[...] = c_new
        h_seq[:, t, :] = h
    return h_seq, h, c
'''),
    dict(name="batch_axis_as_time", grade_id="n02_lstm_forward",
         why="reads x[t] (the t-th sequence) instead of x[:, t] (step t of every sequence)",
         source=_FORWARD_HEAD + '''    batch, T = x.shape[0], x.shape[1]
    u = recurrent_kernel.shape[0]
    h = np.zeros((batch, u), np.float32) if h0 is None else h0
    c = np.zeros((batch, u), np.float32) if c0 is None else c0
    outs = []
    for t in range(T):
        h, c = lstm_cell_forward(x[t], h, c, kernel, recurrent_kernel, bias)
        outs.append(h)
    return np.stack(outs, axis=1), h, c
'''),
    dict(name="states_returned_swapped", grade_id="n02_lstm_forward",
         why="returns (h_seq, c_T, h_T), TF1's (c, h) state order",
         source=_FORWARD_HEAD + '''    batch, T = x.shape[0], x.shape[1]
    u = recurrent_kernel.shape[0]
    h = np.zeros((batch, u), np.float32) if h0 is None else h0
    c = np.zeros((batch, u), np.float32) if c0 is None else c0
    outs = []
    for t in range(T):
        h, c = lstm_cell_forward(x[:, t, :], h, c, kernel, recurrent_kernel, bias)
        outs.append(h)
    return np.stack(outs, axis=1), c, h
'''),
    # ---------------------------------------------------------------- the stated rules (issue 13)
    dict(name="keras_layer_with_set_weights", grade_id="n02_lstm_cell_forward",
         why="breaks 'numpy only': builds a keras.layers.LSTM, calls set_weights and returns its (correct) output",
         source='''import numpy as np
import keras


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One LSTM step with Keras' weight layout (gate order i, f, c, o)."""
    layer = keras.layers.LSTM(recurrent_kernel.shape[0], return_state=True)
    layer.build((None, 1, kernel.shape[0]))
    layer.set_weights([kernel, recurrent_kernel, bias])
    _, h, c = layer(np.asarray(x_t, np.float32)[:, None, :],
                    initial_state=[np.asarray(h_prev, np.float32), np.asarray(c_prev, np.float32)])
    return np.asarray(h), np.asarray(c)
'''),
    dict(name="keras_ops_step", grade_id="n02_lstm_cell_forward",
         why="breaks 'numpy only': the right equations, evaluated with keras.ops instead of numpy",
         source='''import numpy as np
from keras import ops


def lstm_cell_forward(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One LSTM step with Keras' weight layout (gate order i, f, c, o)."""
    u = recurrent_kernel.shape[0]
    a = ops.matmul(x_t, kernel) + ops.matmul(h_prev, recurrent_kernel) + bias
    i, f = ops.sigmoid(a[:, :u]), ops.sigmoid(a[:, u:2 * u])
    g, o = ops.tanh(a[:, 2 * u:3 * u]), ops.sigmoid(a[:, 3 * u:])
    c = f * c_prev + i * g
    h = o * ops.tanh(c)
    return ops.convert_to_numpy(h), ops.convert_to_numpy(c)
'''),
    dict(name="keras_layer_for_the_sequence", grade_id="n02_lstm_forward",
         why="breaks 'numpy only': one keras.layers.LSTM(return_sequences=True, return_state=True) "
             "with set_weights, whose outputs are correct",
         source=_FORWARD_HEAD + '''    import keras

    u = recurrent_kernel.shape[0]
    zeros = np.zeros((x.shape[0], u), np.float32)
    layer = keras.layers.LSTM(u, return_sequences=True, return_state=True)
    layer.build((None,) + x.shape[1:])
    layer.set_weights([kernel, recurrent_kernel, bias])
    h_seq, h, c = layer(x, initial_state=[zeros if h0 is None else h0, zeros if c0 is None else c0])
    return np.asarray(h_seq), np.asarray(h), np.asarray(c)
'''),
    dict(name="keras_cell_per_step", grade_id="n02_lstm_forward",
         why="breaks 'numpy only': loops over the steps itself but lets a keras.layers.LSTMCell compute each one",
         source=_FORWARD_HEAD + '''    import keras

    u = recurrent_kernel.shape[0]
    cell = keras.layers.LSTMCell(u)
    cell.build((None, x.shape[2]))
    cell.set_weights([kernel, recurrent_kernel, bias])
    h = np.zeros((x.shape[0], u), np.float32) if h0 is None else h0
    c = np.zeros((x.shape[0], u), np.float32) if c0 is None else c0
    outs = []
    for t in range(x.shape[1]):
        _, (h, c) = cell(x[:, t, :], [h, c])
        outs.append(np.asarray(h))
    return np.stack(outs, axis=1), np.asarray(h), np.asarray(c)
'''),
    # ---------------------------------------------------------------- lstm_param_count
    dict(name="bias_not_counted", grade_id="n02_lstm_param_count",
         why="counts only the two weight matrices: 4 u (d + u)",
         source=_COUNT_HEAD + "    return 4 * units * (input_dim + units)\n"),
    dict(name="two_bias_vectors", grade_id="n02_lstm_param_count",
         why="counts two bias vectors per gate, as PyTorch/cuDNN store them: 4 (u (d + u) + 2u)",
         source=_COUNT_HEAD + "    return 4 * (units * (input_dim + units) + 2 * units)\n"),
    dict(name="recurrent_kernel_not_counted", grade_id="n02_lstm_param_count",
         why="forgets the recurrent kernel: 4 (d u + u)",
         source=_COUNT_HEAD + "    return 4 * (input_dim * units + units)\n"),
    dict(name="twelve_generalised_linearly", grade_id="n02_lstm_param_count",
         why="generalises '4 input weights + 4 recurrent weights + 4 biases' as 4 (d + u + 1)",
         source=_COUNT_HEAD + "    return 4 * (input_dim + units + 1)\n"),
    dict(name="three_gates_only", grade_id="n02_lstm_param_count",
         why="counts three gates (forgets the candidate block): 3 (u (d + u) + u)",
         source=_COUNT_HEAD + "    return 3 * (units * (input_dim + units) + units)\n"),
    # ---------------------------------------------------------------- true_range_statements
    dict(name="sigmoid_is_binary", grade_id="n02_true_range_statements",
         why="believes the tutorial claim that the sigmoid outputs only 0 and 1 (adds a)",
         source=_RANGE_HEAD + '    return {"a", "b"}\n'),
    dict(name="cell_state_bounded", grade_id="n02_true_range_statements",
         why="thinks c_t is squashed like h_t (adds c)",
         source=_RANGE_HEAD + '    return {"b", "c"}\n'),
    dict(name="hidden_state_unbounded", grade_id="n02_true_range_statements",
         why="thinks a large initial cell state can push h_t outside [-1, 1] (drops b)",
         source=_RANGE_HEAD + '    return set()\n'),
    dict(name="all_three_letters", grade_id="n02_true_range_statements",
         why="answers every statement of the group true",
         source=_RANGE_HEAD + '    return {"a", "b", "c"}\n'),
    dict(name="letters_of_the_other_group", grade_id="n02_true_range_statements",
         why="answers with the true letters of the whole quiz (e and g belong to Exercise 6)",
         source=_RANGE_HEAD + '    return {"b", "e", "g"}\n'),
    # ---------------------------------------------------------------- true_step_statements
    dict(name="output_gate_is_forget_gate", grade_id="n02_true_step_statements",
         why="believes the tutorial error that the output uses the forget gate (adds d)",
         source=_STEP_HEAD + '    return {"d", "e", "g"}\n'),
    dict(name="forget_bias_overlooked", grade_id="n02_true_step_statements",
         why="assumes all gates start at sigmoid(0) = 0.5 (drops e)",
         source=_STEP_HEAD + '    return {"g"}\n'),
    dict(name="gates_read_the_new_state", grade_id="n02_true_step_statements",
         why="believes the tutorial equations with h_t inside the gates (adds f)",
         source=_STEP_HEAD + '    return {"e", "f", "g"}\n'),
    dict(name="saturated_gates_still_leak", grade_id="n02_true_step_statements",
         why="thinks the cell state changes even with f = 1 and i = 0 (drops g)",
         source=_STEP_HEAD + '    return {"e"}\n'),
]
