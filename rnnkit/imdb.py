"""The IMDB reviews, loaded exactly as ``keras.datasets.imdb.load_data`` loads them, offline too.

Keras downloads ``imdb.npz`` and ``imdb_word_index.json`` on first use.  Machines without
internet access cannot, so :func:`load_imdb` and :func:`get_imdb_word_index` look for the
files in this order:

1. the ``data_dir`` argument, a folder holding ``imdb.npz`` and ``imdb_word_index.json``;
2. else the folder named by the environment variable ``IMDB_DATA_DIR``;
3. else Keras' own cache and download (``~/.keras/datasets``, checked against Keras' hash);
4. else a :class:`FileNotFoundError` that says how to provide the data.

They never substitute other data.  A folder that is named but lacks the file is an error,
not a reason to look elsewhere.

The arrays are then processed with the very steps ``load_data`` applies (shuffle with
``np.random.RandomState(seed)``, ``start_char``, ``index_from``, ``maxlen``, ``num_words``,
``skip_top``, ``oov_char``), so the result is identical to Keras' for the same file.

The reviews are ragged, so the file stores them as pickled object arrays.  Unpickling a file
someone could swap must not run code: as Keras 3 does, the unpickler admits only the three
globals numpy needs to rebuild an array and refuses everything else.

:func:`write_synthetic_imdb` writes a small, clearly labelled **synthetic** file pair in the
same format (every review starts with the words "synthetic review"), for tests and for
checking a notebook where the real data is absent.  It is never used in place of the real data
unless someone points ``IMDB_DATA_DIR`` (or ``data_dir``) at it.
"""
from __future__ import annotations

import io
import json
import os
import pickle
import zipfile
from pathlib import Path

import numpy as np

ENV_VAR = "IMDB_DATA_DIR"
NPZ_NAME = "imdb.npz"
WORD_INDEX_NAME = "imdb_word_index.json"
FULL_SIZE = 25_000  # reviews in each of the real training and test sets

# Where Keras downloads the files from, and the hashes it checks them against
# (keras/src/datasets/imdb.py).
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
KERAS_HASHES = {
    NPZ_NAME: "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    WORD_INDEX_NAME: "bfafd718b763782e994055a2d397834f",
}

# The characters Keras' text tools replace by spaces before splitting (the default
# ``filters`` of its old Tokenizer / text_to_word_sequence); the word index was built this way.
KERAS_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'

# The only globals an object array of Python lists needs to be unpickled.
_ALLOWED_PICKLE_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }
)

_HOW_TO = (
    f"Provide the data in one of these ways: set the environment variable {ENV_VAR} to a folder "
    f"holding '{NPZ_NAME}' and '{WORD_INDEX_NAME}' (Keras' format) before starting Jupyter, "
    f"e.g. `export {ENV_VAR}=/path/to/imdb`, or pass data_dir=..., or connect to the internet once "
    "so that Keras can download and cache them in ~/.keras/datasets."
)


class _ArrayOnlyUnpickler(pickle.Unpickler):
    """Unpickler that rebuilds numpy arrays and refuses every other global."""

    def find_class(self, module, name):
        if (module, name) in _ALLOWED_PICKLE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"refusing to unpickle the global {module}.{name}: an IMDB file holds only numpy "
            "arrays of lists of integers, so this file is corrupt or malicious"
        )


def _read_npy(buffer: io.BytesIO) -> np.ndarray:
    """One ``.npy`` member: numeric arrays with pickling disabled, object arrays restricted."""
    try:
        return np.lib.format.read_array(buffer, allow_pickle=False)
    except ValueError:
        buffer.seek(0)
        version = np.lib.format.read_magic(buffer)
        if version[0] == 1:
            np.lib.format.read_array_header_1_0(buffer)
        elif version[0] in (2, 3):
            np.lib.format.read_array_header_2_0(buffer)
        else:
            raise ValueError(f"unsupported .npy format version {version}")
        return _ArrayOnlyUnpickler(buffer).load()


