"""rnnkit.imdb: the offline-capable IMDB loader, checked against Keras' own load_data."""
import json
import os
import pickle
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from rnnkit import imdb
from rnnkit.imdb import (ENV_VAR, get_imdb_word_index, is_full_imdb, limit_vocabulary, load_imdb,
                         read_imdb_npz, write_synthetic_imdb)

ROOT = Path(__file__).resolve().parent.parent
REAL_DIR = Path(os.environ.get(ENV_VAR) or ROOT.parent / "shared" / "data" / "imdb")


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    return write_synthetic_imdb(tmp_path_factory.mktemp("imdb"), n_train=300, n_test=200, seed=1)


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


def keras_load_data(path, **kwargs):
    """Keras' own ``imdb.load_data`` run on ``path``.

    ``load_data`` only reads from its download cache and checks the file's hash, so this runs
    the unmodified function body with its downloader (``get_file``) answering ``path``.
    """
    from keras.src.datasets import imdb as keras_imdb

    original = keras_imdb.load_data
    assert "get_file" in original.__code__.co_names, "keras' load_data no longer calls get_file"
    glob = dict(original.__globals__, get_file=lambda **_: str(path))
    fn = types.FunctionType(original.__code__, glob, "load_data", original.__defaults__)
    return fn(**kwargs)


def assert_same(ours, theirs):
    (a_x, a_y), (a_xt, a_yt) = ours
    (b_x, b_y), (b_xt, b_yt) = theirs
    for a, b in ((a_x, b_x), (a_xt, b_xt)):
        assert a.dtype == b.dtype == object and a.shape == b.shape
        assert all(list(p) == list(q) for p, q in zip(a, b))
    for a, b in ((a_y, b_y), (a_yt, b_yt)):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kwargs", [
    {},
    {"seed": 7},
    {"num_words": 40},
    {"num_words": 40, "skip_top": 5},
    {"maxlen": 80},
    {"maxlen": 80, "num_words": 30, "skip_top": 3, "seed": 0},
    {"start_char": None},
    {"start_char": None, "index_from": 0},
    {"index_from": 5, "start_char": 2, "oov_char": 4, "num_words": 50},
    {"oov_char": None, "num_words": 40, "skip_top": 4},
])
def test_load_imdb_equals_keras_load_data(synth, kwargs):
    assert_same(load_imdb(data_dir=synth, **kwargs), keras_load_data(synth / "imdb.npz", **kwargs))


def test_shuffle_seed_and_offsets(synth):
    raw = read_imdb_npz(synth / "imdb.npz")
    (x, y), (xt, yt) = load_imdb(data_dir=synth, seed=5)
    rng = np.random.RandomState(5)
    order = np.arange(300)
    rng.shuffle(order)
    order_t = np.arange(200)
    rng.shuffle(order_t)  # the same generator continues for the test set
    assert x[0] == [1] + [w + 3 for w in raw["x_train"][order[0]]]
    assert xt[3] == [1] + [w + 3 for w in raw["x_test"][order_t[3]]]
    np.testing.assert_array_equal(y, raw["y_train"][order])
    (x2, _), _ = load_imdb(data_dir=synth, seed=6)
    assert any(p != q for p, q in zip(x, x2)), "the seed must change the order"


def test_num_words_skip_top_and_maxlen(synth):
    (x, _), (xt, _) = load_imdb(data_dir=synth, num_words=20, skip_top=4)
    ids = {w for seq in list(x) + list(xt) for w in seq}
    assert max(ids) < 20 and 2 in ids and not ({0, 1, 3} & ids)
    (x, y), (xt, yt) = load_imdb(data_dir=synth, maxlen=60)
    assert all(len(s) < 60 for s in x) and len(x) == len(y) and len(xt) == len(yt) < 200
    with pytest.raises(ValueError, match="Increase maxlen"):
        load_imdb(data_dir=synth, maxlen=2)


