"""Notebook 03: the explorer of one GRU step, with its two gates set by hand.

One step of a two-unit GRU, so that a state is a point in the plane.  The update gate ``z``
and the reset gate ``r`` are not computed from weights: two sliders set them (one value for
both units), and everything else of the step is fixed::

    h~(r) = tanh(a_x + r * a_h)             a_x = x_t W_h + b[0]_h,  a_h = h_{t-1} U_h + b[1]_h
    h_t   = z * h_{t-1} + (1 - z) * h~(r)   Keras' convention (notebook 03, section 1)

so a student sees that ``z = 1`` copies ``h_{t-1}`` whatever the candidate, ``z = 0`` takes the
candidate, and ``r = 0`` makes the candidate ignore ``h_{t-1}`` (it is ``tanh(a_x)``).

    from rnnkit.gru import gru_step_explorer
    gru_step_explorer()

Numpy and matplotlib only; a redraw is a few line plots.
"""
from __future__ import annotations

import numpy as np

from .plots import GATE_COLORS

#: The fixed part of the step: the previous state and the two parts of the candidate's
#: pre-activation, chosen so that h_{t-1}, tanh(a_x) and tanh(a_x + a_h) are far apart.
H_PREV = np.array([0.75, -0.55])
A_X = np.array([-0.35, 0.55])          # x_t W_h + b[0]_h: the input's share
A_H = np.array([-1.05, -1.5])          # h_{t-1} U_h + b[1]_h: the share the reset gate scales


def step_points(z: float, r: float, h_prev=H_PREV, a_x=A_X, a_h=A_H) -> dict[str, np.ndarray]:
    """The points of one GRU step for gate values ``z`` and ``r`` in [0, 1].

    Returns ``{"h_prev", "candidate", "h_t", "candidate_r0"}``, each of shape (2,):
    the previous state, the candidate for this ``r``, the new state, and the candidate
    with ``r = 0`` (the one that ignores ``h_{t-1}``).
    """
    if not (0.0 <= z <= 1.0 and 0.0 <= r <= 1.0):
        raise ValueError(f"gate values lie in [0, 1], got z = {z}, r = {r}")
    h_prev, a_x, a_h = (np.asarray(v, dtype=float) for v in (h_prev, a_x, a_h))
    cand = np.tanh(a_x + r * a_h)
    keep = z * h_prev                       # what the update gate keeps of the old state
    write = (1.0 - z) * cand                # what it lets in of the candidate
    return {"h_prev": h_prev, "candidate": cand, "h_t": keep + write, "candidate_r0": np.tanh(a_x)}


def draw_step(fig, z: float, r: float) -> None:
    """Draw the step for gates ``z`` and ``r``: the state plane on the left, the units as bars on the right."""
    pts = step_points(z, r)
    green, purple, grey = GATE_COLORS["h"], GATE_COLORS["z"], GATE_COLORS["state"]
    ax, bars = fig.subplots(1, 2, width_ratios=[1.15, 1.0])

    rs = np.linspace(0.0, 1.0, 41)
    path = np.tanh(A_X[None, :] + rs[:, None] * A_H[None, :])
    ax.plot(path[:, 0], path[:, 1], ls="--", lw=1, color=green, alpha=0.6, label=r"$\tilde h_t$ as $r$ goes 0 → 1")
    ax.plot(*np.stack([pts["candidate"], pts["h_prev"]]).T, color=purple, lw=1, alpha=0.5)
    ax.plot(*pts["candidate_r0"], marker="x", ms=9, color=GATE_COLORS["r"], ls="none", label=r"$\tilde h_t$ with $r = 0$")
    ax.plot(*pts["h_prev"], marker="o", ms=9, color=grey, ls="none", label=r"$h_{t-1}$")
    ax.plot(*pts["candidate"], marker="s", ms=8, color=green, ls="none", label=r"$\tilde h_t$")
    ax.plot(*pts["h_t"], marker="*", ms=15, color=purple, ls="none", label=r"$h_t$")
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    ax.set_aspect("equal")
    ax.axhline(0, color="k", lw=0.5)
    ax.axvline(0, color="k", lw=0.5)
    ax.set_xlabel("unit 1")
    ax.set_ylabel("unit 2")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="upper right")
    if z >= 0.999:
        verdict = r"$z = 1$: $h_t = h_{t-1}$, the state is copied"
    elif z <= 0.001:
        verdict = r"$z = 0$: $h_t = \tilde h_t$, the state is replaced"
    else:
        verdict = rf"$h_t$ is {z:.0%} of the way from $\tilde h_t$ to $h_{{t-1}}$"
    ax.set_title(f"z = {z:.2f}, r = {r:.2f}\n{verdict}", fontsize=9)

    width = 0.26
    units = np.arange(2)
    for k, (key, label, color) in enumerate([("h_prev", r"$h_{t-1}$", grey), ("candidate", r"$\tilde h_t$", green),
                                             ("h_t", r"$h_t$", purple)]):
        bars.bar(units + (k - 1) * width, pts[key], width, color=color, label=label)
    bars.axhline(0, color="k", lw=0.5)
    bars.set_xticks(units, ["unit 1", "unit 2"])
    bars.set_ylim(-1.05, 1.05)
    bars.grid(True, axis="y", alpha=0.3)
    bars.legend(fontsize=7, loc="upper right")
    note = (r"$r = 0$: $\tilde h_t$ ignores $h_{t-1}$" if r <= 0.001
            else r"$r$ scales $h_{t-1} U_h + b[1]_h$ inside $\tilde h_t$")
    bars.set_title(f"the two units\n{note}", fontsize=9)


def gru_step_explorer(z: float = 0.5, r: float = 0.5):
    """Show the explorer: sliders for the update gate ``z`` and the reset gate ``r``."""
    from .explore import explore, slider

    return explore(draw_step, size=(8.0, 3.9),
                   z=slider(0.0, 1.0, 0.05, z, "update gate z"),
                   r=slider(0.0, 1.0, 0.05, r, "reset gate r"))


__all__ = ["H_PREV", "A_X", "A_H", "step_points", "draw_step", "gru_step_explorer"]
