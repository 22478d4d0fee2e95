"""Alternatives bank of 02b_lstm_backprop: correct answers written differently, each must keep
every point of its exercise.

Every entry replaces the whole source of one solution cell (grade_id) of
source/02b_lstm_backprop/02b_lstm_backprop.ipynb (see alternatives/README.md).
"""

_BROKEN_STEP = '''def lstm_cell_backward(dh, dc, cache):
    """A WRONG Exercise 1 (dc_prev without the forget gate, no tanh'): Exercise 2 must not pay for it."""
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    dc_total = dc + dh * o
    da = np.concatenate([dc_total * g * i * (1 - i), dc_total * cache["c_prev"] * f * (1 - f),
                         dc_total * i * (1 - g ** 2), dh * np.tanh(cache["c"]) * o * (1 - o)], axis=1)
    return (da @ cache["kernel"].T, da @ cache["recurrent_kernel"].T, dc_total,
            cache["x"].T @ da, cache["h_prev"].T @ da, da.sum(axis=0))


'''

ALTERNATIVES = [
    # ---------------------------------------------------------------- lstm_cell_backward
    dict(name="recomputed_preactivations", grade_id="n02b_lstm_cell_backward",
         why="recomputes a = x W + h U + b from the cache and takes the slopes of the pre-activations; returns a list",
         source='''import numpy as np


def lstm_cell_backward(dh, dc, cache):
    W, U, b = cache["kernel"], cache["recurrent_kernel"], cache["bias"]
    u = U.shape[0]
    a = cache["x"] @ W + cache["h_prev"] @ U + b
    sig = lambda v: 1 / (1 + np.exp(-v))
    dsig = lambda v: sig(v) * (1 - sig(v))
    a_i, a_f, a_c, a_o = a[:, :u], a[:, u:2 * u], a[:, 2 * u:3 * u], a[:, 3 * u:]
    c = sig(a_f) * cache["c_prev"] + sig(a_i) * np.tanh(a_c)
    dcell = dc + dh * sig(a_o) * (1 - np.tanh(c) ** 2)
    da = np.hstack([dcell * np.tanh(a_c) * dsig(a_i), dcell * cache["c_prev"] * dsig(a_f),
                    dcell * sig(a_i) * (1 - np.tanh(a_c) ** 2), dh * np.tanh(c) * dsig(a_o)])
    return [da @ W.T, da @ U.T, dcell * sig(a_f), cache["x"].T @ da, cache["h_prev"].T @ da, np.sum(da, axis=0)]
'''),
    dict(name="concatenated_weights_einsum", grade_id="n02b_lstm_cell_backward",
         why="the concatenated form: d[h, x] = da W'^T and dW' = [h, x]^T da with W' = [U; W], then split; np.einsum",
         source='''import numpy as np


def lstm_cell_backward(dh, dc, cache):
    x, h, c_prev = cache["x"], cache["h_prev"], cache["c_prev"]
    u = h.shape[1]
    gi, gf, gg, go = (cache[k] for k in "ifgo")
    th = np.tanh(cache["c"])
    dcs = dc + np.einsum("bu,bu,bu->bu", dh, go, 1 - th * th)
    da = np.concatenate([dcs * gg * gi * (1 - gi), dcs * c_prev * gf * (1 - gf),
                         dcs * gi * (1 - gg * gg), dh * th * go * (1 - go)], axis=-1)
    stacked = np.vstack([cache["recurrent_kernel"], cache["kernel"]])          # (u + d, 4u)
    d_joint = np.einsum("bk,jk->bj", da, stacked)                            # (batch, u + d)
    dW_joint = np.einsum("bj,bk->jk", np.hstack([h, x]), da)                 # (u + d, 4u)
    return (d_joint[:, u:], d_joint[:, :u], dcs * gf, dW_joint[u:], dW_joint[:u], da.sum(0))
'''),
    dict(name="loop_over_batch_outer_products", grade_id="n02b_lstm_cell_backward",
         why="one example at a time, the weight gradients accumulated as outer products",
         source='''import numpy as np


def lstm_cell_backward(dh, dc, cache):
    W, U = cache["kernel"], cache["recurrent_kernel"]
    dW, dU, db = np.zeros(W.shape), np.zeros(U.shape), np.zeros(W.shape[1])
    dxs, dhs, dcs = [], [], []
    for n in range(dh.shape[0]):
        i, f, g, o, c = (cache[k][n] for k in ("i", "f", "g", "o", "c"))
        total = dc[n] + dh[n] * o * (1 - np.tanh(c) ** 2)
        da = np.concatenate([total * g * i * (1 - i), total * cache["c_prev"][n] * f * (1 - f),
                             total * i * (1 - g ** 2), dh[n] * np.tanh(c) * o * (1 - o)])
        dW += np.outer(cache["x"][n], da)
        dU += np.outer(cache["h_prev"][n], da)
        db += da
        dxs.append(W @ da)
        dhs.append(U @ da)
        dcs.append(total * f)
    return np.array(dxs), np.array(dhs), np.array(dcs), dW, dU, db
'''),
    dict(name="named_intermediates_float64", grade_id="n02b_lstm_cell_backward",
         why="every intermediate gradient named (do, di, df, dg), inputs cast to float64, np.dot and .T.dot",
         source='''import numpy as np


def lstm_cell_backward(dh, dc, cache):
    c = {k: np.asarray(v, dtype=np.float64) for k, v in cache.items()}
    dh, dc = np.asarray(dh, np.float64), np.asarray(dc, np.float64)
    tanh_c = np.tanh(c["c"])
    d_o = dh * tanh_c
    d_c = dc + dh * c["o"] * (1.0 - tanh_c * tanh_c)
    d_i = d_c * c["g"]
    d_f = d_c * c["c_prev"]
    d_g = d_c * c["i"]
    d_pre = np.concatenate([d_i * c["i"] * (1 - c["i"]), d_f * c["f"] * (1 - c["f"]),
                            d_g * (1 - c["g"] ** 2), d_o * c["o"] * (1 - c["o"])], axis=1)
    return (np.dot(d_pre, c["kernel"].T), np.dot(d_pre, c["recurrent_kernel"].T), d_c * c["f"],
            c["x"].T.dot(d_pre), c["h_prev"].T.dot(d_pre), d_pre.sum(axis=0))
'''),

    # ---------------------------------------------------------------- lstm_backward
    dict(name="keywords_scalar_zero_start_list", grade_id="n02b_lstm_backward",
         why="starts dh_next and dc_next at the scalar 0, calls lstm_cell_backward with keywords, += into "
             "preallocated arrays, returns a list",
         source='''import numpy as np


def lstm_backward(dh_all, caches):
    batch, T, _ = dh_all.shape
    d = caches[0]["x"].shape[1]
    dx = np.zeros((batch, T, d))
    grads = [np.zeros(caches[0][k].shape) for k in ("kernel", "recurrent_kernel", "bias")]
    dh_next, dc_next = 0.0, 0.0
    t = T - 1
    while t >= 0:
        out = lstm_cell_backward(dh=dh_all[:, t] + dh_next, dc=dc_next, cache=caches[t])
        dx[:, t], dh_next, dc_next = out[0], out[1], out[2]
        for acc, g in zip(grads, out[3:]):
            acc += g
        t -= 1
    return [dx, dh_next, dc_next] + grads
'''),
    dict(name="step_inlined", grade_id="n02b_lstm_backward",
         why="does not call lstm_cell_backward: the step's backward pass is written inline",
         source='''import numpy as np


def lstm_backward(dh_all, caches):
    W, U = caches[0]["kernel"], caches[0]["recurrent_kernel"]
    dW, dU, db = np.zeros_like(W, dtype=float), np.zeros_like(U, dtype=float), 0.0
    dh_next = np.zeros_like(dh_all[:, 0])
    dc_next = np.zeros_like(dh_all[:, 0])
    dxs = []
    for t in range(len(caches) - 1, -1, -1):
        k = caches[t]
        dh_t = dh_all[:, t] + dh_next
        tc = np.tanh(k["c"])
        dct = dc_next + dh_t * k["o"] * (1 - tc ** 2)
        da = np.concatenate([dct * k["g"] * k["i"] * (1 - k["i"]), dct * k["c_prev"] * k["f"] * (1 - k["f"]),
                             dct * k["i"] * (1 - k["g"] ** 2), dh_t * tc * k["o"] * (1 - k["o"])], axis=1)
        dxs.insert(0, da @ W.T)
        dh_next, dc_next = da @ U.T, dct * k["f"]
        dW, dU, db = dW + k["x"].T @ da, dU + k["h_prev"].T @ da, db + da.sum(axis=0)
    return np.stack(dxs, axis=1), dh_next, dc_next, dW, dU, db
'''),
    dict(name="reversed_caches_with_broken_step", grade_id="n02b_lstm_backward",
         why="walks zip(reversed(range(T)), reversed(caches)) and collects dx in a reversed list; the cell also "
             "holds a WRONG lstm_cell_backward, which the tests must replace (no cascade)",
         source='import numpy as np\n\n\n' + _BROKEN_STEP + '''def lstm_backward(dh_all, caches):
    T = len(caches)
    dh = np.zeros_like(dh_all[:, 0])
    dc = np.zeros_like(dh)
    collected, total = [], None
    for t, cache in zip(reversed(range(T)), reversed(caches)):
        dx_t, dh, dc, *weights = lstm_cell_backward(dh_all[:, t] + dh, dc, cache)
        collected.append(dx_t)
        total = list(weights) if total is None else [a + w for a, w in zip(total, weights)]
    return (np.stack(collected[::-1], axis=1), dh, dc, *total)
'''),
    dict(name="time_major_transpose", grade_id="n02b_lstm_backward",
         why="transposes dh_all to time-major, fills a time-major list of dx_t and transposes back; the weight "
             "sums start from the integer 0",
         source='''import numpy as np


def lstm_backward(dh_all, caches):
    direct = np.transpose(dh_all, (1, 0, 2))               # (T, batch, u)
    dx_tm = [None] * len(direct)
    dh_carry = np.zeros_like(direct[0])
    dc_carry = np.zeros_like(direct[0])
    dW = dU = db = 0
    for t in range(len(direct))[::-1]:
        dx_t, dh_carry, dc_carry, gW, gU, gb = lstm_cell_backward(direct[t] + dh_carry, dc_carry, caches[t])
        dx_tm[t] = dx_t
        dW, dU, db = dW + gW, dU + gU, db + gb
    return np.transpose(np.array(dx_tm), (1, 0, 2)), dh_carry, dc_carry, dW, dU, db
'''),

    # ---------------------------------------------------------------- grad_check
    dict(name="flat_copy_basis_vectors", grade_id="n02b_grad_check",
         why="builds each e_k from np.eye on the flattened size, f(x + eps e_k) on new arrays; returns a NumPy scalar",
         source='''import numpy as np


def grad_check(f, x, analytic, eps=1e-5):
    base = np.asarray(x, dtype=float)
    basis = np.eye(base.size)
    num = np.array([(f(base + eps * e.reshape(base.shape)) - f(base - eps * e.reshape(base.shape))) / (2 * eps)
                    for e in basis]).reshape(base.shape)
    a = np.asarray(analytic, dtype=float)
    return np.max(np.abs(a - num) / np.maximum(1e-8, np.abs(a) + np.abs(num)))
'''),
    dict(name="in_place_with_finally", grade_id="n02b_grad_check",
         why="perturbs x itself and restores every entry in a finally; np.nditer multi_index; np.where for the floor",
         source='''import numpy as np


def grad_check(f, x, analytic, eps=1e-5):
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        try:
            x[ix] = old + eps
            up = f(x)
            x[ix] = old - eps
            down = f(x)
        finally:
            x[ix] = old
        grad[ix] = (up - down) / (2 * eps)
        it.iternext()
    a = np.asarray(analytic)
    denom = np.abs(a) + np.abs(grad)
    ratio = np.abs(a - grad) / np.where(denom > 1e-8, denom, 1e-8)
    return ratio.max()
'''),
    dict(name="in_place_restored_by_arithmetic", grade_id="n02b_grad_check",
         why="perturbs x itself and undoes each step by arithmetic (+= eps, -= 2 eps, += eps): the entries come back "
             "within rounding (about 1e-16 relative), not bit for bit",
         source='''import numpy as np


def grad_check(f, x, analytic, eps=1e-5):
    numerical = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        x[ix] += eps
        f_plus = f(x)
        x[ix] -= 2 * eps
        f_minus = f(x)
        x[ix] += eps
        numerical[ix] = (f_plus - f_minus) / (2 * eps)
    a = np.asarray(analytic, dtype=float)
    return float(np.max(np.abs(a - numerical) / np.maximum(np.abs(a) + np.abs(numerical), 1e-8)))
'''),
    dict(name="ravel_loop_python_float", grade_id="n02b_grad_check",
         why="loops over the flat index of a copy (ravel view), the error as a Python max over a generator",
         source='''import numpy as np


def grad_check(f, x, analytic, eps=1e-5):
    work = np.array(x, dtype=np.float64, copy=True)
    flat = work.reshape(-1)                     # a view: writing flat[k] changes work
    numeric = []
    for k in range(flat.size):
        keep = flat[k]
        flat[k] = keep + eps
        hi = float(f(work))
        flat[k] = keep - eps
        lo = float(f(work))
        flat[k] = keep
        numeric.append((hi - lo) / (2 * eps))
    a = np.ravel(analytic).astype(float)
    return max(abs(p - q) / max(abs(p) + abs(q), 1e-8) for p, q in zip(a, numeric))
'''),

    # ---------------------------------------------------------------- cell_path_jacobian
    dict(name="prod_and_einsum", grade_id="n02b_cell_path_jacobian",
         why="np.prod over the stacked forget gates, then np.einsum with the identity",
         source='''import numpy as np


def cell_path_jacobian(caches):
    p = np.prod(np.stack([c["f"] for c in caches]), axis=0)
    return np.einsum("bi,ij->bij", p, np.eye(p.shape[1]))
'''),
    dict(name="matrix_product_newest_left", grade_id="n02b_cell_path_jacobian",
         why="multiplies the full diagonal matrices, newest on the left, J = diag(f_t) @ J, with np.matmul",
         source='''import numpy as np


def cell_path_jacobian(caches):
    batch, u = caches[0]["f"].shape
    J = np.broadcast_to(np.eye(u), (batch, u, u)).copy()
    for cache in caches:
        step = np.zeros((batch, u, u))
        idx = np.arange(u)
        step[:, idx, idx] = cache["f"]
        J = np.matmul(step, J)
    return J
'''),
    dict(name="log_sum_and_np_diag", grade_id="n02b_cell_path_jacobian",
         why="exp of the summed log forget gates, np.diag per sequence, a list stacked",
         source='''import numpy as np


def cell_path_jacobian(caches):
    logs = sum(np.log(c["f"]) for c in caches)
    return np.stack([np.diag(row) for row in np.exp(logs)])
'''),
]
