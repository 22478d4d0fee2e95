"""Grading the same submission several times gives identical per-question grades.

`make determinism` grades every notebook 3 times; the test suite grades the sine lab, whose
grade includes a trained model (the part that could drift), twice."""
import pytest

from autograder.gates.determinism import repeated_grades


@pytest.mark.slow
def test_sine_lab_grades_repeat_exactly():
    # two gradings of a lab that trains models, side by side (each kernel with the other one
    # beside it on the 2 cores); make determinism grades every master 3 times
    runs = repeated_grades("04_sine_lab", runs=2, jobs=2)
    assert runs[0] and all(r == runs[0] for r in runs), runs
    assert sum(s for _, s, _, _ in runs[0]) == sum(m for _, _, m, _ in runs[0])


def test_gate_reports_each_run(monkeypatch, capsys):
    """The gate's own report reads the 4-field rows repeated_grades returns (a 3-field unpack broke it)."""
    from argparse import Namespace

    from autograder.gates import determinism
    rows = [("q1", 2.0, 2.0, "passed"), ("q2", 0.0, 3.0, "pending")]
    monkeypatch.setattr(determinism, "repeated_grades", lambda aid, runs, jobs=1: [rows] * runs)
    assert determinism.run(Namespace(assignments=["x"], runs=2, jobs=1)) == 0
    assert _report_line(capsys.readouterr().out) == ["x", "2", "runs:", "2/5", "|", "2/5", "identical"]
    monkeypatch.setattr(determinism, "repeated_grades",
                        lambda aid, runs, jobs=1: [rows, [rows[0], ("q2", 3.0, 3.0, "passed")]])
    assert determinism.run(Namespace(assignments=["x"], runs=2, jobs=1)) == 1
    assert _report_line(capsys.readouterr().out) == ["x", "2", "runs:", "2/5", "|", "5/5", "DIFFERENT"]


def _report_line(out: str) -> list[str]:
    """The words of the gate's line for assignment "x" (its values, whatever the spacing)."""
    return next(line.split() for line in out.splitlines() if line.split()[:1] == ["x"])
