"""Mutation bank of 04_sine_lab: wrong answers as students really write them.

Instructor side only (never in the student bundle).  `make mutants` grades each one.
"""

MUTANTS = [
    # --- dataset(data, look_back) -------------------------------------------------------
    dict(name="off-by-one window count", grade_id="n04_dataset",
         why="loops to n - look_back - 1 and drops the last example",
         source='''def dataset(data, look_back):
    data = np.asarray(data, dtype=np.float32)
    X, y = [], []
    for i in range(len(data) - look_back - 1):
        X.append(data[i:i + look_back])
        y.append(data[i + look_back])
    return np.array(X), np.array(y)'''),
    dict(name="target taken from the input window", grade_id="n04_dataset",
         why="y[i] = data[i + look_back - 1], the last value of the window itself",
         source='''def dataset(data, look_back):
    data = np.asarray(data, dtype=np.float32)
    X = np.stack([data[i:i + look_back] for i in range(len(data) - look_back)])
    y = data[look_back - 1:-1]
    return X, y'''),
    dict(name="features flattened away", grade_id="n04_dataset",
         why="X built from data[:, 0]: works for one feature, wrong shape for several",
         source='''def dataset(data, look_back):
    data = np.asarray(data, dtype=np.float32)
    s = data[:, 0]
    X = np.stack([s[i:i + look_back] for i in range(len(s) - look_back)])[..., None]
    y = s[look_back:, None]
    return X, y'''),
    dict(name="window shifted by one", grade_id="n04_dataset",
         why="X[i] = data[i + 1 : i + 1 + look_back] with y[i] = data[i + look_back]",
         source='''def dataset(data, look_back):
    data = np.asarray(data, dtype=np.float32)
    n = len(data)
    X = np.stack([data[min(i + 1, n - look_back):min(i + 1, n - look_back) + look_back] for i in range(n - look_back)])
    y = data[look_back:]
    return X, y'''),
    dict(name="float64 output", grade_id="n04_dataset",
         why="breaks the stated float32 rule: keeps the dtype of the data (float64 here)",
         source='''def dataset(data, look_back):
    data = np.asarray(data)
    X = np.stack([data[i:i + look_back] for i in range(len(data) - look_back)])
    return X, data[look_back:]'''),
    # --- build_model ---------------------------------------------------------------------
    dict(name="sigmoid output layer", grade_id="n04_build_model",
         why="a classification habit: Dense(1, activation='sigmoid') cannot output sin(x) < 0",
         source='''def build_model(look_back, n_features=1, units=16):
    model = keras.Sequential([keras.Input(shape=(look_back, n_features)), keras.layers.LSTM(units),
                              keras.layers.Dense(n_features, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model'''),
    dict(name="return_sequences on the only LSTM", grade_id="n04_build_model",
         why="LSTM(units, return_sequences=True) then Dense: outputs a sequence, not one value",
         source='''def build_model(look_back, n_features=1, units=16):
    model = keras.Sequential([keras.Input(shape=(look_back, n_features)),
                              keras.layers.LSTM(units, return_sequences=True), keras.layers.Dense(n_features)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model'''),
    dict(name="hard-coded one feature", grade_id="n04_build_model",
         why="ignores n_features: Input(shape=(look_back, 1)) and Dense(1)",
         source='''def build_model(look_back, n_features=1, units=16):
    model = keras.Sequential([keras.Input(shape=(look_back, 1)), keras.layers.LSTM(units), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model'''),
    dict(name="classification loss", grade_id="n04_build_model",
         why="loss='binary_crossentropy' copied from a sentiment model",
         source='''def build_model(look_back, n_features=1, units=16):
    model = keras.Sequential([keras.Input(shape=(look_back, n_features)), keras.layers.LSTM(units), keras.layers.Dense(n_features)])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model'''),
    dict(name="Adam at its default rate", grade_id="n04_build_model",
         why="optimizer='adam': Keras' default learning rate 0.001, not the required 0.01",
         source='''def build_model(look_back, n_features=1, units=16):
    model = keras.Sequential([keras.Input(shape=(look_back, n_features)), keras.layers.LSTM(units), keras.layers.Dense(n_features)])
    model.compile(optimizer="adam", loss="mse")
    return model'''),
    dict(name="SGD optimiser", grade_id="n04_build_model",
         why="keras.optimizers.SGD(0.01) instead of Adam",
         source='''def build_model(look_back, n_features=1, units=16):
    model = keras.Sequential([keras.Input(shape=(look_back, n_features)), keras.layers.LSTM(units), keras.layers.Dense(n_features)])
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse")
    return model'''),
    dict(name="mean absolute error", grade_id="n04_build_model",
         why="loss='MAE': a regression loss, but not the stated one",
         source='''def build_model(look_back, n_features=1, units=16):
    model = keras.Sequential([keras.Input(shape=(look_back, n_features)), keras.layers.LSTM(units), keras.layers.Dense(n_features)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="MAE")
    return model'''),
    dict(name="root of the MSE as a function", grade_id="n04_build_model",
         why="a loss function of one's own that returns sqrt(MSE), the RMSE",
         source='''def build_model(look_back, n_features=1, units=16):
    model = keras.Sequential([keras.Input(shape=(look_back, n_features)), keras.layers.LSTM(units), keras.layers.Dense(n_features)])
    rmse = lambda y_true, y_pred: keras.ops.sqrt(keras.ops.mean((y_true - y_pred) ** 2))
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=rmse)
    return model'''),
    dict(name="units ignored", grade_id="n04_build_model",
         why="hard-codes LSTM(16)",
         source='''def build_model(look_back, n_features=1, units=16):
    model = keras.Sequential([keras.Input(shape=(look_back, n_features)), keras.layers.LSTM(16), keras.layers.Dense(n_features)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model'''),
    # --- train (its grade cell trains a model: slow) ---------------------------------------
    dict(name="one epoch", grade_id="n04_train", why="ignores epochs and fits once", slow=True,
         source='''def train(model, X, y, epochs=40):
    return model.fit(X, y, epochs=1, batch_size=16, verbose=1)'''),
    dict(name="returns the model", grade_id="n04_train", why="returns model instead of the History", slow=True,
         source='''def train(model, X, y, epochs=40):
    model.fit(X, y, epochs=epochs, batch_size=16, verbose=1)
    return model'''),
    dict(name="fits on shuffled targets", grade_id="n04_train", slow=True,
         why="shuffles y separately from X (np.random.shuffle(y)), breaking the pairs",
         source='''def train(model, X, y, epochs=40):
    y = y.copy()
    np.random.default_rng(0).shuffle(y)
    return model.fit(X, y, epochs=epochs, batch_size=16, verbose=1)'''),
    dict(name="Keras' default batch size", grade_id="n04_train", slow=True,
         why="breaks the stated batch_size=16: leaves Keras' default of 32",
         source='''def train(model, X, y, epochs=40):
    return model.fit(X, y, epochs=epochs, verbose=1)'''),
    dict(name="default of 10 epochs", grade_id="n04_train", slow=True,
         why="a shorter default, epochs=10, where the statement says 40",
         source='''def train(model, X, y, epochs=10):
    return model.fit(X, y, epochs=epochs, batch_size=16, verbose=1)'''),
    dict(name="fits the notebook's globals", grade_id="n04_train", slow=True,
         why="fits X_train, y_train from the notebook instead of the X and y it is given",
         source='''def train(model, X, y, epochs=40):
    return model.fit(X_train, y_train, epochs=epochs, batch_size=16, verbose=1)'''),
    dict(name="one example per epoch", grade_id="n04_train", slow=True,
         why="steps_per_epoch=1: 40 updates in all, far from trained",
         source='''def train(model, X, y, epochs=40):
    import tensorflow as tf
    ds = tf.data.Dataset.from_tensor_slices((X, y)).batch(16).repeat()
    return model.fit(ds, epochs=epochs, steps_per_epoch=1, verbose=1)'''),
    # --- irreducible_mse(step, noise) -----------------------------------------------------
    dict(name="forgets the 1/2", grade_id="n04_irreducible", why="sin(h)^2 without averaging cos^2 x",
         source='''def irreducible_mse(step, noise=0.0):
    return np.sin(step) ** 2 + noise ** 2'''),
    dict(name="persistence error", grade_id="n04_irreducible", why="1 - cos(h): the error of repeating the last value",
         source='''def irreducible_mse(step, noise=0.0):
    return 1 - np.cos(step) + noise ** 2'''),
    dict(name="cos instead of sin", grade_id="n04_irreducible", why="squares the wrong factor of the expansion",
         source='''def irreducible_mse(step, noise=0.0):
    return 0.5 * np.cos(step) ** 2 + noise ** 2'''),
    dict(name="deterministic belief", grade_id="n04_irreducible", why="thinks one value determines the next: only the noise",
         source='''def irreducible_mse(step, noise=0.0):
    return 0.0 * np.asarray(step) + noise ** 2'''),
    dict(name="std instead of variance", grade_id="n04_irreducible",
         why="the RMS error sin(h)/sqrt(2) instead of its square",
         source='''def irreducible_mse(step, noise=0.0):
    return np.sin(step) / np.sqrt(2) + noise ** 2'''),
    dict(name="noise forgotten", grade_id="n04_irreducible",
         why="derives the clean wave's floor and ignores the noise on the next value",
         source='''def irreducible_mse(step, noise=0.0):
    return 0.5 * np.sin(step) ** 2'''),
    dict(name="noise not squared", grade_id="n04_irreducible",
         why="adds the noise's standard deviation, not its variance",
         source='''def irreducible_mse(step, noise=0.0):
    return 0.5 * np.sin(step) ** 2 + noise'''),
    dict(name="noise halved with the wave", grade_id="n04_irreducible",
         why="puts the 1/2 of averaging cos^2 x on the noise too",
         source='''def irreducible_mse(step, noise=0.0):
    return 0.5 * (np.sin(step) ** 2 + noise ** 2)'''),
    dict(name="hard-coded plateau", grade_id="n04_irreducible",
         why="returns the look_back = 1 row of the table, 0.115, whatever the step",
         source='''def irreducible_mse(step, noise=0.0):
    return 0.115 + 0.0 * np.asarray(step) + noise ** 2'''),
    dict(name="scalars only", grade_id="n04_irreducible",
         why="math.sin: fails on an array of steps",
         source='''import math


def irreducible_mse(step, noise=0.0):
    return 0.5 * math.sin(step) ** 2 + noise ** 2'''),
    # --- next_from_two -----------------------------------------------------------------
    dict(name="linear extrapolation", grade_id="n04_next_from_two", why="curr + (curr - prev), the straight-line guess",
         source='''def next_from_two(prev, curr, step):
    return 2 * curr - prev'''),
    dict(name="prev and curr swapped", grade_id="n04_next_from_two", why="2 cos(h) prev - curr",
         source='''def next_from_two(prev, curr, step):
    return 2 * np.cos(step) * prev - curr'''),
    dict(name="missing factor 2", grade_id="n04_next_from_two", why="cos(h) curr - prev",
         source='''def next_from_two(prev, curr, step):
    return np.cos(step) * curr - prev'''),
    # --- design_forecaster (its grade cell trains the design: slow) ------------------------
    dict(name="Exercise 2's model, over the budget", grade_id="n04_design", slow=True,
         why="LSTM(16), 1,169 parameters: good error, but over the budget of 200",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input((5, 1)), keras.layers.LSTM(16), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model, dict(epochs=40, batch_size=16)'''),
    dict(name="one-value window", grade_id="n04_design", slow=True,
         why="look_back = 1, as the tutorial: stuck at the irreducible floor",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input((1, 1)), keras.layers.LSTM(6), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model, dict(epochs=60, batch_size=16)'''),
    dict(name="Adam's default rate, few epochs", grade_id="n04_design", slow=True,
         why="optimizer='adam' (0.001) for 20 epochs: far from trained",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input((5, 1)), keras.layers.LSTM(6), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model, dict(epochs=20, batch_size=16)'''),
    dict(name="stopped too early", grade_id="n04_design", slow=True,
         why="LSTM(4) for 5 epochs: the loss is still falling",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input((5, 1)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model, dict(epochs=5, batch_size=16)'''),
    dict(name="over the CPU budget", grade_id="n04_design", slow=True,
         why="5,000 epochs of batch 1: the training is stopped at 15 CPU seconds and fails",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input((5, 1)), keras.layers.LSTM(6), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model, dict(epochs=5000, batch_size=1)'''),
    dict(name="passes the data in fit_args", grade_id="n04_design", slow=True,
         why="fit_args carries validation_data, which the grader sets itself",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input((5, 1)), keras.layers.LSTM(6), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model, dict(epochs=60, batch_size=16, validation_data=None)'''),
    # --- exactly_linear(): which series the 3-parameter model forecasts exactly -------------
    dict(name="forgets the bias: no offset", grade_id="n04_exactly_linear",
         why="leaves out b (0.5 + sin x) and e (sin^2 x): forgets that the bias absorbs a constant offset",
         source='''def exactly_linear():
    return {"a", "d"}'''),
    dict(name="a decay breaks it", grade_id="n04_exactly_linear",
         why="leaves out d (the damped sine): believes a shrinking amplitude breaks the recurrence",
         source='''def exactly_linear():
    return {"a", "b", "e"}'''),
    dict(name="two frequencies are fine", grade_id="n04_exactly_linear",
         why="adds c (sin x + 0.3 sin 2x): a sum of two sines needs four terms, not two",
         source='''def exactly_linear():
    return ["a", "b", "c", "d", "e"]'''),
    dict(name="only pure sines", grade_id="n04_exactly_linear",
         why="a and b only: misses that sin^2 x is one frequency (2x) plus a constant",
         source='''def exactly_linear():
    return ("A", "B", "D")'''),
    dict(name="growing amplitude too", grade_id="n04_exactly_linear",
         why="adds f (x sin x / 100): close (MSE 3e-6) but not exact: a double root needs four terms",
         source='''def exactly_linear():
    return {"a", "b", "d", "e", "f"}'''),
]
