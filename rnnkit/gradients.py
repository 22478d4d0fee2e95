"""Helpers for notebook 01 (vanishing and exploding gradients).

Random recurrent matrices with a chosen largest singular value, the input sequences
and the small regression task the notebook trains on, and a log-scale plot for
gradient-norm curves.  Nothing here is an exercise answer.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np


def matrix_with_sigma_max(rows: int, sigma_max: float, cols: int | None = None, seed: int = 0) -> np.ndarray:
    """A Gaussian random matrix rescaled so that its largest singular value is ``sigma_max``.

    The matrix is not symmetric (with probability one), so code that uses ``U`` where
    ``U.T`` is meant gives a different answer.

    Parameters
    ----------
    rows, cols : int
        Shape ``(rows, cols)``; ``cols`` defaults to ``rows`` (a square recurrent matrix).
    sigma_max : float
        The largest singular value wanted (``>= 0``).
    seed : int
        Seed of the NumPy generator; the same seed gives the same matrix.

    Returns
    -------
    np.ndarray, shape (rows, cols), float64
    """
    if sigma_max < 0:
        raise ValueError("sigma_max must be >= 0")
    cols = rows if cols is None else cols
    rng = np.random.default_rng(seed)
    m = rng.normal(size=(rows, cols))
    return m * (sigma_max / np.linalg.svd(m, compute_uv=False)[0])


def random_sequences(batch: int, steps: int, features: int, seed: int = 0, scale: float = 1.0,
                     dtype: str = "float32") -> np.ndarray:
    """Standard-normal input sequences times ``scale``, shape ``(batch, steps, features)``."""
    rng = np.random.default_rng(seed)
    return (scale * rng.normal(size=(batch, steps, features))).astype(dtype)


def recent_sum_task(n: int, steps: int, k: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A small regression task: the target is the sum of the last ``k`` inputs.

    Returns
    -------
    x : np.ndarray, shape (n, steps, 1), float32, uniform on [-1, 1]
    y : np.ndarray, shape (n, 1), float32, ``x[:, -k:, 0].sum(axis=1)``
    """
    if not 1 <= k <= steps:
        raise ValueError("need 1 <= k <= steps")
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(n, steps, 1)).astype("float32")
    y = x[:, -k:, 0].sum(axis=1, keepdims=True).astype("float32")
    return x, y


def plot_norm_curves(ax, curves: Mapping[str, Sequence[float]], x: Sequence[float] | None = None,
                     colors: Mapping[str, str] | None = None, styles: Mapping[str, dict] | None = None):
    """Plot several positive curves (gradient norms, losses) on a log y-axis.

    Points that are zero, negative, ``inf`` or ``nan`` cannot be drawn on a log scale:
    they are left out (the line breaks there) instead of raising or warning.

    Parameters
    ----------
    ax : matplotlib Axes
    curves : mapping name -> 1-D values
    x : the common x values (default ``0, 1, 2, ...``); a curve may be shorter than ``x``
    colors, styles : optional per-name colour and extra ``ax.plot`` keyword arguments
    """
    colors = colors or {}
    styles = styles or {}
    for name, values in curves.items():
        values = np.asarray(values, dtype=float).ravel()
        xs = np.arange(len(values)) if x is None else np.asarray(x, dtype=float)[: len(values)]
        ok = np.isfinite(values) & (values > 0)
        shown = np.where(ok, values, np.nan)
        kw = {"label": name, **styles.get(name, {})}
        if name in colors:
            kw.setdefault("color", colors[name])
        ax.plot(xs, shown, **kw)
    ax.set_yscale("log")
    return ax
