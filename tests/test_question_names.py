"""Questions are named as the notebook names them ("Exercise 3 · steps_to_vanish, 2 points"),
by one rule (rnnkit/questions.py), everywhere people read them: feedback.html, results.json,
grades.csv (``question_name``, beside the grade id in ``question``), the instructor's manual
pages, Gradescope's entries and the visible-tests check.  Every master gets a sensible name
for every graded cell, and its student version the same one."""
from __future__ import annotations

import ast
import csv
import json

import nbformat
import pytest

from autograder import course
from autograder.grader import feedback, report, worker
from autograder.grader.boundary import Boundary
from autograder.grader.schema import Question, Result
from autograder.platforms import gradescope
from nbcells import code_cell
from rnnkit.questions import describe, question_names


def _graded(nb) -> list[dict]:
    return [c.metadata["nbgrader"] for c in nb.cells
            if (c.metadata.get("nbgrader", {}).get("grade") or c.metadata.get("nbgrader", {}).get("task"))]


def _master(aid: str):
    return nbformat.read(course.SOURCE / aid / f"{aid}.ipynb", as_version=4)


def _md(text: str):
    return nbformat.v4.new_markdown_cell(text)


def _nb(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


# ----------------------------------------------------------------------------------------
# every master
# ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_every_graded_cell_of_every_master_has_a_sensible_name(aid):
    nb = _master(aid)
    names = describe(nb)
    listing = "\n".join(f"  {q.grade_id}: {q}" for q in names)
    print(f"{aid}:\n{listing}")
    assert [q.grade_id for q in names] == [m["grade_id"] for m in _graded(nb)], listing
    assert [q.number for q in names] == [str(i) for i in range(1, len(names) + 1)], \
        f"exercise headings out of order or missing (report it, do not guess):\n{listing}"
    for q, meta in zip(names, _graded(nb)):
        assert q.kind == "Exercise" and q.subject, f"no exercise heading or subject for {q.grade_id}:\n{listing}"
        assert q.stated_points == q.points == float(meta.get("points", 0)), \
            f"{q.grade_id}: the heading says {q.stated_points} points, the metadata {q.points}:\n{listing}"
        assert q.by_hand == bool(meta.get("solution")), q
        assert str(q).startswith(f"Exercise {q.number} · {q.subject}, {q.points:g} point"), str(q)
        assert "_tests" not in str(q) and q.grade_id not in str(q)


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_a_code_exercise_is_named_after_the_function_its_answer_defines(aid):
    nb = _master(aid)
    for q in describe(nb):
        if not q.by_hand:
            answers = [c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
            for function in q.subject.split(" / "):
                assert any(f"def {function}(" in a for a in answers), (q.grade_id, function)


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_the_student_version_names_its_questions_as_the_master_does(aid):
    released = course.ROOT / "notebooks" / aid / f"{aid}.ipynb"
    if not released.exists():
        pytest.skip(f"{released} not released (make release)")
    student = question_names(nbformat.read(released, as_version=4))
    assert student == question_names(_master(aid))


# ----------------------------------------------------------------------------------------
# the rule
# ----------------------------------------------------------------------------------------

def _exercise(gid, points=2, source="def f(x):\n    return x"):
    return [code_cell(source, grade_id=gid, solution=True),
            code_cell("assert f(1) == 1", grade_id=f"{gid}_tests", grade=True, locked=True, points=points)]


def test_the_rule_reads_headings_bold_lines_functions_and_points():
    nb = _nb(_md("# Lab\n\n1. **Exercise 1** (9 points): an overview list is not a heading"),
             _md("## 2 · Section\n### Exercise 1 (2 points): `f(x)`"), *_exercise("a"),
             _md("**Exercise 2** (1 point): two functions"),
             code_cell("def _helper():\n    pass\n\ndef g(x):\n    pass\n\nclass Model:\n    pass", grade_id="b",
                       solution=True),
             code_cell("assert g", grade_id="b_tests", grade=True, locked=True, points=1),
             *_exercise("c", 3, "x = 1"),
             _md("#### Exercise 4 (2 points, graded by hand): why it works"),
             nbformat.v4.new_markdown_cell("### BEGIN SOLUTION\nBecause.\n### END SOLUTION",
                                           metadata={"nbgrader": {"grade": True, "solution": True, "grade_id": "d",
                                                                  "points": 2, "locked": False}}))
    assert question_names(nb) == {
        "a_tests": "Exercise 1 · f, 2 points",
        "b_tests": "Exercise 2 · g / Model, 1 point",
        "c_tests": "Question 3, 3 points",           # no heading since the last graded cell, no def
        "d": "Exercise 4 · why it works, 2 points, graded by hand",
    }
    assert [q.stated_points for q in describe(nb)] == [2, 1, None, 2]


def test_an_answer_graded_by_hand_takes_its_title_and_never_an_earlier_function():
    nb = _nb(code_cell("def helper():\n    pass", grade_id="h", solution=True),
             _md("### Exercise 6 (2 points): why gating solves the adding problem (graded by hand)"),
             nbformat.v4.new_markdown_cell("answer", metadata={"nbgrader": {
                 "grade": True, "solution": True, "grade_id": "why", "points": 2}}))
    assert question_names(nb) == {"why": "Exercise 6 · why gating solves the adding problem, 2 points, graded by hand"}


def test_rnnkit_never_imports_the_grader():
    for path in sorted((course.ROOT / "rnnkit").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0] == "autograder" for n in names), path


# ----------------------------------------------------------------------------------------
# every output names the questions
# ----------------------------------------------------------------------------------------

NAMES = {"n01_steps_to_vanish_tests": "Exercise 3 · steps_to_vanish, 2 points",
         "n01_clipping_explained": "Exercise 6 · what clipping can and cannot fix, 2 points, graded by hand"}


def _result() -> Result:
    qs = [Question("n01_steps_to_vanish_tests", 0, 2, "failed", "failed", "not_run", "AssertionError: no",
                   NAMES["n01_steps_to_vanish_tests"]),
          Question("n01_clipping_explained", 0, 2, "pending", "pending", None, feedback.PENDING,
                   NAMES["n01_clipping_explained"])]
    return Result("ann", "01_vanishing_gradients", "needs_manual_grade", 0, 4, questions=qs,
                  answers={"n01_clipping_explained": "Clipping bounds the step."})


def test_feedback_results_json_grades_csv_and_the_manual_page_name_the_questions(tmp_path):
    report.write_outputs([_result()], tmp_path, Boundary())
    folder = tmp_path / "students" / "ann" / "01_vanishing_gradients"
    tests = json.loads((folder / "results.json").read_text())["tests"]
    assert [(t["name"], t["extra_data"]["grade_id"]) for t in tests] == list(zip(NAMES.values(), NAMES))
    page = (folder / "feedback.html").read_text()
    assert "Exercise 3 · steps_to_vanish, 2 points" in page
    assert ">n01_steps_to_vanish_tests<" not in page, "students read the name, not the grade id"
    rows = list(csv.DictReader((tmp_path / "grades.csv").open()))
    assert [(r["question"], r["question_name"]) for r in rows] == list(NAMES.items())
    assert list(rows[0])[:6] == ["student_id", "assignment", "question", "score", "max_score", "pending"]
    manual = (tmp_path / "manual" / "01_vanishing_gradients.html").read_text()
    assert "Exercise 6 · what clipping can and cannot fix, 2 points, graded by hand" in manual
    assert "n01_clipping_explained" in manual, "the instructor also gets the grade id (formgrader)"


def test_gradescope_entries_are_named_and_keep_the_grade_id():
    tests = _result().gradescope("hidden")["tests"]
    assert [t["name"] for t in tests] == ["Exercise 3 · steps_to_vanish, 2 points: visible tests",
                                          "Exercise 3 · steps_to_vanish, 2 points: hidden tests",
                                          NAMES["n01_clipping_explained"]]
    assert [t["extra_data"]["grade_id"] for t in tests] == [*["n01_steps_to_vanish_tests"] * 2, "n01_clipping_explained"]


def test_a_question_without_a_name_falls_back_to_its_grade_id():
    q = Question("q_a", 1, 1)
    assert q.label == "q_a" and Result("s", "a", "graded", questions=[q]).gradescope()["tests"][0]["name"] == "q_a"


def test_names_are_taken_from_the_master_once_per_template_and_given_to_every_row(tmp_path):
    (tmp_path / "template.json").write_text(json.dumps({"assignment": "a", "questions": [["t", 1.0]],
                                                        "names": {"t": "Exercise 1 · f, 1 point"}}))
    empty = worker.empty_result(Result("ann", "a", "timeout"), tmp_path, "timeout", "too slow")
    assert [q.name for q in empty.questions] == ["Exercise 1 · f, 1 point"]
    executed = _nb(*_exercise("t", 1))
    qs = feedback.question_outcomes(executed, {"t_tests": (1.0, 1.0)}, names={"t_tests": "Exercise 1 · f, 1 point"})
    assert [(q.question, q.name) for q in qs] == [("t_tests", "Exercise 1 · f, 1 point")]


def test_the_name_goes_through_the_output_boundary():
    hidden_value = "expected 0.123456789 exactly here"
    b = Boundary(hidden=[hidden_value], environment={})
    r = Result("s", "a", "graded", questions=[Question("t", 0, 1, "failed", name=f"Exercise 1 · {hidden_value}")])
    assert hidden_value not in b.apply(r).questions[0].name


def test_the_visible_tests_check_names_questions_from_the_student_notebook_alone(tmp_path):
    from rnnkit.check import check_notebook

    nb = _nb(_md("### Exercise 1 (1 point): `f(x)`"), *_exercise("a", 1))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "student.ipynb"
    nbformat.write(nb, path)
    result = check_notebook(path, timeout=120)
    assert [(t["name"], t["grade_id"], t["status"]) for t in result["tests"]] == \
        [("Exercise 1 · f, 1 point", "a_tests", "pass")]