def read_imdb_npz(path) -> dict[str, np.ndarray]:
    """Read a Keras-format ``imdb.npz`` safely (no arbitrary unpickling).

    Returns a dict with ``x_train``, ``y_train``, ``x_test``, ``y_test`` as stored in the file:
    ``x_*`` object arrays of lists of word ranks (1 = most frequent word), ``y_*`` integer labels.

    Raises
    ------
    FileNotFoundError
        the file does not exist;
    ValueError
        the file is not an ``.npz`` archive or lacks one of the four arrays;
    pickle.UnpicklingError
        the file asks the unpickler for anything but numpy's array-rebuilding globals.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no IMDB file at {path}. {_HOW_TO}")
    arrays = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.endswith(".npy"):
                    with archive.open(member) as raw:
                        arrays[member[: -len(".npy")]] = _read_npy(io.BytesIO(raw.read()))
    except zipfile.BadZipFile as err:
        raise ValueError(f"{path} is not a valid Keras imdb.npz (not an .npz archive: {err})") from err
    except pickle.UnpicklingError:
        raise
    except (EOFError, OSError, ValueError) as err:
        raise ValueError(f"{path} is not a valid Keras imdb.npz (unreadable array: {err})") from err
    missing = {"x_train", "y_train", "x_test", "y_test"} - set(arrays)
    if missing:
        raise ValueError(f"{path} is not a valid Keras imdb.npz: missing {sorted(missing)}")
    return arrays


def _local_folder(data_dir) -> tuple[Path | None, str]:
    """The folder to read from (argument first, then the environment), and where it came from."""
    if data_dir is not None:
        return Path(data_dir).expanduser(), "the data_dir argument"
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser(), f"the environment variable {ENV_VAR}"
    return None, ""


def _resolve(filename: str, data_dir=None) -> Path:
    """Path of ``filename``: local folder, else Keras' cache/download, else a clear error."""
    folder, origin = _local_folder(data_dir)
    if folder is not None:
        if not folder.is_dir():
            raise FileNotFoundError(
                f"{origin} names {folder}, which is not a folder. {ENV_VAR} (or data_dir) must be a "
                f"folder holding '{NPZ_NAME}' and '{WORD_INDEX_NAME}'."
            )
        path = folder / filename
        if not path.is_file():
            raise FileNotFoundError(
                f"{origin} names the folder {folder}, but it holds no '{filename}'. {_HOW_TO}"
            )
        return path
    try:
        from keras.utils import get_file

        return Path(get_file(fname=filename, origin=KERAS_ORIGIN + filename,
                             file_hash=KERAS_HASHES[filename]))
    except Exception as err:  # offline, blocked, or a corrupt download: say what to do
        raise FileNotFoundError(
            f"The IMDB file '{filename}' is not available: {ENV_VAR} is not set and Keras could "
            f"not download it ({err}). {_HOW_TO}"
        ) from None


def imdb_location(data_dir=None, with_path=True) -> str:
    """Where :func:`load_imdb` reads from, for printing (no download is attempted).
    ``with_path=False`` leaves this machine's folder out (for files that are committed)."""
    folder, origin = _local_folder(data_dir)
    if folder is not None:
        return f"{folder} (from {origin})" if with_path else f"a local copy (from {origin})"
    return "Keras' cache/download (~/.keras/datasets)"


