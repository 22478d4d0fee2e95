"""Every mistake gets one clear line and a non-zero exit: docs/autograding.md's exit-code table,
row by row, through `python -m autograder ...` in a subprocess.  No kernel runs except for the
one row that needs a graded submission (exit 0); the layouts themselves are unit-tested below.
"""
from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbcells import code_cell

from autograder import course
from autograder.grader import data
from autograder.grader.discover import SubmissionsError, arrange, discover

AID = "02_lstm_gates"
KNOWN = set(course.ASSIGNMENTS)


def autograder(*args, env=None, timeout=300):
    proc = subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=course.ROOT,
                          capture_output=True, text=True, timeout=timeout, env=env)
    return proc.returncode, proc.stdout, proc.stderr


def notebook(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(course.notebook_path(course.RELEASE, AID), path)
    return path


# ------------------------------------------------------------------------------ exit 2: unknown ids

@pytest.mark.parametrize("args", [
    ["grade", "{tmp}", "--out", "{tmp}/out", "--assignment", "nope"],
    ["gradescope", "build", "nope"],
    ["gradescope", "run", "nope"],
    ["classroom", "build", "nope"],
    ["classroom", "collect", "{tmp}", "--assignment", "nope", "--out", "{tmp}/out"],
    ["validate", "nope"],
    ["mutants", "nope"],
    ["alternatives", "nope"],
], ids=lambda a: " ".join(a[:2]))
def test_an_unknown_assignment_id_lists_the_valid_ones(tmp_path, args):
    code, out, err = autograder(*(a.format(tmp=tmp_path) for a in args))
    assert code == 2, (out, err)
    assert "unknown assignment id(s): nope" in err and AID in err and "Traceback" not in err
    assert not (tmp_path / "out").exists(), "nothing is written"


def test_export_names_an_unknown_assignment_of_its_due_dates(tmp_path):
    (tmp_path / "summary.csv").write_text("student_id,assignment,score,max_score,status,flags,pending_points\n"
                                          f"ann,{AID},1,2,graded,,\n")
    (tmp_path / "due.csv").write_text("assignment,due\nnope,2027-01-15T23:59:00+00:00\n")
    code, _, err = autograder("export", tmp_path, "--due", tmp_path / "due.csv", "--submissions", tmp_path)
    assert code == 2 and "unknown assignment id(s): nope" in err and AID in err


def test_export_without_a_grading_folder(tmp_path):
    code, _, err = autograder("export", tmp_path)
    assert code == 2 and "no summary.csv" in err and "Traceback" not in err


# ------------------------------------------------------------------------------ exit 2: the input

def test_no_submissions_folder(tmp_path):
    code, _, err = autograder("grade", tmp_path / "absent", "--out", tmp_path / "out")
    assert code == 2 and "no submissions folder or .zip" in err


def test_an_empty_folder_is_no_submissions(tmp_path):
    (tmp_path / "subs").mkdir()
    code, _, err = autograder("grade", tmp_path / "subs", "--out", tmp_path / "out")
    assert code == 2 and "no submissions found" in err and "Accepted layouts" in err


def test_a_flat_folder_of_notebooks_is_in_no_known_layout(tmp_path):
    for name in ("alice.ipynb", "bob.ipynb"):
        notebook(tmp_path / "subs" / name)
    code, _, err = autograder("grade", tmp_path / "subs", "--out", tmp_path / "out", "--assignment", AID)
    assert code == 2 and "2 notebook(s)" in err and "no known layout" in err and "Canvas" in err


def test_a_folder_per_student_needs_its_assignment(tmp_path):
    notebook(tmp_path / "subs" / "alice" / "my work.ipynb")
    code, _, err = autograder("grade", tmp_path / "subs", "--out", tmp_path / "out")
    assert code == 2 and "--assignment" in err and "a folder per student" in err


def test_an_lms_download_holds_one_assignment(tmp_path):
    notebook(tmp_path / "subs" / "doejane_12345_67890_lab.ipynb")
    code, _, err = autograder("grade", tmp_path / "subs", "--out", tmp_path / "out",
                              "--assignment", AID, "--assignment", "01_vanishing_gradients")
    assert code == 2 and "exactly one with --assignment" in err


def test_a_file_that_is_not_a_zip(tmp_path):
    notebook(tmp_path / "alice.ipynb")
    code, _, err = autograder("grade", tmp_path / "alice.ipynb", "--out", tmp_path / "out")
    assert code == 2 and "not a .zip" in err


def test_a_missing_course_root(tmp_path):
    notebook(tmp_path / "subs" / "ann" / AID / f"{AID}.ipynb")
    code, _, err = autograder("grade", tmp_path / "subs", "--out", tmp_path / "out", "--course-root", tmp_path / "nope")
    assert code == 2 and "no nbgrader course root" in err


def test_a_missing_roster(tmp_path):
    notebook(tmp_path / "subs" / "doejane_12345_67890_lab.ipynb")
    code, _, err = autograder("grade", tmp_path / "subs", "--out", tmp_path / "out", "--assignment", AID,
                              "--roster", tmp_path / "roster.csv")
    assert code == 2 and "roster" in err


# ------------------------------------------------------------------------------ exit 4: no data

def test_a_lab_without_its_data_stops_before_grading_anything(tmp_path):
    aid = course.IMDB_ASSIGNMENTS[0]
    notebook(tmp_path / "subs" / "ann" / aid / f"{aid}.ipynb")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != data.ENV_VAR}
    env.update(KERAS_HOME=str(tmp_path / "keras"), **{data.ORIGIN_ENV: f"http://127.0.0.1:{port}/"})
    code, out, err = autograder("grade", tmp_path / "subs", "--out", tmp_path / "out", env=env)
    assert code == 4, (out, err)
    assert f"{aid} cannot be graded, nothing was" in err and "IMDB_DATA_DIR" in err and "--synthetic-data" in err
    assert "prepared" not in out and not (tmp_path / "out" / "summary.csv").exists()


