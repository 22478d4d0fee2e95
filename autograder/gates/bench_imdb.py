"""The IMDB part of `make bench`: the lab's reference model next to the seed-003 recipe.

Instructor side (never in the student bundle): the reference model below is the solution
of exercise n06_better_model, kept in step with the master by a test
(tests/test_bench_imdb.py).  Both models train in this same process, on the same data,
with the same seed, so the two figures are comparable.  Uses the full data when
IMDB_DATA_DIR points at it (the Makefile sets it to ../shared/data/imdb when present).
"""
from __future__ import annotations

import time

SEED = 6        # the seed the lab's grade cell uses


def _data(num_words: int, maxlen: int):
    import keras

    from rnnkit.imdb import is_full_imdb, load_imdb

    (x_train, y_train), (x_test, y_test) = load_imdb(num_words=num_words)
    full = is_full_imdb(x_train, x_test)
    pad = lambda xs: keras.utils.pad_sequences(xs, maxlen=maxlen)   # pre-padding, pre-truncating
    return pad(x_train), y_train, pad(x_test), y_test, full


def seed_config():
    """Seed 003: Embedding(5000, 15) -> LSTM(10) -> Dense(1, sigmoid), maxlen 300, batch 128,
    5 epochs, Adam, binary cross-entropy, 20 % validation split (76,051 parameters)."""
    import keras

    model = keras.Sequential([keras.Input(shape=(300,)), keras.layers.Embedding(5000, 15),
                              keras.layers.LSTM(10), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model, dict(epochs=5, batch_size=128, validation_split=0.2), 5000, 300


def reference_config():
    """The lab's reference improved model (the solution of n06_better_model)."""
    import keras
    from keras import layers

    maxlen, num_words = 400, 5000
    model = keras.Sequential([
        keras.Input(shape=(maxlen,)),
        layers.Embedding(num_words, 32),
        layers.Conv1D(32, 5, activation="relu"),
        layers.MaxPooling1D(4),
        layers.LSTM(32),
        layers.Dropout(0.5),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="binary_crossentropy",
                  metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2, restore_best_weights=True)
    return model, dict(epochs=5, batch_size=128, validation_split=0.1, callbacks=[stop]), num_words, maxlen


def train_and_test(config) -> dict:
    import keras

    keras.utils.set_random_seed(SEED)
    model, fit_args, num_words, maxlen = config()
    x_train, y_train, x_test, y_test, full = _data(num_words, maxlen)
    t0 = time.perf_counter()
    c0 = time.process_time()
    history = model.fit(x_train, y_train, verbose=2, **fit_args)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    accuracy = model.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]
    return {"test_accuracy": round(float(accuracy), 4), "train_seconds": round(seconds, 1),
            "train_cpu_seconds": round(cpu, 1), "epochs_run": len(history.history["loss"]),
            "params": model.count_params(), "full_data": full, "n_test": int(len(y_test))}


def run_both() -> dict:
    from rnnkit import setup

    setup(seed=SEED)
    from rnnkit.imdb import imdb_location

    seed = train_and_test(seed_config)
    ref = train_and_test(reference_config)
    return {"test_accuracy": ref["test_accuracy"], "train_seconds": ref["train_seconds"],
            "seed_config_test_accuracy": seed["test_accuracy"],
            "seed_config_train_seconds": seed["train_seconds"],
            "full_data": ref["full_data"], "data": imdb_location(with_path=False),
            "reference": dict(ref, config="Embedding(5000,32)-Conv1D(32,5)-MaxPool(4)-LSTM(32)-Dropout(0.5)-Dense(1); "
                                          "maxlen 400, Adam 3e-3, batch 128, <=5 epochs, early stopping on val_accuracy (patience 2)"),
            "seed_config": dict(seed, config="Embedding(5000,15)-LSTM(10)-Dense(1); maxlen 300, Adam, batch 128, "
                                             "5 epochs, validation_split 0.2")}