def test_limit_vocabulary_equals_reloading(synth):
    (x, _), (xt, _) = load_imdb(data_dir=synth)
    (x20, _), (xt20, _) = load_imdb(data_dir=synth, num_words=20)
    assert [list(s) for s in limit_vocabulary(x, 20)] == [list(s) for s in x20]
    assert [list(s) for s in limit_vocabulary(xt, 20)] == [list(s) for s in xt20]
    same_length = limit_vocabulary([[1, 5, 40], [1, 30, 2]], 20)
    assert same_length.shape == (2,) and same_length[0] == [1, 5, 2]


def test_word_index_and_resolution_order(synth, tmp_path, monkeypatch):
    index = get_imdb_word_index(data_dir=synth)
    assert index == json.loads((synth / "imdb_word_index.json").read_text())
    assert sorted(index.values()) == list(range(1, len(index) + 1))
    other = write_synthetic_imdb(tmp_path / "other", n_train=10, n_test=6, seed=2)
    monkeypatch.setenv(ENV_VAR, str(other))
    assert len(load_imdb()[0][0]) == 10, "IMDB_DATA_DIR must be used when data_dir is not given"
    assert get_imdb_word_index() == get_imdb_word_index(data_dir=other)
    assert len(load_imdb(data_dir=synth)[0][0]) == 300, "data_dir must win over IMDB_DATA_DIR"


def test_bad_paths_give_clear_errors(synth, tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="not a folder"):
        load_imdb(data_dir=tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match=f"holds no 'imdb.npz'.*{ENV_VAR}"):
        load_imdb(data_dir=tmp_path)
    with pytest.raises(FileNotFoundError, match="imdb_word_index.json"):
        get_imdb_word_index(data_dir=tmp_path)
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match=ENV_VAR):  # never falls back to a download
        load_imdb()


def test_corrupt_files_are_rejected(tmp_path):
    (tmp_path / "imdb.npz").write_bytes(b"this is not a zip archive")
    (tmp_path / "imdb_word_index.json").write_text("{not json")
    with pytest.raises(ValueError, match="not a valid Keras imdb.npz"):
        load_imdb(data_dir=tmp_path)
    with pytest.raises(ValueError, match="not a valid Keras word index"):
        get_imdb_word_index(data_dir=tmp_path)
    np.savez(tmp_path / "imdb.npz", x_train=np.zeros(3))  # a valid archive, wrong content
    with pytest.raises(ValueError, match="missing"):
        load_imdb(data_dir=tmp_path)


