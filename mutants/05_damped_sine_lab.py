"""Mutation bank of 05_damped_sine_lab: wrong answers as students really write them.

Instructor side only (never in the student bundle).  `make mutants` grades each one.
"""

MUTANTS = [
    # --- generate_examples(length, n_patterns, output, rng) -------------------------------
    dict(name="off-by-one split", grade_id="n05_generate_examples",
         why="y = series[length-1 : length-1+output]: the target starts with the last input value",
         source='''def generate_examples(length, n_patterns, output, rng):
    X = np.empty((n_patterns, length, 1), dtype=np.float32)
    y = np.empty((n_patterns, output), dtype=np.float32)
    for k in range(n_patterns):
        period = int(rng.integers(10, 21))
        decay = float(rng.uniform(0.01, 0.1))
        series = generate_sequence(length + output, period, decay)
        X[k, :, 0] = series[:length]
        y[k] = series[length - 1:length - 1 + output]
    return X, y'''),
    dict(name="target taken from the input window", grade_id="n05_generate_examples",
         why="generates only `length` steps and takes y = the last `output` of them",
         source='''def generate_examples(length, n_patterns, output, rng):
    X = np.empty((n_patterns, length, 1), dtype=np.float32)
    y = np.empty((n_patterns, output), dtype=np.float32)
    for k in range(n_patterns):
        period = int(rng.integers(10, 21))
        decay = float(rng.uniform(0.01, 0.1))
        series = generate_sequence(length, period, decay)
        X[k, :, 0] = series
        y[k] = series[-output:]
    return X, y'''),
    dict(name="target restarts at step 0", grade_id="n05_generate_examples",
         why="y = generate_sequence(output, ...): a second series from i = 0, not the continuation",
         source='''def generate_examples(length, n_patterns, output, rng):
    X = np.empty((n_patterns, length, 1), dtype=np.float32)
    y = np.empty((n_patterns, output), dtype=np.float32)
    for k in range(n_patterns):
        period = int(rng.integers(10, 21))
        decay = float(rng.uniform(0.01, 0.1))
        X[k, :, 0] = generate_sequence(length, period, decay)
        y[k] = generate_sequence(output, period, decay)
    return X, y'''),
    dict(name="period 20 never drawn", grade_id="n05_generate_examples",
         why="rng.integers(10, 20) excludes the upper bound: periods 10..19 only",
         source='''def generate_examples(length, n_patterns, output, rng):
    X = np.empty((n_patterns, length, 1), dtype=np.float32)
    y = np.empty((n_patterns, output), dtype=np.float32)
    for k in range(n_patterns):
        period = int(rng.integers(10, 20))
        decay = float(rng.uniform(0.01, 0.1))
        series = generate_sequence(length + output, period, decay)
        X[k, :, 0] = series[:length]
        y[k] = series[length:]
    return X, y'''),
    dict(name="non-integer period", grade_id="n05_generate_examples",
         why="period = rng.uniform(10, 20): the periods must be integers",
         source='''def generate_examples(length, n_patterns, output, rng):
    X = np.empty((n_patterns, length, 1), dtype=np.float32)
    y = np.empty((n_patterns, output), dtype=np.float32)
    for k in range(n_patterns):
        period = rng.uniform(10, 20)
        decay = rng.uniform(0.01, 0.1)
        series = generate_sequence(length + output, period, decay)
        X[k, :, 0] = series[:length]
        y[k] = series[length:]
    return X, y'''),
    dict(name="global np.random instead of rng", grade_id="n05_generate_examples",
         why="np.random.randint / np.random.uniform: the same rng no longer gives the same examples",
         source='''def generate_examples(length, n_patterns, output, rng):
    X, y = [], []
    for k in range(n_patterns):
        period = np.random.randint(10, 21)
        decay = np.random.uniform(0.01, 0.1)
        series = generate_sequence(length + output, period, decay)
        X.append(series[:length])
        y.append(series[length:])
    return np.array(X, dtype=np.float32)[..., None], np.array(y, dtype=np.float32)'''),
    dict(name="one wave shape for all patterns", grade_id="n05_generate_examples",
         why="period and decay drawn once, before the loop: every example is the same wave",
         source='''def generate_examples(length, n_patterns, output, rng):
    period = int(rng.integers(10, 21))
    decay = float(rng.uniform(0.01, 0.1))
    series = generate_sequence(length + output, period, decay)
    X = np.tile(series[:length], (n_patterns, 1))[..., None].astype(np.float32)
    y = np.tile(series[length:], (n_patterns, 1)).astype(np.float32)
    return X, y'''),
    dict(name="no feature axis", grade_id="n05_generate_examples",
         why="X of shape (n, length): Keras' LSTM wants (n, length, 1)",
         source='''def generate_examples(length, n_patterns, output, rng):
    X = np.empty((n_patterns, length), dtype=np.float32)
    y = np.empty((n_patterns, output), dtype=np.float32)
    for k in range(n_patterns):
        series = generate_sequence(length + output, int(rng.integers(10, 21)), float(rng.uniform(0.01, 0.1)))
        X[k] = series[:length]
        y[k] = series[length:]
    return X, y'''),
    dict(name="float64 arrays", grade_id="n05_generate_examples",
         why="np.array of Python lists: float64, not the float32 the statement asks for",
         source='''def generate_examples(length, n_patterns, output, rng):
    X, y = [], []
    for k in range(n_patterns):
        series = generate_sequence(length + output, int(rng.integers(10, 21)), float(rng.uniform(0.01, 0.1)))
        X.append(series[:length])
        y.append(series[length:])
    return np.array(X)[..., None], np.array(y)'''),
    # --- persistence_forecast(X, output) ---------------------------------------------------
    dict(name="first value repeated", grade_id="n05_persistence",
         why="X[:, 0] instead of X[:, -1]: repeats the oldest value, not the last",
         source='''def persistence_forecast(X, output):
    X = np.asarray(X)
    return np.repeat(X[:, 0, :], output, axis=1)'''),
    dict(name="second-to-last value", grade_id="n05_persistence",
         why="off by one at the end of the window: X[:, -2]",
         source='''def persistence_forecast(X, output):
    X = np.asarray(X)
    return np.repeat(X[:, -2, :], output, axis=1)'''),
    dict(name="not repeated", grade_id="n05_persistence",
         why="returns X[:, -1] of shape (n, 1) and relies on broadcasting",
         source='''def persistence_forecast(X, output):
    return np.asarray(X)[:, -1, :]'''),
    dict(name="window mean", grade_id="n05_persistence",
         why="repeats the mean of the window (a climatology forecast), not the last value",
         source='''def persistence_forecast(X, output):
    X = np.asarray(X)
    return np.repeat(X.mean(axis=1), output, axis=1)'''),
    # --- linear_forecast(X, output) --------------------------------------------------------
    dict(name="step counter starts at 0", grade_id="n05_linear",
         why="j = np.arange(output): the first forecast repeats the last value",
         source='''def linear_forecast(X, output):
    X = np.asarray(X)
    return X[:, -1, :] + np.arange(output) * (X[:, -1, :] - X[:, -2, :])'''),
    dict(name="slope with the wrong sign", grade_id="n05_linear",
         why="slope = X[-2] - X[-1]: extrapolates backwards",
         source='''def linear_forecast(X, output):
    X = np.asarray(X)
    return X[:, -1, :] + np.arange(1, output + 1) * (X[:, -2, :] - X[:, -1, :])'''),
    dict(name="slope over the whole window", grade_id="n05_linear",
         why="(last - first) / (T - 1): the average trend, not the last slope",
         source='''def linear_forecast(X, output):
    X = np.asarray(X)
    slope = (X[:, -1, :] - X[:, 0, :]) / (X.shape[1] - 1)
    return X[:, -1, :] + np.arange(1, output + 1) * slope'''),
    dict(name="one step of slope for every step", grade_id="n05_linear",
         why="forgets the factor j: every forecast step is last + slope",
         source='''def linear_forecast(X, output):
    X = np.asarray(X)
    nxt = 2 * X[:, -1, :] - X[:, -2, :]
    return np.repeat(nxt, output, axis=1)'''),
    # --- build_model(length, output, units=32) --------------------------------------------
    dict(name="first LSTM without return_sequences", grade_id="n05_build_model",
         why="the first layer hands only h_T up; the second LSTM gets a 2-D input",
         source='''def build_model(length, output, units=32):
    model = keras.Sequential([keras.Input(shape=(length, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.LSTM(units), keras.layers.LSTM(units), keras.layers.Dense(output)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return model'''),
    dict(name="return_sequences on both LSTMs", grade_id="n05_build_model",
         why="copy-pasted layer: the Dense head then forecasts at every time step, (batch, length, output)",
         source='''def build_model(length, output, units=32):
    model = keras.Sequential([keras.Input(shape=(length, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.LSTM(units, return_sequences=True),
                              keras.layers.LSTM(units, return_sequences=True), keras.layers.Dense(output)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return model'''),
    dict(name="one LSTM layer", grade_id="n05_build_model",
         why="not stacked: a single LSTM then the Dense head",
         source='''def build_model(length, output, units=32):
    model = keras.Sequential([keras.Input(shape=(length, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.LSTM(units), keras.layers.Dense(output)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return model'''),
    dict(name="single-step head", grade_id="n05_build_model",
         why="Dense(1) as in lab 04: one forecast step instead of `output`",
         source='''def build_model(length, output, units=32):
    model = keras.Sequential([keras.Input(shape=(length, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.LSTM(units, return_sequences=True), keras.layers.LSTM(units),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return model'''),
    dict(name="hard-coded lab sizes", grade_id="n05_build_model",
         why="Input(shape=(30, 1)), Dense(5) and LSTM(32): ignores length, output and units",
         source='''def build_model(length, output, units=32):
    model = keras.Sequential([keras.Input(shape=(30, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.LSTM(32, return_sequences=True), keras.layers.LSTM(32),
                              keras.layers.Dense(5)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return model'''),
    dict(name="no rescaling layer", grade_id="n05_build_model",
         why="feeds the [0, 1] series straight into the LSTM, skipping Rescaling(2, offset=-1)",
         source='''def build_model(length, output, units=32):
    model = keras.Sequential([keras.Input(shape=(length, 1)),
                              keras.layers.LSTM(units, return_sequences=True), keras.layers.LSTM(units),
                              keras.layers.Dense(output)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
    return model'''),
    dict(name="mean absolute error loss", grade_id="n05_build_model",
         why="loss='mae': another loss than the mean squared error asked for",
         source='''def build_model(length, output, units=32):
    model = keras.Sequential([keras.Input(shape=(length, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.LSTM(units, return_sequences=True), keras.layers.LSTM(units),
                              keras.layers.Dense(output)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mae")
    return model'''),
    dict(name="Adam's default learning rate", grade_id="n05_build_model",
         why="optimizer='adam': learning rate 1e-3, not the 0.01 asked for",
         source='''def build_model(length, output, units=32):
    model = keras.Sequential([keras.Input(shape=(length, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.LSTM(units, return_sequences=True), keras.layers.LSTM(units),
                              keras.layers.Dense(output)])
    model.compile(optimizer="adam", loss="mse")
    return model'''),
    # --- train(model, X, y, X_val, y_val, epochs=16) ---------------------------------------
    dict(name="no validation data", grade_id="n05_train", slow=True,
         why="model.fit without validation_data: no val_loss to watch",
         source='''def train(model, X, y, X_val, y_val, epochs=16):
    return model.fit(X, y, epochs=epochs, batch_size=64, verbose=1)'''),
    dict(name="epochs not passed", grade_id="n05_train", slow=True,
         why="forgets epochs=epochs: Keras trains a single epoch",
         source='''def train(model, X, y, X_val, y_val, epochs=16):
    return model.fit(X, y, batch_size=64, validation_data=(X_val, y_val), verbose=1)'''),
    dict(name="whole set as one batch", grade_id="n05_train", slow=True,
         why="batch_size=len(X): one update per epoch, 16 updates in all",
         source='''def train(model, X, y, X_val, y_val, epochs=16):
    return model.fit(X, y, epochs=epochs, batch_size=len(X), validation_data=(X_val, y_val), verbose=1)'''),
    dict(name="targets from the input window", grade_id="n05_train", slow=True,
         why="fits on X's last steps as targets (y's width) instead of y",
         source='''def train(model, X, y, X_val, y_val, epochs=16):
    H = y.shape[1]
    return model.fit(X, X[:, -H:, 0], epochs=epochs, batch_size=64,
                     validation_data=(X_val, X_val[:, -H:, 0]), verbose=1)'''),
    dict(name="validated on the training data", grade_id="n05_train", slow=True,
         why="validation_data=(X, y): the val_loss then measures nothing held out",
         source='''def train(model, X, y, X_val, y_val, epochs=16):
    return model.fit(X, y, epochs=epochs, batch_size=64, validation_data=(X, y), verbose=1)'''),
    dict(name="epochs hard-coded", grade_id="n05_train", slow=True,
         why="epochs=16 written into fit: the epochs argument is ignored",
         source='''def train(model, X, y, X_val, y_val, epochs=16):
    return model.fit(X, y, epochs=16, batch_size=64, validation_data=(X_val, y_val), verbose=1)'''),
    dict(name="no better than persistence at step 1", grade_id="n05_train", slow=True,
         why="fits on targets whose first step is the last input value (the off-by-one split in the "
             "first column only): good on average (RMSE 0.027), but as bad as persistence at step 1",
         source='''def train(model, X, y, X_val, y_val, epochs=16):
    y = np.array(y, copy=True)
    y[:, 0] = np.asarray(X)[:, -1, 0]
    return model.fit(X, y, epochs=epochs, batch_size=64, validation_data=(X_val, y_val), verbose=1)'''),
    # --- design_forecaster (its grade cell trains the design: slow) ------------------------
    dict(name="Exercise 4's model, over the budget", grade_id="n05_design", slow=True,
         why="the stacked LSTM(32): 12,837 parameters, over the budget of 4,000",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input(shape=(30, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.LSTM(32, return_sequences=True), keras.layers.LSTM(32),
                              keras.layers.Dense(5)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model, dict(epochs=16, batch_size=64)'''),
    dict(name="a linear model of the window", grade_id="n05_design", slow=True,
         why="Flatten then Dense(5): one fixed linear map cannot follow every period and decay",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input(shape=(30, 1)), keras.layers.Flatten(), keras.layers.Dense(5)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model, dict(epochs=30, batch_size=64)'''),
    dict(name="too few epochs", grade_id="n05_design", slow=True,
         why="an LSTM(16) trained for 4 epochs",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input(shape=(30, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.LSTM(16), keras.layers.Dense(5)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model, dict(epochs=4, batch_size=64)'''),
    dict(name="no rescaling, default rate", grade_id="n05_design", slow=True,
         why="inputs left in [0, 1] and optimizer='adam' (0.001) for 8 epochs",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input(shape=(30, 1)), keras.layers.LSTM(16), keras.layers.Dense(5)])
    model.compile(optimizer="adam", loss="mse")
    return model, dict(epochs=8, batch_size=64)'''),
    dict(name="over the CPU budget", grade_id="n05_design", slow=True,
         why="batch size 1 for 50 epochs: stopped at 25 CPU seconds, and fails",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input(shape=(30, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.GRU(32), keras.layers.Dense(5)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model, dict(epochs=50, batch_size=1)'''),
    dict(name="one forecast step", grade_id="n05_design", slow=True,
         why="Dense(1): forecasts the next value only",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input(shape=(30, 1)), keras.layers.Rescaling(2.0, offset=-1.0),
                              keras.layers.GRU(32), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model, dict(epochs=20, batch_size=64)'''),
]