def load_imdb(num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2,
              index_from=3, data_dir=None):
    """``keras.datasets.imdb.load_data`` with an offline-capable file lookup.

    The arguments and the returned value are those of ``keras.datasets.imdb.load_data``:
    ``(x_train, y_train), (x_test, y_test)``, where ``x_*`` are object arrays of lists of word
    ids (0 padding, ``start_char`` start, ``oov_char`` unknown, a word of rank r is
    ``r + index_from``) and ``y_*`` are 0/1 labels.  ``data_dir`` names a folder holding
    ``imdb.npz``; without it ``IMDB_DATA_DIR`` is used, then Keras' cache/download.
    """
    f = read_imdb_npz(_resolve(NPZ_NAME, data_dir))
    x_train, labels_train = f["x_train"], f["y_train"]
    x_test, labels_test = f["x_test"], f["y_test"]

    # The same steps, in the same order, as keras/src/datasets/imdb.py.
    rng = np.random.RandomState(seed)
    indices = np.arange(len(x_train))
    rng.shuffle(indices)
    x_train, labels_train = x_train[indices], labels_train[indices]
    indices = np.arange(len(x_test))
    rng.shuffle(indices)
    x_test, labels_test = x_test[indices], labels_test[indices]

    if start_char is not None:
        x_train = [[start_char] + [w + index_from for w in x] for x in x_train]
        x_test = [[start_char] + [w + index_from for w in x] for x in x_test]
    elif index_from:
        x_train = [[w + index_from for w in x] for x in x_train]
        x_test = [[w + index_from for w in x] for x in x_test]
    else:
        x_train = [list(x) for x in x_train]
        x_test = [list(x) for x in x_test]

    if maxlen:
        x_train, labels_train = _drop_long(maxlen, x_train, labels_train)
        x_test, labels_test = _drop_long(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(
                f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was "
                "kept. Increase maxlen."
            )

    xs = x_train + x_test
    labels = np.concatenate([labels_train, labels_test])
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    else:
        xs = [[w for w in x if skip_top <= w < num_words] for x in xs]

    idx = len(x_train)
    return ((np.array(xs[:idx], dtype="object"), labels[:idx]),
            (np.array(xs[idx:], dtype="object"), labels[idx:]))


def film_grouped_split(n_train: int = FULL_SIZE, fraction: float = 0.1, seed: int = 113) -> np.ndarray:
    """A validation split of the training reviews whose films are (mostly) not in the rest.

    Returns a boolean mask over ``load_imdb(seed=seed)``'s training reviews: True for the last
    ``fraction`` of the positive reviews and the last ``fraction`` of the negative ones **in
    file-id order**.  Maas et al.'s files hold the reviews of one film under consecutive ids
    (neighbouring reviews share 150 times more rare words than random pairs do), and the
    file holds them in id order, positives first, so a block of ids is a block of films;
    ``load_imdb`` shuffles with a seeded ``RandomState``, so the file order is recovered
    from the same permutation.  A film reviewed on both sides can still have its positive
    reviews on one side of the split and its negative ones on the other.

    ``validation_split`` in ``model.fit`` holds out the last reviews *after* the shuffle,
    which share their films with the training reviews; the test reviews do not.
    """
    rng = np.random.RandomState(seed)
    file_id = np.arange(n_train)
    rng.shuffle(file_id)                     # shuffled position j holds file id file_id[j]
    half = n_train // 2                      # positives are ids 0 .. half-1, negatives the rest
    held = int(round(half * fraction))
    return (file_id % half) >= half - held


def _drop_long(maxlen, seqs, labels):
    """Keep the sequences strictly shorter than ``maxlen`` (what ``load_data(maxlen=...)`` does)."""
    kept, kept_labels = [], []
    for x, y in zip(seqs, labels):
        if len(x) < maxlen:
            kept.append(x)
            kept_labels.append(y)
    return kept, kept_labels


def get_imdb_word_index(data_dir=None) -> dict[str, int]:
    """``keras.datasets.imdb.get_word_index`` with the same lookup order as :func:`load_imdb`.

    Returns the dict word -> rank (1 = most frequent).  Add ``index_from`` (3) to a rank to get
    the id used in the sequences.
    """
    path = _resolve(WORD_INDEX_NAME, data_dir)
    try:
        with open(path, encoding="utf-8") as fh:
            index = json.load(fh)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f"{path} is not a valid Keras word index (not JSON: {err})") from err
    if not isinstance(index, dict) or not all(isinstance(v, int) for v in index.values()):
        raise ValueError(f"{path} is not a valid Keras word index (expected a dict word -> int)")
    return index


def is_full_imdb(x_train, x_test) -> bool:
    """True when the arrays are the full dataset (25,000 training and 25,000 test reviews)."""
    return len(x_train) == FULL_SIZE and len(x_test) == FULL_SIZE


