"""The benchmark's IMDB models are the lab's: the reference is the solution of n06_better_model."""
import nbformat

from autograder.gates import bench_imdb
from autograder import course
from autograder.regions import normalise, split_regions


def test_reference_config_is_the_labs_solution():
    master = nbformat.read(course.notebook_path(course.SOURCE, "06_imdb_lab"), as_version=4)
    cell = next(c for c in master.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "n06_better_model")
    solution = [normalise(l.split("#")[0]) for l in split_regions(cell.source)[1]["solution"]]
    import inspect
    bench = {normalise(l.split("#")[0]) for l in inspect.getsource(bench_imdb.reference_config).splitlines()}
    # the bench's function also returns the data sizes: compare its return line without them
    bench = {l.replace(", num_words, maxlen", "") for l in bench}
    missing = [l for l in solution if l and l not in bench]
    assert not missing, f"bench_imdb.reference_config differs from the lab's solution: {missing}"


def test_seed_config_has_the_tutorials_76051_parameters():
    from rnnkit import setup

    setup(0)
    model, fit_args, num_words, maxlen = bench_imdb.seed_config()
    assert model.count_params() == 76_051
    assert (num_words, maxlen, fit_args["epochs"], fit_args["batch_size"], fit_args["validation_split"]) == (5000, 300, 5, 128, 0.2)
