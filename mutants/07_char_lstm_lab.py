"""Mutation bank of 07_char_lstm_lab: wrong answers as students really write them.

Instructor side only (never in the student bundle).  `make mutants` grades each one.
A mutant replaces a whole solution cell: Exercise 1's cell defines three functions, so its
mutants carry the two correct ones beside the wrong one.
"""

_ENCODE = '''
def encode(text, vocab):
    index = {ch: i for i, ch in enumerate(vocab)}
    return np.array([index[ch] for ch in text], dtype=np.int32)
'''
_DECODE = '''
def decode(ids, vocab):
    return "".join(vocab[int(i)] for i in ids)
'''
_VOCAB = '''
def build_vocab(text):
    return sorted(set(text))
'''

MUTANTS = [
    # --- build_vocab / encode / decode ---------------------------------------------------------
    dict(name="vocabulary in order of appearance", grade_id="n07_vocab",
         why="dict.fromkeys(text): each character once, but not sorted",
         source='''def build_vocab(text):
    return list(dict.fromkeys(text))
''' + _ENCODE + _DECODE),
    dict(name="ids from 1 (0 kept for padding)", grade_id="n07_vocab",
         why="a Keras Tokenizer habit: index 0 reserved, so every id is one too large",
         source=_VOCAB + '''
def encode(text, vocab):
    index = {ch: i + 1 for i, ch in enumerate(vocab)}
    return np.array([index[ch] for ch in text], dtype=np.int32)


def decode(ids, vocab):
    return "".join(vocab[int(i) - 1] for i in ids)
'''),
    dict(name="decode returns a list of characters", grade_id="n07_vocab",
         why="forgets the join: ['b', 'a', ...] instead of 'ba...'",
         source=_VOCAB + _ENCODE + '''
def decode(ids, vocab):
    return [vocab[int(i)] for i in ids]
'''),
    dict(name="encode returns a list", grade_id="n07_vocab",
         why="a list comprehension, never turned into a NumPy array",
         source=_VOCAB + '''
def encode(text, vocab):
    return [vocab.index(ch) for ch in text]
''' + _DECODE),
    dict(name="vocabulary with duplicates", grade_id="n07_vocab",
         why="sorted(text): sorted, but every occurrence kept",
         source='''def build_vocab(text):
    return sorted(text)
''' + _ENCODE + _DECODE),
    # --- make_windows ----------------------------------------------------------------------------
    dict(name="targets not shifted", grade_id="n07_windows",
         why="Y = X: the model is asked to copy its input, not to predict the next id",
         source='''def make_windows(ids, seq_len):
    ids = np.asarray(ids)
    m = (len(ids) - 1) // seq_len
    X = ids[:m * seq_len].reshape(m, seq_len)
    return X, X.copy()'''),
    dict(name="one window too many", grade_id="n07_windows",
         why="m = len(ids) // seq_len, and the last targets padded with 0",
         source='''def make_windows(ids, seq_len):
    ids = np.asarray(ids)
    m = len(ids) // seq_len
    padded = np.concatenate([ids, np.zeros(seq_len + 1, dtype=ids.dtype)])
    X = padded[:m * seq_len].reshape(m, seq_len)
    Y = padded[1:m * seq_len + 1].reshape(m, seq_len)
    return X, Y'''),
    dict(name="overlapping windows", grade_id="n07_windows",
         why="a sliding window of stride 1 (04's dataset) instead of consecutive windows",
         source='''def make_windows(ids, seq_len):
    ids = np.asarray(ids)
    X = np.array([ids[i:i + seq_len] for i in range(len(ids) - seq_len)], dtype=np.int64).reshape(-1, seq_len)
    Y = np.array([ids[i + 1:i + seq_len + 1] for i in range(len(ids) - seq_len)], dtype=np.int64).reshape(-1, seq_len)
    return X, Y'''),
    dict(name="targets shifted the wrong way", grade_id="n07_windows",
         why="Y[k] = ids[k*T - 1 : (k+1)*T - 1]: the previous id, not the next",
         source='''def make_windows(ids, seq_len):
    ids = np.asarray(ids)
    m = (len(ids) - 1) // seq_len
    X = ids[1:m * seq_len + 1].reshape(m, seq_len)
    Y = ids[:m * seq_len].reshape(m, seq_len)
    return X, Y'''),
    dict(name="partial window padded", grade_id="n07_windows",
         why="keeps the last partial window, padded with zeros, against the rule",
         source='''def make_windows(ids, seq_len):
    ids = np.asarray(ids)
    m = -(-(len(ids) - 1) // seq_len)
    padded = np.concatenate([ids, np.zeros(m * seq_len + 1 - len(ids), dtype=ids.dtype)])
    X = padded[:m * seq_len].reshape(m, seq_len)
    Y = padded[1:m * seq_len + 1].reshape(m, seq_len)
    return X, Y'''),
    dict(name="np.stack of no window", grade_id="n07_windows",
         why="np.stack of the list of windows: raises on a sequence too short for one window instead of "
             "returning empty arrays",
         source='''def make_windows(ids, seq_len):
    ids = np.asarray(ids)
    m = (len(ids) - 1) // seq_len
    X = np.stack([ids[k * seq_len:(k + 1) * seq_len] for k in range(m)])
    Y = np.stack([ids[k * seq_len + 1:(k + 1) * seq_len + 1] for k in range(m)])
    return X, Y'''),
    dict(name="at least one window", grade_id="n07_windows",
         why="m = max(1, ...): a sequence too short for one window gives one window padded with 0, not empty arrays",
         source='''def make_windows(ids, seq_len):
    ids = np.asarray(ids)
    m = max(1, (len(ids) - 1) // seq_len)
    padded = np.concatenate([ids, np.zeros(m * seq_len + 1, dtype=ids.dtype)])
    X = padded[:m * seq_len].reshape(m, seq_len)
    Y = padded[1:m * seq_len + 1].reshape(m, seq_len)
    return X, Y'''),
    # --- sample_next -----------------------------------------------------------------------------
    dict(name="temperature applied after the softmax", grade_id="n07_sample_next",
         why="p = softmax(logits) / T, normalised again: the temperature cancels out",
         source='''def sample_next(logits, temperature, rng):
    logits = np.asarray(logits, dtype=np.float64)
    if temperature == 0:
        return int(np.argmax(logits))
    p = np.exp(logits - logits.max())
    p = p / p.sum() / temperature
    return int(rng.choice(len(p), p=p / p.sum()))'''),
    dict(name="rng ignored: global state", grade_id="n07_sample_next",
         why="np.random.choice: the draws follow np.random.seed, not the generator given",
         source='''def sample_next(logits, temperature, rng):
    logits = np.asarray(logits, dtype=np.float64)
    if temperature == 0:
        return int(np.argmax(logits))
    z = logits / temperature
    p = np.exp(z - z.max())
    return int(np.random.choice(len(p), p=p / p.sum()))'''),
    dict(name="temperature multiplies the logits", grade_id="n07_sample_next",
         why="softmax(logits * T): sharpens when it should flatten",
         source='''def sample_next(logits, temperature, rng):
    logits = np.asarray(logits, dtype=np.float64)
    if temperature == 0:
        return int(np.argmax(logits))
    z = logits * temperature
    p = np.exp(z - z.max())
    return int(rng.choice(len(p), p=p / p.sum()))'''),
    dict(name="no maximum subtracted", grade_id="n07_sample_next",
         why="exp(logits / T) overflows at a small temperature: nan probabilities",
         source='''def sample_next(logits, temperature, rng):
    logits = np.asarray(logits, dtype=np.float64)
    if temperature == 0:
        return int(np.argmax(logits))
    p = np.exp(logits / temperature)
    return int(rng.choice(len(p), p=p / p.sum()))'''),
    dict(name="always the argmax", grade_id="n07_sample_next",
         why="greedy decoding whatever the temperature",
         source='''def sample_next(logits, temperature, rng):
    return int(np.argmax(logits))'''),
    dict(name="samples from the logits as weights", grade_id="n07_sample_next",
         why="no exponential: |logits| / T normalised as if they were probabilities",
         source='''def sample_next(logits, temperature, rng):
    logits = np.asarray(logits, dtype=np.float64)
    if temperature == 0:
        return int(np.argmax(logits))
    w = np.abs(logits) / temperature
    return int(rng.choice(len(w), p=w / w.sum()))'''),
    # --- generate --------------------------------------------------------------------------------
    dict(name="samples not fed back", grade_id="n07_generate",
         why="every new id predicted from the prefix alone",
         source='''def generate(model, prefix, n, temperature, rng):
    x = np.array([list(prefix)], dtype=np.int32)
    out = []
    for _ in range(n):
        logits = keras.ops.convert_to_numpy(model(x, training=False))[0, -1]
        out.append(int(sample_next(logits, temperature, rng)))
    return np.array(out, dtype=np.int32)'''),
    dict(name="prefix included in the output", grade_id="n07_generate",
         why="returns prefix + the n new ids",
         source='''def generate(model, prefix, n, temperature, rng):
    ids = [int(i) for i in prefix]
    for _ in range(n):
        logits = keras.ops.convert_to_numpy(model(np.array([ids], dtype=np.int32), training=False))[0, -1]
        ids.append(int(sample_next(logits, temperature, rng)))
    return np.array(ids, dtype=np.int32)'''),
    dict(name="logits of the first step", grade_id="n07_generate",
         why="[0, 0] instead of [0, -1]: always predicts what follows the first id",
         source='''def generate(model, prefix, n, temperature, rng):
    ids = [int(i) for i in prefix]
    new = []
    for _ in range(n):
        logits = keras.ops.convert_to_numpy(model(np.array([ids], dtype=np.int32), training=False))[0, 0]
        new.append(int(sample_next(logits, temperature, rng)))
        ids.append(new[-1])
    return np.array(new, dtype=np.int32)'''),
    dict(name="a fresh generator every step", grade_id="n07_generate",
         why="np.random.default_rng(0) inside the loop: the rng given is never used",
         source='''def generate(model, prefix, n, temperature, rng):
    ids = [int(i) for i in prefix]
    new = []
    for _ in range(n):
        logits = keras.ops.convert_to_numpy(model(np.array([ids], dtype=np.int32), training=False))[0, -1]
        new.append(int(sample_next(logits, temperature, np.random.default_rng(len(ids)))))
        ids.append(new[-1])
    return np.array(new, dtype=np.int32)'''),
    dict(name="temperature dropped", grade_id="n07_generate",
         why="calls sample_next(logits, 1.0, rng) whatever temperature it is given",
         source='''def generate(model, prefix, n, temperature, rng):
    ids = [int(i) for i in prefix]
    new = []
    for _ in range(n):
        logits = keras.ops.convert_to_numpy(model(np.array([ids], dtype=np.int32), training=False))[0, -1]
        new.append(int(sample_next(logits, 1.0, rng)))
        ids.append(new[-1])
    return np.array(new, dtype=np.int32)'''),
    # --- perplexity ------------------------------------------------------------------------------
    dict(name="exp of the sum", grade_id="n07_perplexity",
         why="exp(total negative log-likelihood): grows with the length of the text",
         source='''def perplexity(model, ids):
    ids = np.asarray(ids)
    z = np.asarray(model.predict(ids[None, :-1], verbose=0)[0], dtype=np.float64)
    t = z.max(-1, keepdims=True)
    lp = z - t - np.log(np.exp(z - t).sum(-1, keepdims=True))
    return float(np.exp(-lp[np.arange(len(ids) - 1), ids[1:]].sum()))'''),
    dict(name="log-probability of the argmax", grade_id="n07_perplexity",
         why="scores the most likely character instead of the true next one",
         source='''def perplexity(model, ids):
    ids = np.asarray(ids)
    z = np.asarray(model.predict(ids[None, :-1], verbose=0)[0], dtype=np.float64)
    t = z.max(-1, keepdims=True)
    lp = z - t - np.log(np.exp(z - t).sum(-1, keepdims=True))
    return float(np.exp(-lp[np.arange(len(ids) - 1), lp.argmax(-1)].mean()))'''),
    dict(name="targets not shifted", grade_id="n07_perplexity",
         why="scores ids[t] with the logits of step t, the id the model has just read",
         source='''def perplexity(model, ids):
    ids = np.asarray(ids)
    z = np.asarray(model.predict(ids[None, :-1], verbose=0)[0], dtype=np.float64)
    t = z.max(-1, keepdims=True)
    lp = z - t - np.log(np.exp(z - t).sum(-1, keepdims=True))
    return float(np.exp(-lp[np.arange(len(ids) - 1), ids[:-1]].mean()))'''),
    dict(name="log of the logits", grade_id="n07_perplexity",
         why="no softmax: the logits taken for probabilities",
         source='''def perplexity(model, ids):
    ids = np.asarray(ids)
    z = np.asarray(model.predict(ids[None, :-1], verbose=0)[0], dtype=np.float64)
    p = np.abs(z[np.arange(len(ids) - 1), ids[1:]]) + 1e-12
    return float(np.exp(-np.log(p).mean()))'''),
    dict(name="softmax in float32 without the maximum", grade_id="n07_perplexity",
         why="np.exp of large float32 logits overflows: inf / inf",
         source='''def perplexity(model, ids):
    ids = np.asarray(ids)
    z = model.predict(ids[None, :-1], verbose=0)[0]
    p = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
    return float(np.exp(-np.log(p[np.arange(len(ids) - 1), ids[1:]]).mean()))'''),
    dict(name="base-2 exponent of a natural log", grade_id="n07_perplexity",
         why="2 ** (mean natural-log loss): mixes bits and nats",
         source='''def perplexity(model, ids):
    ids = np.asarray(ids)
    z = np.asarray(model.predict(ids[None, :-1], verbose=0)[0], dtype=np.float64)
    t = z.max(-1, keepdims=True)
    lp = z - t - np.log(np.exp(z - t).sum(-1, keepdims=True))
    return float(2 ** (-lp[np.arange(len(ids) - 1), ids[1:]].mean()))'''),
    # --- stateful_batches ------------------------------------------------------------------------
    dict(name="consecutive windows in one batch", grade_id="n07_stateful_batches",
         why="make_windows, then groups of B consecutive windows: row b of batch k+1 does not continue row b",
         source='''def stateful_batches(ids, batch_size, seq_len):
    ids = np.asarray(ids)
    L = (len(ids) - 1) // batch_size
    K = L // seq_len
    m = K * batch_size
    X = ids[:m * seq_len].reshape(K, batch_size, seq_len)
    Y = ids[1:m * seq_len + 1].reshape(K, batch_size, seq_len)
    return X, Y'''),
    dict(name="targets not shifted", grade_id="n07_stateful_batches",
         why="Y = X",
         source='''def stateful_batches(ids, batch_size, seq_len):
    ids = np.asarray(ids)
    L = (len(ids) - 1) // batch_size
    K = L // seq_len
    X = ids[:batch_size * L].reshape(batch_size, L)[:, :K * seq_len].reshape(batch_size, K, seq_len).transpose(1, 0, 2)
    return X, X.copy()'''),
    dict(name="streams cut from the whole text", grade_id="n07_stateful_batches",
         why="L = len(ids) // batch_size: the targets of the last stream run one id short (or past the end)",
         source='''def stateful_batches(ids, batch_size, seq_len):
    ids = np.asarray(ids)
    L = len(ids) // batch_size
    K = L // seq_len
    padded = np.concatenate([ids, ids[-1:]])
    X = padded[:batch_size * L].reshape(batch_size, L)[:, :K * seq_len].reshape(batch_size, K, seq_len).transpose(1, 0, 2)
    Y = padded[1:batch_size * L + 1].reshape(batch_size, L)[:, :K * seq_len].reshape(batch_size, K, seq_len).transpose(1, 0, 2)
    return X, Y'''),
    dict(name="batch axis first", grade_id="n07_stateful_batches",
         why="shape (batch_size, K, seq_len): the transpose forgotten",
         source='''def stateful_batches(ids, batch_size, seq_len):
    ids = np.asarray(ids)
    L = (len(ids) - 1) // batch_size
    K = L // seq_len
    X = ids[:batch_size * L].reshape(batch_size, L)[:, :K * seq_len].reshape(batch_size, K, seq_len)
    Y = ids[1:batch_size * L + 1].reshape(batch_size, L)[:, :K * seq_len].reshape(batch_size, K, seq_len)
    return X, Y'''),
    # --- train_stateful --------------------------------------------------------------------------
    dict(name="state not reset", grade_id="n07_train_stateful",
         why="the state of the last batch of an epoch flows into the first batch of the next",
         source='''def train_stateful(model, X, Y, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(float(np.mean([float(model.train_on_batch(X[k], Y[k])) for k in range(len(X))])))
    return losses'''),
    dict(name="state reset every batch", grade_id="n07_train_stateful",
         why="reset_states before each batch: a stateless model in disguise",
         source='''def train_stateful(model, X, Y, epochs):
    losses = []
    for _ in range(epochs):
        batch = []
        for k in range(len(X)):
            for layer in model.layers:
                if getattr(layer, "stateful", False):
                    layer.reset_states()
            batch.append(float(model.train_on_batch(X[k], Y[k])))
        losses.append(float(np.mean(batch)))
    return losses'''),
    dict(name="batches shuffled", grade_id="n07_train_stateful",
         why="a random order each epoch: the carried state belongs to another stream position",
         source='''def train_stateful(model, X, Y, epochs):
    losses, order_rng = [], np.random.default_rng(0)
    for _ in range(epochs):
        for layer in model.layers:
            if getattr(layer, "stateful", False):
                layer.reset_states()
        batch = [float(model.train_on_batch(X[k], Y[k])) for k in order_rng.permutation(len(X))]
        losses.append(float(np.mean(batch)))
    return losses'''),
    dict(name="losses of every batch", grade_id="n07_train_stateful",
         why="returns the K * epochs batch losses, not one mean per epoch",
         source='''def train_stateful(model, X, Y, epochs):
    losses = []
    for _ in range(epochs):
        for layer in model.layers:
            if getattr(layer, "stateful", False):
                layer.reset_states()
        losses.extend(float(model.train_on_batch(X[k], Y[k])) for k in range(len(X)))
    return losses'''),
    dict(name="last batch skipped", grade_id="n07_train_stateful",
         why="range(len(X) - 1), resetting after each epoch: an off-by-one leaves the last batch out",
         source='''def train_stateful(model, X, Y, epochs):
    losses = []
    for _ in range(epochs):
        losses.append(float(np.mean([float(model.train_on_batch(X[k], Y[k])) for k in range(len(X) - 1)])))
        for layer in model.layers:
            if getattr(layer, "stateful", False):
                layer.reset_states()
    return losses'''),
]
