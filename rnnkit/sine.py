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
