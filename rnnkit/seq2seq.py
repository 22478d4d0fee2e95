"""Notebook 08: sequence to sequence with LSTMs, and attention.

What is given here (the exercises, in the notebook, are the student's): the character
vocabularies with their three special ids, padding and encoding, the lab's two Keras models
(an encoder-decoder without attention, and the same with additive attention), the one-step
decoder that the student's decoding functions call, exact-match scoring, the length curve of
the digit task, the length study over seeds (``make seq2seq-study`` writes it, the lab reads
it), and the plots and the explorer.

The special ids are the same in every vocabulary: ``PAD = 0`` (padding, never a real
character), ``START = 1`` (the decoder's first input), ``END = 2`` (the decoder's last
output: "the target stops here").  Characters get the ids 3, 4, ... in sorted order.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

PAD, START, END = 0, 1, 2
SPECIALS = ("<pad>", "<s>", "</s>")


# ------------------------------------------------------------------------------------------
# vocabularies and padding
# ------------------------------------------------------------------------------------------

def build_vocab(texts) -> list[str]:
    """The three special tokens, then the distinct characters of ``texts``, sorted."""
    return list(SPECIALS) + sorted(set("".join(texts)))


def encode(texts, vocab, length: int | None = None) -> np.ndarray:
    """Ids of each text, padded with ``PAD`` at the end: an int32 array ``(len(texts), length)``.

    ``length`` defaults to the longest text; a longer text raises ValueError (nothing is cut
    silently).  A character outside the vocabulary raises KeyError."""
    index = {ch: i for i, ch in enumerate(vocab) if i >= len(SPECIALS)}
    length = max((len(t) for t in texts), default=0) if length is None else int(length)
    out = np.full((len(texts), length), PAD, dtype=np.int32)
    for k, text in enumerate(texts):
        if len(text) > length:
            raise ValueError(f"text {k} has {len(text)} characters, more than length={length}")
        out[k, :len(text)] = [index[ch] for ch in text]
    return out


def target_ids(texts, vocab) -> list[list[int]]:
    """The ids of each target text, unpadded and without START or END: a list of lists."""
    index = {ch: i for i, ch in enumerate(vocab) if i >= len(SPECIALS)}
    return [[index[ch] for ch in text] for text in texts]


def decode(ids, vocab) -> str:
    """The text of a sequence of ids: stops at the first ``END``, skips ``PAD`` and ``START``."""
    out = []
    for i in ids:
        i = int(i)
        if i == END:
            break
        if i >= len(SPECIALS):
            out.append(vocab[i])
    return "".join(out)


def exact_match(predicted, targets) -> float:
    """The fraction of predicted texts equal to their target, character for character."""
    predicted, targets = list(predicted), list(targets)
    if len(predicted) != len(targets) or not targets:
        raise ValueError("one prediction per target, at least one")
    return float(np.mean([p == t for p, t in zip(predicted, targets)]))


# ------------------------------------------------------------------------------------------
# the lab's models
# ------------------------------------------------------------------------------------------

def seq2seq_model(source_vocab_size: int, target_vocab_size: int, units: int = 64, embed_dim: int = 16,
                  attention: bool = False, attention_dim: int | None = None, learning_rate=0.005,
                  bidirectional: bool = False):
    """The lab's encoder-decoder: inputs ``[source ids (batch, S), decoder inputs (batch, T)]``,
    output ``(batch, T, target_vocab_size)`` **logits**.

    Encoder: ``Embedding(mask_zero=True)`` (padding is skipped) and ``LSTM(units)``, whose
    final ``(h, c)`` start the decoder ``LSTM(units)``.  With ``attention=True`` the decoder's
    output ``s_t`` at each step queries the encoder's outputs ``h_1 ... h_S`` with additive
    (Bahdanau) scores, ``e_{t,j} = v · tanh(s_t W_q + h_j W_k)``, through Keras' layers
    ``Dense(attention_dim, use_bias=False)`` (named "query" and "key") and
    ``AdditiveAttention`` (named "attention", whose ``scale`` is ``v``), padded source
    positions masked; the context vector is concatenated to ``s_t`` before the output
    ``Dense``.  With ``bidirectional=True`` the encoder is ``Bidirectional(LSTM(units // 2))``:
    each ``h_j`` then also knows the characters after ``j``, and the two directions' final
    states, concatenated, start the decoder.  Compiled with Adam (``learning_rate`` a number or
    a Keras schedule) and the sparse cross-entropy on logits: pass the decoder mask as
    ``sample_weight`` to ``fit`` so that padded steps cost nothing."""
    import keras

    a = attention_dim or units
    source = keras.Input(shape=(None,), dtype="int32", name="source")
    dec_in = keras.Input(shape=(None,), dtype="int32", name="decoder_in")
    x = keras.layers.Embedding(source_vocab_size, embed_dim, mask_zero=True, name="source_embedding")(source)
    if bidirectional:
        H, hf, cf, hb, cb = keras.layers.Bidirectional(
            keras.layers.LSTM(units // 2, return_sequences=True, return_state=True), name="encoder")(x)
        h = keras.layers.Concatenate(name="encoder_h")([hf, hb])
        c = keras.layers.Concatenate(name="encoder_c")([cf, cb])
    else:
        H, h, c = keras.layers.LSTM(units, return_sequences=True, return_state=True, name="encoder")(x)
    y = keras.layers.Embedding(target_vocab_size, embed_dim, name="target_embedding")(dec_in)
    S, _, _ = keras.layers.LSTM(units, return_sequences=True, return_state=True, name="decoder")(
        y, initial_state=[h, c])
    if attention:
        source_mask = keras.ops.not_equal(source, PAD)
        q = keras.layers.Dense(a, use_bias=False, name="query")(S)
        k = keras.layers.Dense(a, use_bias=False, name="key")(H)
        # (the weights are asked for here too: Keras 3.15 cannot ask a layer first called
        # without them for them later, which the one-step Decoder does)
        context, _ = keras.layers.AdditiveAttention(name="attention")(
            [q, H, k], mask=[None, source_mask], return_attention_scores=True)
        S = keras.layers.Concatenate(name="state_and_context")([S, context])
    logits = keras.layers.Dense(target_vocab_size, name="logits")(S)
    model = keras.Model([source, dec_in], logits, name="seq2seq_attention" if attention else "seq2seq")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


class Decoder:
    """One step at a time, the decoder of a trained ``seq2seq_model`` (its own layers, shared).

    ``state = dec.start(source_ids)`` encodes one source (a 1-D array of ids) and returns the
    decoder's first state; ``logits, state = dec.step(token, state)`` reads one token id and
    returns the logits of the next one, shape ``(V,)``, and the new state.  The state is an
    opaque tuple: pass it back as it is.  ``dec.weights`` holds the attention weights of every
    step since the last ``start`` (one array ``(S,)`` per step; empty without attention), and
    ``dec.calls`` counts the calls of ``step``."""

    def __init__(self, model):
        import keras

        self.model = model
        self.attention = any(layer.name == "attention" for layer in model.layers)
        layer = model.get_layer
        src_emb, encoder = layer("source_embedding"), layer("encoder")
        tgt_emb, decoder, out = layer("target_embedding"), layer("decoder"), layer("logits")
        units = decoder.units

        source = keras.Input(shape=(None,), dtype="int32")
        outs = encoder(src_emb(source))
        if len(outs) == 5:                      # a bidirectional encoder
            H = outs[0]
            h = layer("encoder_h")([outs[1], outs[3]])
            c = layer("encoder_c")([outs[2], outs[4]])
        else:
            H, h, c = outs
        self._encode = keras.Model(source, [H, h, c])

        token = keras.Input(shape=(1,), dtype="int32")
        h0, c0 = keras.Input(shape=(units,)), keras.Input(shape=(units,))
        H_in = keras.Input(shape=(None, units))
        mask_in = keras.Input(shape=(None,), dtype="bool")
        s, h1, c1 = decoder(tgt_emb(token), initial_state=[h0, c0])
        outputs = [h1, c1]
        if self.attention:
            q, k = layer("query")(s), layer("key")(H_in)
            context, w = layer("attention")([q, H_in, k], mask=[None, mask_in], return_attention_scores=True)
            s = layer("state_and_context")([s, context])
            outputs.append(w)
        self._step = keras.Model([token, h0, c0, H_in, mask_in], [out(s)] + outputs)
        self.weights: list[np.ndarray] = []
        self.calls = 0

    def start(self, source_ids):
        """The first state for one source (1-D ids) or a batch of them (2-D, padded)."""
        ids = np.asarray(source_ids, dtype=np.int32)
        ids2 = ids.reshape(1, -1) if ids.ndim == 1 else ids
        H, h, c = (np.asarray(t) for t in self._encode(ids2, training=False))
        self.weights = []
        return (h, c, H, ids2 != PAD)

    def step(self, token, state):
        """The logits of the next token, ``(V,)`` for one token id (``(batch, V)`` for a batch
        of ids, one per source of the state), and the new state."""
        import keras

        self.calls += 1
        h, c, H, mask = state
        one = np.ndim(token) == 0
        tokens = np.asarray(token, dtype=np.int32).reshape(-1, 1)
        outs = self._step([tokens, h, c, H, mask], training=False)
        outs = [keras.ops.convert_to_numpy(o) for o in outs]
        logits = outs[0][:, 0].astype(np.float64)
        if self.attention:
            w = outs[3][:, 0].astype(np.float64)
            self.weights.append(w[0] if one else w)
        return (logits[0] if one else logits), (outs[1], outs[2], H, mask)


def greedy_batch(model, source_ids: np.ndarray, steps: int, batch_size: int = 500) -> np.ndarray:
    """Greedy outputs of a trained ``seq2seq_model`` for many sources at once: ``(n, steps)`` ids
    (every row runs ``steps`` steps; ``decode`` stops each at its first ``END``)."""
    source_ids = np.asarray(source_ids, dtype=np.int32)
    dec, rows = (model if isinstance(model, Decoder) else Decoder(model)), []
    for lo in range(0, len(source_ids), batch_size):
        state = dec.start(source_ids[lo:lo + batch_size])
        token = np.full(len(state[0]), START, dtype=np.int32)
        out = []
        for _ in range(steps):
            logits, state = dec.step(token, state)
            token = logits.argmax(-1).astype(np.int32)
            out.append(token)
        rows.append(np.stack(out, axis=1) if out else np.zeros((len(token), 0), np.int32))
    return np.concatenate(rows, axis=0) if rows else np.zeros((0, steps), np.int32)


def length_curve(model, vocab, lengths, n: int = 200, seed: int = 1000):
    """Exact match and fraction of digits right of a trained reversal model at each length:
    two float arrays, one value per entry of ``lengths``.  At length ``L`` the model reads the
    ``n`` strings of ``rnnkit.dates.digit_task(n, L, seed=seed + L)``, new to it, and writes
    ``L`` digits greedily (``greedy_batch``); an output is an exact match when all ``L`` are
    right."""
    from .dates import digit_task

    decoder, exact, per_digit = (model if isinstance(model, Decoder) else Decoder(model)), [], []
    for L in lengths:
        src, tgt = digit_task(n, L, seed=seed + L)
        truth = np.array(target_ids(tgt, vocab))
        out = greedy_batch(decoder, encode(src, vocab), L)
        exact.append(float(np.mean(np.all(out == truth, axis=1))))
        per_digit.append(float(np.mean(out == truth)))
    return np.array(exact), np.array(per_digit)


# ------------------------------------------------------------------------------------------
# the length study over seeds (``make seq2seq-study`` writes it; the lab reads it)
# ------------------------------------------------------------------------------------------

STUDY_FILE = Path(__file__).with_name("seq2seq_study.json")


def study(path=None) -> dict:
    """The length study lab 08 shows: section 3's and section 5's models trained over several
    seeds on the course's 2-core machine (``make seq2seq-study``, the instructor's command),
    their exact match and digits right at each length, so the notebook shows the spread
    without training them again."""
    return json.loads(Path(path or STUDY_FILE).read_text())


def length_spread(runs, key: str = "exact") -> dict:
    """The spread over seeds at each length: ``{"min": [...], "mean": [...], "max": [...]}``,
    one value per length, from ``runs`` (one dict per seed whose ``key`` holds one value per
    length, the lengths in the same order in every run)."""
    table = np.array([run[key] for run in runs], dtype=np.float64)
    if table.ndim != 2 or not len(table):
        raise ValueError(f"runs must hold at least one {key!r} list, all of the same length")
    return {"min": table.min(axis=0).tolist(), "mean": table.mean(axis=0).tolist(), "max": table.max(axis=0).tolist()}


def study_rows(data: dict | None = None, key: str = "exact") -> list[dict]:
    """Rows for ``rnnkit.plots.table``: one per length, each model's min – max over the seeds
    (and its mean) of ``key`` ("exact": exact match, "digits": the fraction of digits right)."""
    data = data or study()
    spreads = {name: length_spread(m["runs"], key) for name, m in data["models"].items()}
    rows = []
    for i, L in enumerate(data["lengths"]):
        row: dict = {"L": L}
        for name, s in spreads.items():
            row[f"{name}: min – max"] = f"{s['min'][i]:.3f} – {s['max'][i]:.3f}"
            row[f"{name}: mean"] = f"{s['mean'][i]:.3f}"
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------------------
# plots and the explorer
# ------------------------------------------------------------------------------------------

def plot_attention(ax, weights, source: str, output: str, highlight=None):
    """The attention heatmap: one row per output character (its step), one column per source
    character; ``weights`` is ``(len(output), >= len(source))`` (columns beyond the source,
    its padding, are dropped).  ``highlight``: output rows to outline (the month digits, say)."""
    w = np.asarray(weights, dtype=np.float64)[:len(output), :len(source)]
    ax.imshow(w, cmap="viridis", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(len(source)))
    ax.set_xticklabels(["␣" if ch == " " else ch for ch in source], fontsize=8)
    ax.set_yticks(range(len(output)))
    ax.set_yticklabels(["⏎" if ch == "\n" else ch for ch in output], fontsize=8)
    ax.set_xlabel("source character (what the encoder read)")
    ax.set_ylabel("output character (decoder step)")
    for row in (highlight or []):
        if 0 <= row < len(output):
            ax.add_patch(_rectangle((-0.5, row - 0.5), len(source), 1.0))


def _rectangle(xy, width, height):
    from matplotlib.patches import Rectangle

    return Rectangle(xy, width, height, fill=False, edgecolor="#d62728", linewidth=1.5)


def plot_length_curves(ax, lengths, curves: dict, ylabel: str = "exact match"):
    """One curve per model (``curves``: name -> values, one per length)."""
    colours = ["#7f7f7f", "#1f77b4", "#ff7f0e", "#2ca02c"]
    for (name, values), colour in zip(curves.items(), colours):
        ax.plot(lengths, values, "o-", color=colour, label=name, markersize=4)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("input length L (digits)")
    ax.set_ylabel(ylabel)


def attention_explorer(decode_fn, decoder: Decoder, source_vocab, target_vocab, dates,
                       max_len: int = 12, size=(10.0, 4.2)):
    """Pick a date (or type one), see its translation and the attention step by step.

    ``decode_fn(step, state, start_id, end_id, max_len)`` is the student's decoding function
    (greedy, say); it is called with ``decoder.step`` and the state of ``decoder.start``, and
    its ids are decoded with ``target_vocab``.  ``dates``: the texts offered in the list.  The
    "step" slider outlines one output character's row and shows, under the figure, the source
    characters that step looks at most.  A typed text with a character outside the source
    vocabulary shows that message instead of a figure."""
    import ipywidgets as widgets

    from .explore import dropdown, explore, slider

    cache: dict[str, tuple] = {}

    def run(text):
        if text not in cache:
            unknown = sorted(set(text) - set(source_vocab[len(SPECIALS):]))
            if unknown or not text:
                cache[text] = (None, f"not in the vocabulary: {' '.join(unknown) or '(empty text)'}")
            else:
                state = decoder.start(encode([text], source_vocab)[0])
                ids = decode_fn(decoder.step, state, START, END, max_len)
                output = decode(ids, target_vocab)
                cache[text] = (output, np.array(decoder.weights[:len(output)]))
        return cache[text]

    def draw(fig, date, typed, step):
        text = typed.strip() or date
        output, weights = run(text)
        ax = fig.add_subplot()
        if output is None:
            ax.text(0.5, 0.5, f"{text!r}: {weights}", ha="center", va="center")
            ax.set_axis_off()
            return
        if len(weights) == 0 or len(output) == 0:
            ax.text(0.5, 0.5, f"{text!r} -> {output!r} (no attention weights)", ha="center", va="center")
            ax.set_axis_off()
            return
        row = min(step, len(output) - 1)
        plot_attention(ax, weights, text, output, highlight=[row])
        top = np.argsort(weights[row][:len(text)])[::-1][:3]
        looks = ", ".join(f"{text[j]!r} at {j} ({weights[row][j]:.2f})" for j in top)
        ax.set_title(f"{text!r} -> {output!r}\nstep {row + 1}: writes {output[row]!r}, looks at {looks}",
                     fontsize=10)

    typed = widgets.Text(value="", placeholder="or type a date", description="typed",
                         continuous_update=False)
    return explore(draw, size=size, date=dropdown(list(dates), list(dates)[0], "date"), typed=typed,
                   step=slider(0, max_len - 1, 1, 5, "output step", integer=True))
