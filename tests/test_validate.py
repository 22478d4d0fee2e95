"""`make validate`, through the one grading path (grade_batch -> worker, sandboxed kernels):
every master scores 100 %, every blank student version 0 on every graded cell."""
import pytest

from autograder import course
from autograder.gates.validate import validate_assignment


@pytest.mark.slow
@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_solution_full_marks_and_blank_zero(aid):
    result = validate_assignment(aid)
    print(result.report())
    assert not result.problems(), "\n".join(result.problems())
    assert result.solution.max_score > 0 and len(result.solution.questions) >= 3
    assert {q.question for q in result.solution.questions} == {q.question for q in result.student.questions}