def limit_vocabulary(xs, num_words: int, oov_char: int = 2) -> np.ndarray:
    """Replace every id ``>= num_words`` by ``oov_char``.

    Applied to the output of ``load_imdb()`` (default arguments) this gives exactly what
    ``load_imdb(num_words=num_words)`` returns, without reading the file again.
    """
    out = np.empty(len(xs), dtype=object)   # 1-D even when every review has the same length
    for k, x in enumerate(xs):
        out[k] = [w if w < num_words else oov_char for w in x]
    return out


# --------------------------------------------------------------------------------------------
# Synthetic data in Keras' format (for tests, and for running a notebook without the real data)
# --------------------------------------------------------------------------------------------

SYNTHETIC_POSITIVE = ("good", "great", "excellent", "wonderful", "brilliant", "enjoyable")
SYNTHETIC_NEGATIVE = ("bad", "awful", "boring", "terrible", "dull", "poor")
SYNTHETIC_NEGATOR = "not"
SYNTHETIC_NEGATION_RATE = 0.3  # share of sentiment phrases written as a negated opposite ("not bad")
SYNTHETIC_MARKER = ("synthetic", "review")
_FILLER = (
    "the and a of to is it this in that was i film movie as with for but on his are you its "
    "have one be at all by an they from who so like her just about story if has out what some "
    "there more when very up can see time my even would which only really had me were than "
    "much get been other do also will into how because first people could plot acting way make "
    "any them after scenes well characters think too watch two being made many seen never show "
    "little where over end ever life scene man something back director still going actors real"
).split()
_FILLER_P = 1.0 / np.arange(1, len(_FILLER) + 1)  # Zipf-like word frequencies
_FILLER_P /= _FILLER_P.sum()
SYNTHETIC_README = """SYNTHETIC IMDB-format data, NOT the IMDB reviews.

Written by rnnkit.imdb.write_synthetic_imdb(n_train={n_train}, n_test={n_test}, seed={seed}).
Every review starts with the words "synthetic review", then neutral filler words with one to
three planted sentiment phrases: a positive review holds positive words ("good", "great", ...)
or negated negative ones ("not bad"), a negative review the reverse ("bad", "not good").
About 30 % of the phrases are negated, and "not" also appears before neutral words, so
counting words (order ignored) gets about 72 % right; only word order (is "not" right before
the sentiment word?) gives every label.
Use it to test code, never to report results about IMDB.
"""


def _synthetic_review(rng: np.random.RandomState, label: int) -> list[str]:
    """One synthetic review (a list of words) with sentiment ``label`` (1 positive, 0 negative)."""
    n_filler = int(rng.randint(10, 120))
    filler = [_FILLER[i] for i in rng.choice(len(_FILLER), size=n_filler, p=_FILLER_P)]
    gaps: list[list[list[str]]] = [[] for _ in range(n_filler + 1)]  # gaps[g]: before filler[g]
    for _ in range(int(rng.randint(1, 4))):  # one to three sentiment phrases
        negated = rng.rand() < SYNTHETIC_NEGATION_RATE
        polarity = label if not negated else 1 - label
        pool = SYNTHETIC_POSITIVE if polarity == 1 else SYNTHETIC_NEGATIVE
        word = pool[rng.randint(len(pool))]
        gaps[rng.randint(n_filler + 1)].append([SYNTHETIC_NEGATOR, word] if negated else [word])
    # distractor negations that negate nothing: "not" right before a filler word, last in its gap
    distractors = set(rng.randint(0, n_filler, size=int(rng.randint(0, 3))).tolist())
    words = list(SYNTHETIC_MARKER)
    for g in range(n_filler + 1):
        for phrase in gaps[g]:
            words.extend(phrase)
        if g < n_filler:
            if g in distractors:
                words.append(SYNTHETIC_NEGATOR)
            words.append(filler[g])
    return words


