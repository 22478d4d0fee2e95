"""Mutation bank of 08_seq2seq_attention: wrong answers as students really write them.

Instructor side only (never in the student bundle).  `make mutants` grades each one.
"""

MUTANTS = [
    # --- teacher_forcing ---------------------------------------------------------------------------
    dict(name="no END in the targets", grade_id="n08_teacher_forcing",
         why="decoder_out is the target padded, without end_id after it",
         source='''def teacher_forcing(targets, start_id, end_id):
    T = max((len(y) for y in targets), default=0)
    din = np.zeros((len(targets), T + 1), dtype=np.int32)
    dout = np.zeros((len(targets), T + 1), dtype=np.int32)
    mask = np.zeros((len(targets), T + 1), dtype=np.float32)
    for k, y in enumerate(targets):
        din[k, 0] = start_id
        din[k, 1:len(y) + 1] = y
        dout[k, :len(y)] = y
        mask[k, :len(y) + 1] = 1
    return din, dout, mask'''),
    dict(name="END at the end of the row", grade_id="n08_teacher_forcing",
         why="end_id put in the last column for every row, not right after the target",
         source='''def teacher_forcing(targets, start_id, end_id):
    T = max((len(y) for y in targets), default=0)
    din = np.zeros((len(targets), T + 1), dtype=np.int32)
    dout = np.zeros((len(targets), T + 1), dtype=np.int32)
    mask = np.zeros((len(targets), T + 1), dtype=np.float32)
    for k, y in enumerate(targets):
        din[k, 0] = start_id
        din[k, 1:len(y) + 1] = y
        dout[k, :len(y)] = y
        dout[k, T] = end_id
        mask[k, :len(y) + 1] = 1
    return din, dout, mask'''),
    dict(name="the mask leaves END out", grade_id="n08_teacher_forcing",
         why="mask = 1 on the characters only: the model is never taught to stop",
         source='''def teacher_forcing(targets, start_id, end_id):
    T = max((len(y) for y in targets), default=0)
    din = np.zeros((len(targets), T + 1), dtype=np.int32)
    dout = np.zeros((len(targets), T + 1), dtype=np.int32)
    for k, y in enumerate(targets):
        din[k, 0] = start_id
        din[k, 1:len(y) + 1] = y
        dout[k, :len(y)] = y
        dout[k, len(y)] = end_id
    mask = ((dout != 0) & (dout != end_id)).astype(np.float32)
    return din, dout, mask'''),
    dict(name="inputs not shifted", grade_id="n08_teacher_forcing",
         why="decoder_in is the target itself (no START in front): the decoder copies its input",
         source='''def teacher_forcing(targets, start_id, end_id):
    T = max((len(y) for y in targets), default=0)
    din = np.zeros((len(targets), T + 1), dtype=np.int32)
    dout = np.zeros((len(targets), T + 1), dtype=np.int32)
    for k, y in enumerate(targets):
        din[k, :len(y)] = y
        din[k, len(y)] = end_id
        dout[k, :len(y)] = y
        dout[k, len(y)] = end_id
    return din, dout, (dout != 0).astype(np.float32)'''),
    dict(name="padding in front", grade_id="n08_teacher_forcing",
         why="pre-padding, as keras' pad_sequences does by default",
         source='''def teacher_forcing(targets, start_id, end_id):
    T = max((len(y) for y in targets), default=0)
    din = np.zeros((len(targets), T + 1), dtype=np.int32)
    dout = np.zeros((len(targets), T + 1), dtype=np.int32)
    for k, y in enumerate(targets):
        n = len(y)
        din[k, T - n:] = [start_id] + list(y)
        dout[k, T - n:] = list(y) + [end_id]
    return din, dout, (dout != 0).astype(np.float32)'''),
    dict(name="Keras' pad_sequences", grade_id="n08_teacher_forcing",
         why="keras.utils.pad_sequences(padding='post'): right values, but Keras breaks the numpy-only rule",
         source='''def teacher_forcing(targets, start_id, end_id):
    import keras
    din = keras.utils.pad_sequences([[start_id] + list(y) for y in targets], padding="post")
    dout = keras.utils.pad_sequences([list(y) + [end_id] for y in targets], padding="post")
    return din, dout, (dout != 0).astype(np.float32)'''),
    dict(name="targets changed in place", grade_id="n08_teacher_forcing",
         why="list.append(end_id) on the caller's lists (the visible checks pass; unchanged=True catches it)",
         source='''def teacher_forcing(targets, start_id, end_id):
    T = max((len(y) for y in targets), default=0)
    din = np.zeros((len(targets), T + 1), dtype=np.int32)
    dout = np.zeros((len(targets), T + 1), dtype=np.int32)
    for k, y in enumerate(targets):
        if isinstance(y, list):
            y.append(end_id)
            y = y[:-1]
        din[k, 0] = start_id
        din[k, 1:len(y) + 1] = y
        dout[k, :len(y)] = y
        dout[k, len(y)] = end_id
    return din, dout, (dout != 0).astype(np.float32)'''),
    # --- attention_step ------------------------------------------------------------------------------
    dict(name="padding not masked", grade_id="n08_attention_step",
         why="a softmax over every position, padded ones included",
         source='''def attention_step(s, H, mask, W_q, W_k, v):
    scores = np.tanh((s @ W_q)[:, None, :] + H @ W_k) @ v
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    w = e / e.sum(axis=1, keepdims=True)
    return np.einsum("ms,msu->mu", w, H), w'''),
    dict(name="mask after the softmax", grade_id="n08_attention_step",
         why="the padded weights zeroed after the softmax, not renormalised: rows no longer sum to 1",
         source='''def attention_step(s, H, mask, W_q, W_k, v):
    scores = np.tanh((s @ W_q)[:, None, :] + H @ W_k) @ v
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    w = e / e.sum(axis=1, keepdims=True) * np.asarray(mask, dtype=float)
    return np.einsum("ms,msu->mu", w, H), w'''),
    dict(name="softmax over the batch", grade_id="n08_attention_step",
         why="axis=0: each position's weights sum to 1 across the sources",
         source='''def attention_step(s, H, mask, W_q, W_k, v):
    mask = np.asarray(mask, dtype=bool)
    scores = np.tanh((s @ W_q)[:, None, :] + H @ W_k) @ v
    e = np.where(mask, np.exp(scores - scores.max()), 0.0)
    w = e / e.sum(axis=0, keepdims=True)
    w = np.nan_to_num(w)
    return np.einsum("ms,msu->mu", w, H), w'''),
    dict(name="no maximum subtracted", grade_id="n08_attention_step",
         why="exp of the raw scores: overflows (nan) when the scores reach hundreds",
         source='''def attention_step(s, H, mask, W_q, W_k, v):
    mask = np.asarray(mask, dtype=bool)
    scores = np.tanh((s @ W_q)[:, None, :] + H @ W_k) @ v
    e = np.where(mask, np.exp(scores), 0.0)
    w = e / e.sum(axis=1, keepdims=True)
    return np.einsum("ms,msu->mu", w, H), w'''),
    dict(name="no tanh", grade_id="n08_attention_step",
         why="v · (s W_q + h_j W_k): a score linear in h_j",
         source='''def attention_step(s, H, mask, W_q, W_k, v):
    mask = np.asarray(mask, dtype=bool)
    scores = ((s @ W_q)[:, None, :] + H @ W_k) @ v
    scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    w = e / e.sum(axis=1, keepdims=True)
    return np.einsum("ms,msu->mu", w, H), w'''),
    dict(name="context from the keys", grade_id="n08_attention_step",
         why="the weighted sum of h_j W_k (shape (m, a)) instead of h_j",
         source='''def attention_step(s, H, mask, W_q, W_k, v):
    mask = np.asarray(mask, dtype=bool)
    keys = H @ W_k
    scores = np.where(mask, np.tanh((s @ W_q)[:, None, :] + keys) @ v, -np.inf)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    w = e / e.sum(axis=1, keepdims=True)
    return np.einsum("ms,msa->ma", w, keys), w'''),
    dict(name="Keras' softmax", grade_id="n08_attention_step",
         why="keras.ops.softmax for the weights: right values, but the numpy-only rule is broken",
         source='''def attention_step(s, H, mask, W_q, W_k, v):
    import keras
    mask = np.asarray(mask, dtype=bool)
    scores = np.where(mask, np.tanh((s @ W_q)[:, None, :] + H @ W_k) @ v, -1e9)
    w = np.asarray(keras.ops.convert_to_numpy(keras.ops.softmax(scores, axis=1)), dtype=np.float64)
    w = np.where(mask, w, 0.0)
    return np.einsum("ms,msu->mu", w, H), w'''),
    dict(name="padded weights tiny, not zero", grade_id="n08_attention_step",
         why="scores of padded positions lowered by 10 only: their weights are small but not 0",
         source='''def attention_step(s, H, mask, W_q, W_k, v):
    mask = np.asarray(mask, dtype=bool)
    scores = np.tanh((s @ W_q)[:, None, :] + H @ W_k) @ v - 10.0 * (~mask)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    w = e / e.sum(axis=1, keepdims=True)
    return np.einsum("ms,msu->mu", w, H), w'''),
    # --- greedy_decode -------------------------------------------------------------------------------
    dict(name="END kept in the output", grade_id="n08_greedy_decode",
         why="appends the id before testing for end_id",
         source='''def greedy_decode(step, state, start_id, end_id, max_len):
    out, token = [], start_id
    for _ in range(max_len):
        logits, state = step(token, state)
        token = int(np.argmax(logits))
        out.append(token)
        if token == end_id:
            break
    return np.array(out, dtype=np.int64)'''),
    dict(name="state not carried", grade_id="n08_greedy_decode",
         why="every step starts from the initial state: the new state is thrown away",
         source='''def greedy_decode(step, state, start_id, end_id, max_len):
    out, token = [], start_id
    for _ in range(max_len):
        logits, _ = step(token, state)
        token = int(np.argmax(logits))
        if token == end_id:
            break
        out.append(token)
    return np.array(out, dtype=np.int64)'''),
    dict(name="prefix run again", grade_id="n08_greedy_decode",
         why="lab 07's way: the decoder re-reads the whole prefix from the first state at every step",
         source='''def greedy_decode(step, state, start_id, end_id, max_len):
    prefix = [start_id]
    for _ in range(max_len):
        st = state
        for token in prefix:
            logits, st = step(token, st)
        nxt = int(np.argmax(logits))
        if nxt == end_id:
            break
        prefix.append(nxt)
    return np.array(prefix[1:], dtype=np.int64)'''),
    dict(name="END ignored", grade_id="n08_greedy_decode",
         why="always max_len ids, END and what follows included",
         source='''def greedy_decode(step, state, start_id, end_id, max_len):
    out, token = [], start_id
    for _ in range(max_len):
        logits, state = step(token, state)
        token = int(np.argmax(logits))
        out.append(token)
    return np.array(out, dtype=np.int64)'''),
    dict(name="one id short", grade_id="n08_greedy_decode",
         why="range(max_len - 1): stops one id before max_len",
         source='''def greedy_decode(step, state, start_id, end_id, max_len):
    out, token = [], start_id
    for _ in range(max(max_len - 1, 0)):
        logits, state = step(token, state)
        token = int(np.argmax(logits))
        if token == end_id:
            break
        out.append(token)
    return np.array(out, dtype=np.int64)'''),
    # --- beam_search ---------------------------------------------------------------------------------
    dict(name="greedy, whatever the width", grade_id="n08_beam_search",
         why="keeps only the best candidate at every step",
         source='''def beam_search(step, state, start_id, end_id, max_len, beam_width, alpha):
    ids, total, token = [], 0.0, start_id
    for _ in range(max_len):
        logits, state = step(token, state)
        z = np.asarray(logits, dtype=float) - np.max(logits)
        lp = z - np.log(np.exp(z).sum())
        token = int(np.argmax(lp))
        total += lp[token]
        ids.append(token)
        if token == end_id:
            break
    score = total / len(ids) ** alpha
    return np.array(ids[:-1] if ids[-1] == end_id else ids, dtype=np.int64), score'''),
    dict(name="raw logits summed", grade_id="n08_beam_search",
         why="scores with the logits, not their log_softmax",
         source='''def beam_search(step, state, start_id, end_id, max_len, beam_width, alpha):
    beam, finished = [([], 0.0, state)], []
    for _ in range(max_len):
        cands = []
        for ids, lp, st in beam:
            logits, new = step(ids[-1] if ids else start_id, st)
            for tok, z in enumerate(np.asarray(logits, dtype=float)):
                cands.append((ids + [tok], lp + z, new))
        cands.sort(key=lambda c: -c[1])
        beam = []
        for c in cands[:beam_width]:
            (finished if c[0][-1] == end_id else beam).append(c)
        if not beam:
            break
    finished += beam
    best = max(finished, key=lambda c: c[1] / len(c[0]) ** alpha)
    ids = best[0][:-1] if best[0][-1] == end_id else best[0]
    return np.array(ids, dtype=np.int64), best[1] / len(best[0]) ** alpha'''),
    dict(name="END not counted in the length", grade_id="n08_beam_search",
         why="n is the number of ids returned (END left out) in the normalisation",
         source='''def beam_search(step, state, start_id, end_id, max_len, beam_width, alpha):
    beam, finished = [([], 0.0, state)], []
    for _ in range(max_len):
        cands = []
        for ids, lp, st in beam:
            logits, new = step(ids[-1] if ids else start_id, st)
            z = np.asarray(logits, dtype=float) - np.max(logits)
            logp = z - np.log(np.exp(z).sum())
            for tok in range(len(logp)):
                cands.append((ids + [tok], lp + logp[tok], new))
        cands.sort(key=lambda c: -c[1])
        beam = []
        for c in cands[:beam_width]:
            (finished if c[0][-1] == end_id else beam).append(c)
        if not beam:
            break
    finished += beam

    def n(c):
        return max(1, len(c[0]) - (c[0][-1] == end_id))
    best = max(finished, key=lambda c: c[1] / n(c) ** alpha)
    ids = best[0][:-1] if best[0][-1] == end_id else best[0]
    return np.array(ids, dtype=np.int64), best[1] / n(best) ** alpha'''),
    dict(name="score not normalised", grade_id="n08_beam_search",
         why="chooses by the normalised score but returns the total log-probability",
         source='''def beam_search(step, state, start_id, end_id, max_len, beam_width, alpha):
    beam, finished = [([], 0.0, state)], []
    for _ in range(max_len):
        cands = []
        for ids, lp, st in beam:
            logits, new = step(ids[-1] if ids else start_id, st)
            z = np.asarray(logits, dtype=float) - np.max(logits)
            logp = z - np.log(np.exp(z).sum())
            for tok in range(len(logp)):
                cands.append((ids + [tok], lp + logp[tok], new))
        cands.sort(key=lambda c: -c[1])
        beam = []
        for c in cands[:beam_width]:
            (finished if c[0][-1] == end_id else beam).append(c)
        if not beam:
            break
    finished += beam
    best = max(finished, key=lambda c: c[1] / len(c[0]) ** alpha)
    ids = best[0][:-1] if best[0][-1] == end_id else best[0]
    return np.array(ids, dtype=np.int64), best[1]'''),
    dict(name="finished hypotheses keep their slot", grade_id="n08_beam_search",
         why="finished hypotheses stay in the beam (extended by nothing) and keep competing for its slots",
         source='''def beam_search(step, state, start_id, end_id, max_len, beam_width, alpha):
    beam = [([], 0.0, state, False)]
    for _ in range(max_len):
        cands = []
        for ids, lp, st, done in beam:
            if done:
                cands.append((ids, lp, st, True))
                continue
            logits, new = step(ids[-1] if ids else start_id, st)
            z = np.asarray(logits, dtype=float) - np.max(logits)
            logp = z - np.log(np.exp(z).sum())
            for tok in range(len(logp)):
                cands.append((ids + [tok], lp + logp[tok], new, tok == end_id))
        cands.sort(key=lambda c: -c[1])
        beam = cands[:beam_width]
        if all(c[3] for c in beam):
            break
    best = max(beam, key=lambda c: c[1] / len(c[0]) ** alpha)
    ids = best[0][:-1] if best[3] else best[0]
    return np.array(ids, dtype=np.int64), best[1] / len(best[0]) ** alpha'''),
    dict(name="step called per candidate", grade_id="n08_beam_search",
         why="re-runs the decoder over each hypothesis' whole prefix at every step",
         source='''def beam_search(step, state, start_id, end_id, max_len, beam_width, alpha):
    beam, finished = [([], 0.0)], []
    for _ in range(max_len):
        cands = []
        for ids, lp in beam:
            st = state
            for tok in [start_id] + ids:
                logits, st = step(tok, st)
            z = np.asarray(logits, dtype=float) - np.max(logits)
            logp = z - np.log(np.exp(z).sum())
            for tok in range(len(logp)):
                cands.append((ids + [tok], lp + logp[tok]))
        cands.sort(key=lambda c: -c[1])
        beam = []
        for c in cands[:beam_width]:
            (finished if c[0][-1] == end_id else beam).append(c)
        if not beam:
            break
    finished += beam
    best = max(finished, key=lambda c: c[1] / len(c[0]) ** alpha)
    ids = best[0][:-1] if best[0][-1] == end_id else best[0]
    return np.array(ids, dtype=np.int64), best[1] / len(best[0]) ** alpha'''),
    # --- design_translator (its grade cell trains the design: slow) ----------------------------------
    dict(name="no attention", grade_id="n08_design", slow=True,
         why="the plain encoder-decoder, u = 48 (26,750 parameters), 3 epochs: exact match about 0.88",
         source='''def design_translator(source_vocab_size, target_vocab_size):
    model = seq2seq_model(source_vocab_size, target_vocab_size, units=48, attention=False, learning_rate=0.01)
    return model, dict(epochs=3, batch_size=64)'''),
    dict(name="over the parameter budget", grade_id="n08_design", slow=True,
         why="u = 96 with attention: about 100,000 parameters",
         source='''def design_translator(source_vocab_size, target_vocab_size):
    model = seq2seq_model(source_vocab_size, target_vocab_size, units=96, attention=True, learning_rate=0.01)
    return model, dict(epochs=1, batch_size=64)'''),
    dict(name="over the CPU budget", grade_id="n08_design", slow=True,
         why="30 epochs of the lab's model: the CPU cap stops it and the test fails",
         source='''def design_translator(source_vocab_size, target_vocab_size):
    model = seq2seq_model(source_vocab_size, target_vocab_size, units=32, attention=True, learning_rate=0.01)
    return model, dict(epochs=30, batch_size=64)'''),
    dict(name="Adam's default rate, one epoch", grade_id="n08_design", slow=True,
         why="learning rate 0.001 and a single epoch: far from converged",
         source='''def design_translator(source_vocab_size, target_vocab_size):
    model = seq2seq_model(source_vocab_size, target_vocab_size, units=32, attention=True, learning_rate=0.001)
    return model, dict(epochs=1, batch_size=64)'''),
    dict(name="sets verbose in fit_args", grade_id="n08_design", slow=True,
         why="fit_args must not set what the grader sets",
         source='''def design_translator(source_vocab_size, target_vocab_size):
    model = seq2seq_model(source_vocab_size, target_vocab_size, units=32, attention=True, learning_rate=0.01)
    return model, dict(epochs=3, batch_size=64, verbose=0)'''),
]
