"""`make validate`, through the one grading path (grade_batch -> worker, sandboxed kernels):
every master scores 100 %, every blank student version 0 on every graded cell.

All the assignments are graded in one batch, two at a time, as `make validate` does: the heavy
solutions share the cores with the quick blanks instead of leaving one core idle."""
import json

import pytest

from autograder import course
from autograder.gates.validate import validate_assignments


@pytest.fixture(scope="module")
def validations():
    # the slowest labs first (their last bare run in bench/results.json, else their budget), so
    # that the last jobs of the batch are short
    measured = json.loads((course.ROOT / "bench" / "results.json").read_text()).get("notebooks", {})
    order = sorted(course.ASSIGNMENTS, reverse=True,
                   key=lambda a: measured.get(a, course.assignment(a).bench_budget_seconds))
    return {v.assignment: v for v in validate_assignments(order, jobs=2)}


@pytest.mark.heavy      # every master graded: 5 to 6 minutes with 08 (make validate runs the same; make test-heavy runs this)
@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_solution_full_marks_and_blank_zero(validations, aid):
    result = validations[aid]
    print(result.report())
    assert not result.problems(), "\n".join(result.problems())
    assert result.solution.max_score > 0 and len(result.solution.questions) >= 3
    assert {q.question for q in result.solution.questions} == {q.question for q in result.student.questions}
