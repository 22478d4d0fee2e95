"""Alternatives bank of 07_char_lstm_lab: correct answers written differently.

Instructor side only (never in the student bundle).  `make alternatives` grades each one and
fails unless it keeps every point of its exercise.
"""

ALTERNATIVES = [
    # --- build_vocab / encode / decode -----------------------------------------------------------
    dict(name="list.index and a tuple vocabulary", grade_id="n07_vocab",
         why="tuple(sorted(...)), vocab.index per character, int64 ids, decode by concatenation",
         source='''def build_vocab(text):
    return tuple(sorted(set(text)))


def encode(text, vocab):
    vocab = list(vocab)
    return np.array([vocab.index(c) for c in text], dtype=np.int64).reshape(len(text))


def decode(ids, vocab):
    out = ""
    for i in ids:
        out += vocab[i]
    return out'''),
    dict(name="numpy lookups", grade_id="n07_vocab",
         why="np.unique for the vocabulary, np.searchsorted for the ids, np.take for decoding",
         source='''def build_vocab(text):
    return [str(c) for c in np.unique(np.array(list(text), dtype="<U1"))] if text else []


def encode(text, vocab):
    if not text:
        return np.zeros(0, dtype=np.int32)
    return np.searchsorted(np.array(vocab), np.array(list(text))).astype(np.int32)


def decode(ids, vocab):
    ids = np.asarray(ids, dtype=np.int64)
    return "".join(np.take(np.array(list(vocab) + [""], dtype=object), ids)) if len(ids) else ""'''),
    dict(name="dictionaries both ways", grade_id="n07_vocab",
         why="char -> id and id -> char dictionaries, np.fromiter",
         source='''def build_vocab(text):
    seen = {}
    for c in text:
        seen[c] = True
    return sorted(seen)


def encode(text, vocab):
    to_id = dict(zip(vocab, range(len(vocab))))
    return np.fromiter((to_id[c] for c in text), dtype=np.int16, count=len(text))


def decode(ids, vocab):
    to_char = dict(enumerate(vocab))
    return "".join(map(to_char.__getitem__, map(int, ids)))'''),
    # --- make_windows ----------------------------------------------------------------------------
    dict(name="a loop of slices", grade_id="n07_windows",
         why="lists of slices, stacked; a list [X, Y] instead of a tuple",
         source='''def make_windows(ids, seq_len):
    ids = list(ids)
    xs, ys = [], []
    start = 0
    while start + seq_len < len(ids):
        xs.append(ids[start:start + seq_len])
        ys.append(ids[start + 1:start + seq_len + 1])
        start += seq_len
    return [np.array(xs, dtype=np.int64).reshape(-1, seq_len), np.array(ys, dtype=np.int64).reshape(-1, seq_len)]'''),
    dict(name="index arithmetic", grade_id="n07_windows",
         why="an (m, T) array of positions, fancy indexing",
         source='''def make_windows(ids, seq_len):
    ids = np.asarray(ids)
    m = max(0, (ids.size - 1) // seq_len)
    pos = np.arange(m)[:, None] * seq_len + np.arange(seq_len)[None, :]
    return ids[pos].astype(np.int64).reshape(m, seq_len), ids[pos + 1].astype(np.int64).reshape(m, seq_len)'''),
    dict(name="sliding_window_view with a stride", grade_id="n07_windows",
         why="numpy's sliding windows, every seq_len-th kept",
         source='''from numpy.lib.stride_tricks import sliding_window_view


def make_windows(ids, seq_len):
    ids = np.asarray(ids, dtype=np.int32)
    m = (len(ids) - 1) // seq_len
    if m == 0:
        return np.zeros((0, seq_len), np.int32), np.zeros((0, seq_len), np.int32)
    w = sliding_window_view(ids, seq_len)
    return w[0:m * seq_len:seq_len].copy(), w[1:m * seq_len + 1:seq_len].copy()'''),
    dict(name="np.array of a list of windows, (0,) when there is none", grade_id="n07_windows",
         why="a list comprehension turned into arrays: with no whole window np.array([]) has shape (0,) and "
             "dtype float64, which the statement accepts (an empty array holds no id)",
         source='''def make_windows(ids, seq_len):
    ids = [int(i) for i in ids]
    m = (len(ids) - 1) // seq_len
    X = np.array([ids[k * seq_len:(k + 1) * seq_len] for k in range(m)])
    Y = np.array([ids[k * seq_len + 1:(k + 1) * seq_len + 1] for k in range(m)])
    return X, Y'''),
    dict(name="np.vstack, and np.empty((0, seq_len)) when there is no window", grade_id="n07_windows",
         why="the degenerate case handled first with a float empty array of shape (0, seq_len), then vstack",
         source='''def make_windows(ids, seq_len):
    ids = np.asarray(ids)
    m = (len(ids) - 1) // seq_len
    if m <= 0:
        return np.empty((0, seq_len)), np.empty((0, seq_len))
    X = np.vstack([ids[k * seq_len:(k + 1) * seq_len] for k in range(m)])
    Y = np.vstack([ids[k * seq_len + 1:(k + 1) * seq_len + 1] for k in range(m)])
    return X, Y'''),
    # --- sample_next -----------------------------------------------------------------------------
    dict(name="softmax to the power 1/T", grade_id="n07_sample_next",
         why="softmax(z) ** (1 / T), renormalised: the same distribution as softmax(z / T)",
         source='''def sample_next(logits, temperature, rng):
    z = np.asarray(logits, dtype=np.float64)
    if temperature <= 0:
        return np.argmax(z)
    logp = (z - z.max()) - np.log(np.exp(z - z.max()).sum())
    w = np.exp((logp - logp.max()) / temperature)
    return rng.choice(len(w), p=w / w.sum())'''),
    dict(name="inverse CDF with rng.random", grade_id="n07_sample_next",
         why="cumulative sums and searchsorted on one uniform draw; a NumPy integer returned",
         source='''def sample_next(logits, temperature, rng):
    z = np.asarray(logits, dtype=np.float64)
    if temperature == 0:
        return np.int64(z.argmax())
    z = z / temperature
    p = np.exp(z - np.max(z))
    cdf = np.cumsum(p / p.sum())
    return np.int64(min(np.searchsorted(cdf, rng.random(), side="right"), len(z) - 1))'''),
    dict(name="the Gumbel-max trick", grade_id="n07_sample_next",
         why="argmax(z / T + Gumbel noise) is a draw from softmax(z / T)",
         source='''def sample_next(logits, temperature, rng):
    z = np.asarray(logits, dtype=np.float64)
    if temperature == 0:
        return int(np.argmax(z))
    return int(np.argmax(z / temperature + rng.gumbel(size=z.shape)))'''),
    dict(name="one multinomial draw", grade_id="n07_sample_next",
         why="rng.multinomial(1, p): a one-hot count, its argmax; keras-free numpy softmax in float64",
         source='''def sample_next(logits, temperature, rng):
    z = np.array(logits, dtype=np.float64)
    if not temperature:
        return int(z.argmax())
    z /= temperature
    z -= z.max()
    p = np.exp(z)
    p /= p.sum()
    return int(rng.multinomial(1, p).argmax())'''),
    # --- generate --------------------------------------------------------------------------------
    dict(name="model.predict and an array that grows", grade_id="n07_generate",
         why="model.predict(verbose=0), np.append, the new ids sliced off at the end",
         source='''def generate(model, prefix, n, temperature, rng):
    seq = np.asarray(prefix, dtype=np.int64)
    for _ in range(n):
        logits = model.predict(seq[None, :], verbose=0)[0, -1]
        seq = np.append(seq, sample_next(logits, temperature, rng))
    return seq[len(prefix):].astype(np.int64)'''),
    dict(name="a list, then an array", grade_id="n07_generate",
         why="model(x) on a tensor, .numpy(), ids collected in a list",
         source='''def generate(model, prefix, n, temperature, rng):
    import tensorflow as tf
    seq = list(prefix)
    start = len(seq)
    while len(seq) < start + n:
        out = model(tf.constant([seq], dtype=tf.int32))
        seq.append(int(sample_next(np.asarray(out)[0][-1], temperature, rng)))
    return np.array(seq[start:], dtype=int)'''),
    dict(name="predict_on_batch", grade_id="n07_generate",
         why="model.predict_on_batch, logits read with [:, -1, :]",
         source='''def generate(model, prefix, n, temperature, rng):
    ids = [int(i) for i in prefix]
    new = np.zeros(n, dtype=np.int32)
    for k in range(n):
        logits = np.asarray(model.predict_on_batch(np.array(ids, dtype=np.int32).reshape(1, -1)))[:, -1, :]
        new[k] = sample_next(logits[0], temperature, rng)
        ids.append(int(new[k]))
    return new'''),
    # --- perplexity ------------------------------------------------------------------------------
    dict(name="keras.ops.log_softmax", grade_id="n07_perplexity",
         why="Keras' log_softmax in float64, take_along_axis, a NumPy float returned",
         source='''def perplexity(model, ids):
    ids = np.asarray(ids)
    z = np.asarray(model.predict(ids[None, :-1], verbose=0), dtype=np.float64)[0]
    lp = keras.ops.convert_to_numpy(keras.ops.log_softmax(z, axis=-1))
    nll = -np.take_along_axis(lp, ids[1:, None], axis=-1)[:, 0]
    return np.exp(np.mean(nll))'''),
    dict(name="Keras' own cross-entropy", grade_id="n07_perplexity",
         why="keras.losses.sparse_categorical_crossentropy(from_logits=True) on the model's output",
         source='''def perplexity(model, ids):
    ids = np.asarray(ids, dtype=np.int32)
    logits = model(ids[None, :-1], training=False)
    nll = keras.losses.sparse_categorical_crossentropy(ids[None, 1:], keras.ops.cast(logits, "float64"), from_logits=True)
    return float(np.exp(np.mean(keras.ops.convert_to_numpy(nll))))'''),
    dict(name="a loop with logsumexp", grade_id="n07_perplexity",
         why="one step at a time, np.logaddexp.reduce, the geometric mean of 1/p",
         source='''def perplexity(model, ids):
    ids = list(ids)
    z = np.asarray(model.predict(np.array([ids[:-1]]), verbose=0)[0], dtype=np.float64)
    total = 0.0
    for t in range(len(ids) - 1):
        total += np.logaddexp.reduce(z[t]) - z[t, ids[t + 1]]
    return float(np.exp(total / (len(ids) - 1)))'''),
    # --- stateful_batches ------------------------------------------------------------------------
    dict(name="loops over batches and rows", grade_id="n07_stateful_batches",
         why="the definition written as two loops, int64",
         source='''def stateful_batches(ids, batch_size, seq_len):
    ids = np.asarray(ids, dtype=np.int64)
    L = (len(ids) - 1) // batch_size
    K = L // seq_len
    X = np.zeros((K, batch_size, seq_len), dtype=np.int64)
    Y = np.zeros_like(X)
    for k in range(K):
        for b in range(batch_size):
            s = b * L + k * seq_len
            X[k, b], Y[k, b] = ids[s:s + seq_len], ids[s + 1:s + seq_len + 1]
    return X, Y'''),
    dict(name="index arithmetic", grade_id="n07_stateful_batches",
         why="a (K, B, T) array of positions, a list [X, Y]",
         source='''def stateful_batches(ids, batch_size, seq_len):
    ids = np.asarray(ids)
    L = (len(ids) - 1) // batch_size
    K = L // seq_len
    pos = (np.arange(batch_size)[None, :, None] * L + np.arange(K)[:, None, None] * seq_len
           + np.arange(seq_len)[None, None, :])
    return [ids[pos].reshape(K, batch_size, seq_len), ids[pos + 1].reshape(K, batch_size, seq_len)]'''),
    dict(name="np.split into streams", grade_id="n07_stateful_batches",
         why="np.split of the inputs and targets into streams, then np.stack of the windows",
         source='''def stateful_batches(ids, batch_size, seq_len):
    ids = np.asarray(ids, dtype=np.int32)
    L = (len(ids) - 1) // batch_size
    K = L // seq_len
    if K == 0:
        empty = np.zeros((0, batch_size, seq_len), dtype=np.int32)
        return empty, empty.copy()
    xs = np.split(ids[:batch_size * L], batch_size)
    ys = np.split(ids[1:batch_size * L + 1], batch_size)
    X = np.stack([np.stack([s[k * seq_len:(k + 1) * seq_len] for s in xs]) for k in range(K)])
    Y = np.stack([np.stack([s[k * seq_len:(k + 1) * seq_len] for s in ys]) for k in range(K)])
    return X, Y'''),
    # --- train_stateful --------------------------------------------------------------------------
    dict(name="reset_state on the LSTM layers", grade_id="n07_train_stateful",
         why="isinstance(layer, keras.layers.LSTM) and reset_state(); the losses as a NumPy array",
         source='''def train_stateful(model, X, Y, epochs):
    out = np.zeros(epochs)
    for e in range(epochs):
        for layer in model.layers:
            if isinstance(layer, keras.layers.LSTM):
                layer.reset_state()
        total = 0.0
        for k in range(len(X)):
            total += model.train_on_batch(X[k], Y[k])
        out[e] = total / len(X)
    return out'''),
    dict(name="return_dict and a tuple", grade_id="n07_train_stateful",
         why="train_on_batch(..., return_dict=True)['loss'], the losses as a tuple",
         source='''def train_stateful(model, X, Y, epochs):
    means = []
    for _ in range(epochs):
        for layer in [l for l in model.layers if getattr(l, "stateful", False)]:
            layer.reset_states()
        means.append(np.mean([model.train_on_batch(xb, yb, return_dict=True)["loss"] for xb, yb in zip(X, Y)]))
    return tuple(float(m) for m in means)'''),
    dict(name="fit on one batch at a time", grade_id="n07_train_stateful",
         why="model.fit(X[k], Y[k], batch_size=B, epochs=1, shuffle=False): one gradient step per call",
         source='''def train_stateful(model, X, Y, epochs):
    losses = []
    for _ in range(epochs):
        for layer in model.layers:
            if getattr(layer, "stateful", False):
                layer.reset_states()
        batch = []
        for k in range(len(X)):
            h = model.fit(X[k], Y[k], batch_size=len(X[k]), epochs=1, shuffle=False, verbose=0)
            batch.append(h.history["loss"][0])
        losses.append(float(np.mean(batch)))
    return losses'''),
]
