"""Alternatives bank of 06_imdb_lab: correct answers written differently.

Instructor side only (never in the student bundle).  `make alternatives` grades each one; every
entry must keep full marks on its exercise (see alternatives/README.md).  The
build_better_model entries train in their grade cell (slow=True).
"""

ALTERNATIVES = [
    # --- decode_review(ids, word_index) ---------------------------------------------------
    dict(name="special ids in a dict", grade_id="n06_decode",
         why="one lookup table for the special ids and the words, a comprehension, padding "
             "filtered out before the join",
         source='''def decode_review(ids, word_index):
    table = {0: None, 1: "[START]", 2: "[OOV]"}
    table.update({rank + 3: word for word, rank in word_index.items() if rank + 3 > 2})
    tokens = (table.get(int(i), "[OOV]") for i in ids)
    return " ".join(t for t in tokens if t is not None)'''),
    dict(name="numpy ids as keys", grade_id="n06_decode",
         why="no int(): numpy integers hash like Python ints, so they index the dict directly",
         source='''def decode_review(ids, word_index):
    words = dict(zip(word_index.values(), word_index.keys()))
    out = []
    for i in np.asarray(ids, dtype=np.int64).ravel():
        if i == 0:
            continue
        out.append("[START]" if i == 1 else "[OOV]" if i == 2 else words.get(i - 3, "[OOV]"))
    return " ".join(out)'''),
    dict(name="string concatenation", grade_id="n06_decode",
         why="builds the text piece by piece and strips the leading space at the end",
         source='''def decode_review(ids, word_index):
    inverse = {}
    for word, rank in word_index.items():
        inverse[rank] = word
    text = ""
    for i in list(ids):
        i = int(i)
        if i == 0:
            pass
        elif i == 1:
            text += " [START]"
        elif i == 2 or (i - 3) not in inverse:
            text += " [OOV]"
        else:
            text += " " + inverse[i - 3]
    return text[1:] if text else ""'''),
    # --- encode_review(text, word_index, num_words, maxlen) -------------------------------
    dict(name="re.split and numpy padding", grade_id="n06_encode",
         why="splits on a regular expression of the filters and spaces, pads by hand into int64",
         source='''def encode_review(text, word_index, num_words, maxlen):
    import re
    pattern = "[" + re.escape(KERAS_FILTERS) + " ]+"
    words = [w for w in re.split(pattern, text.lower()) if w]
    ids = [1] + [word_index[w] + 3 if w in word_index and word_index[w] + 3 < num_words else 2 for w in words]
    ids = ids[-maxlen:]
    out = np.zeros(maxlen, dtype=np.int64)
    out[maxlen - len(ids):] = ids
    return out'''),
    dict(name="replace loop, list slicing", grade_id="n06_encode",
         why="str.replace for every filter character, then np.array of a zero-padded list (int32)",
         source='''def encode_review(text, word_index, num_words, maxlen):
    for ch in KERAS_FILTERS:
        text = text.replace(ch, " ")
    ids = [1]
    for w in text.lower().split(" "):
        if not w:
            continue
        i = word_index.get(w, -10) + 3
        ids.append(i if 3 <= i < num_words else 2)
    if len(ids) > maxlen:
        ids = ids[len(ids) - maxlen:]
    return np.array([0] * (maxlen - len(ids)) + ids, dtype=np.int32)'''),
    dict(name="maketrans on two strings, pad_sequences defaults", grade_id="n06_encode",
         why="str.maketrans(filters, spaces) and keras.utils.pad_sequences with its defaults",
         source='''def encode_review(text, word_index, num_words, maxlen):
    clean = text.lower().translate(str.maketrans(KERAS_FILTERS, " " * len(KERAS_FILTERS)))
    ids = [1]
    for word in filter(None, clean.split(" ")):
        r = word_index.get(word)
        ids.append(2 if r is None or r + 3 >= num_words else r + 3)
    return keras.utils.pad_sequences([ids], maxlen=maxlen)[0]'''),
    # --- build_seed_model ------------------------------------------------------------------
    dict(name="functional API, objects", grade_id="n06_seed_model",
         why="keras.Model(inputs, outputs); loss keras.losses.binary_crossentropy (the function), "
             "metrics=[keras.metrics.BinaryAccuracy()]",
         source='''def build_seed_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    inputs = keras.Input(shape=(maxlen,))
    x = layers.Embedding(num_words, embedding_dim)(inputs)
    x = layers.LSTM(units)(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss=keras.losses.binary_crossentropy,
                  metrics=[keras.metrics.BinaryAccuracy()])
    return model'''),
    dict(name="strings: 'adam', 'acc'", grade_id="n06_seed_model",
         why="model.add layer by layer; optimizer='adam', loss='binary_crossentropy', metrics=['acc']",
         source='''def build_seed_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential()
    model.add(keras.Input(shape=(maxlen,)))
    model.add(layers.Embedding(input_dim=num_words, output_dim=embedding_dim))
    model.add(layers.LSTM(units, return_sequences=False))
    model.add(layers.Dense(1, activation=keras.activations.sigmoid))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    return model'''),
    dict(name="binary_accuracy by name", grade_id="n06_seed_model",
         why="metrics=['binary_accuracy'], loss keras.losses.BinaryCrossentropy(from_logits=False), "
             "the layers given as a list",
         source='''def build_seed_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    stack = [keras.Input(shape=(maxlen,)), keras.layers.Embedding(num_words, embedding_dim),
             keras.layers.LSTM(units), keras.layers.Dense(1, activation="sigmoid")]
    model = keras.Sequential(stack, name="seed")
    model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.BinaryCrossentropy(from_logits=False),
                  metrics=["binary_accuracy"])
    return model'''),
    # --- build_masked_model ---------------------------------------------------------------------
    dict(name="functional masked model", grade_id="n06_masked_model",
         why="the functional API, the loss and metric as objects",
         source='''def build_masked_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    inputs = keras.Input(shape=(maxlen,))
    x = layers.Embedding(input_dim=num_words, output_dim=embedding_dim, mask_zero=True)(inputs)
    x = layers.LSTM(units)(x)
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(x))
    model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.BinaryCrossentropy(),
                  metrics=[keras.metrics.BinaryAccuracy()])
    return model'''),
    dict(name="built on build_seed_model's layers", grade_id="n06_masked_model",
         why="builds the seed model, then a new one with its layer configurations and mask_zero turned on",
         source='''def build_masked_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    seed = build_seed_model(num_words, embedding_dim, maxlen, units)
    emb, lstm, dense = [l for l in seed.layers if not isinstance(l, keras.layers.InputLayer)]
    config = dict(emb.get_config(), mask_zero=True)
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding.from_config(config),
                              layers.LSTM.from_config(lstm.get_config()), layers.Dense.from_config(dense.get_config())])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])
    return model'''),
    dict(name="layers added one by one", grade_id="n06_masked_model",
         why="model.add for each layer, keyword arguments, the metric as 'binary_accuracy'",
         source='''def build_masked_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential(name="masked")
    model.add(keras.Input(shape=(maxlen,), dtype="int32"))
    model.add(layers.Embedding(input_dim=num_words, output_dim=embedding_dim, mask_zero=True, name="words"))
    model.add(layers.LSTM(units=units, name="reader"))
    model.add(layers.Dense(units=1, activation=keras.activations.sigmoid))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="binary_crossentropy",
                  metrics=["binary_accuracy"])
    return model'''),
    # --- build_bidirectional_model ----------------------------------------------------------------
    dict(name="closed-form root", grade_id="n06_bidirectional_model",
         why="solves 8v^2 + 8(d + 1)v - budget <= 0 for its positive root and floors it",
         source='''def build_bidirectional_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    import math
    d, u = embedding_dim, units
    budget = 4 * u * (d + u + 1)
    v = int(math.floor((-(d + 1) + math.sqrt((d + 1) ** 2 + budget / 2)) / 2))
    while 8 * (v + 1) * (d + v + 2) <= budget:       # guard the float floor
        v += 1
    while v > 1 and 8 * v * (d + v + 1) > budget:
        v -= 1
    v = max(v, 1)
    inputs = keras.Input(shape=(maxlen,))
    x = layers.Embedding(num_words, d)(inputs)
    x = layers.Bidirectional(layers.LSTM(v), merge_mode="concat")(x)
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(x))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="counted by Keras", grade_id="n06_bidirectional_model",
         why="asks Keras for the parameter counts of candidate layers instead of the formula",
         source='''def build_bidirectional_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    def count(layer):
        layer.build((None, None, embedding_dim))
        return layer.count_params()
    budget = count(layers.LSTM(units))
    fits = [v for v in range(1, units + 1) if count(layers.Bidirectional(layers.LSTM(v))) <= budget]
    v = max(fits) if fits else 1
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, embedding_dim),
                              layers.Bidirectional(layers.LSTM(v)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="counting up", grade_id="n06_bidirectional_model",
         why="starts at one unit and grows while the next unit still fits",
         source='''def build_bidirectional_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    lstm = lambda n: 4 * n * (embedding_dim + n + 1)
    v = 1
    while 2 * lstm(v + 1) <= lstm(units):
        v += 1
    inputs = keras.Input(shape=(maxlen,))
    states = layers.Bidirectional(layers.LSTM(v))(layers.Embedding(num_words, embedding_dim)(inputs))
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(states))
    model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(), metrics=["accuracy"])
    return model'''),
    # --- build_better_model (each one trains inside the grade cell) -----------------------
    dict(name="GRU instead of LSTM", grade_id="n06_better_model", slow=True,
         why="the reference recipe with a GRU(32) as the recurrent layer (the statement leaves the "
             "layers open)",
         source='''def build_better_model():
    maxlen, num_words = 400, 5000
    model = keras.Sequential([
        keras.Input(shape=(maxlen,)),
        layers.Embedding(num_words, 32),
        layers.Conv1D(32, 5, activation="relu"),
        layers.MaxPooling1D(4),
        layers.GRU(32),
        layers.Dropout(0.5),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="binary_crossentropy",
                  metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=1, restore_best_weights=True)
    return model, dict(epochs=4, batch_size=128, validation_split=0.1, callbacks=[stop])'''),
    dict(name="functional, numpy scalars, a list", grade_id="n06_better_model", slow=True,
         why="a functional model, loss and metric as objects (early stopping on val_binary_accuracy), "
             "fit_args holding numpy scalars, and [model, fit_args] returned as a list",
         source='''def build_better_model():
    inputs = keras.Input(shape=(400,))
    x = layers.Embedding(5000, 32)(inputs)
    x = layers.Conv1D(32, 5, activation="relu")(x)
    x = layers.MaxPooling1D(4)(x)
    x = layers.LSTM(32)(x)
    x = layers.Dropout(0.5)(x)
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(x))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss=keras.losses.BinaryCrossentropy(),
                  metrics=[keras.metrics.BinaryAccuracy()])
    stop = keras.callbacks.EarlyStopping(monitor="val_binary_accuracy", patience=1, restore_best_weights=True)
    return [model, dict(epochs=np.int64(4), batch_size=np.int64(128), validation_split=np.float64(0.1),
                        callbacks=[stop])]'''),
    dict(name="no metric, no validation, 2 epochs", grade_id="n06_better_model", slow=True,
         why="compiled without any metric (the grade does not need one) and trained on every "
             "training review for 2 epochs, no callback: nothing held out, so no validation accuracy "
             "is reported (seed 6: 87.6 % on IMDB, 99.3 % on the synthetic data)",
         source='''def build_better_model():
    model = keras.Sequential([
        keras.Input(shape=(400,)),
        layers.Embedding(5000, 32),
        layers.Conv1D(32, 5, activation="relu"),
        layers.MaxPooling1D(4),
        layers.LSTM(32),
        layers.Dropout(0.5),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="binary_crossentropy")
    return model, {"epochs": 2, "batch_size": 128}'''),
]
