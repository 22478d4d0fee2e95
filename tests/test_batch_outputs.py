"""A batch's choices and outputs on tiny notebooks, through the one grading path (real
nbgrader, real kernels): which notebook of a folder is graded, and where each output lands."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from autograder.grader.grade import grade_batch
from autograder.grader.report import read_csv
from autograder.grader.schema import GradeOptions
from nbcells import code_cell, nbgrader_meta

AID = "tiny"


def _write(nb, path: Path) -> Path:
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def tiny_master(src: Path, manual: bool = False) -> Path:
    """A master of one exercise (1 point) and, with ``manual``, a written answer graded by hand."""
    cells = [code_cell("def answer():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION", "answer", solution=True),
             code_cell("assert answer() == 42", "answer_tests", grade=True, locked=True, points=1)]
    if manual:
        cells.append(nbformat.v4.new_markdown_cell(
            "### BEGIN SOLUTION\nBecause the forget gate stays open.\n### END SOLUTION",
            metadata={"nbgrader": nbgrader_meta("why", solution=True, grade=True, points=1)}))
    return _write(nbformat.v4.new_notebook(cells=cells), src / AID / f"{AID}.ipynb")


def scratch(path: Path) -> Path:
    """A notebook of the student's own, with nothing of the assignment in it."""
    return _write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), path)


def grade(tmp: Path, subs: Path, **options):
    return grade_batch(subs, tmp / "out", GradeOptions(jobs=1, source_root=str(tmp / "src"), assignments=[AID],
                                                        cell_timeout=60, notebook_timeout=120, **options))


@pytest.mark.slow
def test_of_several_notebooks_the_one_whose_grade_ids_match_is_graded_and_the_row_says_which(tmp_path):
    master = tiny_master(tmp_path / "src")
    folder = tmp_path / "subs" / "ann" / AID
    scratch(folder / "a_scratch.ipynb")                  # first by name: graded before the fix
    folder.joinpath("my_answers.ipynb").write_bytes(master.read_bytes())
    batch = grade(tmp_path, tmp_path / "subs")
    (r,) = batch.results
    assert (r.status, r.score, r.max_score) == ("graded", 1.0, 1.0), (r.status, r.review)
    assert r.notebook == "my_answers.ipynb" and "renamed_notebook" in r.flags
    assert any("my_answers.ipynb" in m and "2 notebooks" in m for m in r.messages), r.messages
    (row,) = read_csv(tmp_path / "out" / "summary.csv")
    assert "renamed_notebook" in row["flags"].split(";")
    details = json.loads((tmp_path / "out" / "details.jsonl").read_text())
    assert details["notebook"] == "my_answers.ipynb"
    page = next((tmp_path / "out").rglob("feedback.html")).read_text()
    assert "my_answers.ipynb" in page


@pytest.mark.slow
def test_no_student_id_collides_with_the_batchs_own_files(tmp_path):
    """Students named ``grades.csv`` and ``manual`` are graded like anyone: their outputs live
    under students/, the CSVs are written, the exit is 0, and the instructors' page of
    answers to grade by hand stays out of their folders."""
    import subprocess
    import sys

    from autograder import course

    master = tiny_master(tmp_path / "src", manual=True)
    for student in ("grades.csv", "manual", "ann"):
        (tmp_path / "subs" / student / AID).mkdir(parents=True)
        (tmp_path / "subs" / student / AID / f"{AID}.ipynb").write_bytes(master.read_bytes())
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", tmp_path / "subs", "--out", out,
                           "--source", tmp_path / "src", "--jobs", "2"],
                          cwd=course.ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    rows = {r["student_id"]: r for r in read_csv(out / "summary.csv")}
    assert sorted(rows) == ["ann", "grades.csv", "manual"]
    assert {r["status"] for r in rows.values()} == {"needs_manual_grade"}
    assert len(read_csv(out / "grades.csv")) == 6
    for student in rows:
        folder = out / "students" / student / AID
        assert json.loads((folder / "results.json").read_text())["score"] == 1.0
        assert (folder / "feedback.html").is_file()
        assert sorted(p.relative_to(out / "students" / student).as_posix()
                      for p in (out / "students" / student).rglob("*")) == [AID, f"{AID}/feedback.html",
                                                                             f"{AID}/results.json"]
    page = (out / "manual" / f"{AID}.html").read_text()
    assert all(f"<h2>{s}</h2>" in page for s in rows)
    assert sorted(p.name for p in out.iterdir()) == ["details.jsonl", "grades.csv", "manual", "students", "summary.csv"]
