"""rnnkit.gru: the z/r explorer of notebook 03 draws one GRU step as Keras defines it."""
import numpy as np
import pytest

from rnnkit.explore import Explorer
from rnnkit.gru import A_H, A_X, H_PREV, gru_step_explorer, step_points


def test_z_one_copies_the_state_and_z_zero_takes_the_candidate():
    for r in (0.0, 0.4, 1.0):
        np.testing.assert_allclose(step_points(1.0, r)["h_t"], H_PREV, atol=1e-12)
        pts = step_points(0.0, r)
        np.testing.assert_allclose(pts["h_t"], pts["candidate"], atol=1e-12)


def test_r_zero_ignores_the_previous_state():
    pts = step_points(0.3, 0.0)
    np.testing.assert_allclose(pts["candidate"], np.tanh(A_X), atol=1e-12)
    np.testing.assert_allclose(pts["candidate"], pts["candidate_r0"], atol=1e-12)
    # r = 1: the whole recurrent part enters the candidate
    np.testing.assert_allclose(step_points(0.3, 1.0)["candidate"], np.tanh(A_X + A_H), atol=1e-12)


def test_h_t_lies_between_the_candidate_and_the_old_state():
    pts = step_points(0.25, 0.6)
    np.testing.assert_allclose(pts["h_t"], pts["candidate"] + 0.25 * (pts["h_prev"] - pts["candidate"]), atol=1e-12)


def test_gate_values_outside_zero_one_are_refused():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        step_points(1.2, 0.5)


def test_the_explorer_redraws_when_a_gate_moves():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    ex = gru_step_explorer()
    assert isinstance(ex, Explorer) and set(ex.controls) == {"z", "r"}
    first = ex.png
    ex.controls["z"].value = 1.0
    assert ex.png != first and len(ex.seconds) == 2
    ex.controls["r"].value = 0.0
    assert len(ex.seconds) == 3
    assert plt.get_fignums() == before
