"""Alternatives bank of 08_seq2seq_attention: correct answers written differently.

Instructor side only (never in the student bundle).  `make alternatives` grades each one and
fails unless it keeps every point of its exercise.
"""

ALTERNATIVES = [
    # --- teacher_forcing ---------------------------------------------------------------------------
    dict(name="lists padded, then one array", grade_id="n08_teacher_forcing",
         why="Python lists padded by concatenation, int64 arrays, a float64 mask, a list returned",
         source='''def teacher_forcing(targets, start_id, end_id):
    rows = [[int(i) for i in y] for y in targets]
    T = max([len(y) for y in rows] + [0])
    din = [[start_id] + y + [0] * (T - len(y)) for y in rows]
    dout = [y + [end_id] + [0] * (T - len(y)) for y in rows]
    mask = [[1.0] * (len(y) + 1) + [0.0] * (T - len(y)) for y in rows]
    m = len(rows)
    return [np.array(din, dtype=np.int64).reshape(m, T + 1), np.array(dout, dtype=np.int64).reshape(m, T + 1),
            np.array(mask, dtype=np.float64).reshape(m, T + 1)]'''),
    dict(name="vectorised with a position grid", grade_id="n08_teacher_forcing",
         why="a boolean mask from np.arange against the lengths, the ids scattered with it",
         source='''def teacher_forcing(targets, start_id, end_id):
    lengths = np.array([len(y) for y in targets], dtype=np.int64)
    T = int(lengths.max()) if len(lengths) else 0
    pos = np.arange(T + 1)[None, :]
    mask = pos <= lengths[:, None]
    flat = np.concatenate([np.asarray(y, dtype=np.int64).reshape(-1) for y in targets] + [np.zeros(0, np.int64)])
    chars = np.zeros((len(targets), T + 1), dtype=np.int64)
    chars[pos < lengths[:, None]] = flat
    dout = chars.copy()
    dout[np.arange(len(targets)), lengths] = end_id
    din = np.zeros_like(chars)
    din[:, 0] = start_id
    din[:, 1:] = chars[:, :-1]
    return din, dout, mask'''),
    dict(name="np.pad per row, a uint8 mask", grade_id="n08_teacher_forcing",
         why="np.pad of each row to the common length, np.stack, the mask as 0/1 uint8 turned float32",
         source='''def teacher_forcing(targets, start_id, end_id):
    T = max([len(y) for y in targets] + [0])
    din, dout = [], []
    for y in targets:
        y = np.asarray(y, dtype=np.int32).reshape(-1)
        din.append(np.pad(np.concatenate([[start_id], y]), (0, T - len(y))))
        dout.append(np.pad(np.concatenate([y, [end_id]]), (0, T - len(y))))
    din = np.stack(din).astype(np.int32) if din else np.zeros((0, T + 1), np.int32)
    dout = np.stack(dout).astype(np.int32) if dout else np.zeros((0, T + 1), np.int32)
    return din, dout, (dout != 0).astype(np.uint8).astype(np.float32)'''),
    # --- attention_step ------------------------------------------------------------------------------
    dict(name="Keras' -1e9 on padding", grade_id="n08_attention_step",
         why="subtracts 1e9 from the padded scores, as AdditiveAttention does: exp underflows to exactly 0",
         source='''def attention_step(s, H, mask, W_q, W_k, v):
    pad = ~np.asarray(mask, dtype=bool)
    scores = np.sum(v * np.tanh(np.expand_dims(s @ W_q, 1) + np.matmul(H, W_k)), axis=-1)
    scores = np.where(pad, scores - 1e9, scores)
    scores = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(scores)
    w = e / e.sum(axis=-1, keepdims=True)
    return np.matmul(w[:, None, :], H)[:, 0, :], w'''),
    dict(name="a loop over the sources", grade_id="n08_attention_step",
         why="one source at a time, the softmax over its real positions only, weights scattered back",
         source='''def attention_step(s, H, mask, W_q, W_k, v):
    m, S, u = H.shape
    dtype = np.result_type(s, H)
    context = np.zeros((m, u), dtype=dtype)
    weights = np.zeros((m, S), dtype=dtype)
    for k in range(m):
        real = np.flatnonzero(np.asarray(mask[k]))
        hk = H[k, real]
        e = np.tanh(s[k] @ W_q + hk @ W_k) @ v
        p = np.exp(e - e.max())
        p = p / p.sum()
        weights[k, real] = p
        context[k] = p @ hk
    return context, weights'''),
    dict(name="float64, the mask as a multiplier, a list", grade_id="n08_attention_step",
         why="computed in float64, exp multiplied by a 0/1 mask, einsum for the scores, [context, weights]",
         source='''def attention_step(s, H, mask, W_q, W_k, v):
    s, H = np.asarray(s, dtype=np.float64), np.asarray(H, dtype=np.float64)
    keep = np.asarray(mask).astype(np.float64)
    q = np.einsum("mu,ua->ma", s, W_q)
    k = np.einsum("msu,ua->msa", H, W_k)
    e = np.einsum("msa,a->ms", np.tanh(q[:, None, :] + k), np.asarray(v, dtype=np.float64))
    top = np.max(np.where(keep > 0, e, -np.inf), axis=1, keepdims=True)
    p = np.exp(np.minimum(e - top, 0.0)) * keep
    w = p / p.sum(axis=1, keepdims=True)
    return [np.einsum("ms,msu->mu", w, H), w]'''),
    # --- greedy_decode -------------------------------------------------------------------------------
    dict(name="a while loop and a list", grade_id="n08_greedy_decode",
         why="a while loop, list.index of the max for the argmax, a list of ints returned",
         source='''def greedy_decode(step, state, start_id, end_id, max_len):
    out = []
    token = start_id
    while len(out) < max_len:
        logits, state = step(token, state)
        scores = [float(z) for z in logits]
        token = scores.index(max(scores))
        if token == end_id:
            break
        out.append(token)
    return out'''),
    dict(name="a generator", grade_id="n08_greedy_decode",
         why="the ids yielded by an inner generator, collected with np.fromiter",
         source='''def greedy_decode(step, state, start_id, end_id, max_len):
    def ids():
        token, st = start_id, state
        for _ in range(max_len):
            logits, st = step(token, st)
            token = int(np.argmax(np.asarray(logits)))
            if token == end_id:
                return
            yield token
    return np.fromiter(ids(), dtype=np.int32)'''),
    dict(name="recursion", grade_id="n08_greedy_decode",
         why="one recursive call per new id, the state passed down; a NumPy int array",
         source='''def greedy_decode(step, state, start_id, end_id, max_len):
    def go(token, st, left):
        if left == 0:
            return []
        logits, st = step(token, st)
        nxt = np.argmax(logits)
        if nxt == end_id:
            return []
        return [int(nxt)] + go(int(nxt), st, left - 1)
    return np.asarray(go(start_id, state, max_len), dtype=np.int64)'''),
    # --- beam_search ---------------------------------------------------------------------------------
    dict(name="heapq.nlargest", grade_id="n08_beam_search",
         why="candidates as tuples, pruned with heapq.nlargest; a list of ids and a NumPy float score",
         source='''import heapq


def beam_search(step, state, start_id, end_id, max_len, beam_width, alpha):
    beam = [(0.0, (), state)]
    done = []
    for _ in range(max_len):
        cands = []
        for total, ids, st in beam:
            logits, new = step(ids[-1] if ids else start_id, st)
            z = np.asarray(logits, dtype=np.float64)
            lp = z - z.max() - np.log(np.sum(np.exp(z - z.max())))
            cands.extend((total + lp[t], ids + (t,), new) for t in range(len(lp)))
        top = heapq.nlargest(beam_width, cands, key=lambda c: c[0])
        done += [c for c in top if c[1][-1] == end_id]
        beam = [c for c in top if c[1][-1] != end_id]
        if not beam:
            break
    done += beam
    best = max(done, key=lambda c: c[0] / len(c[1]) ** alpha)
    ids = list(best[1][:-1]) if best[1][-1] == end_id else list(best[1])
    return ids, np.float64(best[0] / len(best[1]) ** alpha)'''),
    dict(name="arrays and argsort", grade_id="n08_beam_search",
         why="the candidates' totals as one matrix (hypotheses x ids), argsort of the flattened matrix",
         source='''def beam_search(step, state, start_id, end_id, max_len, beam_width, alpha):
    seqs, totals, states = [[]], np.zeros(1), [state]
    finished = []
    for _ in range(max_len):
        rows, new_states = [], []
        for ids, st in zip(seqs, states):
            logits, new = step(ids[-1] if ids else start_id, st)
            z = np.asarray(logits, dtype=np.float64)
            z = z - z.max()
            rows.append(z - np.log(np.exp(z).sum()))
            new_states.append(new)
        cand = totals[:, None] + np.array(rows)
        V = cand.shape[1]
        order = np.argsort(-cand, axis=None, kind="stable")[:beam_width]
        nseqs, ntotals, nstates = [], [], []
        for flat in order:
            h, t = divmod(int(flat), V)
            if t == end_id:
                finished.append((seqs[h] + [t], float(cand[h, t])))
            else:
                nseqs.append(seqs[h] + [t])
                ntotals.append(float(cand[h, t]))
                nstates.append(new_states[h])
        seqs, totals, states = nseqs, np.array(ntotals), nstates
        if not seqs:
            break
    finished += list(zip(seqs, totals.tolist()))
    scores = [total / len(ids) ** alpha for ids, total in finished]
    ids, _ = finished[int(np.argmax(scores))]
    return np.array(ids[:-1] if ids[-1] == end_id else ids, dtype=np.int64), float(max(scores))'''),
    dict(name="dicts and a log-sum-exp helper", grade_id="n08_beam_search",
         why="hypotheses as dicts, sorted(), a separate log_softmax, the length counted as it grows",
         source='''def _log_softmax(z):
    z = np.asarray(z, dtype=np.float64)
    top = np.max(z)
    return z - top - np.log(np.sum(np.exp(z - top)))


def beam_search(step, state, start_id, end_id, max_len, beam_width, alpha):
    beam = [{"ids": [], "logp": 0.0, "state": state, "n": 0}]
    finished = []
    t = 0
    while beam and t < max_len:
        t += 1
        cands = []
        for hyp in beam:
            last = hyp["ids"][-1] if hyp["ids"] else start_id
            logits, new = step(last, hyp["state"])
            for tok, lp in enumerate(_log_softmax(logits)):
                cands.append({"ids": hyp["ids"] + [tok], "logp": hyp["logp"] + lp, "state": new, "n": hyp["n"] + 1})
        kept = sorted(cands, key=lambda c: c["logp"], reverse=True)[:beam_width]
        finished.extend(c for c in kept if c["ids"][-1] == end_id)
        beam = [c for c in kept if c["ids"][-1] != end_id]
    finished.extend(beam)
    for c in finished:
        c["score"] = c["logp"] / (c["n"] ** alpha)
    best = sorted(finished, key=lambda c: c["score"])[-1]
    ids = best["ids"][:-1] if best["ids"][-1] == end_id else best["ids"]
    return np.asarray(ids, dtype=np.int32), best["score"]'''),
    # --- design_translator (its grade cell trains the design: slow) ----------------------------------
    dict(name="a GRU translator built by hand", grade_id="n08_design", slow=True,
         why="a bidirectional GRU encoder, a GRU decoder and additive attention, written with Keras layers; cosine decay",
         source='''def design_translator(source_vocab_size, target_vocab_size):
    src = keras.Input((None,), dtype="int32")
    dec = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(source_vocab_size, 16, mask_zero=True)(src)
    H, hf, hb = keras.layers.Bidirectional(keras.layers.GRU(20, return_sequences=True, return_state=True))(x)
    y = keras.layers.Embedding(target_vocab_size, 16)(dec)
    S = keras.layers.GRU(40, return_sequences=True)(y, initial_state=keras.layers.Concatenate()([hf, hb]))
    q = keras.layers.Dense(32, use_bias=False)(S)
    k = keras.layers.Dense(32, use_bias=False)(H)
    ctx = keras.layers.AdditiveAttention()([q, H, k], mask=[None, keras.ops.not_equal(src, 0)])
    out = keras.layers.Dense(target_vocab_size)(keras.layers.Concatenate()([S, ctx]))
    model = keras.Model([src, dec], out)
    rate = keras.optimizers.schedules.CosineDecay(0.01, decay_steps=4 * 157)
    model.compile(optimizer=keras.optimizers.Adam(rate), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model, {"epochs": 4, "batch_size": 64}'''),
    dict(name="dot-product (Luong) attention, a list", grade_id="n08_design", slow=True,
         why="keras.layers.Attention (multiplicative scores), a bidirectional LSTM encoder, a softmax output with the loss as a string alias, exponential decay, [model, fit_args]",
         source='''def design_translator(source_vocab_size, target_vocab_size):
    src = keras.Input((None,), dtype="int32")
    dec = keras.Input((None,), dtype="int32")
    H, hf, cf, hb, cb = keras.layers.Bidirectional(keras.layers.LSTM(20, return_sequences=True, return_state=True))(
        keras.layers.Embedding(source_vocab_size, 16, mask_zero=True)(src))
    h, c = keras.layers.Concatenate()([hf, hb]), keras.layers.Concatenate()([cf, cb])
    S = keras.layers.LSTM(40, return_sequences=True)(keras.layers.Embedding(target_vocab_size, 16)(dec), initial_state=[h, c])
    ctx = keras.layers.Attention()([S, H], mask=[None, keras.ops.not_equal(src, 0)])
    out = keras.layers.Dense(target_vocab_size, activation="softmax")(keras.layers.Concatenate()([S, ctx]))
    model = keras.Model([src, dec], out)
    rate = keras.optimizers.schedules.ExponentialDecay(0.01, decay_steps=157, decay_rate=0.4)
    model.compile(optimizer=keras.optimizers.Adam(rate), loss="sparse_categorical_crossentropy")
    return [model, {"epochs": 4, "batch_size": 64}]'''),
    dict(name="the lab's model recompiled, a metric, a tuple of steps", grade_id="n08_design", slow=True,
         why="seq2seq_model recompiled by the student: Adam with the cosine decay written out, the loss object, "
             "an accuracy metric, the steps computed from the data size, fit_args built with dict()",
         source='''def design_translator(source_vocab_size, target_vocab_size):
    model = seq2seq_model(source_vocab_size, target_vocab_size, units=32, attention=True, bidirectional=True)
    epochs, batch = 4, 64
    steps = epochs * int(np.ceil(10_000 / batch))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=keras.optimizers.schedules.CosineDecay(
                      initial_learning_rate=0.01, decay_steps=steps)),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    return (model, dict(epochs=epochs, batch_size=batch))'''),
]
