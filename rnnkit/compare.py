"""Train several Keras models on the same data and record what a fair comparison needs.

Used by notebook 03 (GRU vs LSTM).  Nothing here builds data or counts parameters by
formula: it trains the models it is given and measures them.

    results = compare_models({"GRU": build_gru, "LSTM": build_lstm}, data, epochs=4)
    print(table(comparison_rows(results, baseline_mse)))
    plot_comparison(results, baseline_mse)

Every model is built right after ``keras.utils.set_random_seed(seed)``, so each starts
from the same random state and sees its batches in the same order.  TensorFlow is
imported only inside the functions, so that ``rnnkit.setup()`` can run first.
"""
from __future__ import annotations

import time
from typing import Callable, Mapping, Sequence

import numpy as np

#: The adding problem's success criterion (Hochreiter & Schmidhuber 1997): a sequence
#: counts as solved when the absolute error of the final output is below 0.04.
TOLERANCE = 0.04


def fraction_within(y_true, y_pred, tol: float = TOLERANCE) -> float:
    """Fraction of predictions whose absolute error is strictly below ``tol``.

    ``y_true`` and ``y_pred`` are flattened, so (n,) and (n, 1) may be mixed.
    """
    y_true = np.asarray(y_true, dtype=np.float64).ravel()
    y_pred = np.asarray(y_pred, dtype=np.float64).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has {y_true.size} values, y_pred {y_pred.size}")
    if y_true.size == 0:
        raise ValueError("no predictions to score")
    return float(np.mean(np.abs(y_true - y_pred) < tol))


def constant_baseline(y_train, y_val, tol: float = TOLERANCE) -> dict[str, float]:
    """Score the model that always predicts the training targets' mean.

    Returns ``{"value", "mse", "within"}``: the constant, its MSE on ``y_val`` (the
    validation targets' variance, plus the squared gap between the two means) and its
    fraction of ``y_val`` within ``tol``.
    """
    value = float(np.mean(y_train))
    y_val = np.asarray(y_val, dtype=np.float64).ravel()
    return {"value": value,
            "mse": float(np.mean((y_val - value) ** 2)),
            "within": fraction_within(y_val, np.full_like(y_val, value), tol)}


def within_metric(tol: float = TOLERANCE):
    """A Keras metric: the fraction of the batch with ``|y_true - y_pred| < tol``."""
    from keras import ops

    def within(y_true, y_pred):
        y_true = ops.reshape(ops.cast(y_true, "float32"), (-1,))
        y_pred = ops.reshape(ops.cast(y_pred, "float32"), (-1,))
        return ops.mean(ops.cast(ops.abs(y_true - y_pred) < tol, "float32"))

    within.__name__ = "within"
    return within


def _epoch_timer():
    import keras

    class EpochTimer(keras.callbacks.Callback):
        """Wall-clock seconds of every epoch (training plus validation)."""

        def on_train_begin(self, logs=None):
            self.seconds: list[float] = []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)

    return EpochTimer()


def train_and_record(model, data: Mapping[str, np.ndarray], epochs: int, batch_size: int = 64,
                     learning_rate: float = 3e-3, tol: float = TOLERANCE, verbose: int = 2) -> dict:
    """Compile ``model`` (Adam, MSE), fit it on ``data`` and return its record.

    ``data`` holds ``X_train`` (n, T, d), ``y_train`` (n,), ``X_val``, ``y_val``.

    Returns a dict of per-epoch lists ``loss``, ``val_mse``, ``val_within`` (fraction of
    validation sequences within ``tol``) and ``seconds``, plus ``params`` (int).
    The first epoch's seconds include building the training graph.
    """
    import keras

    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse",
                  metrics=[within_metric(tol)])
    timer = _epoch_timer()
    hist = model.fit(data["X_train"], data["y_train"], epochs=epochs, batch_size=batch_size,
                     validation_data=(data["X_val"], data["y_val"]), validation_batch_size=1024,
                     shuffle=True,
                     callbacks=[timer], verbose=verbose)
    h = hist.history
    return {"loss": [float(v) for v in h["loss"]],
            "val_mse": [float(v) for v in h["val_loss"]],
            "val_within": [float(v) for v in h["val_within"]],
            "seconds": list(timer.seconds),
            "params": int(model.count_params())}


