"""Unit tests of rnnkit.compare: the training and timing harness of notebook 03."""
from __future__ import annotations

import numpy as np
import pytest

from rnnkit.env import quiet_environment

quiet_environment()

from rnnkit import compare  # noqa: E402


def test_fraction_within_counts_strictly_below_tolerance():
    y = np.array([0.0, 0.0, 0.0, 0.0])
    p = np.array([0.01, -0.039, 0.05, -0.2])
    assert compare.fraction_within(y, p) == pytest.approx(0.5)
    assert compare.fraction_within(y, p, tol=0.06) == pytest.approx(0.75)
    # (n,) and (n, 1) mix
    assert compare.fraction_within(y[:, None], p) == pytest.approx(0.5)
    # an error of exactly tol does not count
    assert compare.fraction_within(np.array([0.0]), np.array([0.5]), tol=0.5) == 0.0


def test_fraction_within_rejects_mismatched_or_empty():
    with pytest.raises(ValueError):
        compare.fraction_within(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError):
        compare.fraction_within(np.zeros(0), np.zeros(0))


def test_constant_baseline_is_variance_when_means_agree():
    rng = np.random.default_rng(0)
    y = rng.normal(0.5, 0.2, size=1000)
    base = compare.constant_baseline(y, y)
    assert base["value"] == pytest.approx(y.mean())
    assert base["mse"] == pytest.approx(y.var())
    assert base["within"] == pytest.approx(np.mean(np.abs(y - y.mean()) < 0.04))
    # a shifted validation set adds the squared gap between the means
    shifted = compare.constant_baseline(y, y + 0.1)
    assert shifted["mse"] == pytest.approx(y.var() + 0.01)


def test_first_epoch_reaching_and_seconds_per_epoch():
    assert compare.first_epoch_reaching([0.1, 0.5, 0.95, 0.9], 0.9) == 3
    assert compare.first_epoch_reaching([0.1, 0.2], 0.9) is None
    assert compare.seconds_per_epoch({"seconds": [5.0, 1.0, 2.0, 3.0]}) == pytest.approx(2.0)
    assert compare.seconds_per_epoch({"seconds": [4.0]}) == pytest.approx(4.0)


def test_largest_units_inverts_an_increasing_count():
    count = lambda u: 4 * (u * (2 + u) + u)          # an LSTM on 2 inputs
    u = compare.largest_units(count, 2600)
    assert count(u) <= 2600 < count(u + 1)
    assert compare.largest_units(count, count(17)) == 17
    assert compare.largest_units(count, 0) == 0
    assert compare.largest_units(lambda u: u, 10**9, max_units=64) == 64
    with pytest.raises(ValueError):
        compare.largest_units(count, -1)


def test_comparison_rows_and_plot():
    results = {
        "SimpleRNN": {"loss": [0.05, 0.04], "val_mse": [0.05, 0.04], "val_within": [0.1, 0.2],
                      "seconds": [2.0, 0.5], "params": 100},
        "LSTM": {"loss": [0.04, 0.001], "val_mse": [0.03, 0.0002], "val_within": [0.3, 0.97],
                 "seconds": [3.0, 1.0], "params": 120},
    }
    base = {"value": 0.5, "mse": 0.0417, "within": 0.15}
    rows = compare.comparison_rows(results, base)
    assert [r["model"] for r in rows] == ["baseline", "SimpleRNN", "LSTM"]
    lstm = rows[2]
    assert lstm["params"] == 120 and lstm["epoch >= 0.9"] == 2 and lstm["s/epoch"] == 1.0
    assert lstm["best val MSE"] == pytest.approx(0.0002)
    assert rows[1]["epoch >= 0.9"] == "-"

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = compare.plot_comparison(results, base)
    ax_mse, ax_acc = fig.axes
    assert ax_mse.get_yscale() == "log"
    assert ax_mse.get_xlabel() == "epoch" and ax_acc.get_ylabel()
    labels = [line.get_label() for line in ax_acc.get_lines()]
    assert labels == ["SimpleRNN", "LSTM", "predict the mean"]
    assert "LSTM" in ax_mse.get_title()      # the takeaway names the lowest final MSE
    plt.close(fig)


def test_compare_models_trains_and_records_repeatably():
    import keras

    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(64, 5, 2)).astype("float32")
    y = (0.5 + X[:, :, 0].sum(1) / 10).astype("float32")
    data = {"X_train": X[:48], "y_train": y[:48], "X_val": X[48:], "y_val": y[48:]}

    def build():
        return keras.Sequential([keras.Input((5, 2)), keras.layers.GRU(3), keras.layers.Dense(1)])

    builders = {"GRU": build, "GRU again": build}
    results = compare.compare_models(builders, data, epochs=2, seed=7, batch_size=16, verbose=0)
    rec = results["GRU"]
    assert set(rec) == {"loss", "val_mse", "val_within", "seconds", "params"}
    assert all(len(rec[k]) == 2 for k in ("loss", "val_mse", "val_within", "seconds"))
    assert rec["params"] == 3 * (3 * (2 + 3) + 2 * 3) + 3 + 1
    assert all(s > 0 for s in rec["seconds"])
    assert all(0.0 <= w <= 1.0 for w in rec["val_within"])
    # same seed, same data: the two runs agree
    np.testing.assert_allclose(rec["val_mse"], results["GRU again"]["val_mse"], rtol=1e-5)


def test_within_metric_matches_fraction_within():
    from keras import ops

    y = np.array([[0.5], [0.5], [0.5], [0.5]], dtype="float32")
    p = np.array([[0.52], [0.45], [0.539], [0.6]], dtype="float32")
    metric = compare.within_metric()
    value = float(ops.convert_to_numpy(metric(y, p)))
    assert value == pytest.approx(compare.fraction_within(y, p))
