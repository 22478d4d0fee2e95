"""The course's diagrams, drawn by code into ``assets/``.

    python -m autograder assets [--out DIR] [--only NAME ...]      (``make assets``)

Every figure the notebooks show is drawn here with matplotlib, in the course notation
(CONTRIBUTING.md) and the gate colours of :data:`rnnkit.plots.GATE_COLORS`.  Notebooks
reference them as ``../../assets/<name>.png``.

The output is byte-for-byte repeatable: the Agg backend, matplotlib's default style, the
fonts that ship with matplotlib (never the system's), a fixed size and dpi, and no
"Software" or date entry in the PNG metadata.  ``tests/test_assets.py`` redraws every
figure and fails when ``assets/`` differs from what this module draws now.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Callable

import numpy as np

from rnnkit.plots import GATE_COLORS

ASSETS = Path(__file__).resolve().parents[2] / "assets"    # the repository's assets/ (this file: autograder/authoring/)
DPI = 110
STATE = GATE_COLORS["state"]          # cell / hidden state lines
GRAD = "#e377c2"                      # gradients (backward pass): no gate uses pink
CELL_FILL = "#f4f4f4"
CELL_EDGE = "#9a9a9a"
TEXT = "#222222"

# gate -> (box text, label) in the course notation, in Keras' order (kernel columns 0:u, u:2u, 2u:3u, 3u:4u)
LSTM_GATES = {
    "i": ("σ", r"$i_t$"),
    "f": ("σ", r"$f_t$"),
    "c": ("tanh", r"$\tilde{c}_t$"),
    "o": ("σ", r"$o_t$"),
}
# the order, left to right, in which lstm_cell draws the gate boxes: Keras' order
LSTM_GATE_ORDER = tuple(LSTM_GATES)


# --------------------------------------------------------------------------- drawing kit
@contextlib.contextmanager
def _deterministic_matplotlib():
    """matplotlib's defaults and its own fonts only, whatever the machine or matplotlibrc."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager

    manager = font_manager.fontManager
    saved = list(manager.ttflist)
    bundled = os.path.join(matplotlib.get_data_path(), "fonts")
    manager.ttflist = [f for f in saved if os.path.abspath(f.fname).startswith(bundled)]
    manager._findfont_cached.cache_clear()
    try:
        with matplotlib.rc_context():
            matplotlib.rcdefaults()
            matplotlib.rcParams.update({
                "font.family": "DejaVu Sans",
                "mathtext.fontset": "dejavusans",
                "svg.hashsalt": "rnnkit",
                "path.simplify": True,
                "savefig.dpi": DPI,
            })
            yield
    finally:
        manager.ttflist = saved
        manager._findfont_cached.cache_clear()


def _canvas(width: float, height: float, xlim, ylim, rect=(0, 0, 1, 1)):
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes(rect)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def _cell_canvas():
    """The left 56 % of a 13 x 5.6 in figure with an empty cell body: the LSTM and GRU diagrams."""
    fig, ax = _canvas(13.0, 5.6, (-0.2, 14.4), (-0.45, 9.3), rect=(0.0, 0.0, 0.56, 1.0))
    _box(ax, 6.9, 4.35, 9.6, 7.3, color=CELL_EDGE, fill=CELL_FILL, lw=1.2, rounding=0.4, z=0)
    return fig, ax


def _equation_panel(fig):
    """The right-hand panel, in unit coordinates, where a cell diagram lists its equations."""
    eq = fig.add_axes((0.565, 0.0, 0.435, 1.0))
    eq.set_xlim(0, 1)
    eq.set_ylim(0, 1)
    eq.axis("off")
    return eq


