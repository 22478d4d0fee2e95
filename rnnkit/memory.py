"""Helpers for notebook 02 (the LSTM cell's memory): the cell state with the input gate closed.

With the input gate shut the cell state only decays, ``c_t = f c_{t-1}`` for a constant
forget gate ``f = sigma(b_f)``.  This module *simulates* that curve step by step and
*measures* on it the first step at which the cell has lost half of its value; the notebook's
explorer shows both as ``b_f`` moves.  Nothing here is an exercise answer: there is no
closed form of the half-life in this module (that is the notebook's exercise).
"""
from __future__ import annotations

import numpy as np


def _sigmoid(z: float) -> float:
    return float(1.0 / (1.0 + np.exp(-z)))


def cell_state_curve(b_f: float, steps: int, c0: float = 1.0, b_i: float = -30.0, b_c: float = 0.0) -> np.ndarray:
    """``c_0, c_1, ..., c_steps`` of one LSTM unit whose gates see only their biases.

    ``c_t = sigma(b_f) c_{t-1} + sigma(b_i) tanh(b_c)``: with the default ``b_i = -30`` the
    input gate is closed (``sigma(-30) ~ 1e-13``), and with the default ``b_c = 0`` the candidate
    ``tanh(0) = 0`` writes nothing at all.

    Returns
    -------
    np.ndarray, shape (steps + 1,), float64
    """
    f, written = _sigmoid(b_f), _sigmoid(b_i) * np.tanh(b_c)
    curve = np.empty(int(steps) + 1)
    curve[0] = c0
    for t in range(1, int(steps) + 1):
        curve[t] = f * curve[t - 1] + written
    return curve


def measured_half_life(curve) -> int | None:
    """The first step ``t >= 1`` with ``|c_t| <= |c_0| / 2`` on a simulated curve, or ``None`` if it never gets there."""
    curve = np.abs(np.asarray(curve, dtype=float))
    below = np.nonzero(curve[1:] <= curve[0] / 2)[0]
    return int(below[0]) + 1 if below.size else None


def half_life_explorer(half_life=None, b_f: float = 1.0, steps: int = 400):
    """Notebook 02's explorer: a slider for ``b_f``, the simulated ``c_t / c_0`` and the step where it halves.

    The mark is *measured* on the simulated curve (``measured_half_life``).  Pass the
    student's ``half_life(b_f)`` to draw its value beside the mark: a real number of steps
    that lies between the measured step minus one and the measured step.

    Returns the ``rnnkit.explore.Explorer``.
    """
    from .explore import explore, slider

    curves: dict = {}

    def draw(fig, b_f):
        ax = fig.add_subplot()
        key = round(float(b_f), 6)
        if key not in curves:
            curves[key] = cell_state_curve(b_f, steps)
        curve = curves[key]
        mark = measured_half_life(curve)
        horizon = steps if mark is None else int(min(steps, max(10, 3 * mark)))
        t = np.arange(horizon + 1)
        ax.plot(t, curve[: horizon + 1] / curve[0], color="#ff7f0e", lw=2, label=f"c_t / c_0, f = sigma(b_f) = {_sigmoid(b_f):.4f}")
        ax.axhline(0.5, color="#999999", ls=":", lw=1)
        text = "never halves within the plotted steps" if mark is None else f"measured: first at or below 1/2 at step {mark}"
        if mark is not None:
            ax.axvline(mark, color="#a63603", ls="--", lw=1, label=f"first step at or below 1/2: t = {mark}")
        if half_life is not None:
            try:
                value = float(half_life(b_f))
            except Exception as exc:   # an unfinished exercise must not break the explorer
                value, text = None, text + f" | your cell_half_life: {type(exc).__name__}"
            if value is not None and np.isfinite(value):
                ax.axvline(value, color="#1f77b4", lw=1.5, label=f"your cell_half_life: {value:.2f}")
                text += f" | your cell_half_life: {value:.3f}"
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("time step t")
        ax.set_ylabel("c_t / c_0")
        ax.set_title(f"b_f = {b_f:.2f}: {text}", fontsize=9)
        ax.legend(fontsize=7, loc="upper right")

    return explore(draw, size=(7.0, 3.4), b_f=slider(-2.0, 6.0, 0.25, b_f, "forget bias b_f"))
