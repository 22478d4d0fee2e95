"""Unit tests of rnnkit.damped (the damped-sine helpers of notebook 05)."""
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnnkit.damped import FORECAST_COLORS, generate_sequence, plot_forecast, plot_forecast_grid  # noqa: E402


def seed_formula(length, period, decay):
    # The seed tutorial's list comprehension, written with math, as an independent oracle.
    return [0.5 + 0.5 * math.sin(2 * math.pi * i / period) * math.exp(-decay * i) for i in range(length)]


@pytest.mark.parametrize("length,period,decay", [(102, 20, 0.05), (35, 10, 0.1), (7, 13, 0.01), (1, 15, 0.0)])
def test_generate_sequence_matches_the_formula(length, period, decay):
    s = generate_sequence(length, period, decay)
    assert isinstance(s, np.ndarray) and s.shape == (length,) and s.dtype == np.float64
    np.testing.assert_allclose(s, seed_formula(length, period, decay), rtol=0, atol=1e-12)


def test_generate_sequence_starts_at_half_and_stays_in_unit_interval():
    for period in range(10, 21):
        for decay in (0.0, 0.01, 0.05, 0.1):
            s = generate_sequence(200, period, decay)
            assert s[0] == 0.5
            assert s.min() >= 0.0 and s.max() <= 1.0


def test_generate_sequence_envelope_and_period():
    period, decay = 12, 0.03
    s = generate_sequence(120, period, decay)
    # A quarter period in, the sine is at its peak: the value is the envelope itself.
    i = np.arange(period // 4, 120, period)
    np.testing.assert_allclose(s[i], 0.5 + 0.5 * np.exp(-decay * i), atol=1e-12)
    # Undamped, the series repeats with the period.
    u = generate_sequence(60, period, 0.0)
    np.testing.assert_allclose(u[period:], u[:-period], atol=1e-12)


def test_generate_sequence_is_a_prefix_of_a_longer_one():
    np.testing.assert_array_equal(generate_sequence(30, 17, 0.07), generate_sequence(45, 17, 0.07)[:30])


def test_generate_sequence_edge_cases_and_errors():
    assert generate_sequence(0, 10, 0.1).shape == (0,)
    np.testing.assert_allclose(generate_sequence(3, 10.5, 0.02), seed_formula(3, 10.5, 0.02))
    with pytest.raises(ValueError):
        generate_sequence(-1, 10, 0.1)
    with pytest.raises(ValueError):
        generate_sequence(5, 0, 0.1)
    with pytest.raises(ValueError):
        generate_sequence(5, 10, -0.1)


def test_plot_forecast_draws_input_truth_and_forecasts():
    x = generate_sequence(30, 15, 0.05)
    truth = generate_sequence(35, 15, 0.05)[30:]
    fig, ax = plt.subplots()
    plot_forecast(ax, x.reshape(-1, 1), truth, {"persistence": np.full(5, x[-1]), "LSTM": truth + 0.01})
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:4] == ["input", "true continuation", "persistence", "LSTM"]
    xs, ys = ax.get_lines()[1].get_data()
    np.testing.assert_array_equal(xs, np.arange(29, 35))          # drawn from the last input step on
    np.testing.assert_allclose(ys, np.r_[x[-1], truth])
    np.testing.assert_array_equal(ax.get_lines()[3].get_data()[0], np.arange(30, 35))
    assert ax.get_lines()[3].get_color() == FORECAST_COLORS["LSTM"]
    with pytest.raises(ValueError):
        plot_forecast(ax, x, truth, {"bad": np.zeros(4)})
    plt.close(fig)


def test_plot_forecast_show_input_keeps_the_last_steps():
    fig, ax = plt.subplots()
    plot_forecast(ax, np.linspace(0, 1, 30), np.zeros(3), show_input=10)
    np.testing.assert_array_equal(ax.get_lines()[0].get_data()[0], np.arange(20, 30))
    plt.close(fig)


def test_plot_forecast_grid_layout():
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(8, 20, 1))
    y = rng.uniform(size=(8, 4))
    fig, axes = plot_forecast_grid(X, y, {"LSTM": y * 0.9}, indices=[0, 3, 5, 7], ncols=3,
                                   titles=["a", "b", "c", "d"])
    assert len(axes) == 6
    assert [ax.get_visible() for ax in axes] == [True] * 4 + [False] * 2
    assert axes[1].get_title() == "b"
    np.testing.assert_allclose(axes[1].get_lines()[2].get_data()[1], y[3] * 0.9)
    plt.close(fig)
    with pytest.raises(ValueError):
        plot_forecast_grid(X, y, {}, indices=[])



def _persist(X, output):
    X = np.asarray(X)
    return np.repeat(X[:, -1, :], output, axis=1)


def test_free_running_feeds_the_forecasts_back():
    from rnnkit.damped import free_running

    X = np.linspace(0, 1, 3 * 8).reshape(3, 8, 1)
    five = lambda w: _persist(w, 5)
    np.testing.assert_allclose(free_running(five, X, 12), _persist(X, 12))
    # a model that adds 1 to the last value: its second round starts from its own forecasts
    plus = lambda w: np.repeat(np.asarray(w)[:, -1, :] + 1, 2, axis=1)
    np.testing.assert_allclose(free_running(plus, X, 4)[0], X[0, -1, 0] + np.array([1, 1, 2, 2]))


def test_horizon_explorer_redraws_without_predicting_again():
    from rnnkit.damped import generate_sequence, horizon_explorer

    calls = []

    def predict(w):
        calls.append(len(w))
        return _persist(w, 5)

    waves = [(12, 0.02), (17, 0.08), (10, 0.05), (20, 0.01)]
    ex = horizon_explorer(predict, {"persistence": _persist}, waves, 30, 5, max_horizon=12, show=2)
    n_calls, first = len(calls), ex.png
    assert n_calls == 3 and first[:4] == b"\x89PNG"           # 12 steps in rounds of 5
    ex.controls["horizon"].value = 12
    ex.controls["wave"].value = 1
    assert len(calls) == n_calls and ex.png != first and len(ex.seconds) == 3
    assert len(ex.controls["wave"].options) == 2 and set(ex.results["rmse"]) == {"LSTM", "persistence"}
    assert generate_sequence(3, 12, 0.02).shape == (3,)
