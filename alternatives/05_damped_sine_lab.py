"""Alternatives bank of 05_damped_sine_lab: correct answers written differently.

Instructor side only (never in the student bundle).  `make alternatives` grades each one; every
entry must keep full marks on its exercise (see alternatives/README.md).
"""

ALTERNATIVES = [
    # --- generate_examples(length, n_patterns, output, rng) -------------------------------
    dict(name="vectorised, periods first", grade_id="n05_generate_examples",
         why="draws all the periods, then all the decays (the other order), and evaluates the "
             "formula for every example at once, in float64, cast at the end",
         source='''def generate_examples(length, n_patterns, output, rng):
    periods = rng.integers(10, 21, size=(n_patterns, 1))
    decays = rng.uniform(0.01, 0.1, size=(n_patterns, 1))
    i = np.arange(length + output)
    series = 0.5 + 0.5 * np.sin(2 * np.pi * i / periods) * np.exp(-decays * i)   # (n, T + H)
    return series[:, :length, None].astype(np.float32), series[:, length:].astype(np.float32)'''),
    dict(name="lists, numpy scalars, returns a list", grade_id="n05_generate_examples",
         why="keeps rng's numpy scalars (np.int64 period, np.float64 decay), appends to lists, "
             "stacks at the end and returns [X, y] as a list",
         source='''def generate_examples(length, n_patterns, output, rng):
    xs, ys = [], []
    for _ in range(n_patterns):
        period = rng.integers(10, 21)
        decay = rng.uniform(0.01, 0.1)
        series = generate_sequence(length + output, period, decay)
        xs.append(series[:length].reshape(length, 1))
        ys.append(series[length:])
    return [np.stack(xs).astype(np.float32), np.stack(ys).astype(np.float32)]'''),
    dict(name="endpoint=True and a scaled random()", grade_id="n05_generate_examples",
         why="rng.integers(10, 20, endpoint=True) and 0.01 + 0.09 * rng.random(): the same "
             "distributions written another way; the math module instead of the helper",
         source='''def generate_examples(length, n_patterns, output, rng):
    X = np.zeros((n_patterns, length, 1), dtype="float32")
    y = np.zeros((n_patterns, output), dtype="float32")
    for k in range(n_patterns):
        p = rng.integers(10, 20, endpoint=True)
        lam = 0.01 + 0.09 * rng.random()
        s = [0.5 + 0.5 * math.sin(2 * math.pi * i / p) * math.exp(-lam * i) for i in range(length + output)]
        X[k, :, 0] = s[:length]
        y[k, :] = s[length:]
    return X, y'''),
    # --- persistence_forecast(X, output) ---------------------------------------------------
    dict(name="np.tile", grade_id="n05_persistence",
         why="tiles the (n, 1) last column output times",
         source='''def persistence_forecast(X, output):
    return np.tile(np.asarray(X)[:, -1, :], (1, output))'''),
    dict(name="row loop, float64", grade_id="n05_persistence",
         why="a Python loop over the examples, building float64 rows",
         source='''def persistence_forecast(X, output):
    X = np.asarray(X, dtype=np.float64)
    rows = []
    for k in range(X.shape[0]):
        rows.append([X[k, X.shape[1] - 1, 0]] * output)
    return np.array(rows, dtype=np.float64).reshape(X.shape[0], output)'''),
    dict(name="broadcast view", grade_id="n05_persistence",
         why="np.broadcast_to: a read-only view of the last column, no copy",
         source='''def persistence_forecast(X, output):
    X = np.asarray(X)
    return np.broadcast_to(X[:, -1:, 0], (X.shape[0], output))'''),
    dict(name="ones times the last value", grade_id="n05_persistence",
         why="the last value as a column times a row of ones",
         source='''def persistence_forecast(X, output):
    last = np.asarray(X)[:, -1, 0]
    return last[:, None] * np.ones(output)'''),
    dict(name="float32", grade_id="n05_persistence",
         why="casts the window to float32 (Keras' dtype) before repeating the last value",
         source='''def persistence_forecast(X, output):
    last = np.asarray(X, dtype=np.float32)[:, -1]            # (n, 1)
    return np.repeat(last, output, axis=-1)'''),
    # --- linear_forecast(X, output) --------------------------------------------------------
    dict(name="double loop", grade_id="n05_linear",
         why="loops over examples and steps, entry by entry",
         source='''def linear_forecast(X, output):
    X = np.asarray(X)
    out = np.empty((X.shape[0], output), dtype=np.float64)
    for k in range(X.shape[0]):
        a, b = X[k, -2, 0], X[k, -1, 0]
        for j in range(1, output + 1):
            out[k, j - 1] = b + j * (b - a)
    return out'''),
    dict(name="np.outer and np.diff", grade_id="n05_linear",
         why="the slope from np.diff of the last two values, the steps by np.outer",
         source='''def linear_forecast(X, output):
    X = np.asarray(X, dtype=np.float64)
    slope = np.diff(X[:, -2:, 0], axis=1)[:, 0]            # (n,)
    return X[:, -1, 0][:, None] + np.outer(slope, np.arange(1, output + 1))'''),
    dict(name="einsum, float32", grade_id="n05_linear",
         why="np.einsum for the outer product, kept in float32",
         source='''def linear_forecast(X, output):
    X = np.asarray(X, dtype=np.float32)
    last, prev = X[:, -1, 0], X[:, -2, 0]
    j = np.arange(1, output + 1, dtype=np.float32)
    return last[:, None] + np.einsum("n,h->nh", last - prev, j)'''),
    # --- build_model(length, output, units=32) --------------------------------------------
    dict(name="functional API", grade_id="n05_build_model",
         why="keras.Model(inputs, outputs) instead of keras.Sequential",
         source='''def build_model(length, output, units=32):
    inputs = keras.Input(shape=(length, 1))
    x = keras.layers.Rescaling(2.0, offset=-1.0)(inputs)
    x = keras.layers.LSTM(units, return_sequences=True)(x)
    x = keras.layers.LSTM(units)(x)
    outputs = keras.layers.Dense(output)(x)
    model = keras.Model(inputs, outputs, name="stacked_lstm")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mean_squared_error")
    return model'''),
    dict(name="functional API, keywords, a named Input", grade_id="n05_build_model",
         why="keras.Model(inputs=..., outputs=...) with a named keras.Input, loss as an object: "
             "model.layers then starts with an InputLayer (section 6's layer walk must skip it)",
         source='''def build_model(length, output, units=32):
    window = keras.Input(shape=(length, 1), name="window")
    centred = keras.layers.Rescaling(scale=2.0, offset=-1.0)(window)
    seq = keras.layers.LSTM(units, return_sequences=True)(centred)
    last = keras.layers.LSTM(units)(seq)
    model = keras.Model(inputs=window, outputs=keras.layers.Dense(output)(last))
    model.compile(loss=keras.losses.MeanSquaredError(), optimizer=keras.optimizers.Adam(learning_rate=0.01))
    return model'''),
    dict(name="loss as a function, .add()", grade_id="n05_build_model",
         why="model.add layer by layer; loss=keras.losses.mean_squared_error (the function)",
         source='''def build_model(length, output, units=32):
    model = keras.Sequential()
    model.add(keras.Input(shape=(length, 1)))
    model.add(keras.layers.Rescaling(scale=2, offset=-1))
    model.add(keras.layers.LSTM(units, return_sequences=True))
    model.add(keras.layers.LSTM(units, return_sequences=False))
    model.add(keras.layers.Dense(output, activation="linear"))
    model.compile(loss=keras.losses.mean_squared_error, optimizer=keras.optimizers.Adam(0.01))
    return model'''),
    dict(name="loss as an object", grade_id="n05_build_model",
         why="loss=keras.losses.MeanSquaredError(), activation=None written out",
         source='''def build_model(length, output, units=32):
    model = keras.Sequential([keras.Input(shape=(length, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.LSTM(units, return_sequences=True), keras.layers.LSTM(units),
                              keras.layers.Dense(output, activation=None)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-2), loss=keras.losses.MeanSquaredError())
    return model'''),
    dict(name="loss 'MSE' in capitals", grade_id="n05_build_model",
         why="loss='MSE', a string alias Keras accepts",
         source='''def build_model(length, output, units=32):
    layers = [keras.Input(shape=(length, 1)), keras.layers.Rescaling(2.0, offset=-1.0)]
    layers += [keras.layers.LSTM(units, return_sequences=True), keras.layers.LSTM(units)]
    model = keras.Sequential(layers + [keras.layers.Dense(output)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="MSE")
    return model'''),
    # --- train(model, X, y, X_val, y_val, epochs=16) ---------------------------------------
    dict(name="keywords, validation data as a list", grade_id="n05_train", slow=True,
         why="x=, y= keywords in another order; validation_data=[X_val, y_val], a list",
         source='''def train(model, X, y, X_val, y_val, epochs=16):
    history = model.fit(x=X, y=y, batch_size=64, epochs=epochs, verbose=1, validation_data=[X_val, y_val])
    return history'''),
    dict(name="numpy scalars, shuffle explicit", grade_id="n05_train", slow=True,
         why="batch_size as np.int64, shuffle=True written out, an empty callbacks list",
         source='''def train(model, X, y, X_val, y_val, epochs=16):
    return model.fit(np.asarray(X), np.asarray(y), epochs=int(epochs), batch_size=np.int64(64), shuffle=True,
                     validation_data=(np.asarray(X_val), np.asarray(y_val)), callbacks=[], verbose=1)'''),
    dict(name="validation batch size set", grade_id="n05_train", slow=True,
         why="validation_batch_size=256 (faster validation, the same loss) and initial_epoch=0",
         source='''def train(model, X, y, X_val, y_val, epochs=16):
    return model.fit(X, y, epochs=epochs, initial_epoch=0, batch_size=64, validation_data=(X_val, y_val),
                     validation_batch_size=256, verbose=1)'''),
    # --- design_forecaster (slow: the grade cell trains) --------------------------------
    dict(name="one LSTM(24), functional API, a list", grade_id="n05_design", slow=True,
         why="an LSTM instead of a GRU (2,621 parameters), the functional API, [model, fit_args]",
         source='''def design_forecaster():
    inputs = keras.Input(shape=(30, 1))
    h = keras.layers.LSTM(24)(keras.layers.Rescaling(2.0, offset=-1.0)(inputs))
    model = keras.Model(inputs, keras.layers.Dense(5)(h))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=keras.losses.MeanSquaredError())
    return [model, {"epochs": 20, "batch_size": 64}]'''),
    dict(name="GRU with early stopping on val_loss", grade_id="n05_design", slow=True,
         why="EarlyStopping(restore_best_weights) in fit_args, a metric, the loss as a string alias",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input((30, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.GRU(30), keras.layers.Dense(5)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mean_squared_error", metrics=["mae"])
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=4, restore_best_weights=True)
    return model, dict(epochs=24, batch_size=64, callbacks=[stop])'''),
    dict(name="a Normalization layer instead of Rescaling", grade_id="n05_design", slow=True,
         why="a Normalization layer with the mean 0.5 and variance 0.25 given, a GRU(28)",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input(shape=(30, 1)), keras.layers.Normalization(mean=0.5, variance=0.25),
                              keras.layers.GRU(28), keras.layers.Dense(5)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return model, dict(epochs=20, batch_size=64, shuffle=True)'''),
]
