"""Lab 08's length study: its loader and spread (on made-up numbers, no training), and the
study's recipe kept in step with the master (autograder/gates/study_seq2seq.py)."""
import json

import nbformat
import numpy as np
import pytest

from autograder import course
from autograder.gates import study_seq2seq
from autograder.regions import split_regions
from rnnkit import seq2seq

AID = "08_seq2seq_attention"


def _tiny_study() -> dict:
    runs = {"without attention": [{"seed": 8, "exact": [0.5, 0.0], "digits": [0.9, 0.3], "train_cpu_seconds": 10.0, "params": 7},
                                  {"seed": 0, "exact": [0.7, 0.1], "digits": [0.95, 0.4], "train_cpu_seconds": 12.0, "params": 7}],
            "with attention": [{"seed": 8, "exact": [1.0, 0.9], "digits": [1.0, 0.99], "train_cpu_seconds": 20.0, "params": 9},
                               {"seed": 0, "exact": [0.98, 0.6], "digits": [1.0, 0.97], "train_cpu_seconds": 22.0, "params": 9}]}
    return {"date": "2026-01-01", "keras": "3.0", "cpus": 2, "threads": 2, "load_average_start": [1.0, 1.0, 1.0],
            "load_average_end": [2.0, 1.5, 1.0], "seeds": [8, 0], "lengths": [5, 30],
            "models": {name: study_seq2seq.summarise(r) for name, r in runs.items()}}


def test_length_spread_on_made_up_numbers():
    runs = [{"exact": [0.5, 0.0, 1.0]}, {"exact": [0.7, 0.2, 1.0]}, {"exact": [0.6, 0.1, 0.4]}]
    spread = seq2seq.length_spread(runs)
    assert spread["min"] == [0.5, 0.0, 0.4]
    assert spread["max"] == [0.7, 0.2, 1.0]
    np.testing.assert_allclose(spread["mean"], [0.6, 0.1, 0.8])
    assert seq2seq.length_spread([{"digits": [0.3]}], "digits") == {"min": [0.3], "mean": [0.3], "max": [0.3]}
    with pytest.raises(ValueError):
        seq2seq.length_spread([{"exact": [0.5, 0.1]}, {"exact": [0.5]}])
    with pytest.raises(ValueError):
        seq2seq.length_spread([])


def test_loader_and_rows_on_a_tiny_study(tmp_path):
    path = tmp_path / "study.json"
    path.write_text(json.dumps(_tiny_study()))
    data = seq2seq.study(path)
    m = data["models"]["without attention"]
    assert m["exact"] == {"min": [0.5, 0.0], "mean": [0.6, 0.05], "max": [0.7, 0.1]}
    assert m["train_cpu_seconds"] == {"min": 10.0, "mean": 11.0, "max": 12.0} and m["params"] == 7
    rows = seq2seq.study_rows(data)
    assert [r["L"] for r in rows] == [5, 30]
    assert rows[1]["with attention: min – max"] == "0.600 – 0.900"
    assert rows[0]["without attention: mean"] == "0.600"
    assert seq2seq.study_rows(data, "digits")[1]["without attention: min – max"] == "0.300 – 0.400"
    figures = study_seq2seq.bench_figures(data)
    assert figures["with attention"]["exact_min"] == [0.98, 0.6]


def test_the_stored_study_has_what_the_lab_reads():
    data = seq2seq.study()
    assert len(data["seeds"]) >= 3 and study_seq2seq.SEED in data["seeds"]
    assert data["lengths"] == study_seq2seq.LENGTHS
    for name in study_seq2seq.MODELS:
        model = data["models"][name]
        assert [r["seed"] for r in model["runs"]] == data["seeds"]
        assert all(len(r["exact"]) == len(r["digits"]) == len(data["lengths"]) for r in model["runs"])
        assert model["exact"] == {k: [round(x, 4) for x in v] for k, v in seq2seq.length_spread(model["runs"]).items()}
    assert {"date", "keras", "threads", "cpus", "load_average_start", "load_average_end"} <= set(data)


def _master():
    return nbformat.read(course.notebook_path(course.SOURCE, AID), as_version=4)


def test_the_studys_teacher_forcing_is_the_labs_solution():
    cell = next(c for c in _master().cells if c.metadata.get("nbgrader", {}).get("grade_id") == "n08_teacher_forcing")
    space: dict = {"np": np}
    exec(compile(cell.source, "n08_teacher_forcing", "exec"), space)
    for targets in ([[5, 6, 7], [8]], [[], [3, 4]], []):
        for ours, lab in zip(study_seq2seq.teacher_forcing(targets, 1, 2), space["teacher_forcing"](targets, 1, 2)):
            np.testing.assert_array_equal(ours, lab)
            assert ours.dtype == lab.dtype
    assert split_regions(cell.source)[1]["solution"], "the master's solution region moved"


def test_the_studys_recipe_is_the_masters():
    source = "\n".join(c.source for c in _master().cells if c.cell_type == "code")
    s = study_seq2seq
    for line in (f"LENGTHS = list(range(5, 31, 5))", f"UNITS, LEN_EPOCHS = {s.UNITS}, {s.EPOCHS}",
                 f"digit_data({s.TRAIN_SIZE}, {s.TRAIN_LENGTHS}, seed={s.DATA_SEED})",
                 f"seq2seq_model(len(DIGITS), len(DIGITS), units=UNITS, learning_rate={s.LEARNING_RATE})",
                 f"seq2seq_model(len(DIGITS), len(DIGITS), units=UNITS, attention=True, learning_rate={s.LEARNING_RATE})",
                 f"batch_size={s.BATCH_SIZE}, epochs=LEN_EPOCHS", "length_curve(plain, DIGITS, LENGTHS)",
                 "length_curve(attn, DIGITS, LENGTHS)", f"SEED = setup(seed={s.SEED})"):
        assert line in source, f"the master no longer has {line!r}: update autograder/gates/study_seq2seq.py"
    assert s.LENGTHS == list(range(5, 31, 5))


def test_the_lab_and_the_study_evaluate_alike():
    import inspect

    params = inspect.signature(seq2seq.length_curve).parameters
    assert (params["n"].default, params["seed"].default) == (study_seq2seq.EVAL_SIZE, study_seq2seq.EVAL_SEED)


def test_length_curve_scores_one_value_per_length():
    """On a small untrained model (no training): one exact match and one fraction of digits
    right per length, exact match never above the digits right."""
    from rnnkit import setup

    setup(0)
    vocab = seq2seq.build_vocab("0123456789")
    model = seq2seq.seq2seq_model(len(vocab), len(vocab), units=4, embed_dim=3, attention=True)
    exact, digits = seq2seq.length_curve(model, vocab, [2, 3], n=6)
    assert exact.shape == digits.shape == (2,)
    assert np.all((0 <= exact) & (exact <= digits) & (digits <= 1))
