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


def test_a_written_answer_graded_by_hand_is_a_markdown_cell():
    nb = text_to_notebook("#%% md\nWhy?\n#%% answer id=n99_why points=2\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION\n")
    cell = nb.cells[1]
    assert cell.cell_type == "markdown"
    meta = cell.metadata["nbgrader"]
    assert meta["solution"] and meta["grade"] and not meta["locked"] and meta["points"] == 2
    assert "#%% answer id=n99_why points=2" in notebook_to_text(nb).splitlines()
