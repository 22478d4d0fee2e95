"""rnnkit.dates and rnnkit.seq2seq: the data, vocabularies, models, one-step decoder and explorer of lab 08."""
import datetime
import re

import numpy as np
import pytest

from rnnkit import dates


@pytest.fixture(scope="module")
def splits():
    return dates.date_splits(train=3000, validation=500, test=500, seed=8)


def test_same_seed_same_sets_other_seed_other_sets():
    a = dates.date_splits(train=200, validation=50, test=50, seed=3)
    b = dates.date_splits(train=200, validation=50, test=50, seed=3)
    c = dates.date_splits(train=200, validation=50, test=50, seed=4)
    for name in ("train", "validation", "test"):
        assert a[name].source == b[name].source and a[name].target == b[name].target
    assert a["train"].source != c["train"].source
    assert dates.digit_task(50, (5, 9), seed=1) == dates.digit_task(50, (5, 9), seed=1)
    assert dates.digit_task(50, (5, 9), seed=1) != dates.digit_task(50, (5, 9), seed=2)


def test_sizes_and_no_date_in_two_sets(splits):
    assert [len(splits[k]) for k in ("train", "validation", "test")] == [3000, 500, 500]
    sets = {k: set(splits[k].days) for k in splits}
    assert len(sets["train"]) == 3000, "dates repeat within the training set"
    assert not sets["train"] & sets["validation"]
    assert not sets["train"] & sets["test"]
    assert not sets["validation"] & sets["test"]
    held = dates.random_dates(300, seed=5, exclude=sets["train"])
    assert not set(held.days) & sets["train"] and len(set(held.days)) == 300


def _parse_numeric(text, fmt):
    if fmt == "dd/MM/yy":
        return datetime.datetime.strptime(text, "%d/%m/%y").date()
    if fmt == "d.M.y":
        d, m, y = (int(x) for x in text.split("."))
        return datetime.date(y, m, d)
    return None


def test_targets_are_the_iso_form_of_the_written_date(splits):
    from babel.dates import get_month_names

    for name in splits:
        s = splits[name]
        for src, tgt, day, (loc, fmt) in zip(s.source, s.target, s.days, s.style):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", tgt)
            assert datetime.date.fromisoformat(tgt) == day
            assert dates.FIRST <= day <= dates.LAST
            parsed = _parse_numeric(src, fmt)
            if parsed is not None:
                # strptime's %y maps 00-68 to 20xx: the span 1950-2049 maps 50-68 to the 1900s
                if fmt == "dd/MM/yy" and parsed.year >= 2050:
                    parsed = parsed.replace(year=parsed.year - 100)
                assert parsed == day, (src, fmt, tgt)
            elif fmt in ("long", "full"):
                month = get_month_names("wide", locale=loc)[day.month]
                assert month in src and str(day.year) in src and str(day.day) in src, (src, tgt)
            elif fmt == "short" and loc == "de":
                assert datetime.datetime.strptime(src, "%d.%m.%y").date().replace(year=day.year) == day
                assert src.endswith(f"{day.year % 100:02d}")


def test_known_examples():
    day = datetime.date(1998, 3, 3)
    assert dates.write_date(day, "en", "full") == "Tuesday, March 3, 1998"
    assert dates.write_date(day, "fr", "long") == "3 mars 1998"
    assert dates.write_date(day, "de", "short") == "03.03.98"
    assert dates.write_date(day, "es", "dd/MM/yy") == "03/03/98"
    assert dates.write_date(day, "de", "d.M.y") == "3.3.1998"
    assert dates.iso(day) == "1998-03-03" and dates.parse_iso("1998-03-03") == day
    assert ("en", "short") not in dates.styles() and len(dates.styles()) == 23


def test_several_languages_and_formats_present(splits):
    styles = set(splits["train"].style)
    assert {loc for loc, _ in styles} == set(dates.LOCALES)
    assert {fmt for _, fmt in styles} == set(dates.FORMATS)
    assert ("en", "short") not in styles
    sources = " ".join(splits["train"].source)
    assert "mars" in sources or "avril" in sources             # French
    assert "de " in sources                                    # Spanish "3 de marzo de 1998"
    assert any(ch in sources for ch in "äöüÄÖÜ") or "Dezember" in sources   # German


def test_digit_task_lengths_and_targets():
    src, tgt = dates.digit_task(400, (5, 40), seed=0)
    lengths = [len(s) for s in src]
    assert min(lengths) >= 5 and max(lengths) <= 40 and len(set(lengths)) > 20
    assert all(t == s[::-1] and s.isdigit() for s, t in zip(src, tgt))
    src, tgt = dates.digit_task(30, 12, seed=1, task="copy")
    assert all(len(s) == 12 and t == s for s, t in zip(src, tgt))
    with pytest.raises(ValueError):
        dates.digit_task(3, 5, task="sort")
    with pytest.raises(ValueError):
        dates.digit_task(3, (6, 5))


