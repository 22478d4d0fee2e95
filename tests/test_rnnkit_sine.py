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
