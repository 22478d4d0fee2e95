"""Manually graded answers, end to end through the one grading path (real nbgrader, real
kernels): a written answer and a code answer graded by hand keep their points in the
maximum, are pending (status needs_manual_grade) when answered and 0 when left as
released, say so in results.json, grades.csv and summary.csv, and reach the instructor
as an HTML page of answers; the autograded question next to them is graded as usual."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.grader.versions import student_versions
from autograder.grader.grade import grade_batch
from autograder.grader.schema import GradeOptions
from nbcells import nbgrader_meta

AID = "syn_manual"


def _meta(grade_id, **kw):
    return {"nbgrader": nbgrader_meta(grade_id, **kw)}


def _master(folder: Path) -> Path:
    cells = [
        nbformat.v4.new_markdown_cell("# Manual grading\nExplain, then compute.", metadata=_meta("intro", locked=True)),
        nbformat.v4.new_markdown_cell("Why does the forget gate keep the gradient alive?"
                                      , metadata=_meta("why_stmt", locked=True)),
        nbformat.v4.new_markdown_cell("### BEGIN SOLUTION\nBecause dc_t/dc_{t-1} = f_t.\n### END SOLUTION",
                                      metadata=_meta("why", solution=True, grade=True, points=2)),
        nbformat.v4.new_code_cell("def plot_it():\n    ### BEGIN SOLUTION\n    return 'a plot'\n    ### END SOLUTION",
                                  metadata=_meta("plot_it", solution=True, grade=True, points=1)),
        nbformat.v4.new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
                                  metadata=_meta("f", solution=True)),
        nbformat.v4.new_code_cell("assert f(1) == 2, 'f doubles'\n### BEGIN HIDDEN TESTS\nassert f(5) == 10\n"
                                  "### END HIDDEN TESTS", metadata=_meta("f_tests", grade=True, locked=True, points=3)),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / AID / f"{AID}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("manual")
    _master(tmp / "src")
    solved, blank = student_versions(AID, tmp / "versions", tmp / "src")
    subs = tmp / "submitted"
    for student, nb in (("answered", solved), ("blank", blank)):
        (subs / student / AID).mkdir(parents=True)
        shutil.copyfile(nb, subs / student / AID / f"{AID}.ipynb")
    out = tmp / "out"
    batch = grade_batch(subs, out, GradeOptions(jobs=2, source_root=str(tmp / "src"), assignments=[AID],
                                                cell_timeout=60, notebook_timeout=300))
    return {r.student: r for r in batch.results}, out


@pytest.mark.slow
def test_answered_manual_questions_are_pending_with_their_points_in_the_maximum(graded):
    results, _ = graded
    r = results["answered"]
    assert r.status == "needs_manual_grade", (r.status, r.review)
    by = {q.question: q for q in r.questions}
    assert list(by) == ["why", "plot_it", "f_tests"]
    assert by["why"].outcome == by["plot_it"].outcome == "pending"
    assert by["f_tests"].outcome == "passed" and by["f_tests"].score == 3
    assert r.score == 3 and r.max_score == 6 and r.pending_points == 3
    assert "dc_t/dc_{t-1} = f_t" in r.answers["why"]


@pytest.mark.slow
def test_unanswered_manual_questions_score_zero_and_are_not_pending(graded):
    results, _ = graded
    r = results["blank"]
    assert r.status == "graded" and r.score == 0 and r.max_score == 6 and r.pending_points == 0
    assert {q.question: q.outcome for q in r.questions} == {"why": "failed", "plot_it": "failed", "f_tests": "failed"}


@pytest.mark.slow
def test_the_outputs_mark_pending_points_and_the_instructor_gets_the_answers(graded):
    _, out = graded
    summary = {r["student_id"]: r for r in csv.DictReader((out / "summary.csv").open())}
    assert summary["answered"]["status"] == "needs_manual_grade" and summary["answered"]["pending_points"] == "3"
    assert summary["blank"]["pending_points"] == ""
    grades = [r for r in csv.DictReader((out / "grades.csv").open()) if r["student_id"] == "answered"]
    assert [(g["question"], g["pending"]) for g in grades] == [("why", "yes"), ("plot_it", "yes"), ("f_tests", "")]
    res = json.loads((out / "students" / "answered" / AID / "results.json").read_text())
    assert "pending" in res["output"] and any("pending" in t["output"] for t in res["tests"])
    page = (out / "manual" / f"{AID}.html").read_text()
    assert "answered" in page and "dc_t/dc_{t-1} = f_t" in page and "blank" not in page.split("<h1>")[1]
    assert "assert f(5)" not in page


@pytest.mark.slow
def test_validate_expects_answers_graded_by_hand_pending_on_the_solution_and_zero_on_the_blank(graded):
    from autograder.gates.grading import expected_status, manual_questions
    from autograder.gates.validate import Validation

    results, out = graded
    manual = manual_questions(AID, out.parent / "src")
    assert manual == {"why", "plot_it"} and expected_status(AID, out.parent / "src") == "needs_manual_grade"
    v = Validation(AID, results["answered"], results["blank"], frozenset(manual))
    assert v.problems() == [], v.problems()
    assert "3 pending (graded by hand)" in v.report() and "pending" in v.report().splitlines()[1]
    # the same results judged as if nothing were graded by hand: the pending points are missing
    strict = Validation(AID, results["answered"], results["blank"]).problems()
    assert any("status needs_manual_grade" in p for p in strict), strict
    # a solved notebook whose hand-graded answer is not pending (e.g. left blank) is a problem
    swapped = Validation(AID, results["blank"], results["blank"], frozenset(manual)).problems()
    assert any("must be pending" in p or "status graded" in p for p in swapped), swapped


def test_the_mutation_runner_pairs_a_solution_with_its_tests_not_with_a_cell_graded_by_hand():
    from autograder.gates.mutants import exercises

    cells = [nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION",
                                       metadata=_meta("f", solution=True)),
             nbformat.v4.new_markdown_cell("An essay", metadata=_meta("essay", solution=True, grade=True, points=2)),
             nbformat.v4.new_code_cell("assert f() == 1", metadata=_meta("f_tests", grade=True, locked=True, points=1))]
    assert exercises(nbformat.v4.new_notebook(cells=cells)) == {"f": (0, 2)}


def test_the_busy_gate_counts_pending_points_as_not_lost():
    from autograder.gates.busy import Run

    assert Run("a", "idle", "autograde", score=3, max_score=5, pending=2).full
    assert not Run("a", "idle", "autograde", score=3, max_score=5).full


@pytest.mark.slow
def test_validate_fails_a_solution_whose_ordinary_cell_raises(tmp_path):
    """A cell that no grade cell scores (an assert that keeps a quoted number true, say) raises in
    the solution's run: the grade is still full, and validate says the master is broken."""
    from autograder.gates.validate import Validation

    _master(tmp_path / "src")
    solved, blank = student_versions(AID, tmp_path / "versions", tmp_path / "src")
    nb = nbformat.read(solved, as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell("assert f'{100 * 0.8355:.1f}' == '83.6', 'a quoted number is wrong'"))
    subs = tmp_path / "submitted"
    for student, path in (("raising", None), ("blank", blank)):
        (subs / student / AID).mkdir(parents=True)
        if path is None:
            nbformat.write(nb, subs / student / AID / f"{AID}.ipynb")
        else:
            shutil.copyfile(path, subs / student / AID / f"{AID}.ipynb")
    batch = grade_batch(subs, tmp_path / "out", GradeOptions(jobs=2, source_root=str(tmp_path / "src"), assignments=[AID],
                                                             cell_timeout=60, notebook_timeout=300))
    results = {r.student: r for r in batch.results}
    assert results["raising"].cell_errors == [4] and results["blank"].cell_errors == []
    assert results["raising"].score == 3                    # the grade itself is untouched
    problems = Validation(AID, results["raising"], results["blank"], frozenset({"why", "plot_it"})).problems()
    assert any("raised in cell(s) 4" in p for p in problems), problems
