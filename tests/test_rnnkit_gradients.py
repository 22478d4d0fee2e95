"""Unit tests of rnnkit.gradients (notebook 01's helpers)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnnkit.gradients import (  # noqa: E402
    matrix_with_sigma_max,
    plot_norm_curves,
    random_sequences,
    recent_sum_task,
)


@pytest.mark.parametrize("sigma", [0.0, 0.5, 1.0, 2.0, 4.0])
def test_matrix_has_requested_largest_singular_value(sigma):
    m = matrix_with_sigma_max(7, sigma, seed=3)
    assert m.shape == (7, 7)
    assert np.linalg.norm(m, 2) == pytest.approx(sigma, abs=1e-12)


def test_matrix_is_repeatable_rectangular_and_not_symmetric():
    a = matrix_with_sigma_max(5, 1.5, seed=1)
    np.testing.assert_array_equal(a, matrix_with_sigma_max(5, 1.5, seed=1))
    assert not np.allclose(a, matrix_with_sigma_max(5, 1.5, seed=2))
    assert not np.allclose(a, a.T)
    r = matrix_with_sigma_max(3, 2.0, cols=6, seed=0)
    assert r.shape == (3, 6)
    assert np.linalg.svd(r, compute_uv=False)[0] == pytest.approx(2.0)


def test_matrix_rejects_negative_sigma():
    with pytest.raises(ValueError):
        matrix_with_sigma_max(3, -1.0)


def test_random_sequences_shape_dtype_scale_and_seed():
    x = random_sequences(4, 6, 3, seed=5, scale=0.1)
    assert x.shape == (4, 6, 3) and x.dtype == np.float32
    np.testing.assert_array_equal(x, random_sequences(4, 6, 3, seed=5, scale=0.1))
    np.testing.assert_allclose(10 * x, random_sequences(4, 6, 3, seed=5), rtol=1e-6)
    assert random_sequences(2, 2, 2, dtype="float64").dtype == np.float64


def test_recent_sum_task_targets():
    x, y = recent_sum_task(50, 12, k=3, seed=2)
    assert x.shape == (50, 12, 1) and y.shape == (50, 1)
    assert x.dtype == np.float32 and y.dtype == np.float32
    assert x.min() >= -1 and x.max() <= 1
    np.testing.assert_allclose(y[:, 0], x[:, 9, 0] + x[:, 10, 0] + x[:, 11, 0], rtol=1e-6)
    x2, _ = recent_sum_task(50, 12, k=3, seed=2)
    np.testing.assert_array_equal(x, x2)
    with pytest.raises(ValueError):
        recent_sum_task(5, 4, k=5)


def test_plot_norm_curves_drops_unplottable_points():
    fig, ax = plt.subplots()
    plot_norm_curves(ax, {"a": [1.0, 0.1, 0.0, np.inf, np.nan, 1e-3], "b": [2.0, 3.0]},
                     x=[10, 20, 30, 40, 50, 60], colors={"a": "#ff0000"},
                     styles={"b": {"linestyle": "--"}})
    assert ax.get_yscale() == "log"
    line_a, line_b = ax.get_lines()
    ya = np.asarray(line_a.get_ydata(), dtype=float)
    assert np.isnan(ya[[2, 3, 4]]).all() and ya[5] == pytest.approx(1e-3)
    assert line_a.get_color() == "#ff0000" and line_a.get_label() == "a"
    np.testing.assert_array_equal(line_b.get_xdata(), [10, 20])
    assert line_b.get_linestyle() == "--"
    plt.close(fig)


def _reference_jacobian(U, W, b, xs, h0, activation="tanh"):
    """The test's own d h_T / d h_0 (the explorer is given the student's in the notebook)."""
    h, jac = np.asarray(h0, float), np.eye(len(h0))
    for x in xs:
        a = x @ W + h @ U + b
        h = np.tanh(a)
        jac = ((1 - h ** 2)[:, None] * U.T) @ jac
    return jac


def test_matrix_with_spectral_radius():
    from rnnkit.gradients import matrix_with_spectral_radius

    m = matrix_with_spectral_radius(32, 0.9, seed=2)
    assert np.max(np.abs(np.linalg.eigvals(m))) == pytest.approx(0.9)
    assert np.linalg.norm(m, 2) > 1.2          # sigma_max is well above the spectral radius
    with pytest.raises(ValueError):
        matrix_with_spectral_radius(3, -1.0)


def test_spectral_radius_explorer_redraws_with_the_given_jacobian():
    from rnnkit.gradients import spectral_radius_explorer

    calls = []

    def counted(*args):
        calls.append(len(args[3]))
        return _reference_jacobian(*args)

    ex = spectral_radius_explorer(counted, units=8, steps=40)
    first, n_first = ex.png, len(calls)
    assert n_first > 0 and max(calls) <= 40
    ex.controls["radius"].value = 1.3
    assert ex.png != first and len(calls) == 2 * n_first
    ex.controls["radius"].value = 1.0                   # cached: no new call, the same figure
    assert ex.png == first and len(calls) == 2 * n_first
    ex.controls["trajectory"].value = "at rest"
    assert len(ex.seconds) == 4


def test_spectral_radius_curve_at_rest_is_the_power_of_U():
    from rnnkit.gradients import matrix_with_spectral_radius, spectral_radius_curve

    T, norms, sigma = spectral_radius_curve(_reference_jacobian, 0.9, "at rest", units=6, steps=20, seed=4)
    U = 0.9 * matrix_with_spectral_radius(6, 1.0, seed=4)
    assert list(T) == list(range(1, 21, 3)) and sigma == pytest.approx(np.linalg.norm(U, 2))
    want = [np.linalg.norm(np.linalg.matrix_power(U.T, t), 2) for t in T]     # tanh'(0) = 1 at rest
    np.testing.assert_allclose(norms, want, rtol=1e-10)
    _, driven, _ = spectral_radius_curve(_reference_jacobian, 0.9, "driven", units=6, steps=20, seed=4)
    assert np.all(driven[1:] < norms[1:])                                       # tanh' < 1 off the rest point
