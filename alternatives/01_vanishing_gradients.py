"""Alternatives bank of 01_vanishing_gradients: correct answers written differently, each must
keep every point of its exercise.

Every entry replaces the whole source of one solution cell (grade_id) of
source/01_vanishing_gradients/01_vanishing_gradients.ipynb (see alternatives/README.md).
"""

_BROKEN_SLOPE = '''def activation_derivative(a, activation="tanh"):
    """A WRONG Exercise 1 (the output form fed with the input): Exercise 2 must not pay for it."""
    a = np.asarray(a, dtype=float)
    return 1 - a ** 2 if activation == "tanh" else a * (1 - a)


'''

ALTERNATIVES = [
    # ------------------------------------------------------------ activation_derivative
    dict(name="float32_arithmetic", grade_id="n01_activation_derivative",
         why="computes in float32 (as Keras does): 1 - tanh^2 loses ~1e-7 to cancellation; the sigmoid from "
             "exp(-|a|), which cannot overflow even in float32",
         source='''def activation_derivative(a, activation="tanh"):
    a = np.asarray(a, dtype=np.float32)
    if activation == "tanh":
        return 1 - np.tanh(a) ** 2
    s = 1 / (1 + np.exp(-np.abs(a)))          # sigma(|a|); sigma' is even in a
    return s * (1 - s)
'''),
    dict(name="sech_squared_and_half_angle", grade_id="n01_activation_derivative",
         why="tanh' = 1 / cosh^2(a), with a clipped to |a| <= 300 so that cosh^2 stays finite (the slope is 0 "
             "there anyway); sigma' = (1 - tanh^2(a / 2)) / 4, from sigma(a) = (1 + tanh(a / 2)) / 2",
         source='''def activation_derivative(a, activation="tanh"):
    a = np.asarray(a, dtype=float)
    if activation == "tanh":
        return 1.0 / np.cosh(np.clip(a, -300, 300)) ** 2
    if activation == "sigmoid":
        return (1.0 - np.tanh(a / 2) ** 2) / 4
    raise ValueError(activation)
'''),
    dict(name="stable_exponentials", grade_id="n01_activation_derivative",
         why="writes both slopes with e = exp(-|a|), which never overflows: "
             "sigma' = e / (1 + e)^2, tanh' = 4 e^2 / (1 + e^2)^2",
         source='''def activation_derivative(a, activation="tanh"):
    a = np.asarray(a, dtype=float)
    if activation == "tanh":
        e2 = np.exp(-2 * np.abs(a))
        return 4 * e2 / (1 + e2) ** 2
    e = np.exp(-np.abs(a))
    return e / (1 + e) ** 2
'''),
    dict(name="python_loop_over_elements", grade_id="n01_activation_derivative",
         why="a loop over the elements with the math module, reshaped back (no vectorisation)",
         source='''import math


def activation_derivative(a, activation="tanh"):
    a = np.asarray(a, dtype=float)
    out = np.empty(a.shape)
    for index, value in np.ndenumerate(a):
        if activation == "tanh":
            out[index] = 1 - math.tanh(value) ** 2
        else:
            e = math.exp(-abs(value))              # math.exp(1000) raises OverflowError: use |a|
            out[index] = e / (1 + e) ** 2
    return out
'''),

    dict(name="overflow_silenced_with_errstate", grade_id="n01_activation_derivative",
         why="keeps the textbook sigmoid and silences the harmless overflow of np.exp(1000) on purpose with "
             "np.errstate: no warning reaches the caller, and the slope (0) is right",
         source='''def activation_derivative(a, activation="tanh"):
    a = np.asarray(a, dtype=float)
    if activation == "tanh":
        return 1 - np.tanh(a) ** 2
    with np.errstate(over="ignore"):
        s = 1 / (1 + np.exp(-a))
    return s * (1 - s)
'''),

    # ------------------------------------------------------------ jacobian_product
    dict(name="slope_inlined", grade_id="n01_jacobian_product",
         why="does not call activation_derivative: the slope is computed inline from the new state (1 - h^2, h (1 - h))",
         source='''def jacobian_product(U, W, b, xs, h0, activation="tanh"):
    U, W, b = (np.asarray(m, dtype=float) for m in (U, W, b))
    h = np.asarray(h0, dtype=float)
    J = np.eye(len(h))
    for x_t in np.asarray(xs, dtype=float):
        a = x_t @ W + h @ U + b
        if activation == "tanh":
            h = np.tanh(a)
            slope = 1 - h ** 2
        else:
            h = 1 / (1 + np.exp(-a))
            slope = h * (1 - h)
        J = np.diag(slope) @ U.T @ J
    return J
'''),
    dict(name="float32_arithmetic", grade_id="n01_jacobian_product",
         why="runs the recurrence and the product in float32",
         source='''def jacobian_product(U, W, b, xs, h0, activation="tanh"):
    U, W, b, xs = (np.asarray(m, dtype=np.float32) for m in (U, W, b, xs))
    h = np.asarray(h0, dtype=np.float32)
    J = np.eye(len(h), dtype=np.float32)
    for x_t in xs:
        a = x_t @ W + h @ U + b
        h = np.tanh(a) if activation == "tanh" else 1 / (1 + np.exp(-a))
        J = (activation_derivative(a, activation).astype(np.float32)[:, None] * U.T) @ J
    return J
'''),
    dict(name="transposed_accumulation", grade_id="n01_jacobian_product",
         why="accumulates the transpose in row-vector order, J^T = (U diag f'(a_1)) ... (U diag f'(a_T)), "
             "and transposes at the end",
         source='''def jacobian_product(U, W, b, xs, h0, activation="tanh"):
    U, W, b = (np.asarray(m, dtype=float) for m in (U, W, b))
    h = np.asarray(h0, dtype=float)
    JT = np.eye(len(h))
    for x_t in np.asarray(xs, dtype=float):
        a = x_t @ W + h @ U + b
        h = np.tanh(a) if activation == "tanh" else 1 / (1 + np.exp(-a))
        JT = JT @ (U * activation_derivative(a, activation)[None, :])
    return JT.T
'''),
    dict(name="einsum_then_reduce", grade_id="n01_jacobian_product",
         why="stores every J_t (built with np.einsum) and multiplies them at the end with functools.reduce",
         source='''from functools import reduce


def jacobian_product(U, W, b, xs, h0, activation="tanh"):
    U, W, b = (np.asarray(m, dtype=float) for m in (U, W, b))
    h = np.asarray(h0, dtype=float)
    factors = []
    for x_t in np.asarray(xs, dtype=float):
        a = x_t @ W + h @ U + b
        h = np.tanh(a) if activation == "tanh" else 1 / (1 + np.exp(-a))
        factors.append(np.einsum("i,ji->ij", activation_derivative(a, activation), U))
    return reduce(np.matmul, reversed(factors), np.eye(len(h)))
'''),
    dict(name="correct_product_over_a_wrong_exercise_1", grade_id="n01_jacobian_product",
         why="no cascade: a correct jacobian_product that calls activation_derivative, while the notebook's "
             "activation_derivative is WRONG (Exercise 1 loses its points, Exercise 2 keeps all of its own)",
         source=_BROKEN_SLOPE + '''def jacobian_product(U, W, b, xs, h0, activation="tanh"):
    U, W, b = (np.asarray(m, dtype=float) for m in (U, W, b))
    h = np.asarray(h0, dtype=float)
    J = np.eye(len(h))
    for x_t in np.asarray(xs, dtype=float):
        a = x_t @ W + h @ U + b
        h = np.tanh(a) if activation == "tanh" else 1 / (1 + np.exp(-a))
        J = np.diag(activation_derivative(a, activation)) @ U.T @ J
    return J
'''),

    # ------------------------------------------------------------ steps_to_vanish
    dict(name="floor_plus_one_numpy_float", grade_id="n01_steps_to_vanish",
         why="closed form floor(log tol / log q) + 1, returned as the np.float64 that np.floor gives",
         source='''def steps_to_vanish(U, activation="tanh", tol=1e-6):
    q = (0.25 if activation == "sigmoid" else 1.0) * np.linalg.norm(np.asarray(U, dtype=float), 2)
    if q >= 1:
        return None
    if q == 0:
        return 1
    return np.floor(np.log(tol) / np.log(q)) + 1
'''),
    dict(name="math_log_int", grade_id="n01_steps_to_vanish",
         why="math.log with a base and math.floor, sigma_max from the singular values, a Python int",
         source='''import math


def steps_to_vanish(U, activation="tanh", tol=1e-6):
    gamma = {"tanh": 1.0, "sigmoid": 0.25}[activation]
    q = gamma * float(np.linalg.svd(np.asarray(U, dtype=float), compute_uv=False).max())
    if q >= 1:
        return None
    return 1 if q == 0 else math.floor(math.log(tol, q)) + 1
'''),
    dict(name="running_product_numpy_int", grade_id="n01_steps_to_vanish",
         why="multiplies the bound step by step (p *= q) and returns a NumPy integer",
         source='''def steps_to_vanish(U, activation="tanh", tol=1e-6):
    q = np.linalg.norm(np.asarray(U, dtype=float), ord=2) / (4 if activation == "sigmoid" else 1)
    if q >= 1:
        return None
    T, p = 1, q
    while not p < tol:
        T, p = T + 1, p * q
    return np.int64(T)
'''),
    dict(name="ceil_then_fix_the_boundary", grade_id="n01_steps_to_vanish",
         why="starts from ceil(log tol / log q) and steps past the boundary where q^n == tol",
         source='''def steps_to_vanish(U, activation="tanh", tol=1e-6):
    q = (1.0 if activation == "tanh" else 0.25) * np.linalg.svd(np.asarray(U, dtype=float), compute_uv=False)[0]
    if q >= 1:
        return None
    if q == 0:
        return 1
    n = max(1, int(np.ceil(np.log(tol) / np.log(q))))
    while q ** n >= tol:
        n += 1
    return n
'''),

    # ------------------------------------------------------------ input_gradient_norms
    dict(name="variable_and_numpy_norm", grade_id="n01_input_gradient_norms",
         why="wraps x in a tf.Variable (the tape watches it without being asked) and takes the norm in NumPy",
         source='''def input_gradient_norms(model, x, y):
    xv = tf.Variable(np.asarray(x, dtype=np.float32))
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(y, model(xv))
    g = tape.gradient(loss, xv).numpy()
    return np.sqrt((g.astype(float) ** 2).sum(axis=(0, 2)))
'''),
    dict(name="explicit_mse_and_tf_norm", grade_id="n01_input_gradient_norms",
         why="writes the loss as tf.reduce_mean(tf.square(...)) and the norm with tf.norm over axes (0, 2)",
         source='''def input_gradient_norms(model, x, y):
    x = tf.constant(x, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_mean(tf.square(model(x) - tf.cast(y, tf.float32)))
    grad = tape.gradient(loss, x)
    return tf.norm(grad, axis=[0, 2]).numpy()
'''),
    dict(name="per_sample_losses_averaged_einsum", grade_id="n01_input_gradient_norms",
         why="keras.losses.mean_squared_error (one loss per sample) then the mean; the norm by np.einsum",
         source='''def input_gradient_norms(model, x, y):
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_mean(keras.losses.mean_squared_error(y, model(x)))
    g = tape.gradient(loss, x).numpy().astype(np.float64)
    return np.sqrt(np.einsum("btj,btj->t", g, g))
'''),
    dict(name="loop_over_steps_as_list", grade_id="n01_input_gradient_norms",
         why="one np.linalg.norm per time step in a Python loop, model called with training=False",
         source='''def input_gradient_norms(model, x, y):
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = keras.losses.MeanSquaredError()(y, model(x, training=False))
    g = tape.gradient(loss, x).numpy()
    return np.array([np.linalg.norm(g[:, t, :]) for t in range(g.shape[1])])
'''),

    # ------------------------------------------------------------ clip_by_global_norm
    dict(name="concatenate_then_tuple", grade_id="n01_clip_by_global_norm",
         why="the norm of all entries concatenated (np.linalg.norm, an np.float64); returns tuples",
         source='''def clip_by_global_norm(grads, theta):
    flat = np.concatenate([np.ravel(g) for g in grads]) if grads else np.zeros(0)
    norm = np.linalg.norm(flat)
    factor = theta / norm if norm > theta else 1.0
    return tuple(np.asarray(g) * factor for g in grads), norm
'''),
    dict(name="inputs_returned_when_unclipped", grade_id="n01_clip_by_global_norm",
         why="returns the caller's own arrays (not copies) when no clipping is needed, which modifies nothing; "
             "math.sqrt and a Python float",
         source='''import math


def clip_by_global_norm(grads, theta):
    norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    if norm <= theta:
        return list(grads), norm
    return [g * (theta / norm) for g in grads], norm
'''),
    dict(name="float32_arithmetic", grade_id="n01_clip_by_global_norm",
         why="computes in float32 and returns an np.float32 norm",
         source='''def clip_by_global_norm(grads, theta):
    arrays = [np.asarray(g, dtype=np.float32) for g in grads]
    norm = np.sqrt(np.sum([np.sum(g * g) for g in arrays], dtype=np.float32))
    scale = np.float32(theta) / norm if norm > theta else np.float32(1)
    return [g * scale for g in arrays], norm
'''),
    dict(name="loop_fsum_multiply", grade_id="n01_clip_by_global_norm",
         why="an explicit loop with math.fsum, np.multiply into fresh arrays, a list built by append",
         source='''import math


def clip_by_global_norm(grads, theta):
    squares = []
    for g in grads:
        squares.extend(np.square(np.asarray(g, dtype=float)).ravel().tolist())
    norm = math.sqrt(math.fsum(squares))
    scale = 1.0 if norm <= theta else theta / norm
    clipped = []
    for g in grads:
        clipped.append(np.multiply(g, scale))
    return clipped, norm
'''),
]
