"""rnnkit.explore: an explorer shows a static figure, and moving a control redraws it in place."""
import numpy as np
import pytest

from rnnkit.explore import Explorer, explore, render, slider


def _draw(fig, k):
    ax = fig.add_subplot()
    t = np.linspace(0, 1, 50)
    ax.plot(t, t ** k)
    ax.set_title(f"k = {k}")


def test_render_gives_png_that_depends_on_the_values():
    a = render(_draw, {"k": 1.0}, (3, 2))
    b = render(_draw, {"k": 3.0}, (3, 2))
    assert a[:8] == b"\x89PNG\r\n\x1a\n" and a != b


def test_moving_a_control_redraws_the_figure(capsys):
    ex = explore(_draw, k=slider(0.5, 4.0, 0.5, 1.0, "k"))
    assert isinstance(ex, Explorer) and len(ex.seconds) == 1
    first = ex.png
    ex.controls["k"].value = 3.0                 # what a student's drag does
    assert len(ex.seconds) == 2 and ex.png != first
    ex.controls["k"].value = 1.0
    assert ex.png == first                       # the same values draw the same figure


def test_an_explorer_needs_a_control():
    with pytest.raises(ValueError, match="at least one control"):
        explore(_draw)


def test_draw_leaves_no_pyplot_figure_open():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    explore(_draw, k=slider(0.5, 4.0, 0.5, 2.0, "k"))
    assert plt.get_fignums() == before