class _Payload:
    """What an attacker would pickle: unpickling calls open(path, 'w'), creating a file."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_a_malicious_pickle_is_refused(tmp_path):
    sentinel = tmp_path / "pwned"
    x = np.empty(2, dtype=object)
    x[0], x[1] = [1, 2], _Payload(str(sentinel))
    np.savez(tmp_path / "imdb.npz", x_train=x, y_train=np.array([0, 1]), x_test=x, y_test=np.array([0, 1]))
    with pytest.raises(pickle.UnpicklingError, match="refusing"):
        load_imdb(data_dir=tmp_path)
    assert not sentinel.exists()
    np.load(tmp_path / "imdb.npz", allow_pickle=True)["x_train"]
    assert sentinel.exists(), "control: the payload does run under a bare allow_pickle=True"


def test_no_data_anywhere_names_the_variable(tmp_path):
    """No data_dir, no IMDB_DATA_DIR, an empty Keras cache: offline, a clear error."""
    code = ("from rnnkit.imdb import load_imdb\n"
            "try:\n    load_imdb()\n"
            "except FileNotFoundError as e:\n    print('ERROR:', e)\n"
            "else:\n    print('LOADED')\n")
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    env.update(KERAS_HOME=str(tmp_path / "keras"), TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120).stdout
    if "LOADED" in out:
        pytest.skip("this machine can download from Keras' servers")
    assert "ERROR:" in out and ENV_VAR in out and "imdb.npz" in out, out


def test_synthetic_data_is_labelled_balanced_and_needs_word_order(synth):
    assert "SYNTHETIC" in (synth / "README.txt").read_text()
    raw = read_imdb_npz(synth / "imdb.npz")
    assert raw["x_train"].shape == (300,) and raw["x_test"].shape == (200,)
    assert raw["y_train"].dtype == np.int64 and raw["y_train"].sum() == 150
    assert all(type(w) is int for w in raw["x_train"][0])
    (x, y), (xt, yt) = load_imdb(data_dir=synth)
    index = get_imdb_word_index(data_dir=synth)
    words = {i + 3: w for w, i in index.items()}
    pos, neg = set(imdb.SYNTHETIC_POSITIVE), set(imdb.SYNTHETIC_NEGATIVE)

    def order_rule(seq):  # a sentiment word counts reversed when "not" is right before it
        score = 0
        for prev, w in zip([None] + list(seq[:-1]), seq):
            s = (words.get(w) in pos) - (words.get(w) in neg)
            score += -s if words.get(prev) == "not" else s
        return int(score > 0)

    def bag_rule(seq):  # the same words, order ignored
        return int(sum((words.get(w) in pos) - (words.get(w) in neg) for w in seq) > 0)

    seqs, labels = list(x) + list(xt), np.concatenate([y, yt])
    assert all(words[s[1]] == "synthetic" and words[s[2]] == "review" for s in seqs)
    assert np.mean([order_rule(s) for s in seqs] == labels) == 1.0
    assert 0.6 < np.mean([bag_rule(s) for s in seqs] == labels) < 0.82, "word order must matter"
    again = write_synthetic_imdb(synth.parent / "again", n_train=300, n_test=200, seed=1)
    assert (again / "imdb.npz").read_bytes() == (synth / "imdb.npz").read_bytes()


def test_is_full_imdb():
    assert is_full_imdb(range(25_000), range(25_000))
    assert not is_full_imdb(range(300), range(25_000))


@pytest.mark.slow
@pytest.mark.skipif(not (REAL_DIR / "imdb.npz").is_file(), reason="the real IMDB file is not here")
def test_real_file_matches_keras_and_its_readme():
    ours = load_imdb(num_words=5000, data_dir=REAL_DIR)
    assert_same(ours, keras_load_data(REAL_DIR / "imdb.npz", num_words=5000))
    (x, y), (xt, yt) = ours
    assert is_full_imdb(x, xt) and y.sum() == yt.sum() == 12_500
    assert round(np.mean([len(s) for s in x]), 2) == 238.71
    assert len(get_imdb_word_index(data_dir=REAL_DIR)) == 88_584


class _CountingModel:
    """A stand-in with Keras' predict signature: p = the share of id 7 among the words read."""

    def predict(self, x, batch_size=None, verbose=0):
        x = np.asarray(x)
        words = (x > 0).sum(axis=1)
        return ((x == 7).sum(axis=1) / np.maximum(words, 1))[:, None]


def test_prefix_probabilities_reads_each_prefix_alone():
    row = np.array([0, 0, 0, 1, 7, 5, 7])
    p = imdb.prefix_probabilities(_CountingModel(), row)
    np.testing.assert_allclose(p, [0, 1 / 2, 1 / 3, 2 / 4])      # after [1], [1 7], [1 7 5], [1 7 5 7]


def test_reading_explorer_redraws_when_a_control_moves():
    rows = np.array([[0, 0, 1, 7, 5, 7], [1, 5, 5, 5, 7, 7]])
    tokens = [["[START]", "good", "film", "good"], ["[START]", "bad", "bad", "bad", "good", "good"]]
    ex = imdb.reading_explorer(_CountingModel(), rows, tokens, [1, 0])
    first = ex.png
    ex.controls["words"].value = 2
    assert ex.png != first
    ex.controls["review"].value = 1
    assert ex.png != first and len(ex.seconds) == 3


def test_study_file_has_every_table_the_lab_shows():
    data = imdb.study()
    for section in ("candidates", "variants", "reference", "seed_config", "bigram"):
        rows = imdb.study_rows(section, data)
        assert rows, section
    assert len(data["reference"]["runs"]) == 5 and data["chosen"] in data["candidates"]
    assert all(len(v["runs"]) == 3 for v in data["variants"].values())