def _box(ax, x, y, w, h, text="", color=CELL_EDGE, fill=None, text_color="white", size=14, lw=1.5,
         rounding=0.12, z=3):
    """A rounded box centred on (x, y)."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h,
                                boxstyle=f"round,pad=0,rounding_size={rounding}",
                                fc=fill if fill is not None else color, ec=color, lw=lw, zorder=z))
    if text:
        ax.text(x, y, text, ha="center", va="center", color=text_color, fontsize=size, zorder=z + 1,
                fontweight="bold" if text_color == "white" else "normal")


def _node(ax, x, y, symbol, r=0.27, color=STATE, size=15):
    """A round point-wise operation node: ×, +, tanh, 1−."""
    from matplotlib.patches import Circle, Ellipse

    if len(symbol) > 1:
        ax.add_patch(Ellipse((x, y), 4.2 * r, 2.2 * r, fc="white", ec=color, lw=1.6, zorder=5))
        size = 11.5
    else:
        ax.add_patch(Circle((x, y), r, fc="white", ec=color, lw=1.6, zorder=5))
    ax.text(x, y, symbol, ha="center", va="center_baseline", fontsize=size, color=color, zorder=6)


def _line(ax, pts, color=STATE, lw=2.0, arrow=True, z=2, ls="-", head=12):
    """A polyline through ``pts``; an arrow head at the end when ``arrow``."""
    from matplotlib.patches import FancyArrowPatch

    pts = [tuple(map(float, p)) for p in pts]
    if len(pts) > 2:
        xs, ys = zip(*pts[:-1])
        ax.plot(xs, ys, color=color, lw=lw, zorder=z, solid_capstyle="butt", ls=ls,
                solid_joinstyle="miter")
    start = pts[-2]
    ax.add_patch(FancyArrowPatch(start, pts[-1], arrowstyle="-|>" if arrow else "-",
                                 mutation_scale=head, color=color, lw=lw, zorder=z, ls=ls,
                                 shrinkA=0, shrinkB=0))


def _label(ax, x, y, text, color=TEXT, size=15, ha="center", va="center", **kw):
    ax.text(x, y, text, color=color, fontsize=size, ha=ha, va=va, zorder=7, **kw)


def _save(fig, path: Path | None):
    """Write ``fig`` to ``path`` and close it; with no path, return the open figure (for the tests)."""
    import matplotlib.pyplot as plt

    if path is None:
        return fig
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, facecolor="white", metadata={"Software": None})
    plt.close(fig)
    return path


# --------------------------------------------------------------------------- the figures
def unrolled_rnn(path: Path | None = None):
    """A simple RNN, folded (one cell with a loop) and unrolled over T steps."""
    fig, ax = _canvas(12.0, 4.8, (0, 24), (-0.3, 9.3))
    cell_w, cell_h, yc = 2.2, 1.6, 4.4

    # folded: one cell, its state fed back into itself (a loop on its right side)
    xf = 1.9
    _box(ax, xf, yc, cell_w, cell_h, "tanh", color=STATE, fill=CELL_FILL, text_color=TEXT, size=14)
    _line(ax, [(xf, 1.5), (xf, yc - cell_h / 2)])
    _label(ax, xf, 1.0, r"$x_t$")
    _line(ax, [(xf, yc + cell_h / 2), (xf, 7.3)])
    _label(ax, xf, 7.8, r"$h_t$")
    right = xf + cell_w / 2
    _line(ax, [(right, yc + 0.4), (right + 0.9, yc + 0.4), (right + 0.9, yc - 0.4), (right, yc - 0.4)])
    _label(ax, right + 1.05, yc, r"$h_{t-1}$", size=13, ha="left")
    _label(ax, xf + 0.6, -0.05, "the cell, with its loop", size=11, color="#555555")
    _label(ax, 5.55, yc, "=", size=30)

    # unrolled: the same cell at t = 1, 2, 3, ..., T
    xs = [8.6, 12.4, 16.2, 21.6]
    names = ["1", "2", "3", "T"]
    _label(ax, 6.45, yc + 0.55, r"$h_0$", size=15)
    _line(ax, [(6.4, yc), (xs[0] - cell_w / 2, yc)])
    for k, (x, n) in enumerate(zip(xs, names)):
        _box(ax, x, yc, cell_w, cell_h, "tanh", color=STATE, fill=CELL_FILL, text_color=TEXT, size=14)
        _line(ax, [(x, 1.5), (x, yc - cell_h / 2)])
        _label(ax, x, 1.0, rf"$x_{n}$")
        _line(ax, [(x, yc + cell_h / 2), (x, 7.3)])
        _label(ax, x, 7.8, rf"$h_{n}$")
        if k + 1 < len(xs):
            nxt = xs[k + 1]
            if n == "3":   # the gap: ... between step 3 and step T
                _line(ax, [(x + cell_w / 2, yc), (x + 1.45, yc)], arrow=False)
                _label(ax, (x + nxt) / 2, yc, "⋯", size=22)
                _line(ax, [(nxt - cell_w / 2 - 0.9, yc), (nxt - cell_w / 2, yc)])
                _label(ax, nxt - cell_w / 2 - 0.45, yc + 0.55, r"$h_{T-1}$", size=12)
            else:
                _line(ax, [(x + cell_w / 2, yc), (nxt - cell_w / 2, yc)])
                _label(ax, (x + nxt) / 2, yc + 0.55, rf"$h_{n}$", size=12)
    _label(ax, 15.1, -0.05,
           r"unrolled: one copy per step, $h_t = \tanh(x_t W + h_{t-1} U + b)$ with the same $W, U, b$ at every $t$",
           size=12.5)
    _label(ax, 12.0, 8.9, "A simple RNN: one cell, applied at every time step", size=14, fontweight="bold")
    return _save(fig, path)


def lstm_cell(path: Path | None = None):
    """The LSTM cell: four gates in Keras' order i, f, c, o (left to right) under the cell-state highway."""
    fig, ax = _cell_canvas()

    top, bus, gate_y = 7.1, 1.6, 3.5
    gx = dict(zip(LSTM_GATE_ORDER, (3.9, 5.6, 7.3, 9.3)))
    gw, gh = 1.3, 0.95

    # the cell-state highway: c_{t-1} -> (x f_t) -> (+ i_t c~_t) -> c_t
    _line(ax, [(0.35, top), (gx["f"] - 0.27, top)], lw=3.2)
    _line(ax, [(gx["f"] + 0.27, top), (gx["c"] - 0.27, top)], lw=3.2)
    _line(ax, [(gx["c"] + 0.27, top), (13.6, top)], lw=3.2)
    _label(ax, 0.9, top + 0.55, r"$c_{t-1}$")
    _label(ax, 13.1, top + 0.55, r"$c_t$")
    _node(ax, gx["f"], top, "×")
    _node(ax, gx["c"], top, "+")
    _label(ax, 5.55, top + 1.45, "cell state: the additive highway", size=11.5, color="#555555")

    # inputs: h_{t-1} from the left, x_t from below, into one bus feeding the four gates
    _line(ax, [(0.35, bus), (gx["o"], bus)], arrow=False)
    _label(ax, 0.9, bus + 0.5, r"$h_{t-1}$")
    _line(ax, [(2.7, -0.05), (2.7, bus)], arrow=False)
    _label(ax, 2.2, 0.05, r"$x_t$")
    ax.plot([2.7], [bus], "o", color=STATE, ms=5, zorder=3)
    for g, x in gx.items():
        _line(ax, [(x, bus), (x, gate_y - gh / 2)], lw=1.6, head=10)
        ax.plot([x], [bus], "o", color=STATE, ms=4, zorder=3)
        text, _ = LSTM_GATES[g]
        _box(ax, x, gate_y, gw, gh, text, color=GATE_COLORS[g], size=13 if text == "tanh" else 16)

    # forget gate: straight up into the x on the highway, f_t * c_{t-1}
    _line(ax, [(gx["f"], gate_y + gh / 2), (gx["f"], top - 0.27)], color=GATE_COLORS["f"], z=2)
    _label(ax, gx["f"] - 0.42, 6.2, r"$f_t$", color=GATE_COLORS["f"])
    # input gate x candidate, then up into the +: the i line hops over the f line (no junction)
    ic = (gx["c"], 5.35)
    hop = 0.24
    _line(ax, [(gx["i"], gate_y + gh / 2), (gx["i"], ic[1]), (gx["f"] - hop, ic[1])], color=GATE_COLORS["i"],
          arrow=False, z=3)
    arc = np.linspace(np.pi, 0.0, 25)
    ax.plot(gx["f"] + hop * np.cos(arc), ic[1] + hop * np.sin(arc), color=GATE_COLORS["i"], lw=2.0, zorder=3,
            solid_capstyle="butt")
    _line(ax, [(gx["f"] + hop, ic[1]), (ic[0] - 0.27, ic[1])], color=GATE_COLORS["i"], z=3)
    _label(ax, gx["i"] - 0.4, 4.6, r"$i_t$", color=GATE_COLORS["i"])
    _line(ax, [(gx["c"], gate_y + gh / 2), (gx["c"], ic[1] - 0.27)], color=GATE_COLORS["c"])
    _label(ax, gx["c"] + 0.45, 4.55, r"$\tilde{c}_t$", color=GATE_COLORS["c"])
    _node(ax, *ic, "×")
    _line(ax, [(ic[0], ic[1] + 0.27), (ic[0], top - 0.27)])
    # output: tanh(c_t) scaled by o_t gives h_t
    xo = 10.75
    ax.plot([xo], [top], "o", color=STATE, ms=5, zorder=3)
    _line(ax, [(xo, top), (xo, 5.95 + 0.3)])
    _node(ax, xo, 5.95, "tanh")
    oh = (xo, 4.55)
    _line(ax, [(xo, 5.95 - 0.3), (xo, oh[1] + 0.27)])
    _line(ax, [(gx["o"], gate_y + gh / 2), (gx["o"], oh[1]), (oh[0] - 0.27, oh[1])], color=GATE_COLORS["o"])
    _label(ax, gx["o"] + 0.6, oh[1] + 0.38, r"$o_t$", color=GATE_COLORS["o"])
    _node(ax, *oh, "×")
    _line(ax, [(oh[0] + 0.27, oh[1]), (13.6, oh[1])])
    _label(ax, 13.1, oh[1] + 0.5, r"$h_t$")
    _label(ax, 12.5, oh[1] - 0.55, "output, and the\nnext step's state", size=9.5, color="#555555")

    # the equations, in the gates' colours, with Keras' weight slices
    eq = _equation_panel(fig)
    eq.text(0.0, 0.935, "LSTM step (Keras' gate order i, f, c, o)", fontsize=14, fontweight="bold",
            color=TEXT, va="center")
    rows = [
        (r"$i_t = \sigma(x_t W_i + h_{t-1} U_i + b_i)$", GATE_COLORS["i"], "input gate", "0:u"),
        (r"$f_t = \sigma(x_t W_f + h_{t-1} U_f + b_f)$", GATE_COLORS["f"], "forget gate", "u:2u"),
        (r"$\tilde{c}_t = \tanh(x_t W_c + h_{t-1} U_c + b_c)$", GATE_COLORS["c"], "candidate (Keras' c)", "2u:3u"),
        (r"$o_t = \sigma(x_t W_o + h_{t-1} U_o + b_o)$", GATE_COLORS["o"], "output gate", "3u:4u"),
    ]
    y = 0.83
    for text, color, role, cols in rows:
        eq.text(0.0, y, text, color=color, fontsize=14, va="center")
        eq.text(0.02, y - 0.052, f"{role}: W[:, {cols}], U[:, {cols}], b[{cols}]", color="#555555", fontsize=11.5,
                va="center")
        y -= 0.125
    y -= 0.01
    eq.text(0.0, y, r"$c_t = f_t \odot c_{t-1} + i_t \odot \tilde{c}_t$", color=STATE, fontsize=14, va="center")
    eq.text(0.0, y - 0.09, r"$h_t = o_t \odot \tanh(c_t)$", color=STATE, fontsize=14, va="center")
    eq.text(0.0, y - 0.2,
            "W = kernel (d, 4u),  U = recurrent_kernel (u, 4u),  b = bias (4u,)\n"
            "σ: sigmoid, ⊙: element-wise product; row vectors, batch first",
            color="#555555", fontsize=11.5, va="center", linespacing=1.5)
    return _save(fig, path)


