"""The mutation bank, in its quick mode (batch: one kernel per notebook).

Every mutant of every exercise whose tests stand alone must lose points; `make mutants`
also grades the rest (prefix mode).  The last test shows the runner reports a survivor.
"""
import nbformat
import pytest

from autograder import course
from autograder.gates.mutants import Mutant, Outcome, _grade_synthetic, batch_notebook, exercises, load_mutants, mutation_test


@pytest.mark.heavy      # 3 to 5 minutes for the 9 banks: make test-heavy runs it, make mutants grades them all
def test_quick_mutation_bank_is_fully_killed():
    report = mutation_test(course.ASSIGNMENTS, jobs=2, quick=True)
    print(report.text())
    assert not report.problems, "\n".join(report.problems)
    assert report.outcomes, "no mutant was graded"
    survivors = [o for o in report.outcomes if not o.killed]
    assert not survivors, report.text()


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_every_exercise_has_three_mutants(aid):
    master = nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4)
    bank = load_mutants(aid)
    for gid in exercises(master):
        assert sum(m.grade_id == gid for m in bank) >= 3, f"{aid}:{gid} needs at least 3 mutants"


def test_runner_reports_a_surviving_mutant():
    """A weak test (it only checks the type) lets a wrong answer through: the runner must say so."""
    sol = nbformat.v4.new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION")
    sol.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "grade_id": "double", "schema_version": 3}
    weak = nbformat.v4.new_code_cell("assert isinstance(double(2), int)\n### BEGIN HIDDEN TESTS\nassert double(0) == 0\n### END HIDDEN TESTS")
    weak.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": "double_tests",
                                 "points": 1, "schema_version": 3}
    master = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x0 = 0"), sol, weak])
    master.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    wrong = Mutant("demo", "square", "double", "x * x instead of 2 * x", "def double(x):\n    return x * x")
    broken = Mutant("demo", "syntax", "double", "does not parse", "def double(x)\n    return")
    scores = _grade_synthetic(batch_notebook(master, [wrong, broken]), "demo")
    assert scores["double__base"] == (1.0, 1.0)
    assert not Outcome(wrong, "batch", *scores["double__m0"]).killed, "the weak test should let x*x through"
    assert Outcome(broken, "batch", *scores["double__m1"]).killed, "a mutant that does not define the function must lose"