def test_the_lab_sizes_are_made():
    # 12,000 dates and 10,000 digit strings (about 0.2 s on an idle core; speed is not asserted)
    made = dates.date_splits(train=10_000, validation=1000, test=1000, seed=1)
    assert len(set(made["train"].days)) == 10_000
    assert len(dates.digit_task(10_000, (5, 40), seed=0)[0]) == 10_000


def test_the_alphabet_covers_every_split(splits):
    alphabet = set(dates.source_alphabet())
    for name in splits:
        assert set("".join(splits[name].source)) <= alphabet
    assert set("0123456789 ,./") <= alphabet


# ------------------------------------------------------------------------------------------
# rnnkit.seq2seq: the vocabularies, the lab's models, the one-step decoder, the explorer
# ------------------------------------------------------------------------------------------

def test_vocabulary_encode_and_decode():
    from rnnkit import seq2seq as s2s

    vocab = s2s.build_vocab(["3 mars", "03.03.98"])
    assert vocab[:3] == list(s2s.SPECIALS) and vocab[3:] == sorted(set("3 mars03.03.98"))
    ids = s2s.encode(["3 mars", "98"], vocab)
    assert ids.shape == (2, 6) and ids.dtype == np.int32 and ids[1, 2:].tolist() == [s2s.PAD] * 4
    assert s2s.decode(ids[0], vocab) == "3 mars"
    assert s2s.decode([s2s.START, vocab.index("9"), s2s.END, vocab.index("8")], vocab) == "9"
    assert s2s.encode(["98"], vocab, length=4).shape == (1, 4)
    with pytest.raises(ValueError):
        s2s.encode(["3 mars"], vocab, length=3)
    with pytest.raises(KeyError):
        s2s.encode(["z"], vocab)
    assert s2s.target_ids(["98"], vocab) == [[vocab.index("9"), vocab.index("8")]]
    assert s2s.exact_match(["a", "b"], ["a", "c"]) == 0.5


@pytest.mark.parametrize("attention, bidirectional", [(False, False), (True, False), (True, True)])
def test_the_one_step_decoder_follows_the_whole_model(attention, bidirectional):
    """Step by step, with the state carried, the Decoder gives the logits the training model
    gives teacher-forced on the same prefix; greedy_batch is greedy decoding."""
    import keras

    from rnnkit import seq2seq as s2s

    keras.utils.set_random_seed(5)
    model = s2s.seq2seq_model(9, 7, units=6, embed_dim=4, attention=attention, bidirectional=bidirectional)
    source = np.array([[3, 4, 5, 6, 0, 0], [8, 7, 6, 5, 4, 3]], dtype=np.int32)
    din = np.array([[s2s.START, 3, 4, 5], [s2s.START, 6, 5, 3]], dtype=np.int32)
    whole = keras.ops.convert_to_numpy(model([source, din]))
    dec = s2s.Decoder(model)
    for k in range(2):
        state = dec.start(source[k])
        for t in range(4):
            logits, state = dec.step(int(din[k, t]), state)
            assert logits.shape == (7,)
            np.testing.assert_allclose(logits, whole[k, t], rtol=1e-4, atol=1e-5)
        assert len(dec.weights) == (4 if attention else 0)
        if attention:
            w = np.array(dec.weights)
            assert w.shape == (4, 6) and np.allclose(w.sum(axis=1), 1.0)
            if k == 0:
                assert np.all(w[:, 4:] == 0.0)          # padded positions: exactly zero weight
    out = s2s.greedy_batch(model, source, 5)
    seq = np.full((2, 1), s2s.START, dtype=np.int32)
    for _ in range(5):
        nxt = keras.ops.convert_to_numpy(model([source, seq]))[:, -1].argmax(-1)
        seq = np.concatenate([seq, nxt[:, None].astype(np.int32)], axis=1)
    assert np.array_equal(out, seq[:, 1:])


def test_the_attention_explorer_draws_headless():
    import keras

    from rnnkit import seq2seq as s2s

    keras.utils.set_random_seed(6)
    src_vocab, tgt_vocab = s2s.build_vocab("0123456789 mars."), s2s.build_vocab("0123456789-")
    model = s2s.seq2seq_model(len(src_vocab), len(tgt_vocab), units=6, embed_dim=4, attention=True)
    dec = s2s.Decoder(model)

    def greedy(step, state, start_id, end_id, max_len):
        out, token = [], start_id
        for _ in range(max_len):
            logits, state = step(token, state)
            token = int(np.argmax(logits))
            if token == end_id:
                break
            out.append(token)
        return out

    ex = s2s.attention_explorer(greedy, dec, src_vocab, tgt_vocab, ["3 mars 1998", "03.03.98"], max_len=10)
    first = ex.png
    assert first[:4] == b"\x89PNG"
    ex.controls["date"].value = "03.03.98"
    ex.controls["typed"].value = "3 mai 1998"          # "i" is not in this vocabulary: said, not raised
    ex.controls["step"].value = 2
    assert len(ex.seconds) == 4 and ex.png != first