def gru_cell(path: Path | None = None):
    """The GRU cell in Keras' convention: h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h~_t, reset after U, with the
    input bias b[0] and the recurrent bias b[1] where Keras adds them."""
    fig, ax = _cell_canvas()

    top, bus, gate_y = 7.1, 1.6, 3.3
    xz, xr, xu, xh = 4.0, 5.95, 8.0, 10.3
    gw, gh = 1.3, 0.95
    bias = dict(color="#555555", size=11, ha="left", va="center", linespacing=1.25)

    # the state line: h_{t-1} -> (x z_t) -> (+ (1 - z_t) h~_t) -> h_t
    _line(ax, [(0.35, top), (xz - 0.27, top)], lw=3.2)
    _line(ax, [(xz + 0.27, top), (xh - 0.27, top)], lw=3.2)
    _line(ax, [(xh + 0.27, top), (13.6, top)], lw=3.2)
    _label(ax, 0.9, top + 0.55, r"$h_{t-1}$")
    _label(ax, 13.1, top + 0.55, r"$h_t$")
    _node(ax, xz, top, "×")
    _node(ax, xh, top, "+")
    _label(ax, 7.4, top + 1.45, "hidden state: keep a part z, replace the rest", size=11.5,
           color="#555555")

    # h_{t-1} also goes down into the bus; x_t comes in from below
    xb = 2.3
    ax.plot([xb], [top], "o", color=STATE, ms=5, zorder=3)
    _line(ax, [(xb, top), (xb, bus), (xh, bus)], arrow=False)
    _line(ax, [(3.2, -0.05), (3.2, bus)], arrow=False)
    _label(ax, 2.7, 0.05, r"$x_t$")
    ax.plot([3.2], [bus], "o", color=STATE, ms=5, zorder=3)

    # z and r: sigma of x_t W + h_{t-1} U plus both biases, b[0] (input) and b[1] (recurrent)
    for g, x, text in (("z", xz, "σ"), ("r", xr, "σ")):
        _line(ax, [(x, bus), (x, gate_y - gh / 2)], lw=1.6, head=10)
        ax.plot([x], [bus], "o", color=STATE, ms=4, zorder=3)
        _box(ax, x, gate_y, gw, gh, text, color=GATE_COLORS[g], size=16)
        _label(ax, x + 0.14, (bus + gate_y - gh / 2) / 2, rf"$+\,b[0]_{g}$" "\n" rf"$+\,b[1]_{g}$", **bias)
    # the recurrent half of the candidate, h_{t-1} U_h + b[1]_h, reset after the product
    _line(ax, [(xu, bus), (xu, gate_y - gh / 2)], lw=1.6, head=10)
    ax.plot([xu], [bus], "o", color=STATE, ms=4, zorder=3)
    uh = 1.25
    _box(ax, xu, gate_y + (uh - gh) / 2, 1.85, uh, r"$h_{t-1}U_h$" "\n" r"$+\;b[1]_h$", color=STATE, fill="white",
         text_color=TEXT, size=12.5)
    rx = (xu, 4.75)
    _line(ax, [(xu, gate_y - gh / 2 + uh), (xu, rx[1] - 0.27)])
    _line(ax, [(xr, gate_y + gh / 2), (xr, rx[1]), (rx[0] - 0.27, rx[1])], color=GATE_COLORS["r"])
    _label(ax, xr - 0.42, 4.3, r"$r_t$", color=GATE_COLORS["r"])
    _node(ax, *rx, "×")
    # the candidate: tanh of x_t W_h + b[0]_h + r_t * (h_{t-1} U_h + b[1]_h)
    hc = (xh, 4.75)
    _line(ax, [(xh, bus), (xh, hc[1] - gh / 2)], lw=1.6, head=10)
    _line(ax, [(rx[0] + 0.27, rx[1]), (xh - gw / 2, rx[1])])
    _box(ax, xh, hc[1], gw, gh, "tanh", color=GATE_COLORS["h"], size=13)
    # z: straight up into the x on the state line, and through 1 - z to scale the candidate
    _line(ax, [(xz, gate_y + gh / 2), (xz, top - 0.27)], color=GATE_COLORS["z"])
    _label(ax, xz - 0.42, 4.5, r"$z_t$", color=GATE_COLORS["z"])
    mix_y = 6.05
    ax.plot([xz], [mix_y], "o", color=GATE_COLORS["z"], ms=5, zorder=3)
    _line(ax, [(xz, mix_y), (7.0 - 0.57, mix_y)], color=GATE_COLORS["z"])
    _node(ax, 7.0, mix_y, "1−", color=GATE_COLORS["z"])
    _line(ax, [(7.0 + 0.57, mix_y), (xh - 0.27, mix_y)], color=GATE_COLORS["z"])
    _label(ax, 8.4, mix_y + 0.42, r"$1 - z_t$", color=GATE_COLORS["z"], size=13)
    _line(ax, [(xh, hc[1] + gh / 2), (xh, mix_y - 0.27)], color=GATE_COLORS["h"])
    _label(ax, xh + 0.62, 5.55, r"$\tilde{h}_t$", color=GATE_COLORS["h"])
    _label(ax, xh + 0.14, (bus + hc[1] - gh / 2) / 2, r"$x_t W_h$" "\n" r"$+\,b[0]_h$", **bias)
    _node(ax, xh, mix_y, "×")
    _line(ax, [(xh, mix_y + 0.27), (xh, top - 0.27)])

    eq = _equation_panel(fig)
    eq.text(0.0, 0.935, "GRU step (Keras: gate order z, r, h; reset_after)", fontsize=14,
            fontweight="bold", color=TEXT, va="center")
    rows = [
        (r"$z_t = \sigma(x_t W_z + b[0]_z + h_{t-1} U_z + b[1]_z)$", GATE_COLORS["z"], "update gate", "0:u"),
        (r"$r_t = \sigma(x_t W_r + b[0]_r + h_{t-1} U_r + b[1]_r)$", GATE_COLORS["r"], "reset gate", "u:2u"),
        (r"$\tilde{h}_t = \tanh(x_t W_h + b[0]_h + r_t \odot (h_{t-1} U_h + b[1]_h))$", GATE_COLORS["h"],
         "candidate (Keras' h)", "2u:3u"),
    ]
    y = 0.83
    for text, color, role, cols in rows:
        eq.text(0.0, y, text, color=color, fontsize=13.0 if len(text) < 60 else 12.5, va="center")
        eq.text(0.02, y - 0.052, f"{role}: W[:, {cols}], U[:, {cols}], b[:, {cols}]", color="#555555", fontsize=11.5,
                va="center")
        y -= 0.135
    eq.text(0.0, y - 0.005, r"$h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde{h}_t$", color=STATE,
            fontsize=14, va="center")
    notes = [
        "W = kernel (d, 3u),  U = recurrent_kernel (u, 3u)",
        r"b = bias (2, 3u): $b[0]$ goes with the input half $x_t W$,",
        r"$b[1]$ with the recurrent half $h_{t-1} U$. In $z_t$ and $r_t$ only",
        r"their sum matters; in $\tilde{h}_t$, $r_t$ scales $b[1]_h$ but not $b[0]_h$.",
        r"$z_t \approx 1$ keeps the old state, $z_t \approx 0$ takes the candidate.",
        "Other texts write z for our 1 − z: same model.",
    ]
    for k, note in enumerate(notes):
        eq.text(0.0, y - 0.1 - 0.05 * k, note, color="#555555", fontsize=11.5, va="center")
    return _save(fig, path)


