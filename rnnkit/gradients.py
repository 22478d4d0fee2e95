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


def matrix_with_spectral_radius(rows: int, radius: float, seed: int = 0) -> np.ndarray:
    """A square Gaussian random matrix rescaled so that its spectral radius (largest ``|eigenvalue|``) is ``radius``.

    For such a non-symmetric matrix the largest singular value is larger than the spectral
    radius (about 1.7 times as large for 32 rows: 1.68 for ``seed=0``, the matrix of notebook
    01's explorer): ``radius`` sets how fast ``U^T`` shrinks or grows in the long run,
    ``sigma_max`` only bounds every single step.
    """
    if radius < 0:
        raise ValueError("radius must be >= 0")
    m = np.random.default_rng(seed).normal(size=(rows, rows))
    return m * (radius / np.max(np.abs(np.linalg.eigvals(m))))


class _RadiusSetup:
    """The fixed matrix, input weights and trajectories the spectral-radius curves are measured on."""

    def __init__(self, units: int, steps: int, seed: int):
        self.base = matrix_with_spectral_radius(units, 1.0, seed=seed)
        rng = np.random.default_rng(seed + 1)
        self.W = rng.normal(size=(4, units))
        self.drives = {"at rest": (np.zeros((steps, 4)), np.zeros(units)),
                       "driven": (0.5 * rng.normal(size=(steps, 4)), 0.1 * rng.normal(size=units))}
        self.grid = np.arange(1, steps + 1, 3)
        self.units = units


def spectral_radius_curve(jacobian_product, radius: float, trajectory: str = "driven", units: int = 32,
                          steps: int = 100, seed: int = 0, activation: str = "tanh", _setup=None):
    """``(T, norms, sigma_max)``: ``||dh_T/dh_0||_2`` for ``T = 1, 4, 7, ... <= steps``, measured with the
    ``jacobian_product(U, W, b, xs, h0, activation)`` passed in, for ``U`` one fixed random matrix
    (``seed``) rescaled to spectral radius ``radius``; ``sigma_max`` is that ``U``'s largest singular value.

    ``trajectory`` is ``"at rest"`` (``h_0 = 0``, ``x_t = 0``: every ``tanh'`` is 1) or ``"driven"``
    (random inputs through random input weights).  The explorer draws exactly these curves.
    """
    setup = _setup or _RadiusSetup(units, steps, seed)
    xs, h0 = setup.drives[trajectory]
    U = radius * setup.base
    with np.errstate(all="ignore"):
        norms = np.array([np.linalg.norm(np.asarray(
            jacobian_product(U, setup.W, np.zeros(setup.units), xs[:T], h0, activation), dtype=float), 2)
            for T in setup.grid])
    return setup.grid, norms, float(np.linalg.norm(U, 2))


def spectral_radius_explorer(jacobian_product, units: int = 32, steps: int = 100, seed: int = 0,
                             activation: str = "tanh", radius: float = 1.0):
    """Notebook 01's explorer: a slider for the spectral radius of ``U``, and ``||dh_T/dh_0||_2`` against ``T``.

    The curve is ``spectral_radius_curve`` for the slider's radius, computed by the
    ``jacobian_product`` passed in (the notebook passes the student's own).  Beside it:
    ``rho^T`` (the long-run rate) and ``sigma_max(U)^T`` (the bound of section 5, ``gamma = 1``
    for tanh).  A drop-down chooses the trajectory, at rest or driven.  Each (radius,
    trajectory) is computed once and kept, so moving back is instant.

    Returns the ``rnnkit.explore.Explorer``.
    """
    from matplotlib.ticker import NullLocator

    from .explore import dropdown, explore, slider

    setup = _RadiusSetup(units, steps, seed)
    grid = setup.grid
    cache: dict = {}

    def curve(rho, start):
        key = (round(float(rho), 6), start)
        if key not in cache:
            cache[key] = spectral_radius_curve(jacobian_product, rho, start, activation=activation, _setup=setup)
        return cache[key]

    def draw(fig, radius, trajectory):
        ax = fig.add_subplot()
        _, measured, sigma = curve(radius, trajectory)
        plot_norm_curves(ax, {"||dh_T/dh_0||_2 (your jacobian_product)": measured,
                              f"rho^T = {radius:.2f}^T": radius ** grid.astype(float),
                              f"bound sigma_max^T = {sigma:.2f}^T": sigma ** grid.astype(float)}, x=grid,
                         colors={"||dh_T/dh_0||_2 (your jacobian_product)": "#1f77b4"},
                         styles={f"rho^T = {radius:.2f}^T": {"color": "#444444", "linestyle": ":"},
                                 f"bound sigma_max^T = {sigma:.2f}^T": {"color": "#d62728", "linestyle": "--"}})
        ax.set_ylim(1e-30, 1e30)
        ax.set_yticks([10.0 ** k for k in range(-30, 31, 10)])       # few labels: each is costly to draw
        ax.set_yticklabels([f"1e{k}" for k in range(-30, 31, 10)])
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel("T (steps back to h_0)")
        ax.set_ylabel("log scale")
        ax.set_title(f"{units} units, {activation}, {trajectory}: spectral radius {radius:.2f}, "
                     f"sigma_max {sigma:.2f}", fontsize=9)
        ax.legend(fontsize=7, loc="lower left")

    return explore(draw, size=(7.0, 3.6),
                   radius=slider(0.5, 1.5, 0.05, radius, "spectral radius of U"),
                   trajectory=dropdown(["at rest", "driven"], "driven", "trajectory"))
