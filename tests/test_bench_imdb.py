"""The study's IMDB models are the lab's: each is the solution of its exercise in the master."""
import inspect

import nbformat
import pytest

from autograder import course
from autograder.gates import bench_imdb
from autograder.regions import normalise, split_regions


def _solution_lines(grade_id: str) -> list[str]:
    master = nbformat.read(course.notebook_path(course.SOURCE, "06_imdb_lab"), as_version=4)
    cell = next(c for c in master.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return [normalise(l.split("#")[0]) for l in split_regions(cell.source)[1]["solution"]]


@pytest.mark.parametrize("grade_id, function", [
    ("n06_better_model", bench_imdb.reference_config),
    ("n06_masked_model", bench_imdb.masked_model),
    ("n06_bidirectional_model", bench_imdb.bidirectional_model),
])
def test_study_models_are_the_labs_solutions(grade_id, function):
    bench = {normalise(l.split("#")[0]) for l in inspect.getsource(function).splitlines()}
    # the reference's function also returns the data sizes: compare its return line without them
    bench = {l.replace(", num_words, maxlen", "") for l in bench}
    # the bidirectional solution names d and u; the study's function uses the arguments' names
    bench |= {l.replace("embedding_dim", "d").replace("units", "u") for l in bench}
    missing = [l for l in _solution_lines(grade_id) if l and l not in bench and not l.startswith("d, u =")]
    assert not missing, f"bench_imdb.{function.__name__} differs from the lab's solution of {grade_id}: {missing}"


def test_seed_config_has_the_tutorials_76051_parameters():
    from rnnkit import setup

    setup(0)
    model, fit_args, num_words, maxlen = bench_imdb.seed_config()
    assert model.count_params() == 76_051
    assert (num_words, maxlen, fit_args["epochs"], fit_args["batch_size"], fit_args["validation_split"]) == (5000, 300, 5, 128, 0.2)


def test_the_finalists_are_the_reference_and_the_validation_winner():
    from rnnkit import setup

    setup(0)
    assert bench_imdb.CHOSEN == bench_imdb.FINALISTS["reference"]
    model = bench_imdb.winner_config()[0]
    assert [type(l).__name__ for l in model.layers][:2] == ["Embedding", "SpatialDropout1D"]
    assert bench_imdb.winner_config()[2:] == (30000, 500)


def test_bigram_features_hash_each_pair_after_the_words():
    x = bench_imdb.bigram_features([[1, 5, 9]], vocab=10, buckets=7, words=4)
    assert x.shape == (1, 7)
    assert list(x[0]) == [0, 0, 1, 5, 9, 10 + (1 * 1_000_003 + 5) % 7, 10 + (5 * 1_000_003 + 9) % 7]


def test_the_film_grouped_split_holds_out_the_last_ids_of_each_class():
    import numpy as np

    from rnnkit.imdb import film_grouped_split

    held = film_grouped_split()
    assert held.shape == (25_000,) and held.sum() == 2_500
    # undo load_imdb's shuffle: shuffled position j holds file id perm[j]
    perm = np.arange(25_000)
    np.random.RandomState(113).shuffle(perm)
    ids = np.sort(perm[held])
    assert list(ids) == list(range(11_250, 12_500)) + list(range(23_750, 25_000))
    # on a small file the same rule: the last fraction of each half
    small = film_grouped_split(n_train=40, fraction=0.25)
    perm = np.arange(40)
    np.random.RandomState(113).shuffle(perm)
    assert sorted(perm[small]) == [15, 16, 17, 18, 19, 35, 36, 37, 38, 39]


def test_the_reference_is_the_grouped_searchs_chosen_probe_trained_on_the_whole_training_set():
    from rnnkit import setup

    setup(0)
    assert bench_imdb.GROUPED_CHOSEN in bench_imdb.PROBES
    chosen = bench_imdb.PROBES[bench_imdb.GROUPED_CHOSEN]
    assert chosen.get("validation_split", 0.1), "the lab's grade cell reports a validation split: the choice needs one"
    ref, fit_args, num_words, maxlen = bench_imdb.reference_config()
    probe, probe_args, *sizes = bench_imdb._probe(n_train=25_000, **chosen)
    kinds = lambda m: [type(l).__name__ for l in m.layers if type(l).__name__ not in ("InputLayer", "Activation")]
    assert sorted(kinds(ref)) == sorted(kinds(probe)) and ref.count_params() == probe.count_params()
    assert (num_words, maxlen) == tuple(sizes)
    assert {k: v for k, v in fit_args.items() if k != "callbacks"} == {k: v for k, v in probe_args.items() if k != "callbacks"}
    assert ref.optimizer._learning_rate.get_config() == probe.optimizer._learning_rate.get_config()
    # every probe builds, and the first one is the previous reference: 173,505 parameters
    for label, kw in bench_imdb.PROBES.items():
        assert bench_imdb._probe(**kw)[0].count_params() > 0, label
    assert bench_imdb._probe()[0].count_params() == 173_505


def test_the_grouped_choice_is_the_best_eligible_probe_in_the_study():
    import json

    table = json.loads(bench_imdb.STUDY.read_text())["grouped_validation"]
    assert list(table) == list(bench_imdb.PROBES)
    eligible = {k: v["mean"] for k, v in table.items() if bench_imdb.PROBES[k].get("validation_split", 0.1)}
    assert max(eligible, key=eligible.get) == bench_imdb.GROUPED_CHOSEN


def test_the_statement_quotes_the_measured_grading_spread():
    """Exercise 6's statement quotes the spread its thresholds rest on (stage grading_spread)."""
    import json

    spread = json.loads(bench_imdb.STUDY.read_text())["grading_spread"]
    full, synthetic = spread["full"], spread["synthetic"]
    master = nbformat.read(course.notebook_path(course.SOURCE, "06_imdb_lab"), as_version=4)
    cell = next(c.source for c in master.cells if c.cell_type == "markdown" and "### Exercise 6" in c.source)
    statement = " ".join(cell.split("### Exercise 6", 1)[1].split())
    assert len(full["runs"]) == 10 and {r["threads"] for r in full["runs"]} == {1, 2}
    assert f"reached {100 * full['test_min']:.1f} % to {100 * full['test_max']:.1f} %" in statement
    assert f"{100 * full['recall_min']:.1f} % to {100 * full['recall_max']:.1f} %" in statement
    # the synthetic stand-in's spread is instructor material: docs/imdb_study.md quotes it
    docs = " ".join((course.ROOT / "docs" / "imdb_study.md").read_text().split())
    assert f"{100 * synthetic['test_min']:.1f} % to {100 * synthetic['test_max']:.0f} %" in docs
    # the thresholds sit below every measured run, and the CPU cap far above them
    assert 0.870 < full["test_min"] and 0.80 < full["recall_min"] and full["cpu_seconds_max"] < 180
    assert 0.90 < synthetic["test_min"] and 0.85 < synthetic["recall_min"] and synthetic["cpu_seconds_max"] < 56