def write_synthetic_imdb(folder, n_train: int = 5000, n_test: int = 2000, seed: int = 0) -> Path:
    """Write a small SYNTHETIC ``imdb.npz`` + ``imdb_word_index.json`` pair in Keras' format.

    Parameters
    ----------
    folder : str or Path
        Created if needed; receives ``imdb.npz``, ``imdb_word_index.json`` and a ``README.txt``
        saying that the data is synthetic.
    n_train, n_test : int
        Numbers of reviews (even numbers give balanced classes; positives are stored first,
        as in Keras' file).
    seed : int
        Seed of the generator: the same arguments write the same files.

    Returns
    -------
    Path
        The folder (point ``IMDB_DATA_DIR`` or ``data_dir`` at it).

    Words are ranked by their frequency in the synthetic training set (1 = most frequent), as
    in Keras' index; every review starts with "synthetic review" so that decoded text shows
    what it is.  Labels need word order: "not good" is negative, "good" positive; a
    bag-of-words reading gets about 72 % of them right.  The defaults (5,000 / 2,000 reviews)
    are what the IMDB notebook needs to train on it; the unit tests use a few hundred.
    """
    if n_train < 2 or n_test < 2:
        raise ValueError("n_train and n_test must be at least 2 (one review of each class)")
    rng = np.random.RandomState(seed)
    splits = {}
    for name, n in (("train", n_train), ("test", n_test)):
        labels = np.array([1] * (n - n // 2) + [0] * (n // 2), dtype=np.int64)  # positives first
        splits[name] = ([_synthetic_review(rng, int(y)) for y in labels], labels)
    counts: dict[str, int] = {}
    for review in splits["train"][0]:
        for w in review:
            counts[w] = counts.get(w, 0) + 1
    for review in splits["test"][0]:  # words only seen in the test set rank last
        for w in review:
            counts.setdefault(w, 0)
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    word_index = {w: r for r, w in enumerate(ranked, start=1)}

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for name, (reviews, labels) in splits.items():
        x = np.empty(len(reviews), dtype=object)
        for i, review in enumerate(reviews):
            x[i] = [int(word_index[w]) for w in review]  # Python ints: pickle needs no numpy scalar
        arrays[f"x_{name}"] = x
        arrays[f"y_{name}"] = labels
    np.savez(folder / NPZ_NAME, **arrays)
    with open(folder / WORD_INDEX_NAME, "w", encoding="utf-8") as fh:
        json.dump(word_index, fh)
    (folder / "README.txt").write_text(SYNTHETIC_README.format(n_train=n_train, n_test=n_test, seed=seed))
    return folder


# ---------------------------------------------------------------------------------------------
# Lab 06's measured tables, and its reading explorer
# ---------------------------------------------------------------------------------------------

STUDY_FILE = Path(__file__).with_name("imdb_study.json")


def study() -> dict:
    """The IMDB study lab 06 shows: every figure measured by ``make imdb-study`` (the
    instructor's command, part of ``make bench``) on the course's 2-core machine, so the
    notebook shows multi-seed tables without training them again."""
    return json.loads(STUDY_FILE.read_text())


def _pct(x) -> str:
    return f"{100 * x:.2f} %"


def study_rows(section: str, data: dict | None = None) -> list[dict]:
    """Rows for ``rnnkit.plots.table``: one per model of ``section`` ("candidates" on
    validation accuracy, "grouped_validation" on the held-out films' accuracy; "variants",
    "reference", "seed_config", "bigram" or "history" on test accuracy)."""
    data = data or study()
    if section == "candidates":
        return [{"model (Conv1D-LSTM family)": name, "validation acc. (mean of seeds)": _pct(v["mean"]),
                 "seeds": " / ".join(_pct(r["val_accuracy"]) for r in v["runs"]),
                 "CPU s": f"{v['train_cpu_seconds_mean']:.0f}", "chosen": "yes" if name == data["chosen"] else ""}
                for name, v in data["candidates"].items()]
    if section == "grouped_validation":
        return [{"probe (S+C: SpatialDropout1D(0.2), a cosine schedule, 4 epochs)": name,
                 "held-out films acc. (mean)": _pct(v["mean"]),
                 "seeds": " / ".join(_pct(r["val_accuracy"]) for r in v["runs"]),
                 "CPU s": f"{v['train_cpu_seconds_mean']:.0f}", "chosen": "yes" if name == data["grouped_chosen"] else ""}
                for name, v in data["grouped_validation"].items()]
    if section == "history":
        return [{"model": name, "test acc. (mean)": _pct(v["mean"]), "min – max": f"{100 * v['min']:.2f} – {100 * v['max']:.2f}",
                 "CPU s": f"{v['train_cpu_seconds_mean']:.0f}"}
                for name, v in {**{k: v for k, v in data["history"].items() if isinstance(v, dict) and "runs" in v},
                                "the reference": data["reference"]}.items()]
    if section == "variants":
        named = {"LSTM(10), pre-padding (the tutorial's recipe)": data["seed_config"], **data["variants"]}
        return [{"model": name, "params": f"{v['params']:,}", "test acc. (mean)": _pct(v["mean"]),
                 "min – max": f"{100 * v['min']:.1f} – {100 * v['max']:.1f}",
                 "train s": f"{v['train_seconds_mean']:.0f}"} for name, v in named.items()]
    v = data[section]
    return [{"seed": r["seed"], "test acc.": _pct(r["test_accuracy"]),
             "validation acc.": _pct(r["val_accuracy"]) if r.get("val_accuracy") else "",
             "epochs": r["epochs_run"], "train s": f"{r['train_seconds']:.0f}",
             "CPU s": f"{r['train_cpu_seconds']:.0f}"} for r in v["runs"]] + [
        {"seed": "mean", "test acc.": _pct(v["mean"]), "validation acc.": "", "epochs": "",
         "train s": f"{v['train_seconds_mean']:.0f}", "CPU s": f"{v['train_cpu_seconds_mean']:.0f}"}]


def prefix_probabilities(model, row) -> np.ndarray:
    """p(positive) after each word of one review: entry t is the model's output on the
    review's first t + 1 tokens alone, pre-padded to the model's input length (row is one
    pre-padded row of ids; its leading zeros are skipped).  One batched predict."""
    row = np.asarray(row)
    ids = row[np.flatnonzero(row)[0]:] if row.any() else row[:0]
    maxlen = row.shape[0]
    batch = np.zeros((len(ids), maxlen), dtype=row.dtype)
    for t in range(len(ids)):
        batch[t, maxlen - t - 1:] = ids[:t + 1]
    return model.predict(batch, batch_size=512, verbose=0)[:, 0]


def reading_explorer(model, rows, tokens, labels, titles=None, window: int = 14):
    """Lab 06's explorer: how the model's output moves as it reads a review.

    rows   : pre-padded id rows (n, maxlen) the model reads
    tokens : for each row, its words (the decoded non-padding ids, in order)
    labels : the true labels (0/1)
    A drop-down picks the review and a slider the number of words read; the figure shows
    p(positive) after each word with the current position marked, and the last words read.
    The probabilities are computed once here, so moving a control only redraws."""
    from .explore import dropdown, explore, slider

    curves = [prefix_probabilities(model, r) for r in rows]
    titles = titles or [f"review {k + 1}" for k in range(len(rows))]
    longest = max(len(c) for c in curves)

    def draw(fig, review, words):
        curve, toks = curves[review], tokens[review]
        t = min(int(words), len(curve))
        ax, tx = fig.subplots(2, 1, height_ratios=[3, 1])
        ax.plot(np.arange(1, len(curve) + 1), curve, color="0.75", lw=1)
        ax.plot(np.arange(1, t + 1), curve[:t], color="#1f77b4", lw=1.8)
        ax.plot([t], [curve[t - 1]], "o", color="#d62728")
        ax.axhline(0.5, color="k", lw=0.8, ls="--")
        ax.set_ylim(0, 1)
        ax.set_xlim(0, len(curve) + 1)
        ax.set_xlabel("words read")
        ax.set_ylabel("p(positive)")
        ax.set_title(f"{titles[review]} (label {'positive' if labels[review] else 'negative'}): "
                     f"p = {curve[t - 1]:.2f} after {t} of {len(curve)} words", fontsize=9)
        tx.axis("off")
        shown = " ".join(toks[max(0, t - window):t])
        tx.text(0, 0.5, ("… " if t > window else "") + shown, fontsize=9, wrap=True, va="center")

    return explore(draw, size=(8.0, 4.2),
                   review=dropdown([(t, k) for k, t in enumerate(titles)], 0, "review"),
                   words=slider(1, longest, 1, longest, "words read", integer=True))
