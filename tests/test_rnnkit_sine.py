import numpy as np
import pytest

from rnnkit.sine import STEP, phase_pairs, sine_series


def test_sine_series_matches_the_seed_split():
    x, s = sine_series(0, 100)
    assert x.shape == (200,) and s.shape == (200, 1)
    assert x[0] == 0 and x[-1] == 99.5 and np.allclose(np.diff(x), STEP)
    np.testing.assert_allclose(s[:, 0], np.sin(x))
    xt, st = sine_series(100, 200)
    assert xt[0] == 100 and st.shape == (200, 1)


def test_sine_series_rejects_bad_step():
    with pytest.raises(ValueError, match="step must be positive"):
        sine_series(0, 1, 0)


def test_phase_pairs_are_seeded_and_consistent():
    a, b = phase_pairs(0.5, n=50, seed=3)
    a2, b2 = phase_pairs(0.5, n=50, seed=3)
    np.testing.assert_array_equal(a, a2)
    # sin(x + h)^2 + ... : both lie on the ellipse of the pair (sin x, sin(x + h))
    h = 0.5
    lhs = a**2 + b**2 - 2 * a * b * np.cos(h)
    np.testing.assert_allclose(lhs, np.sin(h) ** 2, atol=1e-12)


def _fake_preds(x_test, series, look_backs=(1, 2, 5)):
    """Predictions as the lab's models make them: one curve at look_back 1, the truth after."""
    out = {}
    for lb in look_backs:
        truth = series[lb:, 0]
        pred = np.cos(STEP) * series[lb - 1:-1, 0] if lb == 1 else truth + 1e-3
        out[lb] = (x_test[lb:], pred.reshape(-1, 1))
    return out


def test_look_back_results_measure_the_given_predictions():
    from rnnkit.sine import look_back_results

    x, s = sine_series(100, 200)
    res = look_back_results(x, s, _fake_preds(x, s))
    assert list(res) == [1, 2, 5]
    assert abs(res[2]["mse"] - 1e-6) < 1e-9
    assert 0.09 < res[1]["mse"] < 0.14                 # the one-value floor, measured on the fake curve
    r = res[1]
    np.testing.assert_allclose(r["current"], s[:-1, 0])
    # rising where the current value is below the next one, for most steps
    assert np.mean(r["rising"] == (r["truth"] > r["current"])) > 0.8
    with pytest.raises(ValueError, match="expected"):
        look_back_results(x, s, {3: (x[3:], np.zeros((5, 1)))})


def test_look_back_explorer_redraws_fast_without_training():
    from rnnkit.sine import look_back_explorer

    x, s = sine_series(100, 200)
    ex = look_back_explorer(x, s, _fake_preds(x, s), look_back=2)
    first = ex.png
    assert ex.controls["look_back"].value == 2 and first[:4] == b"\x89PNG"
    ex.controls["look_back"].value = 1
    assert ex.png != first and len(ex.seconds) == 2


def test_look_back_explorer_says_what_to_do_before_any_model_is_trained(capsys):
    """A student version run top to bottom: the training cell stopped at a blank exercise,
    so ``preds`` is empty; the explorer explains instead of failing with an IndexError."""
    from rnnkit.sine import look_back_explorer

    x, s = sine_series(100, 200)
    assert look_back_explorer(x, s, {}) is None
    assert "No trained models" in capsys.readouterr().out