# ------------------------------------------------------------------------------ exit 3 and exit 0

def _tiny_master(src: Path, aid: str, broken: bool = False) -> None:
    (src / aid).mkdir(parents=True)
    path = src / aid / f"{aid}.ipynb"
    if broken:
        path.write_text("{ not a notebook")
        return
    nb = nbformat.v4.new_notebook(cells=[
        code_cell("def answer():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION", "answer", solution=True),
        code_cell("assert answer() == 42", "answer_tests", grade=True, locked=True, points=1)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_a_master_nbgrader_cannot_generate(tmp_path):
    _tiny_master(tmp_path / "src", "broken", broken=True)
    (tmp_path / "subs" / "ann" / "broken").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "subs" / "ann" / "broken" / "broken.ipynb")
    code, _, err = autograder("grade", tmp_path / "subs", "--out", tmp_path / "out", "--source", tmp_path / "src")
    assert code == 3 and "could not be prepared" in err
    row = next(csv.DictReader(open(tmp_path / "out" / "summary.csv")))
    assert row["status"] == "error"


@pytest.mark.slow
def test_a_batch_that_grades_says_k_of_n_and_the_time_left(tmp_path):
    _tiny_master(tmp_path / "src", "tiny")
    for student in ("ann", "bob"):
        shutil.copyfile(tmp_path / "src" / "tiny" / "tiny.ipynb",
                        (tmp_path / "subs" / student / "tiny").mkdir(parents=True) or
                        tmp_path / "subs" / student / "tiny" / "tiny.ipynb")
    code, out, err = autograder("grade", tmp_path / "subs", "--out", tmp_path / "out", "--source", tmp_path / "src",
                                "--jobs", "1")
    assert code == 0, (out, err)
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith("[")]
    assert lines[0].startswith("[1/2] ann/tiny: graded 1/1") and "so far, about" in lines[0] and "left" in lines[0]
    assert lines[1].startswith("[2/2] bob/tiny: graded 1/1") and lines[1].endswith("done")


# ------------------------------------------------------------------------------ the layouts

def _layout(folder: Path, tmp_path: Path, assignments=None, roster=None):
    root, warnings = arrange(folder, KNOWN, assignments, roster, tmp_path / "laid-out")
    subs, more = discover(root, KNOWN, assignments)
    return {s.student: s for s in subs}, warnings + more