def activations(path: Path | None = None):
    """sigmoid and tanh with their derivatives: σ' ≤ 1/4, tanh' ≤ 1."""
    import matplotlib.pyplot as plt

    z = np.linspace(-6, 6, 481)
    sig = 1 / (1 + np.exp(-z))
    tnh = np.tanh(z)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11.0, 4.2))
    panels = [
        (ax1, sig, sig * (1 - sig), GATE_COLORS["i"], r"$\sigma(z) = 1 / (1 + e^{-z})$",
         r"$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$", 0.25, r"max $\sigma' = 1/4$ at $z = 0$", (1.0, 0.42),
         r"$\sigma$: the gates $i, f, o$ and $z, r$; values in (0, 1)", (-0.08, 1.14), "upper left"),
        (ax2, tnh, 1 - tnh ** 2, GATE_COLORS["c"], r"$\tanh(z)$", r"$\tanh'(z) = 1 - \tanh^2(z)$", 1.0,
         r"max $\tanh' = 1$ at $z = 0$", (0.35, 1.17),
         r"tanh: the candidates $\tilde{c}, \tilde{h}$ and $\tanh(c_t)$; values in (−1, 1)", (-1.15, 1.35),
         "lower right"),
    ]
    for ax, f, df, color, fname, dname, peak, peak_text, text_at, title, ylim, legend_at in panels:
        for level in (0.0, 1.0) if ylim[0] > -0.5 else (-1.0, 0.0, 1.0):
            ax.axhline(level, color="#bbbbbb", lw=0.8, ls=":", zorder=1)
        ax.axvline(0, color="#bbbbbb", lw=0.8, ls=":", zorder=1)
        ax.plot(z, f, color=color, lw=2.4, label=fname, zorder=3)
        ax.plot(z, df, color=color, lw=1.8, ls="--", label=dname, zorder=3)
        ax.plot([0], [peak], "o", color=color, ms=6, zorder=4)
        ax.annotate(peak_text, (0, peak), xytext=text_at, fontsize=11, color=TEXT, va="center",
                    arrowprops=dict(arrowstyle="-", color="#777777", lw=0.8, shrinkA=2, shrinkB=4))
        ax.set_xlim(-6, 6)
        ax.set_ylim(*ylim)
        ax.set_xlabel("pre-activation z", fontsize=11)
        ax.set_title(title, fontsize=12)
        ax.legend(loc=legend_at, fontsize=11, frameon=True, framealpha=0.95)
        ax.grid(True, alpha=0.25)
        ax.tick_params(labelsize=10)
    fig.suptitle(r"Backpropagation multiplies by these slopes at every step: $\sigma' \leq 1/4$, $\tanh' \leq 1$",
                 fontsize=13, fontweight="bold", y=0.97)
    fig.subplots_adjust(left=0.06, right=0.985, bottom=0.13, top=0.8, wspace=0.16)
    return _save(fig, path)


