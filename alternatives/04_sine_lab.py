"""Alternatives bank of 04_sine_lab: correct answers written differently.

Instructor side only (never in the student bundle).  `make alternatives` grades each one and
fails unless it keeps every point of its exercise.  The grade cell of `train` trains a model:
those entries are slow.
"""

ALTERNATIVES = [
    # --- dataset -------------------------------------------------------------------------
    dict(name="sliding_window_view", grade_id="n04_dataset",
         why="numpy's sliding_window_view, axes moved, copied to float32",
         source='''import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def dataset(data, look_back):
    data = np.asarray(data, dtype=np.float32)
    windows = sliding_window_view(data, look_back, axis=0)[:-1]     # (n - lb, features, lb)
    return np.transpose(windows, (0, 2, 1)).copy(), data[look_back:].copy()'''),
    dict(name="index arithmetic", grade_id="n04_dataset",
         why="fancy indexing with an (n - lb, lb) array of positions; a list [X, y] instead of a tuple",
         source='''import numpy as np


def dataset(data, look_back):
    data = np.asarray(data)
    n = data.shape[0]
    idx = np.arange(n - look_back)[:, None] + np.arange(look_back)[None, :]
    return [data[idx].astype(np.float32), data[look_back:].astype(np.float32)]'''),
    dict(name="preallocated loop", grade_id="n04_dataset",
         why="fills preallocated float32 arrays in a loop over the windows",
         source='''import numpy as np


def dataset(data, look_back):
    n, features = np.shape(data)
    X = np.empty((n - look_back, look_back, features), dtype=np.float32)
    y = np.empty((n - look_back, features), dtype=np.float32)
    for i in range(n - look_back):
        X[i] = data[i:i + look_back]
        y[i] = data[i + look_back]
    return X, y'''),
    # --- build_model ---------------------------------------------------------------------
    dict(name="loss as a function", grade_id="n04_build_model",
         why="loss=keras.losses.mean_squared_error, layers added with model.add",
         source='''def build_model(look_back, n_features=1, units=16):
    model = keras.Sequential()
    model.add(keras.Input(shape=(look_back, n_features)))
    model.add(keras.layers.LSTM(units))
    model.add(keras.layers.Dense(n_features))
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=keras.losses.mean_squared_error)
    return model'''),
    dict(name="loss as an object, functional API", grade_id="n04_build_model",
         why="keras.losses.MeanSquaredError() and the functional API; an extra metric",
         source='''def build_model(look_back, n_features=1, units=16):
    inputs = keras.Input(shape=(look_back, n_features))
    h = keras.layers.LSTM(units)(inputs)
    outputs = keras.layers.Dense(n_features, activation="linear")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=keras.losses.MeanSquaredError(),
                  metrics=["mae"])
    return model'''),
    dict(name="loss 'MSE' in capitals", grade_id="n04_build_model",
         why="loss='MSE', the optimiser from keras.optimizers.get with a config",
         source='''def build_model(look_back, n_features=1, units=16):
    model = keras.Sequential([keras.Input((look_back, n_features)), keras.layers.LSTM(units=units),
                              keras.layers.Dense(units=n_features)])
    model.compile(optimizer=keras.optimizers.get({"class_name": "Adam", "config": {"learning_rate": 0.01}}), loss="MSE")
    return model'''),
    dict(name="loss 'mean_squared_error', own MSE metric", grade_id="n04_build_model",
         why="the long string alias, with a hand-written MSE listed as a metric",
         source='''def build_model(look_back, n_features=1, units=16):
    def my_mse(y_true, y_pred):
        return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
    model = keras.Sequential([keras.Input(shape=(look_back, n_features)), keras.layers.LSTM(units),
                              keras.layers.Dense(n_features)])
    model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(learning_rate=1e-2), metrics=[my_mse])
    return model'''),
    dict(name="a hand-written MSE loss", grade_id="n04_build_model",
         why="the loss as one's own function computing the mean squared error",
         source='''def build_model(look_back, n_features=1, units=16):
    def mse(y_true, y_pred):
        return keras.ops.mean((y_pred - y_true) ** 2, axis=-1)
    model = keras.Sequential([keras.Input(shape=(look_back, n_features)), keras.layers.LSTM(units),
                              keras.layers.Dense(n_features)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=mse)
    return model'''),
    # --- train (slow: the grade cell trains) -------------------------------------------------
    dict(name="quiet, keywords", grade_id="n04_train", slow=True,
         why="verbose=0 (the verbosity is not graded), every argument by keyword, shuffle spelled out",
         source='''def train(model, X, y, epochs=40):
    return model.fit(x=X, y=y, batch_size=16, epochs=epochs, shuffle=True, verbose=0)'''),
    dict(name="returns model.history", grade_id="n04_train", slow=True,
         why="fits, then returns the History the model keeps (the same object), one line per epoch",
         source='''def train(model, X, y, epochs=40):
    model.fit(X, y, batch_size=16, epochs=epochs, verbose=2)
    return model.history'''),
    dict(name="a tf.data pipeline", grade_id="n04_train", slow=True,
         why="batches of 16 through tf.data, shuffled each epoch with a fixed seed",
         source='''def train(model, X, y, epochs=40):
    import tensorflow as tf
    ds = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(len(X), seed=0, reshuffle_each_iteration=True).batch(16)
    return model.fit(ds, epochs=epochs, verbose=2)'''),
    # --- irreducible_mse -------------------------------------------------------------------
    dict(name="double angle", grade_id="n04_irreducible", why="(1 - cos 2h) / 4 + noise^2, the same number",
         source='''def irreducible_mse(step, noise=0.0):
    return (1 - np.cos(2 * np.asarray(step))) / 4 + noise * noise'''),
    dict(name="one minus cos squared", grade_id="n04_irreducible", why="(1 - cos^2 h) / 2 plus the variance np.square(noise)",
         source='''import numpy as np


def irreducible_mse(step, noise=0.0):
    return 0.5 * (1.0 - np.cos(step) ** 2) + np.square(noise)'''),
    dict(name="math for scalars, numpy for arrays", grade_id="n04_irreducible",
         why="math.sin on a float (a Python float back), np.sin on an array",
         source='''import math
import numpy as np


def irreducible_mse(step, noise=0.0):
    if np.ndim(step) == 0:
        return math.sin(step) ** 2 / 2 + noise ** 2
    return np.square(np.sin(step)) / 2 + noise ** 2'''),
    dict(name="the variance of cos x sin h + eps, spelled out", grade_id="n04_irreducible",
         why="E[cos^2 x] = 1/2 written as a variable, the two independent terms added",
         source='''def irreducible_mse(step, noise=0.0):
    mean_cos2 = 0.5                        # average of cos^2 x over a period
    wave_part = mean_cos2 * np.sin(step) ** 2
    return wave_part + float(noise) ** 2'''),
    # --- next_from_two ---------------------------------------------------------------------
    dict(name="factors reordered", grade_id="n04_next_from_two", why="curr * 2cos(h) - prev with np.multiply",
         source='''def next_from_two(prev, curr, step):
    return np.multiply(curr, 2 * np.cos(step)) - prev'''),
    dict(name="via the phase-free rotation", grade_id="n04_next_from_two",
         why="cos(x) from the two values (cos x sin h = sin x cos h - prev), then the addition formula",
         source='''import numpy as np


def next_from_two(prev, curr, step):
    cos_x_sin_h = curr * np.cos(step) - np.asarray(prev)
    return curr * np.cos(step) + cos_x_sin_h'''),
    dict(name="math.cos on the step", grade_id="n04_next_from_two",
         why="math.cos for the scalar step, numpy arrays for the values",
         source='''import math


def next_from_two(prev, curr, step):
    return 2.0 * math.cos(step) * curr - prev'''),
    # --- design_forecaster (slow: the grade cell trains) --------------------------------
    dict(name="three parameters: the linear recursion", grade_id="n04_design", slow=True,
         why="look_back 2 and one Dense(1): sin(x + h) = 2 cos h sin x - sin(x - h) exactly; a list, not a tuple",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input((2, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    return [model, {"epochs": 100, "batch_size": 16}]'''),
    dict(name="a GRU, functional API, early stopping", grade_id="n04_design", slow=True,
         why="GRU(6) on 4 steps (in budget), a callback of one's own in fit_args",
         source='''def design_forecaster():
    inputs = keras.Input(shape=(4, 1))
    outputs = keras.layers.Dense(1)(keras.layers.GRU(6)(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=keras.losses.MeanSquaredError())
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=10, restore_best_weights=True)
    return model, dict(epochs=80, batch_size=16, callbacks=[stop])'''),
    dict(name="a small LSTM, batch 8, shuffle", grade_id="n04_design", slow=True,
         why="LSTM(4) on 6 steps (101 parameters), 50 epochs of batch 8, extra metrics",
         source='''def design_forecaster():
    model = keras.Sequential([keras.Input(shape=(6, 1)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mean_squared_error", metrics=["mae"])
    return model, dict(epochs=50, batch_size=8, shuffle=True)'''),
    # --- exactly_linear() -------------------------------------------------------------------
    dict(name="a list in capitals", grade_id="n04_exactly_linear",
         why="a list of upper-case letters, in another order",
         source='''def exactly_linear():
    return ["E", "D", "B", "A"]'''),
    dict(name="measured with lstsq", grade_id="n04_exactly_linear",
         why="fits the 3 coefficients to each series with np.linalg.lstsq and keeps those below 1e-12",
         source='''def exactly_linear():
    x = np.arange(0, 100, 0.5)
    series = {"a": 3 * np.sin(x + 1), "b": 0.5 + np.sin(x), "c": np.sin(x) + 0.3 * np.sin(2 * x),
              "d": np.exp(-0.05 * x) * np.sin(x), "e": np.sin(x) ** 2, "f": x * np.sin(x) / 100}
    found = []
    for name, s in series.items():
        A = np.stack([s[:-2], s[1:-1], np.ones(len(s) - 2)], axis=1)
        coef, *_ = np.linalg.lstsq(A, s[2:], rcond=None)
        if np.mean((A @ coef - s[2:]) ** 2) < 1e-12:
            found.append(name)
    return tuple(found)'''),
    dict(name="a frozenset with spaces", grade_id="n04_exactly_linear",
         why="a frozenset whose letters carry stray spaces",
         source='''def exactly_linear():
    return frozenset([" a", "b ", "d", "e"])'''),
]
