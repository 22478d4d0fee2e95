"""Plot helpers shared by the notebooks and the figures in ``assets/``.

One colour per gate across the whole course (notebooks and diagrams alike).
"""
from __future__ import annotations

from typing import Iterable, Mapping

import numpy as np

# The course's gate colours (CONTRIBUTING.md, section 1).
GATE_COLORS: dict[str, str] = {
    "i": "#1f77b4",        # input gate: blue
    "f": "#ff7f0e",        # forget gate: orange
    "c": "#2ca02c",        # candidate c~: green
    "o": "#d62728",        # output gate: red
    "z": "#9467bd",        # GRU update gate: purple
    "r": "#8c564b",        # GRU reset gate: brown
    "h": "#2ca02c",        # GRU candidate h~: green (a candidate, like c~)
    "state": "#444444",    # cell / hidden state lines
}

# One colour per model family, used by every comparison plot.
MODEL_COLORS: dict[str, str] = {
    "SimpleRNN": "#7f7f7f",
    "GRU": GATE_COLORS["z"],
    "LSTM": GATE_COLORS["i"],
    "baseline": "#000000",
}


def new_axes(ncols: int = 1, nrows: int = 1, width: float = 6.0, height: float = 3.6, **kw):
    """A figure with ``nrows x ncols`` axes sized for a notebook column."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), **kw)
    return fig, axes


def finish(ax, title: str, xlabel: str, ylabel: str, takeaway: str | None = None, legend: bool = True):
    """Label an axis; ``takeaway`` is the one-line lesson shown under the title."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title if not takeaway else f"{title}\n{takeaway}", fontsize=10)
    ax.grid(True, alpha=0.3)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    return ax


def table(rows: Iterable[Mapping[str, object]], floatfmt: str = "{:.4g}") -> str:
    """A small fixed-width text table (no pandas needed)."""
    rows = list(rows)
    if not rows:
        return ""
    cols = list(rows[0].keys())

    def fmt(v):
        return floatfmt.format(v) if isinstance(v, (float, np.floating)) else str(v)

    cells = [[fmt(r.get(c, "")) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[j]) for row in cells)) for j, c in enumerate(cols)]
    line = lambda vals: "  ".join(v.rjust(w) for v, w in zip(vals, widths))
    return "\n".join([line(cols), line(["-" * w for w in widths])] + [line(r) for r in cells])