# the symbol gradient_path gives the per-step factor of the backward product.  Not γ: notebook 01
# (the one that shows the figure) calls γ = max f' the largest slope, a bound on that factor's share.
STEP_FACTOR = r"\lambda"


def gradient_path(path: Path | None = None):
    """Backpropagation through time: the gradient of the loss crosses one Jacobian per step, and T − k
    steps back it has been scaled by the product of T − k per-step factors λ."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    lam = STEP_FACTOR
    fig = plt.figure(figsize=(12.0, 7.8))
    # top: the unrolled chain, forward in grey, backward in pink, thinner at every step
    ax = fig.add_axes((0.0, 0.45, 1.0, 0.55))
    ax.set_xlim(0, 24)
    ax.set_ylim(-0.4, 9.0)
    ax.set_aspect("equal")
    ax.axis("off")
    _label(ax, 12, 8.55, "Backpropagation through time: one Jacobian per step", size=14, fontweight="bold")
    xs = [5.0, 9.7, 14.4, 20.4]
    names = ["1", "2", "3", "T"]
    yc, w, h = 4.6, 2.0, 1.4
    x0 = 1.6                                  # where h_0 enters
    _label(ax, x0 + 0.25, yc + 0.5, r"$h_0$")
    _line(ax, [(x0, yc), (xs[0] - w / 2, yc)])
    for k, (x, n) in enumerate(zip(xs, names)):
        _box(ax, x, yc, w, h, "tanh", color=STATE, fill=CELL_FILL, text_color=TEXT, size=13)
        _line(ax, [(x, 1.7), (x, yc - h / 2)])
        _label(ax, x, 1.2, rf"$x_{n}$")
        if k + 1 < len(xs):
            nxt = xs[k + 1]
            if n == "3":
                _line(ax, [(x + w / 2, yc), (x + 1.5, yc)], arrow=False)
                _label(ax, (x + nxt) / 2, yc, "⋯", size=22)
                _line(ax, [(nxt - w / 2 - 1.2, yc), (nxt - w / 2, yc)])
            else:
                _line(ax, [(x + w / 2, yc), (nxt - w / 2, yc)])
                _label(ax, (x + nxt) / 2, yc + 0.45, rf"$h_{n}$", size=13)
    # the loss reads the last state; its gradient comes back down beside it
    xl = xs[-1]
    _line(ax, [(xl - 0.3, yc + h / 2), (xl - 0.3, 7.2 - 0.38)])
    _label(ax, xl - 0.75, 6.0, r"$h_T$", size=13)
    _box(ax, xl, 7.2, 1.8, 0.75, "loss L", color=STATE, fill="white", text_color=TEXT, size=12)
    _line(ax, [(xl + 0.3, 7.2 - 0.38), (xl + 0.3, yc + h / 2)], color=GRAD, lw=3.6, head=14)
    _label(ax, xl + 0.55, 6.0, r"$\partial L / \partial h_T$", color=GRAD, size=14, ha="left")
    # backward: an arc under the chain from each cell to the one before it, the last one to h_0
    arcs = [(3, 2, 3.0, r"$\times\, J_T \cdots J_4$"), (2, 1, 2.2, r"$\times\, J_3$"),
            (1, 0, 1.5, r"$\times\, J_2$")]
    for src, dst, lw, text in arcs:
        a = (xs[src] - w / 2 + 0.1, yc - h / 2 - 0.05)
        b = (xs[dst] + w / 2 - 0.1, yc - h / 2 - 0.05)
        ax.add_patch(FancyArrowPatch(a, b, connectionstyle="arc3,rad=-0.35" if src < 3 else "arc3,rad=-0.22",
                                     arrowstyle="-|>", mutation_scale=14, color=GRAD, lw=lw, zorder=4,
                                     shrinkA=0, shrinkB=0))
        _label(ax, (a[0] + b[0]) / 2, 2.25 if src < 3 else 2.1, text, color=GRAD, size=13)
    a = (xs[0] - w / 2 + 0.1, yc - h / 2 - 0.05)
    b = (x0 + 0.1, yc - 0.15)
    ax.add_patch(FancyArrowPatch(a, b, connectionstyle="arc3,rad=-0.45", arrowstyle="-|>", mutation_scale=12,
                                 color=GRAD, lw=1.0, zorder=4, shrinkA=0, shrinkB=0))
    _label(ax, (a[0] + b[0]) / 2 + 0.15, 2.95, r"$\times\, J_1$", color=GRAD, size=13)
    _label(ax, x0 - 0.35, yc - 1.05, r"$\partial L / \partial h_0$", color=GRAD, size=14)
    _label(ax, 12.0, 0.05,
           r"$\partial L / \partial h_k = \partial L / \partial h_T \cdot J_T\, J_{T-1} \cdots J_{k+1}$,"
           r"    $J_t = \partial h_t / \partial h_{t-1} = \mathrm{diag}(f\,'(a_t))\, U^{\top}$,"
           r"    $\|J_t\|_2 \leq \gamma\, \sigma_{\max}(U)$, $\gamma = \max f\,'$",
           size=13.5, color=TEXT)

    # bottom: what a product of T - k such factors does
    ax2 = fig.add_axes((0.08, 0.075, 0.56, 0.32))
    k = np.arange(0, 51).astype(float)
    curves = [
        (1.1, "#444444", "-", rf"${lam} = 1.1$: explodes"),
        (1.0, "#999999", ":", rf"${lam} = 1$"),
        (0.9, "#444444", "--", rf"${lam} = 0.9$: vanishes"),
        (0.5, "#444444", "-.", rf"${lam} = 0.5$: gone in 20 steps"),
    ]
    for factor, color, ls, text in curves:
        ax2.semilogy(k, factor ** k, color=color, ls=ls, lw=1.8, label=text)
    ax2.semilogy(k, 0.95 ** k, color=GATE_COLORS["f"], lw=2.6,
                 label=f"LSTM cell state: ${lam} = f_t$\n(here $f_t = 0.95$ at every step)")
    ax2.set_ylim(1e-9, 1e3)
    ax2.set_xlim(0, 50)
    ax2.set_xlabel("steps back from the loss, T − k", fontsize=11)
    ax2.set_ylabel(r"$\|\partial L / \partial h_k\| \;/\; \|\partial L / \partial h_T\|$", fontsize=12)
    ax2.set_title(rf"If every step scales the gradient by the same factor ${lam}$, $T - k$ steps back it is "
                  rf"${lam}^{{T-k}}$", fontsize=12)
    ax2.grid(True, which="major", alpha=0.3)
    ax2.tick_params(labelsize=10)
    ax2.legend(loc="upper left", bbox_to_anchor=(1.02, 1.02), fontsize=11, frameon=False)
    fig.text(0.665, 0.19,
             rf"${lam}$: the per-step factor of the backward product," "\n"
             rf"$\|\partial L / \partial h_{{t-1}}\| \,/\, \|\partial L / \partial h_t\|$, what one Jacobian $J_t$ does;" "\n"
             rf"${lam} \leq \|J_t\|_2 \leq \gamma\, \sigma_{{\max}}(U)$, with $\gamma = \max f\,'$ the largest" "\n"
             "slope (1 for tanh, 1/4 for σ).",
             fontsize=11, color=TEXT, va="top", ha="left", linespacing=1.6)
    return _save(fig, path)


# name -> drawing function; the file is assets/<name>.png
FIGURES: dict[str, Callable[[Path], Path]] = {
    "unrolled_rnn": unrolled_rnn,
    "lstm_cell": lstm_cell,
    "gru_cell": gru_cell,
    "activations": activations,
    "gradient_path": gradient_path,
}


def draw_all(out: Path | str = ASSETS, only=None) -> list[Path]:
    """Draw the figures (all, or those named in ``only``) into ``out``; return their paths."""
    out = Path(out)
    names = list(only) if only else list(FIGURES)
    unknown = sorted(set(names) - set(FIGURES))
    if unknown:
        raise ValueError(f"unknown figure(s) {unknown}; known: {sorted(FIGURES)}")
    with _deterministic_matplotlib():
        return [FIGURES[name](out / f"{name}.png") for name in names]


def add_arguments(parser) -> None:
    """`python -m autograder assets [--out DIR] [--only NAME ...]`."""
    parser.add_argument("--out", default=str(ASSETS), help="output folder (default: the repo's assets/)")
    parser.add_argument("--only", nargs="*", metavar="NAME", help=f"figures to draw, of {', '.join(FIGURES)}")


def run(args) -> int:
    for path in draw_all(args.out, args.only):
        print(path)
    return 0