def test_nbgrader_layout_is_read_in_place(tmp_path):
    notebook(tmp_path / "submitted" / "ann" / AID / f"{AID}.ipynb")
    root, warnings = arrange(tmp_path, KNOWN, None, None, tmp_path / "laid-out")
    assert root == tmp_path / "submitted" and warnings == [] and not (tmp_path / "laid-out").exists()


def test_a_folder_per_student_with_its_assignment(tmp_path):
    notebook(tmp_path / "subs" / "ann" / "notebook.ipynb")
    notebook(tmp_path / "subs" / "bob" / f"{AID}.ipynb")
    subs, _ = _layout(tmp_path / "subs", tmp_path, [AID])
    assert {s: (x.assignment, x.status, x.flags) for s, x in subs.items()} == {
        "ann": (AID, None, ["renamed_notebook"]), "bob": (AID, None, [])}


def test_a_folder_per_student_named_after_the_assignment_needs_no_option(tmp_path):
    notebook(tmp_path / "subs" / "ann" / f"{AID}.ipynb")
    subs, _ = _layout(tmp_path / "subs", tmp_path)
    assert subs["ann"].assignment == AID and subs["ann"].status is None


def test_canvas_download_in_a_zip_with_a_roster_late_and_resubmitted(tmp_path):
    raw = tmp_path / "raw"
    notebook(raw / f"doejane_12345_67890_{AID}.ipynb")
    notebook(raw / f"smithjohn_late_222_333_{AID}-1.ipynb")
    notebook(raw / "unlistedperson_999_444_mywork.ipynb")
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in raw.iterdir():
            zf.write(p, f"canvas-download/{p.name}")
    from autograder.grader.discover import extract_zip

    folder = extract_zip(archive, tmp_path / "unzipped", KNOWN)
    roster = [{"student_id": "jdoe", "name": "Jane Doe", "lms_id": ""},
              {"student_id": "jsmith", "name": "Smith, John", "lms_id": "222"}]
    subs, warnings = _layout(folder, tmp_path, [AID], roster)
    assert set(subs) == {"jdoe", "jsmith", "999"}
    assert subs["jsmith"].submitted_name == f"{AID}.ipynb" and not subs["jsmith"].flags, "the -1 of a resubmission"
    assert subs["999"].flags == ["renamed_notebook"]
    assert any("submitted late" in w for w in warnings) and any("no roster row" in w for w in warnings)


def test_moodle_download_files_and_folders(tmp_path):
    notebook(tmp_path / "subs" / f"Jane Doe_1001_assignsubmission_file_{AID}.ipynb")
    notebook(tmp_path / "subs" / "John Smith_1002_assignsubmission_file_" / "lab.ipynb")
    roster = [{"student_id": "jdoe", "name": "Jane Doe", "lms_id": ""}]
    subs, warnings = _layout(tmp_path / "subs", tmp_path, [AID], roster)
    assert set(subs) == {"jdoe", "John_Smith_1002"}
    assert subs["John_Smith_1002"].status is None and subs["John_Smith_1002"].flags == ["renamed_notebook"]
    assert any("John Smith" in w for w in warnings)


def test_loose_notebooks_beside_lms_names_are_no_layout(tmp_path):
    notebook(tmp_path / "subs" / f"doejane_12345_67890_{AID}.ipynb")
    notebook(tmp_path / "subs" / "stray.ipynb")
    with pytest.raises(SubmissionsError, match="no known layout"):
        arrange(tmp_path / "subs", KNOWN, [AID], None, tmp_path / "laid-out")


def test_progress_and_clock():
    import logging

    from autograder.grader.grade import Progress, clock

    assert (clock(5), clock(75), clock(3725)) == ("5s", "1m15s", "1h02m")
    lines = []

    class Lines(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    logger = logging.getLogger("test_progress_and_clock")     # Progress logs INFO to the logger it is given
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(Lines())
    p = Progress(3, logger)
    for what in ("a", "b", "c"):
        p.done(what)
    assert [line.split("]")[0].strip() for line in lines] == ["[1/3", "[2/3", "[3/3"]
    assert "left" in lines[0] and lines[2].endswith("done")
