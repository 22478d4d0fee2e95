"""Mutation bank of 01_vanishing_gradients: plausible wrong answers, each must lose points.

Every entry replaces the whole source of one solution cell (grade_id) of
source/01_vanishing_gradients/01_vanishing_gradients.ipynb.
"""

_ACT_HEAD = '''def activation_derivative(a, activation="tanh"):
    """Slope f'(a) of an activation, evaluated at the pre-activation a."""
    a = np.asarray(a, dtype=float)
'''

_JAC_HEAD = '''def jacobian_product(U, W, b, xs, h0, activation="tanh"):
    """d h_T / d h_0 of the recurrence h_t = f(x_t W + h_{t-1} U + b), for one sequence."""
    U, W, b = (np.asarray(m, dtype=float) for m in (U, W, b))
    h = np.asarray(h0, dtype=float)
    J = np.eye(len(h))
'''

_STEPS_HEAD = '''def steps_to_vanish(U, activation="tanh", tol=1e-6):
    """Smallest T >= 1 with (gamma * sigma_max(U))**T < tol, or None if gamma * sigma_max(U) >= 1."""
    U = np.asarray(U, dtype=float)
    gamma = 1.0 if activation == "tanh" else 0.25
'''

_STEPS_LOOP = '''    if q >= 1:
        return None
    T = 1
    while q ** T >= tol:
        T += 1
    return T
'''

_GRAD_HEAD = '''def input_gradient_norms(model, x, y):
    """Norm of d loss / d x_t for every time step t."""
    x = tf.convert_to_tensor(x, dtype=tf.float32)
'''

_CLIP_HEAD = '''def clip_by_global_norm(grads, theta):
    """Clip a list of gradient arrays by their global norm."""
'''


