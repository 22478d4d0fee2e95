"""Data and plots for the sine-wave lab."""
from __future__ import annotations

import numpy as np

STEP = 0.5


def sine_series(start: float, stop: float, step: float = STEP) -> tuple[np.ndarray, np.ndarray]:
    """Sample sin on [start, stop) every ``step``.

    Returns
    -------
    x : (n,) array of sample positions
    series : (n, 1) array, ``sin(x)`` as a one-feature time series
    """
    if step <= 0:
        raise ValueError(f"step must be positive, got {step}")
    x = np.arange(start, stop, step, dtype=np.float64)
    return x, np.sin(x).reshape(-1, 1)


def plot_split(ax, x_train, train, x_test, test):
    """The training and test halves of the series, in two colours."""
    ax.plot(x_train, np.ravel(train), label="train: sin(x), x in [0, 100)")
    ax.plot(x_test, np.ravel(test), label="test: sin(x), x in [100, 200)")
    return ax


def plot_forecast(ax, x, truth, prediction, label="LSTM forecast"):
    """One-step-ahead predictions against the truth, on the positions ``x`` they predict."""
    ax.plot(x, np.ravel(truth), color="black", lw=2, alpha=0.35, label="truth")
    ax.plot(x, np.ravel(prediction), color="#1f77b4", lw=1, label=label)
    return ax


def phase_pairs(step: float = STEP, n: int = 400, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random phases' current value sin(x) and next value sin(x + step), for scatter plots."""
    rng = np.random.default_rng(seed)
    phase = rng.uniform(0, 2 * np.pi, n)
    return np.sin(phase), np.sin(phase + step)


def look_back_results(x_test, test_series, preds) -> dict:
    """Per window length, what the explorer shows: test MSE, current values, predictions, truth.

    ``preds`` maps ``look_back`` to ``(x, prediction)``, the positions ``x_test[look_back:]`` a
    model trained with that window predicts and its predictions there, shape (n - look_back, 1).
    """
    x_test = np.asarray(x_test, dtype=np.float64).reshape(-1)
    series = np.asarray(test_series, dtype=np.float64).reshape(-1)
    out = {}
    for lb in sorted(preds):
        x, pred = preds[lb]
        x = np.asarray(x, dtype=np.float64).reshape(-1)
        pred = np.asarray(pred, dtype=np.float64).reshape(-1)
        if len(x) != len(series) - lb or len(pred) != len(x):
            raise ValueError(f"look_back {lb}: expected {len(series) - lb} predictions at x_test[{lb}:], "
                             f"got {len(pred)} at {len(x)} positions")
        truth, current = series[lb:], series[lb - 1:-1]
        out[lb] = dict(x=x, pred=pred, truth=truth, current=current,
                       rising=np.cos(x - (x_test[1] - x_test[0])) > 0,    # is the wave rising at the current step?
                       mse=float(np.mean((pred - truth) ** 2)))
    return out


def look_back_explorer(x_test, test_series, preds, look_back=None):
    """An explorer of the window length: a slider over the trained ``look_back`` values.

    Left: the test MSE of every window length (log scale), the chosen one highlighted.
    Right: the chosen model's prediction of the next value against the current value, beside
    the truth, rising and falling steps in two colours.  Everything is computed from the
    predictions given (``preds``, as :func:`look_back_results` reads them): moving the slider
    only redraws.  Returns the :class:`rnnkit.explore.Explorer`, or prints what to do and
    returns ``None`` when ``preds`` is empty (a student version whose exercises are blank).
    """
    import ipywidgets as widgets

    from .explore import explore

    if not preds:    # the cell that trains them stopped early: your exercises are not written yet
        print("No trained models to explore yet: the cell above trains one per look_back once "
              "your `dataset` and `build_model` work. Run it again, then this cell.")
        return None
    results = look_back_results(x_test, test_series, preds)
    options = list(results)
    control = widgets.SelectionSlider(options=options, value=look_back if look_back in results else options[0],
                                      description="look_back", continuous_update=False,
                                      style={"description_width": "initial"}, layout=widgets.Layout(width="420px"))

    def draw(fig, look_back):
        ax1, ax2 = fig.subplots(1, 2)
        mses = [results[lb]["mse"] for lb in options]
        ax1.bar([str(lb) for lb in options], mses,
                color=["#d62728" if lb == look_back else "#1f77b4" for lb in options])
        ax1.set_yscale("log")
        ax1.set_title("test MSE against look_back", fontsize=10)
        ax1.set_xlabel("look_back")
        ax1.set_ylabel("test MSE (log scale)")
        r = results[look_back]
        for mask, colour, side in [(r["rising"], "#2ca02c", "rising"), (~r["rising"], "#9467bd", "falling")]:
            ax2.scatter(r["current"][mask], r["truth"][mask], s=14, color=colour, alpha=0.25, label=f"truth, {side}")
            ax2.scatter(r["current"][mask], r["pred"][mask], s=5, color=colour, marker="x", label=f"model, {side}")
        ax2.set_title(f"look_back = {look_back}: MSE {r['mse']:.1e}", fontsize=10)
        ax2.set_xlabel("current value sin(x)")
        ax2.set_ylabel("next value")
        ax2.legend(fontsize=7, loc="upper left")

    return explore(draw, size=(10.0, 3.6), look_back=control)
