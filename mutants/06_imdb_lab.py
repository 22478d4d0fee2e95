"""Mutation bank of 06_imdb_lab: wrong answers as students really write them.

Instructor side only (never in the student bundle).  `make mutants` grades each one.
The n06_better_model mutants each train a model inside the grade cell (up to the CPU cap).
"""

MUTANTS = [
    # --- decode_review(ids, word_index) --------------------------------------------------
    dict(name="index_from ignored", grade_id="n06_decode",
         why="inverts the word index and looks ids up as ranks: every word is 3 places off",
         source='''def decode_review(ids, word_index):
    reverse = {rank: word for word, rank in word_index.items()}
    return " ".join(reverse.get(int(i), "?") for i in ids if int(i) != 0)'''),
    dict(name="offset added instead of subtracted", grade_id="n06_decode",
         why="reads the Keras docs' `i + index_from` as the rank to look up",
         source='''def decode_review(ids, word_index):
    reverse = {rank: word for word, rank in word_index.items()}
    out = []
    for i in ids:
        i = int(i)
        if i == 0:
            continue
        out.append("[START]" if i == 1 else "[OOV]" if i == 2 else reverse.get(i + 3, "[OOV]"))
    return " ".join(out)'''),
    dict(name="padding decoded", grade_id="n06_decode",
         why="forgets that 0 is padding and prints a token for it",
         source='''def decode_review(ids, word_index):
    reverse = {rank + 3: word for word, rank in word_index.items()}
    reverse.update({0: "[PAD]", 1: "[START]", 2: "[OOV]"})
    return " ".join(reverse.get(int(i), "[OOV]") for i in ids)'''),
    dict(name="unknown rank crashes", grade_id="n06_decode",
         why="indexes the inverted dict directly: an id with no word raises KeyError",
         source='''def decode_review(ids, word_index):
    reverse = {rank + 3: word for word, rank in word_index.items()}
    reverse.update({1: "[START]", 2: "[OOV]"})
    return " ".join(reverse[int(i)] for i in ids if int(i) != 0)'''),
    dict(name="returns a list of words", grade_id="n06_decode",
         why="forgets to join the tokens into one string",
         source='''def decode_review(ids, word_index):
    reverse = {rank + 3: word for word, rank in word_index.items()}
    reverse.update({1: "[START]", 2: "[OOV]"})
    return [reverse.get(int(i), "[OOV]") for i in ids if int(i) != 0]'''),
    # --- encode_review(text, word_index, num_words, maxlen) -------------------------------
    dict(name="post-padding", grade_id="n06_encode",
         why="pads after the review: a final-state LSTM then reads only zeros at the end",
         source='''def encode_review(text, word_index, num_words, maxlen):
    words = [w for w in text.lower().translate(str.maketrans({c: " " for c in KERAS_FILTERS})).split(" ") if w]
    ids = [1] + [word_index[w] + 3 if w in word_index and word_index[w] + 3 < num_words else 2 for w in words]
    return keras.utils.pad_sequences([ids], maxlen=maxlen, padding="post")[0]'''),
    dict(name="keeps the start of long reviews", grade_id="n06_encode",
         why="truncating='post': cuts the end, unlike the training data",
         source='''def encode_review(text, word_index, num_words, maxlen):
    words = [w for w in text.lower().translate(str.maketrans({c: " " for c in KERAS_FILTERS})).split(" ") if w]
    ids = [1] + [word_index[w] + 3 if w in word_index and word_index[w] + 3 < num_words else 2 for w in words]
    return keras.utils.pad_sequences([ids], maxlen=maxlen, truncating="post")[0]'''),
    dict(name="no lower-casing", grade_id="n06_encode",
         why="splits the raw text: 'The' and 'GOOD' are not in the lower-case index",
         source='''def encode_review(text, word_index, num_words, maxlen):
    words = [w for w in text.translate(str.maketrans({c: " " for c in KERAS_FILTERS})).split(" ") if w]
    ids = [1] + [word_index[w] + 3 if w in word_index and word_index[w] + 3 < num_words else 2 for w in words]
    return keras.utils.pad_sequences([ids], maxlen=maxlen)[0]'''),
    dict(name="punctuation kept", grade_id="n06_encode",
         why="splits on spaces only: 'good.' and 'great!' are not words of the index",
         source='''def encode_review(text, word_index, num_words, maxlen):
    words = text.lower().split()
    ids = [1] + [word_index[w] + 3 if w in word_index and word_index[w] + 3 < num_words else 2 for w in words]
    return keras.utils.pad_sequences([ids], maxlen=maxlen)[0]'''),
    dict(name="ranks used as ids", grade_id="n06_encode",
         why="forgets index_from: uses word_index[w] as the id",
         source='''def encode_review(text, word_index, num_words, maxlen):
    words = [w for w in text.lower().translate(str.maketrans({c: " " for c in KERAS_FILTERS})).split(" ") if w]
    ids = [1] + [word_index[w] if w in word_index and word_index[w] < num_words else 2 for w in words]
    return keras.utils.pad_sequences([ids], maxlen=maxlen)[0]'''),
    dict(name="vocabulary cut on the rank", grade_id="n06_encode",
         why="keeps a word when its rank < num_words, so ids up to num_words + 2 slip through",
         source='''def encode_review(text, word_index, num_words, maxlen):
    words = [w for w in text.lower().translate(str.maketrans({c: " " for c in KERAS_FILTERS})).split(" ") if w]
    ids = [1] + [word_index[w] + 3 if w in word_index and word_index[w] < num_words else 2 for w in words]
    return keras.utils.pad_sequences([ids], maxlen=maxlen)[0]'''),
    dict(name="unknown words dropped", grade_id="n06_encode",
         why="skips words it cannot find instead of writing the out-of-vocabulary id 2",
         source='''def encode_review(text, word_index, num_words, maxlen):
    words = [w for w in text.lower().translate(str.maketrans({c: " " for c in KERAS_FILTERS})).split(" ") if w]
    ids = [1] + [word_index[w] + 3 for w in words if w in word_index and word_index[w] + 3 < num_words]
    return keras.utils.pad_sequences([ids], maxlen=maxlen)[0]'''),
    dict(name="no start id", grade_id="n06_encode",
         why="forgets that every training review begins with start_char = 1",
         source='''def encode_review(text, word_index, num_words, maxlen):
    words = [w for w in text.lower().translate(str.maketrans({c: " " for c in KERAS_FILTERS})).split(" ") if w]
    ids = [word_index[w] + 3 if w in word_index and word_index[w] + 3 < num_words else 2 for w in words]
    return keras.utils.pad_sequences([ids], maxlen=maxlen)[0]'''),
    # --- build_seed_model -----------------------------------------------------------------
    dict(name="GRU instead of LSTM", grade_id="n06_seed_model",
         why="swaps the recurrent layer for the one from notebook 03",
         source='''def build_seed_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, embedding_dim),
                              layers.GRU(units), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="no sigmoid on the output", grade_id="n06_seed_model",
         why="Dense(1) without activation: the output is not a probability",
         source='''def build_seed_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, embedding_dim),
                              layers.LSTM(units), layers.Dense(1)])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="average of all states", grade_id="n06_seed_model",
         why="return_sequences=True then averaging: same 76,051 parameters, not the last state",
         source='''def build_seed_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, embedding_dim),
                              layers.LSTM(units, return_sequences=True), layers.GlobalAveragePooling1D(),
                              layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="metrics line deleted", grade_id="n06_seed_model",
         why="'fixes' the model_metrice NameError by removing the metrics argument",
         source='''def build_seed_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, embedding_dim),
                              layers.LSTM(units), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model'''),
    dict(name="one extra embedding row", grade_id="n06_seed_model",
         why="Embedding(num_words + 1, ...) 'to make room for the padding id'",
         source='''def build_seed_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words + 1, embedding_dim),
                              layers.LSTM(units), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="mean squared error", grade_id="n06_seed_model",
         why="compiles with loss='mse' for a 0/1 target",
         source='''def build_seed_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, embedding_dim),
                              layers.LSTM(units), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
    return model'''),
    dict(name="sizes swapped", grade_id="n06_seed_model",
         why="Embedding(num_words, units) and LSTM(embedding_dim): right layers, wrong widths",
         source='''def build_seed_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, units),
                              layers.LSTM(embedding_dim), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="extra Dropout layer", grade_id="n06_seed_model",
         why="Embedding, LSTM, Dropout, Dense: the same 76,051 parameters, not the tutorial's three layers",
         source='''def build_seed_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, embedding_dim),
                              layers.LSTM(units), layers.Dropout(0.2), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    # --- build_masked_model(num_words, embedding_dim, maxlen, units) --------------------------
    dict(name="no mask", grade_id="n06_masked_model",
         why="the seed model unchanged: post-padded reviews are read through their zeros",
         source='''def build_masked_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, embedding_dim),
                              layers.LSTM(units), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="Masking layer after the embedding", grade_id="n06_masked_model",
         why="keras.layers.Masking(0.0) masks a step only when its whole vector is 0, and the "
             "embedding of id 0 is not: nothing is masked, and a layer is added",
         source='''def build_masked_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, embedding_dim),
                              layers.Masking(0.0), layers.LSTM(units), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="mask shifted to id 1", grade_id="n06_masked_model",
         why="shifts every id by one so that 'padding' is 1 (the start id): the model adds a row "
             "of weights and the start token is dropped instead of the padding",
         source='''def build_masked_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words + 1, embedding_dim, mask_zero=True),
                              layers.LSTM(units), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="fixed sizes", grade_id="n06_masked_model",
         why="ignores the arguments and always builds the 5000/15/300/10 model",
         source='''def build_masked_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(300,)), layers.Embedding(5000, 15, mask_zero=True),
                              layers.LSTM(10), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    # --- build_bidirectional_model(num_words, embedding_dim, maxlen, units) -------------------
    dict(name="same units each way", grade_id="n06_bidirectional_model",
         why="Bidirectional(LSTM(units)): twice the weights of the forward model, not the same budget",
         source='''def build_bidirectional_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, embedding_dim),
                              layers.Bidirectional(layers.LSTM(units)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="half the units", grade_id="n06_bidirectional_model",
         why="v = units // 2: right for the defaults (5), but the budget is not linear in v",
         source='''def build_bidirectional_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    v = max(1, units // 2)
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, embedding_dim),
                              layers.Bidirectional(layers.LSTM(v)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="strictly under the budget", grade_id="n06_bidirectional_model",
         why="uses < where the statement allows equality: one unit short when the budget is met exactly",
         source='''def build_bidirectional_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    d, u = embedding_dim, units
    v = u
    while v > 1 and 8 * v * (d + v + 1) >= 4 * u * (d + u + 1):
        v -= 1
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, d),
                              layers.Bidirectional(layers.LSTM(v)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="the bias forgotten in the count", grade_id="n06_bidirectional_model",
         why="counts 4v(d + v) per direction: allows a unit too many when the biases tip the budget",
         source='''def build_bidirectional_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    d, u = embedding_dim, units
    v = u
    while v > 1 and 8 * v * (d + v) > 4 * u * (d + u):
        v -= 1
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, d),
                              layers.Bidirectional(layers.LSTM(v)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="sum of the two directions", grade_id="n06_bidirectional_model",
         why="merge_mode='sum' adds the two final states: Dense reads v numbers, not the 2v the statement asks",
         source='''def build_bidirectional_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    d, u = embedding_dim, units
    v = u
    while v > 1 and 8 * v * (d + v + 1) > 4 * u * (d + u + 1):
        v -= 1
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, d),
                              layers.Bidirectional(layers.LSTM(v), merge_mode="sum"), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    dict(name="GRU each way", grade_id="n06_bidirectional_model",
         why="a bidirectional GRU: another cell, with 3 gates, not the LSTM the exercise compares",
         source='''def build_bidirectional_model(num_words=5000, embedding_dim=15, maxlen=300, units=10):
    model = keras.Sequential([keras.Input(shape=(maxlen,)), layers.Embedding(num_words, embedding_dim),
                              layers.Bidirectional(layers.GRU(5)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model'''),
    # --- build_better_model (each one trains inside the grade cell) -----------------------
    dict(name="the tutorial's recipe", grade_id="n06_better_model", slow=True,
         why="submits the seed model unchanged (maxlen 300, 5 epochs): about 85-86.4 %, below 86.67 %",
         source='''def build_better_model():
    model = keras.Sequential([keras.Input(shape=(300,)), layers.Embedding(5000, 15), layers.LSTM(10),
                              layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model, dict(epochs=5, batch_size=128, validation_split=0.2)'''),
    dict(name="bag of words", grade_id="n06_better_model", slow=True,
         why="averages the word vectors (fast, but order-blind: 'not good' = 'good not')",
         source='''def build_better_model():
    model = keras.Sequential([keras.Input(shape=(400,)), layers.Embedding(10000, 16),
                              layers.GlobalAveragePooling1D(), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model, dict(epochs=3, batch_size=128, validation_split=0.1)'''),
    dict(name="logits out", grade_id="n06_better_model", slow=True,
         why="Dense(1) with a from_logits loss: the output is a score, not a probability in [0, 1]",
         source='''def build_better_model():
    model = keras.Sequential([keras.Input(shape=(400,)), layers.Embedding(5000, 32),
                              layers.Conv1D(32, 5, activation="relu"), layers.MaxPooling1D(4),
                              layers.LSTM(32), layers.Dropout(0.5), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.003),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
    return model, dict(epochs=1, batch_size=128, validation_split=0.1)'''),
    dict(name="too big to train in the cap", grade_id="n06_better_model", slow=True,
         why="a wide bidirectional LSTM over 500 steps for 10 epochs: stopped at the CPU cap",
         source='''def build_better_model():
    model = keras.Sequential([keras.Input(shape=(500,)), layers.Embedding(20000, 64),
                              layers.Bidirectional(layers.LSTM(64, return_sequences=True)),
                              layers.GlobalMaxPooling1D(), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model, dict(epochs=10, batch_size=64, validation_split=0.1)'''),
    dict(name="predicts one class", grade_id="n06_better_model", slow=True,
         why="a frozen output layer whose bias of 4 (a 'prior' that reviews are positive) the "
             "training cannot move: every review is called positive, the recall of the negative class is 0",
         source='''def build_better_model():
    model = keras.Sequential([keras.Input(shape=(400,)), layers.Embedding(5000, 8), layers.GlobalAveragePooling1D(),
                              layers.Dense(1, activation="sigmoid", trainable=False,
                                           bias_initializer=keras.initializers.Constant(4.0))])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model, dict(epochs=1, batch_size=128, validation_split=0.1)'''),
    dict(name="dropout left on at inference", grade_id="n06_better_model", slow=True,
         why="a hand-written dropout layer that ignores the training flag: it drops at inference "
             "too, so a review's prediction depends on the call (Keras' own Dropout(x, training=True) "
             "in a functional model is switched off by predict, and is no such mistake)",
         source='''def build_better_model():
    class HandDropout(layers.Layer):
        def __init__(self, rate, **kwargs):
            super().__init__(**kwargs)
            self.rate = rate
            self.seed_generator = keras.random.SeedGenerator(6)

        def call(self, x, training=None):
            return keras.random.dropout(x, self.rate, seed=self.seed_generator)

    model = keras.Sequential([keras.Input(shape=(400,)), layers.Embedding(5000, 32),
                              layers.Conv1D(32, 5, activation="relu"), layers.MaxPooling1D(4), layers.LSTM(32),
                              HandDropout(0.2), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="binary_crossentropy",
                  metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=1, restore_best_weights=True)
    return model, dict(epochs=4, batch_size=128, validation_split=0.1, callbacks=[stop])'''),
]