def compare_models(builders: Mapping[str, Callable[[], object]], data: Mapping[str, np.ndarray],
                   epochs: int, seed: int = 0, **fit_kwargs) -> dict[str, dict]:
    """Build and train every model in ``builders`` (name -> zero-argument builder).

    Each is built right after ``keras.utils.set_random_seed(seed)``: same start, same data,
    same batch order.  Returns ``{name: record}`` with ``train_and_record``'s records.
    """
    import keras

    results = {}
    for name, build in builders.items():
        keras.utils.set_random_seed(seed)
        model = build()
        print(f"--- {name}: {model.count_params()} parameters")
        results[name] = train_and_record(model, data, epochs, **fit_kwargs)
    return results


def seconds_per_epoch(record: Mapping[str, Sequence[float]]) -> float:
    """Median seconds per epoch, leaving out the first (graph building) when there are others."""
    secs = list(record["seconds"])
    return float(np.median(secs[1:] if len(secs) > 1 else secs))


def first_epoch_reaching(values: Sequence[float], level: float) -> int | None:
    """The first epoch (counted from 1) whose value is at least ``level``, or None."""
    for i, v in enumerate(values, 1):
        if v >= level:
            return i
    return None


def comparison_rows(results: Mapping[str, Mapping], baseline: Mapping[str, float] | None = None) -> list[dict]:
    """One row per model (plus the baseline, when given) for ``rnnkit.plots.table``."""
    rows = []
    if baseline is not None:
        rows.append({"model": "baseline", "params": 0, "final val MSE": baseline["mse"],
                     "best val MSE": baseline["mse"], "final within": baseline["within"],
                     "epoch >= 0.9": "-", "s/epoch": "-"})
    for name, rec in results.items():
        first = first_epoch_reaching(rec["val_within"], 0.9)
        rows.append({"model": name, "params": rec["params"],
                     "final val MSE": rec["val_mse"][-1], "best val MSE": min(rec["val_mse"]),
                     "final within": rec["val_within"][-1],
                     "epoch >= 0.9": "-" if first is None else first,
                     "s/epoch": round(seconds_per_epoch(rec), 2)})
    return rows


def plot_comparison(results: Mapping[str, Mapping], baseline: Mapping[str, float] | None = None,
                    axes=None, tol: float = TOLERANCE):
    """Two panels: validation MSE per epoch (log scale) and fraction within ``tol`` per epoch."""
    from .plots import MODEL_COLORS, finish, new_axes

    if axes is None:
        fig, axes = new_axes(ncols=2, width=5.5)
    else:
        fig = axes[0].figure
    ax_mse, ax_acc = axes
    epochs = max(len(rec["val_mse"]) for rec in results.values())
    xs = np.arange(1, epochs + 1)
    for name, rec in results.items():
        kw = dict(marker="o", ms=3, label=name, color=MODEL_COLORS.get(name))
        ax_mse.plot(xs[: len(rec["val_mse"])], rec["val_mse"], **kw)
        ax_acc.plot(xs[: len(rec["val_within"])], rec["val_within"], **kw)
    if baseline is not None:
        kw = dict(ls="--", color=MODEL_COLORS["baseline"], label="predict the mean")
        ax_mse.axhline(baseline["mse"], **kw)
        ax_acc.axhline(baseline["within"], **kw)
    ax_mse.set_yscale("log")
    ax_acc.set_ylim(-0.02, 1.02)
    names = list(results)
    best = min(names, key=lambda n: results[n]["val_mse"][-1])
    finish(ax_mse, "Validation MSE", "epoch", "MSE (log scale)",
           takeaway=f"lowest at the end: {best}")
    finish(ax_acc, f"Sequences within {tol} of the target", "epoch", "fraction of validation set",
           takeaway="the paper's criterion: |error| < 0.04")
    ax_mse.set_xticks(xs)
    ax_acc.set_xticks(xs)
    fig.tight_layout()
    return fig


def largest_units(count_params: Callable[[int], int], budget: int, max_units: int = 4096) -> int:
    """The largest ``u`` with ``count_params(u) <= budget`` (``count_params`` increasing in u).

    Returns 0 when even one unit is over the budget.
    """
    if budget < 0:
        raise ValueError("budget must be non-negative")
    lo, hi = 0, max_units
    if count_params(hi) <= budget:
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if count_params(mid) <= budget:
            lo = mid
        else:
            hi = mid
    return lo


__all__ = ["TOLERANCE", "fraction_within", "constant_baseline", "within_metric", "train_and_record",
           "compare_models", "seconds_per_epoch", "first_epoch_reaching", "comparison_rows",
           "plot_comparison", "largest_units"]

