"""Grading the same submission 3 times gives identical per-question grades.

`make determinism` does this for every notebook; the test suite does it for the sine lab,
whose grade includes a trained model (the part that could drift)."""
import pytest

from autograder.gates.determinism import repeated_grades


@pytest.mark.slow
def test_sine_lab_grades_repeat_exactly():
    runs = repeated_grades("04_sine_lab", runs=3)
    assert runs[0] and all(r == runs[0] for r in runs), runs
    assert sum(s for _, s, _ in runs[0]) == sum(m for _, _, m in runs[0])
