"""Unit tests of rnnkit.memory (notebook 02's cell-state helpers and its b_f explorer)."""
import inspect

import numpy as np
import pytest

import rnnkit.memory as memory
from rnnkit.memory import cell_state_curve, half_life_explorer, measured_half_life


def test_the_curve_decays_geometrically_with_the_input_gate_closed():
    curve = cell_state_curve(1.0, 30)
    f = 1 / (1 + np.exp(-1.0))
    assert curve.shape == (31,) and curve[0] == 1.0
    np.testing.assert_allclose(curve, f ** np.arange(31), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("b_f, first", [(0.0, 1), (1.0, 3), (3.0, 15), (6.0, 280), (-2.0, 1)])
def test_measured_half_life_is_the_first_step_at_or_below_half(b_f, first):
    assert measured_half_life(cell_state_curve(b_f, 400)) == first


def test_measured_half_life_says_none_when_the_curve_is_too_short():
    assert measured_half_life(cell_state_curve(6.0, 50)) is None


def test_the_module_holds_no_closed_form_of_the_half_life():
    source = inspect.getsource(memory)
    assert "log(0.5)" not in source and "log(2" not in source and "log(f" not in source


def test_explorer_marks_the_measured_step_and_shows_the_students_value():
    seen = []
    ex = half_life_explorer(lambda b: seen.append(b) or 2.2, b_f=1.0)
    first = ex.png
    ex.controls["b_f"].value = 4.0
    assert ex.png != first and seen == [1.0, 4.0] and len(ex.seconds) == 2


def test_explorer_survives_an_unfinished_exercise():
    def unfinished(b_f):
        raise NotImplementedError()

    ex = half_life_explorer(unfinished)
    ex.controls["b_f"].value = 2.0
    assert len(ex.seconds) == 2
