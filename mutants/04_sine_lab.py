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
    # --- train ---------------------------------------------------------------------------
    dict(name="one epoch", grade_id="n04_train", why="ignores epochs and fits once",
         source='''def train(model, X, y, epochs=40):
    return model.fit(X, y, epochs=1, batch_size=16, verbose=1)'''),
    dict(name="returns the model", grade_id="n04_train", why="returns model instead of the History",
         source='''def train(model, X, y, epochs=40):
    model.fit(X, y, epochs=epochs, batch_size=16, verbose=1)
    return model'''),
    dict(name="fits on shuffled targets", grade_id="n04_train",
         why="shuffles y separately from X (np.random.shuffle(y)), breaking the pairs",
         source='''def train(model, X, y, epochs=40):
    y = y.copy()
    np.random.default_rng(0).shuffle(y)
    return model.fit(X, y, epochs=epochs, batch_size=16, verbose=1)'''),
    # --- irreducible_mse ---------------------------------------------------------------
    dict(name="forgets the 1/2", grade_id="n04_irreducible", why="sin(h)^2 without averaging cos^2 x",
         source='''def irreducible_mse(step):
    return np.sin(step) ** 2'''),
    dict(name="persistence error", grade_id="n04_irreducible", why="1 - cos(h): the error of repeating the last value",
         source='''def irreducible_mse(step):
    return 1 - np.cos(step)'''),
    dict(name="cos instead of sin", grade_id="n04_irreducible", why="squares the wrong factor of the expansion",
         source='''def irreducible_mse(step):
    return 0.5 * np.cos(step) ** 2'''),
    dict(name="deterministic belief", grade_id="n04_irreducible", why="thinks one value determines the next: 0",
         source='''def irreducible_mse(step):
    return 0.0 * step'''),
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
]
