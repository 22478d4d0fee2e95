"""The alternatives bank, in its quick mode (batch: one kernel per notebook).

Every correct answer written differently (`alternatives/<id>.py`) must keep every point of
its exercise on the one grading path; `make alternatives` also grades the ones that train a
model (prefix mode).  The last test shows the runner reports a test that is too strict.
"""
import nbformat
import pytest

from autograder import course
from autograder.gates.mutants import Mutant, Outcome, Report, _grade_synthetic, batch_notebook, exercises, load_bank, mutation_test


@pytest.mark.heavy      # 5 to 8 minutes: make test-heavy runs it (make alternatives grades the whole bank)
def test_quick_alternatives_bank_keeps_full_marks():
    report = mutation_test(course.ASSIGNMENTS, jobs=2, quick=True, bank="alternatives")
    print(report.text())
    assert not report.problems, "\n".join(report.problems)
    assert report.outcomes, "no alternative was graded"
    lost = [o for o in report.outcomes if not o.kept]
    assert not lost, report.text()


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_every_exercise_has_three_alternatives(aid):
    master = nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4)
    bank = load_bank(aid, "alternatives")
    for gid in exercises(master):
        assert sum(m.grade_id == gid for m in bank) >= 3, f"{aid}:{gid} needs at least 3 alternatives"
    names = [(m.grade_id, m.name) for m in bank]
    assert len(names) == len(set(names)), f"{aid}: two alternatives of one exercise share a name"


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_alternatives_differ_from_the_master_answer(aid):
    """An alternative identical to the master's solution proves nothing."""
    master = nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in master.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    norm = lambda s: "".join(l.strip() for l in s.splitlines() if l.strip() and not l.strip().startswith(("#", "###")))
    for m in load_bank(aid, "alternatives"):
        assert norm(m.source) != norm(answers[m.grade_id]), f"{aid}: alternative {m.name!r} is the master's answer"


def test_runner_reports_a_too_strict_test():
    """A test that insists on a Python int rejects a correct numpy integer: the runner must say so."""
    sol = nbformat.v4.new_code_cell("def count(n):\n    ### BEGIN SOLUTION\n    return 2 * n\n    ### END SOLUTION")
    sol.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "grade_id": "count", "schema_version": 3}
    strict = nbformat.v4.new_code_cell("assert type(count(2)) is int and count(2) == 4\n"
                                       "### BEGIN HIDDEN TESTS\nassert count(0) == 0\n### END HIDDEN TESTS")
    strict.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": "count_tests",
                                   "points": 1, "schema_version": 3}
    master = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy as np"), sol, strict])
    master.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    numpy_int = Mutant("demo", "numpy_int", "count", "returns np.int64", "import numpy as np\ndef count(n):\n    return np.int64(2 * n)")
    loop = Mutant("demo", "loop", "count", "adds n twice", "def count(n):\n    total = 0\n    for _ in range(2):\n        total += n\n    return total")
    scores = _grade_synthetic(batch_notebook(master, [numpy_int, loop]), "demo")
    assert scores["count__base"] == (1.0, 1.0)
    report = Report(outcomes=[Outcome(numpy_int, "batch", *scores["count__m0"]), Outcome(loop, "batch", *scores["count__m1"])],
                    bank="alternatives")
    assert not report.outcomes[0].kept and report.outcomes[1].kept
    assert not report.ok and "TOO STRICT" in report.text()