MUTANTS = [
    # ------------------------------------------------------------ activation_derivative
    dict(name="output_form_fed_with_input", grade_id="n01_activation_derivative",
         why="uses the output forms 1 - h^2 and h (1 - h) but plugs in the pre-activation a",
         source=_ACT_HEAD + '''    if activation == "tanh":
        return 1 - a ** 2
    return a * (1 - a)
'''),
    dict(name="slope_at_the_output", grade_id="n01_activation_derivative",
         why="evaluates the derivative at h = f(a) instead of at a (f'(h) instead of f'(a))",
         source=_ACT_HEAD + '''    sig = lambda v: np.exp(-np.logaddexp(0.0, -v))        # a sigmoid that never overflows
    if activation == "tanh":
        h = np.tanh(a)
        return 1 - np.tanh(h) ** 2
    h = sig(a)
    return sig(h) * (1 - sig(h))
'''),
    dict(name="tanh_missing_square", grade_id="n01_activation_derivative",
         why="writes tanh' as 1 - tanh(a), forgetting the square",
         source=_ACT_HEAD + '''    if activation == "tanh":
        return 1 - np.tanh(a)
    e = np.exp(-np.abs(a))
    return e / (1 + e) ** 2
'''),
    dict(name="sigmoid_denominator_not_squared", grade_id="n01_activation_derivative",
         why="differentiates 1/(1+e^-a) as e^-a / (1+e^-a), forgetting to square the denominator",
         source=_ACT_HEAD + '''    if activation == "tanh":
        return 1 - np.tanh(a) ** 2
    e = np.exp(-np.abs(a))
    return e / (1 + e)
'''),

    # ------------------------------------------------------------ jacobian_product
    dict(name="U_not_transposed", grade_id="n01_jacobian_product",
         why="column-vector habit: J_t = diag(f'(a_t)) U instead of diag(f'(a_t)) U.T",
         source=_JAC_HEAD + '''    for x_t in np.asarray(xs, dtype=float):
        a = x_t @ W + h @ U + b
        h = np.tanh(a) if activation == "tanh" else 1 / (1 + np.exp(-a))
        J = np.diag(activation_derivative(a, activation)) @ U @ J
    return J
'''),
    dict(name="slope_at_h_not_a", grade_id="n01_jacobian_product",
         why="evaluates f' at the new state h_t instead of at the pre-activation a_t",
         source=_JAC_HEAD + '''    for x_t in np.asarray(xs, dtype=float):
        a = x_t @ W + h @ U + b
        h = np.tanh(a) if activation == "tanh" else 1 / (1 + np.exp(-a))
        J = np.diag(activation_derivative(h, activation)) @ U.T @ J
    return J
'''),
    dict(name="product_in_the_wrong_order", grade_id="n01_jacobian_product",
         why="multiplies each new Jacobian on the right (J_1 J_2 ... J_T) instead of the left",
         source=_JAC_HEAD + '''    for x_t in np.asarray(xs, dtype=float):
        a = x_t @ W + h @ U + b
        h = np.tanh(a) if activation == "tanh" else 1 / (1 + np.exp(-a))
        J = J @ np.diag(activation_derivative(a, activation)) @ U.T
    return J
'''),
    dict(name="denominator_layout", grade_id="n01_jacobian_product",
         why="chains row-vector style (U diag(f') per step), which returns the transpose of dh_T/dh_0",
         source=_JAC_HEAD + '''    for x_t in np.asarray(xs, dtype=float):
        a = x_t @ W + h @ U + b
        h = np.tanh(a) if activation == "tanh" else 1 / (1 + np.exp(-a))
        J = J @ U @ np.diag(activation_derivative(a, activation))
    return J
'''),
    dict(name="bias_left_out", grade_id="n01_jacobian_product",
         why="drops the bias from the pre-activation (it does not multiply h, so 'it cannot matter')",
         source=_JAC_HEAD + '''    for x_t in np.asarray(xs, dtype=float):
        a = x_t @ W + h @ U
        h = np.tanh(a) if activation == "tanh" else 1 / (1 + np.exp(-a))
        J = np.diag(activation_derivative(a, activation)) @ U.T @ J
    return J
'''),

    # ------------------------------------------------------------ steps_to_vanish
    dict(name="frobenius_norm", grade_id="n01_steps_to_vanish",
         why="uses np.linalg.norm(U), the Frobenius norm, instead of the largest singular value",
         source=_STEPS_HEAD + '''    q = gamma * np.linalg.norm(U)
''' + _STEPS_LOOP),
    dict(name="spectral_radius", grade_id="n01_steps_to_vanish",
         why="uses the largest |eigenvalue| of U instead of its largest singular value",
         source=_STEPS_HEAD + '''    q = gamma * np.max(np.abs(np.linalg.eigvals(U)))
''' + _STEPS_LOOP),
    dict(name="gamma_one_for_sigmoid", grade_id="n01_steps_to_vanish",
         why="takes gamma = 1 for every activation (forgets that sigmoid' <= 1/4)",
         source='''def steps_to_vanish(U, activation="tanh", tol=1e-6):
    """Smallest T >= 1 with (gamma * sigma_max(U))**T < tol, or None if gamma * sigma_max(U) >= 1."""
    q = np.linalg.norm(np.asarray(U, dtype=float), 2)
''' + _STEPS_LOOP),
    dict(name="floor_off_by_one", grade_id="n01_steps_to_vanish",
         why="solves q^T = tol and rounds down, so (q^T) is still above tol",
         source=_STEPS_HEAD + '''    q = gamma * np.linalg.norm(U, 2)
    if q >= 1:
        return None
    return max(1, int(np.log(tol) / np.log(q)))
'''),

    # ------------------------------------------------------------ input_gradient_norms
    dict(name="reversed_time_axis", grade_id="n01_input_gradient_norms",
         why="returns the norms ordered by distance from the output instead of by time step",
         source=_GRAD_HEAD + '''    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = keras.losses.MeanSquaredError()(y, model(x))
    g = tape.gradient(loss, x).numpy()
    return np.sqrt((g ** 2).sum(axis=(0, 2)))[::-1]
'''),
    dict(name="per_sample_losses_summed", grade_id="n01_input_gradient_norms",
         why="uses keras.losses.mean_squared_error (one loss per sample), so the tape differentiates their sum",
         source=_GRAD_HEAD + '''    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = keras.losses.mean_squared_error(y, model(x))
    g = tape.gradient(loss, x).numpy()
    return np.sqrt((g ** 2).sum(axis=(0, 2)))
'''),
    dict(name="gradient_of_the_output", grade_id="n01_input_gradient_norms",
         why="differentiates the model output instead of the loss (y never used)",
         source=_GRAD_HEAD + '''    with tf.GradientTape() as tape:
        tape.watch(x)
        out = model(x)
    g = tape.gradient(out, x).numpy()
    return np.sqrt((g ** 2).sum(axis=(0, 2)))
'''),
    dict(name="mean_of_per_sample_norms", grade_id="n01_input_gradient_norms",
         why="takes the norm over features per sample, then averages over the batch",
         source=_GRAD_HEAD + '''    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = keras.losses.MeanSquaredError()(y, model(x))
    g = tape.gradient(loss, x)
    return tf.reduce_mean(tf.norm(g, axis=2), axis=0).numpy()
'''),
    dict(name="tape_not_watching_x", grade_id="n01_input_gradient_norms",
         why="forgets tape.watch on a constant input: the gradient is None",
         source=_GRAD_HEAD + '''    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(y, model(x))
    g = tape.gradient(loss, x)
    return tf.sqrt(tf.reduce_sum(tf.square(g), axis=[0, 2])).numpy()
'''),

    # ------------------------------------------------------------ clip_by_global_norm
    dict(name="per_tensor_clipping", grade_id="n01_clip_by_global_norm",
         why="clips each tensor to theta on its own (Keras' clipnorm) instead of by the global norm",
         source=_CLIP_HEAD + '''    out = []
    for g in grads:
        n = np.linalg.norm(g)
        out.append(g * theta / n if n > theta else np.array(g, dtype=float))
    norm = float(np.sqrt(sum(np.sum(np.square(g)) for g in grads)))
    return out, norm
'''),
    dict(name="always_rescale_to_theta", grade_id="n01_clip_by_global_norm",
         why="rescales to length theta even when the norm is already below theta",
         source=_CLIP_HEAD + '''    norm = float(np.sqrt(sum(np.sum(np.square(g)) for g in grads)))
    if norm == 0:
        return [np.array(g, dtype=float) for g in grads], 0.0
    return [np.asarray(g) * theta / norm for g in grads], norm
'''),
    dict(name="sum_of_tensor_norms", grade_id="n01_clip_by_global_norm",
         why="takes the global norm as the sum of the per-tensor norms",
         source=_CLIP_HEAD + '''    norm = float(sum(np.linalg.norm(g) for g in grads))
    scale = theta / norm if norm > theta else 1.0
    return [np.asarray(g) * scale for g in grads], norm
'''),
    dict(name="divides_by_zero_norm", grade_id="n01_clip_by_global_norm",
         why="computes min(1, theta / norm) and divides by zero on all-zero gradients",
         source=_CLIP_HEAD + '''    norm = float(np.sqrt(sum(np.sum(np.square(g)) for g in grads)))
    scale = min(1.0, theta / norm)
    return [np.asarray(g) * scale for g in grads], norm
'''),
    dict(name="returns_norm_after_clipping", grade_id="n01_clip_by_global_norm",
         why="returns the norm of the clipped gradients instead of the norm before clipping",
         source=_CLIP_HEAD + '''    norm = float(np.sqrt(sum(np.sum(np.square(g)) for g in grads)))
    scale = theta / norm if norm > theta else 1.0
    return [np.asarray(g) * scale for g in grads], norm * scale
'''),
    dict(name="clips_in_place", grade_id="n01_clip_by_global_norm",
         why="scales the caller's arrays in place (g *= scale) and returns them",
         source=_CLIP_HEAD + '''    norm = float(np.sqrt(sum(np.sum(np.square(g)) for g in grads)))
    if norm > theta:
        for g in grads:
            g *= theta / norm
    return list(grads), norm
'''),
    # ------------------------------------------------------------ the stated rules (issue 13)
    dict(name="slope_by_gradient_tape", grade_id="n01_activation_derivative",
         why="breaks 'NumPy only': correct slopes, computed with tf.GradientTape on tf.tanh / tf.sigmoid",
         source='''import tensorflow as tf


def activation_derivative(a, activation="tanh"):
    """Slope f'(a) of an activation, evaluated at the pre-activation a."""
    a = tf.constant(np.asarray(a, dtype=float))
    with tf.GradientTape() as tape:
        tape.watch(a)
        out = tf.tanh(a) if activation == "tanh" else tf.sigmoid(a)
    return tape.gradient(out, a).numpy()
'''),
    dict(name="slope_by_keras_ops", grade_id="n01_activation_derivative",
         why="breaks 'NumPy only': correct closed forms, but evaluated with keras.ops",
         source='''import keras


def activation_derivative(a, activation="tanh"):
    """Slope f'(a) of an activation, evaluated at the pre-activation a."""
    if activation == "tanh":
        slope = 1 - keras.ops.tanh(a) ** 2
    else:
        s = keras.ops.sigmoid(a)
        slope = s * (1 - s)
    return keras.ops.convert_to_numpy(slope)
'''),
    dict(name="textbook_sigmoid_overflows", grade_id="n01_activation_derivative",
         why="breaks 'must not warn': the textbook 1 / (1 + np.exp(-a)); at a = -1000 np.exp(1000) overflows "
             "(RuntimeWarning), though the slope it returns, 0, is right",
         source=_ACT_HEAD + '''    if activation == "tanh":
        return 1 - np.tanh(a) ** 2
    s = 1 / (1 + np.exp(-a))
    return s * (1 - s)
'''),
    dict(name="np_where_computes_both_branches", grade_id="n01_activation_derivative",
         why="breaks 'must not warn': picks the stable branch with np.where, but np.where evaluates np.exp(-a) "
             "and np.exp(a) everywhere, so both overflow somewhere",
         source=_ACT_HEAD + '''    if activation == "tanh":
        return 1 - np.tanh(a) ** 2
    s = np.where(a >= 0, 1 / (1 + np.exp(-a)), np.exp(a) / (1 + np.exp(a)))
    return s * (1 - s)
'''),
    dict(name="float32_closed_form_overflows", grade_id="n01_activation_derivative",
         why="breaks 'must not warn': tanh' = 4 e^(2a) / (1 + e^(2a))^2 in float32 overflows at a = 30 "
             "(RuntimeWarning), though the values it returns are within the tolerance",
         source=_ACT_HEAD + '''    a32 = a.astype(np.float32)
    if activation == "tanh":
        e = np.exp(2 * a32)
        return 4 * e / (1 + e) ** 2
    e = np.exp(a32)
    return e / (1 + e) ** 2
'''),
    dict(name="jacobian_by_gradient_tape", grade_id="n01_jacobian_product",
         why="breaks 'NumPy only': the correct Jacobian, taken by tf.GradientTape on a keras.layers.SimpleRNN "
             "given the weights with set_weights",
         source='''import tensorflow as tf
import keras


def jacobian_product(U, W, b, xs, h0, activation="tanh"):
    """d h_T / d h_0 of the recurrence h_t = f(x_t W + h_{t-1} U + b), for one sequence."""
    U, W, b, xs, h0 = (np.asarray(m, dtype=float) for m in (U, W, b, xs, h0))
    rnn = keras.layers.SimpleRNN(len(h0), activation=activation, dtype="float64")
    rnn.build((None, len(xs), W.shape[0]))
    rnn.set_weights([W, U, b])
    start = tf.constant(h0[None, :])
    with tf.GradientTape() as tape:
        tape.watch(start)
        last = rnn(tf.constant(xs[None]), initial_state=start)
    return tape.jacobian(last, start).numpy()[0, :, 0, :]
'''),
    dict(name="ceil_at_exact_boundary", grade_id="n01_steps_to_vanish",
         why="returns ceil(log tol / log q): when the ratio is exactly an integer n, q^n == tol is not below tol",
         source=_STEPS_HEAD + '''    q = gamma * np.linalg.norm(U, 2)
    if q >= 1:
        return None
    if q == 0:
        return 1
    return max(1, int(np.ceil(np.log(tol) / np.log(q))))
'''),
    dict(name="zero_rate_returns_none", grade_id="n01_steps_to_vanish",
         why="treats U = 0 (q = 0) as degenerate and returns None, although 0^1 = 0 < tol gives T = 1",
         source=_STEPS_HEAD + '''    q = gamma * np.linalg.norm(U, 2)
    if q >= 1 or q == 0:
        return None
    return int(np.floor(np.log(tol) / np.log(q))) + 1
'''),
    dict(name="zero_norm_warns", grade_id="n01_clip_by_global_norm",
         why="breaks 'no division by zero, no warning': min(1, theta / norm) with a NumPy norm gives inf and "
             "a RuntimeWarning on all-zero gradients (the values come out right)",
         source=_CLIP_HEAD + '''    norm = np.sqrt(sum(np.sum(np.square(g)) for g in grads))
    scale = np.minimum(1.0, theta / norm)
    return [np.asarray(g) * scale for g in grads], norm
'''),
]
