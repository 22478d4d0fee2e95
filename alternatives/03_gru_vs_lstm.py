"""Alternatives bank of 03_gru_vs_lstm: correct answers written differently.

Instructor side only (never in the student bundle).  `make alternatives` grades each one and
fails unless it keeps every point of its exercise.
"""

ALTERNATIVES = [
    # --- gru_cell_forward ------------------------------------------------------------------
    dict(name="per-gate slices", grade_id="n03_gru_cell_forward",
         why="slices W, U and both bias rows per gate first and writes each equation separately",
         source='''import numpy as np


def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[-1]
    sig = lambda a: 1 / (1 + np.exp(-a))
    Wz, Wr, Wh = kernel[:, :u], kernel[:, u:2 * u], kernel[:, 2 * u:]
    Uz, Ur, Uh = recurrent_kernel[:, :u], recurrent_kernel[:, u:2 * u], recurrent_kernel[:, 2 * u:]
    bxz, bxr, bxh = bias[0, :u], bias[0, u:2 * u], bias[0, 2 * u:]
    bhz, bhr, bhh = bias[1, :u], bias[1, u:2 * u], bias[1, 2 * u:]
    z = sig(x_t @ Wz + bxz + h_prev @ Uz + bhz)
    r = sig(x_t @ Wr + bxr + h_prev @ Ur + bhr)
    h_tilde = np.tanh(x_t @ Wh + bxh + r * (h_prev @ Uh + bhh))
    return z * h_prev + (1 - z) * h_tilde'''),
    dict(name="einsum and np.split, float32", grade_id="n03_gru_cell_forward",
         why="np.einsum for the products, np.split for the gates, computes in float32 whatever it is given",
         source='''import numpy as np


def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    x_t, h_prev = np.asarray(x_t, np.float32), np.asarray(h_prev, np.float32)
    kernel, recurrent_kernel, bias = (np.asarray(a, np.float32) for a in (kernel, recurrent_kernel, bias))
    xz, xr, xh = np.split(np.einsum("bd,dk->bk", x_t, kernel) + bias[0], 3, axis=-1)
    hz, hr, hh = np.split(np.einsum("bu,uk->bk", h_prev, recurrent_kernel) + bias[1], 3, axis=-1)
    z = 1 / (1 + np.exp(-(xz + hz)))
    r = 1 / (1 + np.exp(-(xr + hr)))
    return z * h_prev + (1 - z) * np.tanh(xh + r * hh)'''),
    dict(name="other convention, converted", grade_id="n03_gru_cell_forward",
         why="writes the deeplearning.ai form h = g*h~ + (1-g)*h_prev with g = 1 - z = sigmoid(-a), the tanh form of the sigmoid",
         source='''import numpy as np


def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[-1]
    sigmoid = lambda a: 0.5 * (1 + np.tanh(a / 2))
    a_x = np.dot(x_t, kernel) + bias[0]
    a_h = np.dot(h_prev, recurrent_kernel) + bias[1]
    g = sigmoid(-(a_x[:, :u] + a_h[:, :u]))           # their update gate: Keras' 1 - z
    r = sigmoid(a_x[:, u:2 * u] + a_h[:, u:2 * u])
    h_tilde = np.tanh(a_x[:, 2 * u:] + r * a_h[:, 2 * u:])
    return g * h_tilde + (1 - g) * h_prev'''),
    dict(name="loop over the batch", grade_id="n03_gru_cell_forward",
         why="computes one example at a time with vectors, then stacks the rows",
         source='''import numpy as np


def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[-1]
    rows = []
    for x, h in zip(x_t, h_prev):
        ax = x @ kernel + bias[0]
        ah = h @ recurrent_kernel + bias[1]
        z = 1 / (1 + np.exp(-(ax[:u] + ah[:u])))
        r = 1 / (1 + np.exp(-(ax[u:2 * u] + ah[u:2 * u])))
        rows.append(z * h + (1 - z) * np.tanh(ax[2 * u:] + r * ah[2 * u:]))
    return np.stack(rows)'''),
    # --- gru_state_jacobian ----------------------------------------------------------------
    dict(name="forward_mode_columns", grade_id="n03_gru_state_jacobian",
         why="forward mode: pushes each basis vector e_j through the step (a directional derivative) and stacks "
             "the columns",
         source='''import numpy as np


def gru_state_jacobian(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[1]
    sig = lambda v: 1 / (1 + np.exp(-v))
    px = x_t @ kernel + bias[0]
    ph = h_prev @ recurrent_kernel + bias[1]
    z = sig(px[:, :u] + ph[:, :u])
    r = sig(px[:, u:2 * u] + ph[:, u:2 * u])
    q = ph[:, 2 * u:]
    hc = np.tanh(px[:, 2 * u:] + r * q)
    columns = []
    for j in range(u):
        e = np.zeros_like(h_prev)
        e[:, j] = 1.0
        dph = e @ recurrent_kernel                       # how ph moves along e_j
        dz = z * (1 - z) * dph[:, :u]
        dr = r * (1 - r) * dph[:, u:2 * u]
        dhc = (1 - hc ** 2) * (dr * q + r * dph[:, 2 * u:])
        columns.append(dz * h_prev + z * e - dz * hc + (1 - z) * dhc)
    return np.stack(columns, axis=2)
'''),
    dict(name="per_example_matrices", grade_id="n03_gru_state_jacobian",
         why="one example at a time with explicit np.diag matrices and the gates' slices of U transposed",
         source='''import numpy as np


def gru_state_jacobian(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = recurrent_kernel.shape[0]
    Uz, Ur, Uh = (recurrent_kernel[:, k * u:(k + 1) * u] for k in range(3))
    out = []
    for x, h in zip(x_t, h_prev):
        ax, ah = x @ kernel + bias[0], h @ recurrent_kernel + bias[1]
        z = 1 / (1 + np.exp(-(ax[:u] + ah[:u])))
        r = 1 / (1 + np.exp(-(ax[u:2 * u] + ah[u:2 * u])))
        q = ah[2 * u:]
        hc = np.tanh(ax[2 * u:] + r * q)
        dz = np.diag(z * (1 - z)) @ Uz.T
        dr = np.diag(r * (1 - r)) @ Ur.T
        dhc = np.diag(1 - hc ** 2) @ (np.diag(q) @ dr + np.diag(r) @ Uh.T)
        out.append(np.diag(z) + np.diag(h - hc) @ dz + np.diag(1 - z) @ dhc)
    return np.array(out)
'''),
    dict(name="other_convention_renamed", grade_id="n03_gru_state_jacobian",
         why="written in the other texts' convention, s = 1 - z the 'update' gate (h_t = s h~ + (1 - s) h_{t-1}), "
             "with einsum: the same numbers",
         source='''import numpy as np


def gru_state_jacobian(x_t, h_prev, kernel, recurrent_kernel, bias):
    u = h_prev.shape[-1]
    pre = x_t @ kernel + bias[0]
    rec = h_prev @ recurrent_kernel + bias[1]
    s = 1 - 1 / (1 + np.exp(-(pre[:, :u] + rec[:, :u])))        # s = 1 - z
    r = 1 / (1 + np.exp(-(pre[:, u:2 * u] + rec[:, u:2 * u])))
    cand = np.tanh(pre[:, 2 * u:] + r * rec[:, 2 * u:])
    ds = -s * (1 - s)                                            # d s / d (z's pre-activation)
    dcand = s * (1 - cand ** 2)
    return (np.einsum("bi,ij->bij", 1 - s, np.eye(u))
            + np.einsum("bi,ji->bij", (cand - h_prev) * ds, recurrent_kernel[:, :u])
            + np.einsum("bi,ji->bij", dcand * r, recurrent_kernel[:, 2 * u:])
            + np.einsum("bi,ji->bij", dcand * rec[:, 2 * u:] * r * (1 - r), recurrent_kernel[:, u:2 * u]))
'''),
    # --- gru_param_count -------------------------------------------------------------------
    dict(name="numpy integer", grade_id="n03_gru_param_count",
         why="sums the sizes of the three weight shapes with np.prod: returns np.int64",
         source='''import numpy as np


def gru_param_count(input_dim, units, reset_after=True):
    shapes = [(input_dim, 3 * units), (units, 3 * units), (2, 3 * units) if reset_after else (3 * units,)]
    return np.sum([np.prod(s) for s in shapes])'''),
    dict(name="expanded formula", grade_id="n03_gru_param_count",
         why="3du + 3u^2 + 3u * rows, with the bias rows from int(bool)",
         source='''def gru_param_count(input_dim, units, reset_after=True):
    return 3 * input_dim * units + 3 * units ** 2 + 3 * units * (1 + int(reset_after))'''),
    dict(name="loop over gates", grade_id="n03_gru_param_count",
         why="adds up the three blocks one by one",
         source='''def gru_param_count(input_dim, units, reset_after=True):
    total = 0
    for gate in ("z", "r", "h"):
        total += input_dim * units + units * units
        total += units * (2 if reset_after else 1)
    return total'''),
    dict(name="whole-valued float", grade_id="n03_gru_param_count",
         why="divides somewhere (3 * ... / 1.0): the right number as a float, 2511.0; a whole-valued float counts "
             "as the integer (the course's rule, as in 02's lstm_param_count)",
         source='''def gru_param_count(input_dim, units, reset_after=True):
    bias = 2 * units if reset_after else units
    return 3 * (units * (input_dim + units) + bias) / 1.0'''),
    dict(name="numpy float from np.prod", grade_id="n03_gru_param_count",
         why="sums float64 sizes (np.prod of float shapes): returns np.float64, whole-valued",
         source='''import numpy as np


def gru_param_count(input_dim, units, reset_after=True):
    shapes = np.array([[input_dim, 3 * units], [units, 3 * units], [2 if reset_after else 1, 3 * units]], dtype=float)
    return np.prod(shapes, axis=1).sum()'''),
    # --- adding_problem ---------------------------------------------------------------------
    dict(name="loop over sequences", grade_id="n03_adding_problem",
         why="one sequence at a time with rng.choice for the second marker (a loop is accepted)",
         source='''import numpy as np


def adding_problem(n, T, rng):
    X = np.zeros((n, T, 2), dtype=np.float32)
    y = np.zeros(n, dtype=np.float32)
    for i in range(n):
        X[i, :, 0] = rng.uniform(-1, 1, size=T)
        first = int(rng.integers(0, 10))
        second = int(rng.choice([t for t in range(T // 2) if t != first]))
        X[i, [first, second], 1] = 1
        y[i] = 0.5 + (X[i, first, 0] + X[i, second, 0]) / 4
    return X, y'''),
    dict(name="float64 then cast, marker sum", grade_id="n03_adding_problem",
         why="draws positions before values, builds y from (values * markers).sum in float64, casts at the end",
         source='''import numpy as np


def adding_problem(n, T, rng):
    first = rng.integers(0, 10, size=n)
    offset = rng.integers(1, T // 2, size=n)                 # 1 .. T//2 - 1 steps further, cyclically
    second = (first + offset) % (T // 2)
    values = rng.uniform(-1.0, 1.0, size=(n, T))
    markers = np.zeros((n, T))
    np.put_along_axis(markers, np.stack([first, second], axis=1), 1.0, axis=1)
    y = 0.5 + (values * markers).sum(axis=1) / 4
    return np.stack([values, markers], axis=-1).astype(np.float32), y.astype(np.float32)'''),
    dict(name="argsort of random keys, tuple as list", grade_id="n03_adding_problem",
         why="second marker by ranking random keys over the first half (first excluded); returns a list [X, y]",
         source='''import numpy as np


def adding_problem(n, T, rng):
    half = T // 2
    values = rng.uniform(-1, 1, size=(n, T)).astype(np.float32)
    first = rng.integers(0, 10, size=n)
    keys = rng.random((n, half))
    keys[np.arange(n), first] = np.inf                       # never pick the first marker's step
    second = np.argmin(keys, axis=1)
    markers = np.zeros((n, T), dtype=np.float32)
    markers[np.arange(n), first] = 1
    markers[np.arange(n), second] = 1
    y = np.float32(0.5) + (values * markers).sum(axis=1) / np.float32(4)
    return [np.stack([values, markers], axis=-1), y.astype(np.float32)]'''),
    # --- reading ----------------------------------------------------------------------------
    dict(name="through the table rows", grade_id="n03_reading",
         why="reuses rnnkit.compare.comparison_rows, the code behind the printed table, and returns a sorted list",
         source='''from rnnkit.compare import comparison_rows


def reading(results, baseline):
    rows = [r for r in comparison_rows(results, baseline) if r["model"] != "baseline"]
    solved = sorted(r["model"] for r in rows if r["final within"] >= 0.9)
    reached = [r for r in rows if r["epoch >= 0.9"] != "-"]
    first = min(reached, key=lambda r: r["epoch >= 0.9"])["model"] if reached else None
    return {"solved": solved, "first_to_0.9": first, "baseline_mse": baseline["mse"]}'''),
    dict(name="numpy argmax", grade_id="n03_reading",
         why="vectorised: argmax of the boolean per-epoch array, numpy float for the MSE, a tuple for solved",
         source='''import numpy as np


def reading(results, baseline):
    names = list(results)
    within = [np.asarray(results[m]["val_within"]) for m in names]
    solved = tuple(m for m, w in zip(names, within) if w[-1] >= 0.9)
    first_epoch = {m: int(np.argmax(w >= 0.9)) for m, w in zip(names, within) if (w >= 0.9).any()}
    first = min(first_epoch, key=first_epoch.get) if first_epoch else None
    return {"solved": solved, "first_to_0.9": first, "baseline_mse": np.float64(baseline["mse"])}'''),
    dict(name="rnnkit helper, sorted ties", grade_id="n03_reading",
         why="rnnkit.compare.first_epoch_reaching per model; sorts (epoch, name) pairs; frozenset",
         source='''from rnnkit.compare import first_epoch_reaching


def reading(results, baseline):
    solved = frozenset(m for m, r in results.items() if r["val_within"][-1] >= 0.9)
    pairs = sorted((first_epoch_reaching(r["val_within"], 0.9), m) for m, r in results.items()
                   if first_epoch_reaching(r["val_within"], 0.9) is not None)
    return {"solved": solved, "first_to_0.9": pairs[0][1] if pairs else None, "baseline_mse": baseline["mse"]}'''),
]
