"""The text authoring form round-trips every master losslessly (for what nbgrader reads)."""
import nbformat
import pytest

from autograder import course
from autograder.authoring.nbtext import notebook_to_text, text_to_notebook


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_round_trip(aid):
    nb = nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4)
    again = text_to_notebook(notebook_to_text(nb))
    assert [c.source for c in again.cells] == [c.source for c in nb.cells]
    assert [c.cell_type for c in again.cells] == [c.cell_type for c in nb.cells]
    strip = lambda m: {k: v for k, v in m.get("nbgrader", {}).items() if k != "checksum"}
    assert [strip(c.metadata) for c in again.cells] == [strip(c.metadata) for c in nb.cells]


def test_rejects_text_before_first_cell():
    with pytest.raises(ValueError, match="before the first"):
        text_to_notebook("stray\n#%% md\nx")


def test_a_written_answer_graded_by_hand_round_trips():
    text = ("#%% md\n# Lab\n\n#%% manual id=n99_why points=2\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION\n")
    nb = text_to_notebook(text)
    cell = nb.cells[1]
    meta = cell.metadata["nbgrader"]
    assert cell.cell_type == "markdown" and meta["solution"] and meta["grade"] and not meta["locked"]
    assert meta["points"] == 2 and meta["grade_id"] == "n99_why"
    assert notebook_to_text(nb) == text
