"""Damped sine waves for the forecasting lab (notebook 05), and plots of forecasts.

A damped sine scaled into [0, 1]::

    s_i = 0.5 + 0.5 * sin(2 * pi * i / period) * exp(-decay * i),    i = 0, 1, ..., length - 1

The oscillation starts at 0.5 with amplitude 0.5 and shrinks by a factor ``exp(-decay)``
per step, so every value stays in [0, 1].  Cutting these series into (input, target)
examples is the lab's graded exercise and is not here.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

#: Default colours of the forecast plots: the input, the truth, and one per forecaster.
FORECAST_COLORS: dict[str, str] = {
    "input": "#444444",
    "truth": "#000000",
    "persistence": "#7f7f7f",
    "linear": "#bcbd22",
    "LSTM": "#1f77b4",
}


def generate_sequence(length: int, period: float, decay: float) -> np.ndarray:
    """One damped sine of ``length`` steps, in [0, 1].

    Parameters
    ----------
    length : int
        Number of steps, >= 0.
    period : float
        Steps per oscillation (> 0).
    decay : float
        Amplitude decay rate per step (>= 0): the envelope is ``0.5 * exp(-decay * i)``.

    Returns
    -------
    np.ndarray, shape (length,), float64
        ``0.5 + 0.5 * sin(2*pi*i/period) * exp(-decay*i)`` for ``i = 0 .. length-1``.
    """
    length = int(length)
    if length < 0:
        raise ValueError(f"length must be >= 0, got {length}")
    if not period > 0:
        raise ValueError(f"period must be > 0, got {period}")
    if decay < 0:
        raise ValueError(f"decay must be >= 0, got {decay}")
    i = np.arange(length, dtype=np.float64)
    return 0.5 + 0.5 * np.sin(2.0 * np.pi * i / period) * np.exp(-decay * i)


def plot_forecast(ax, x: Sequence[float], y_true: Sequence[float],
                  forecasts: Mapping[str, Sequence[float]] | None = None,
                  colors: Mapping[str, str] | None = None, show_input: int | None = None):
    """Draw one example: its input window, its true continuation and any forecasts.

    Parameters
    ----------
    ax : matplotlib Axes
    x : array-like, shape (length,) or (length, 1)
        The input window (steps ``0 .. length-1``).
    y_true : array-like, shape (output,)
        The true next values (steps ``length .. length+output-1``).
    forecasts : mapping name -> array-like of shape (output,), optional
        Forecasts of the same steps, drawn dashed with markers.
    colors : mapping name -> colour, optional
        Overrides :data:`FORECAST_COLORS`.
    show_input : int, optional
        Draw only the last ``show_input`` input steps (default: all of them).

    Returns
    -------
    ax
    """
    palette = dict(FORECAST_COLORS)
    palette.update(colors or {})
    x = np.asarray(x, dtype=float).reshape(-1)
    y_true = np.asarray(y_true, dtype=float).reshape(-1)
    length = len(x)
    start = 0 if show_input is None else max(0, length - int(show_input))
    steps_in = np.arange(start, length)
    steps_out = np.arange(length, length + len(y_true))
    ax.plot(steps_in, x[start:], color=palette["input"], lw=1.2, label="input")
    # The truth is drawn from the last input value so that the line is continuous.
    ax.plot(np.r_[length - 1, steps_out], np.r_[x[-1], y_true], color=palette["truth"], lw=2,
            label="true continuation")
    for name, values in (forecasts or {}).items():
        values = np.asarray(values, dtype=float).reshape(-1)
        if values.shape != y_true.shape:
            raise ValueError(f"forecast {name!r} has shape {values.shape}, expected {y_true.shape}")
        ax.plot(steps_out, values, ls="--", marker="o", ms=3, color=palette.get(name), label=name)
    ax.axvline(length - 0.5, color="#999999", lw=0.8, ls=":")
    return ax


def plot_forecast_grid(X, y, forecasts: Mapping[str, np.ndarray], indices: Sequence[int],
                       ncols: int = 3, show_input: int | None = None, titles: Sequence[str] | None = None):
    """One panel per example ``indices``; returns ``(fig, axes)`` (axes flattened, unused ones hidden).

    ``X`` is (n, length, 1) or (n, length), ``y`` is (n, output) and each forecast is
    (n, output).  Label the panels afterwards (e.g. with ``rnnkit.plots.finish``).
    """
    import matplotlib.pyplot as plt

    indices = list(indices)
    if not indices:
        raise ValueError("indices is empty")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    ncols = max(1, min(int(ncols), len(indices)))
    nrows = -(-len(indices) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.0 * nrows), squeeze=False)
    axes = axes.ravel()
    for k, idx in enumerate(indices):
        plot_forecast(axes[k], X[idx], y[idx], {n: np.asarray(f)[idx] for n, f in forecasts.items()},
                      show_input=show_input)
        if titles is not None:
            axes[k].set_title(titles[k], fontsize=9)
    for ax in axes[len(indices):]:
        ax.set_visible(False)
    return fig, axes



def free_running(predict, X, steps: int) -> np.ndarray:
    """Forecast ``steps`` values ahead by feeding a model's own forecasts back as inputs.

    ``predict(windows)`` maps (n, T, 1) windows to (n, H) forecasts of the next H values (a
    trained model's ``predict``); each round keeps its H forecasts, appends them to the
    window and drops the oldest, until ``steps`` values are forecast.  Returns (n, steps).
    """
    window = np.asarray(X, dtype=np.float32).copy()
    n, length = window.shape[:2]
    out = []
    done = 0
    while done < steps:
        f = np.asarray(predict(window), dtype=np.float64).reshape(n, -1)
        out.append(f)
        done += f.shape[1]
        window = np.concatenate([window, f[:, :, None].astype(np.float32)], axis=1)[:, -length:]
    return np.concatenate(out, axis=1)[:, :steps]


def horizon_results(predict, baselines: Mapping[str, object], waves, length: int, max_horizon: int) -> dict:
    """What the horizon explorer shows, computed once: forecasts ``max_horizon`` steps ahead.

    ``waves`` is a list of (period, decay); each is cut at ``length``.  ``predict`` is the
    model's (see :func:`free_running`); ``baselines`` maps a name to ``f(X, output)``
    returning (n, output) forecasts (the lab's own persistence and linear forecasters).
    Returns the windows, the truth, every forecaster's forecasts and its RMSE per step j.
    """
    series = np.stack([generate_sequence(length + max_horizon, p, d) for p, d in waves])
    X = series[:, :length, None].astype(np.float32)
    truth = series[:, length:]
    forecasts = {"LSTM": free_running(predict, X, max_horizon)}
    for name, f in baselines.items():
        forecasts[name] = np.asarray(f(X, max_horizon), dtype=np.float64).reshape(len(X), max_horizon)
    rmse = {name: np.sqrt(np.mean((f - truth) ** 2, axis=0)) for name, f in forecasts.items()}
    return dict(X=X, truth=truth, forecasts=forecasts, rmse=rmse, waves=list(waves), length=length)


def horizon_explorer(predict, baselines: Mapping[str, object], waves, length: int, output: int,
                     max_horizon: int = 30, show: int = 3):
    """An explorer of the forecast horizon: how far ahead, and which test wave.

    Left: one wave's window, its truth and the forecasts up to the chosen horizon (the model
    runs free beyond its ``output`` steps, on its own forecasts). Right: the RMSE of every
    forecaster against the step ahead ``j`` over all ``waves``, the chosen horizon marked.
    Everything is computed once here (:func:`horizon_results`); moving a control only redraws.
    The returned :class:`rnnkit.explore.Explorer` keeps those numbers in ``results``.
    """
    from .explore import dropdown, explore, slider

    res = horizon_results(predict, baselines, waves, length, max_horizon)
    palette = dict(FORECAST_COLORS)
    steps = np.arange(1, max_horizon + 1)

    def draw(fig, horizon, wave):
        ax1, ax2 = fig.subplots(1, 2)
        p, d = res["waves"][wave]
        plot_forecast(ax1, res["X"][wave, -20:], res["truth"][wave, :horizon],
                      {name: f[wave, :horizon] for name, f in res["forecasts"].items()})
        ax1.axvspan(20 - 0.5, 20 + min(output, horizon) - 0.5, color="#eeeeee", zorder=0)
        ax1.set_title(f"period {p}, decay {d:.3f}: {horizon} steps ahead", fontsize=10)
        ax1.set_xlabel("step, from 20 steps before the cut (grey: the trained steps)")
        ax1.legend(fontsize=7, loc="upper left")
        for name, r in res["rmse"].items():
            ax2.semilogy(steps, r, marker=".", color=palette.get(name), label=name)
        ax2.axvline(horizon, color="#d62728", lw=1)
        ax2.axvspan(0.5, output + 0.5, color="#eeeeee", zorder=0, label=f"trained steps (1..{output})")
        ax2.set_title(f"RMSE against the step ahead j ({len(res['X'])} waves)", fontsize=10)
        ax2.set_xlabel("step ahead j")
        ax2.set_ylabel("RMSE (log scale)")
        ax2.legend(fontsize=7)

    options = [(f"period {p}, decay {d:.3f}", k) for k, (p, d) in enumerate(res["waves"][:show])]
    ex = explore(draw, size=(11.0, 3.8),
                 horizon=slider(1, max_horizon, 1, output, "steps ahead", integer=True),
                 wave=dropdown(options, 0, "wave"))
    ex.results = res           # the numbers behind the figure, for a table beside it
    return ex
