"""Gradescope: the autograder zip, built as `make gradescope` builds it, and its
run_autograder run the way Gradescope runs it, against a fake /autograder root in a
temporary folder (AUTOGRADER_ROOT), with the venv this suite runs in (AUTOGRADER_PYTHON:
the test installs nothing)."""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import course
from autograder.grader.schema import Question, Result
from autograder.platforms import gradescope

AID = course.COURSE.with_role("load").id        # the course's fast assignment (02)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return gradescope.build(AID, tmp_path_factory.mktemp("gs-zip"))


def test_the_zip_has_gradescopes_layout_and_nothing_else(archive):
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
        scripts = {n: zf.read(n).decode() for n in ("setup.sh", "run_autograder")}
    assert {"setup.sh", "run_autograder", "README.md"} <= set(names)
    for script in scripts:
        assert modes[script] & stat.S_IXUSR, f"{script} is not executable"
    masters = {n.split("/")[2] for n in names if n.startswith("course/source/") and n.count("/") > 2}
    assert masters == {AID}, "only this assignment's master goes in"
    for n in names:
        top = n.split("/")[1] if n.startswith("course/") else n
        assert top in {"setup.sh", "run_autograder", "README.md", "autograder", "rnnkit", "source", "course.toml",
                       "nbgrader_config.py", "requirements.txt", "pyproject.toml", "build"}, n
        assert "__pycache__" not in n and not n.startswith(("course/mutants", "course/alternatives", "course/tests"))
    # the recorded hidden checks of this master (judge.prepare's cache), so that no submission records them again
    records = [n for n in names if n.startswith("course/build/")]
    assert records and all(re.fullmatch(rf"course/build/judged/{AID}-[0-9a-f]{{24}}/[\w.]+\.json", n) for n in records), records
    for name, text in scripts.items():
        check = subprocess.run(["bash", "-n"], input=text, text=True, capture_output=True)
        assert check.returncode == 0, (name, check.stderr)
    assert "python3.11" in scripts["setup.sh"] and "requirements.txt" in scripts["setup.sh"]
    assert f"gradescope run {AID}" in scripts["run_autograder"]


def test_the_readme_gives_the_settings_of_course_toml(archive):
    a = course.assignment(AID)
    text = zipfile.ZipFile(archive).read("README.md").decode()
    assert f"{a.gradescope.timeout_minutes} minutes" in text
    assert f"| CPUs | {a.gradescope.cpus:g} |" in text and f"| Memory | {a.gradescope.memory_gb:g} GB |" in text


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_the_machine_holds_the_kernels_limit_and_the_grader_for_every_assignment(aid):
    """course.toml's Gradescope memory is at least the kernel's memory limit, its scratch space
    and the grader's headroom, and the README says both numbers the same way."""
    a = course.assignment(aid)
    need = a.limits.memory_mb + a.limits.disk_mb + gradescope.GRADER_HEADROOM_MB + gradescope.CHECKER_MEMORY_MB
    assert gradescope.memory_needed_mb(a) == need
    assert a.gradescope.memory_gb * 1024 >= need, (aid, a.gradescope.memory_gb, need)
    row = next(line for line in gradescope.readme(a).splitlines() if line.startswith("| Memory |"))
    assert f"| {a.gradescope.memory_gb:g} GB |" in row and f"at least {need} MB" in row
    assert f"{a.limits.memory_mb} MB" in row and f"{a.limits.disk_mb} MB" in row
    gradescope.check_machine(a)


def test_a_machine_smaller_than_the_kernels_limit_is_refused():
    import dataclasses

    a = course.assignment(AID)
    small = dataclasses.replace(a, gradescope=dataclasses.replace(a.gradescope, memory_gb=a.limits.memory_mb / 1024))
    with pytest.raises(ValueError, match="memory_gb"):
        gradescope.check_machine(small)


def test_the_readme_names_the_answers_graded_by_hand():
    from rnnkit.questions import question_names

    aid = next(a for a in course.ASSIGNMENTS if course.manual_questions(a))
    names = question_names(nbformat.read(course.SOURCE / aid / f"{aid}.ipynb", as_version=4))
    text = gradescope.readme(course.assignment(aid))
    for gid in course.manual_questions(aid):
        assert f"* {names[gid]} (grade id `{gid}`)" in text


def _result(**kw) -> Result:
    qs = [Question("q_a", 2, 2, "passed", "passed", "passed", "All tests passed."),
          Question("q_b", 0, 3, "failed", "passed", "failed", "Hidden tests failed: ..."),
          Question("q_c", 0, 1, "failed", "failed", "not_run", "AssertionError: forgot the tanh"),
          Question("q_d", 1, 1, "passed", "passed", None, "All tests passed.")]
    base = dict(student="s", assignment="a", status="graded", score=3, max_score=7, questions=qs,
                messages=["note"], review=["suspected tampering: cell 3, line 1"])
    base.update(kw)
    return Result(**base)


@pytest.mark.parametrize("visibility", gradescope.VISIBILITIES)
def test_hidden_tests_get_their_own_entries_with_the_chosen_visibility(visibility):
    res = _result().gradescope(visibility)
    tests = {t["number"]: t for t in res["tests"]}
    assert list(tests) == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1"]
    assert all(t["visibility"] == "visible" for n, t in tests.items() if n.endswith(".1"))
    assert all(t["visibility"] == visibility for n, t in tests.items() if n.endswith(".2"))
    assert sum(t["score"] for t in res["tests"]) == res["score"] == 3
    assert sum(t["max_score"] for t in res["tests"]) == res["extra_data"]["max_score"] == 7
    assert tests["2.1"]["status"] == "passed" and tests["2.2"]["status"] == "failed"
    assert tests["3.1"]["output"] == "AssertionError: forgot the tanh"
    assert tests["3.2"]["output"].startswith("Not run: the visible tests failed")
    assert tests["4.1"]["max_score"] == 1 and tests["4.1"]["name"] == "q_d: visible tests"
    assert res["extra_data"]["needs_review"] is False and "suspected" not in json.dumps(res)


def test_an_answer_graded_by_hand_is_a_zero_point_entry_never_shown_as_failed():
    qs = _result().questions + [Question("q_essay", 0, 2, "pending", "pending", None, "Graded by hand")]
    res = _result(questions=qs, max_score=9, status="needs_manual_grade").gradescope("hidden")
    essay = res["tests"][-1]
    assert essay["name"] == "q_essay: graded by hand" and essay["number"] == "5.1"
    assert essay["score"] == essay["max_score"] == 0 and "status" not in essay and "2 points" in essay["output"]
    assert essay["visibility"] == "visible"
    assert res["extra_data"]["pending_points"] == 2 and res["extra_data"]["max_score"] == 7
    assert sum(t["max_score"] for t in res["tests"]) == res["extra_data"]["max_score"]


def test_a_flagged_submission_tells_the_instructor_only():
    res = _result(flags=["tampering_suspected", "needs_review"]).gradescope("visible")
    extra = [t for t in res["tests"] if t["name"].startswith("Instructors only")]
    assert len(extra) == 1 and extra[0]["visibility"] == "hidden" and extra[0]["max_score"] == 0
    assert "suspected tampering: cell 3" in extra[0]["output"]
    assert res["extra_data"]["flags"] == ["tampering_suspected", "needs_review"]


# ----------------------------------------------------------------------------------------
# run_autograder against a fake /autograder root
# ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fake_root(archive, tmp_path_factory):
    root = tmp_path_factory.mktemp("gs-root") / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(root / "source")
        for info in zf.infolist():           # zipfile does not restore modes
            os.chmod(root / "source" / info.filename, (info.external_attr >> 16) & 0o777 or 0o644)
    return root


def run_autograder(root: Path, files: dict[str, bytes], visibility: str | None = None):
    shutil.rmtree(root / "submission", ignore_errors=True)
    shutil.rmtree(root / "results", ignore_errors=True)
    (root / "submission").mkdir()
    for name, data in files.items():
        (root / "submission" / name).write_bytes(data)
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    if visibility:
        env["HIDDEN_VISIBILITY"] = visibility
    proc = subprocess.run([str(root / "source" / "run_autograder")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=1200)
    results = json.loads((root / "results" / "results.json").read_text())
    return proc, results


@pytest.fixture(scope="module")
def student_files(tmp_path_factory):
    from autograder.gates.grading import student_versions

    solved, blank = student_versions(AID, tmp_path_factory.mktemp("gs-versions"))
    return solved.read_bytes(), blank.read_bytes()


@pytest.mark.slow
def test_a_correct_submission_gets_full_marks(fake_root, student_files):
    proc, res = run_autograder(fake_root, {f"{AID}.ipynb": student_files[0]}, "after_due_date")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert res["score"] == res["extra_data"]["max_score"] > 0, res
    assert res["extra_data"]["status"] == "graded" and res["extra_data"]["flags"] == []
    hidden = [t for t in res["tests"] if t["name"].endswith("hidden tests")]
    assert hidden and all(t["visibility"] == "after_due_date" and t["status"] == "passed" for t in hidden)
    assert_named_as_the_master_names_them(res)


def assert_named_as_the_master_names_them(res):
    """Every entry is named from the master's headings (the template's names), with its grade id."""
    from rnnkit.questions import question_names

    names = question_names(nbformat.read(course.SOURCE / AID / f"{AID}.ipynb", as_version=4))
    assert res["tests"] and all(t["name"].startswith(names[t["extra_data"]["grade_id"]] + ": ")
                                for t in res["tests"]), [t["name"] for t in res["tests"]]


@pytest.mark.slow
def test_a_blank_submission_under_another_name_gets_zero(fake_root, student_files):
    proc, res = run_autograder(fake_root, {"my_work (1).ipynb": student_files[1]})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert res["score"] == 0 and res["extra_data"]["max_score"] > 0
    assert all(t["score"] == 0 for t in res["tests"])
    assert "renamed_notebook" in res["extra_data"]["flags"] and "instead of" in res["output"]


@pytest.mark.slow
def test_a_corrupt_notebook_gets_a_reason_and_zero(fake_root):
    proc, res = run_autograder(fake_root, {f"{AID}.ipynb": b'{"cells": [ oops'})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert res["score"] == 0 and res["extra_data"]["status"] == "invalid_notebook"
    assert_named_as_the_master_names_them(res)
    assert "not a valid Jupyter notebook" in res["output"]


@pytest.mark.slow
def test_when_the_grader_itself_fails_gradescope_is_told_and_the_run_fails(fake_root, student_files, tmp_path):
    master = fake_root / "source" / "course" / "source" / AID
    moved = tmp_path / "master"
    shutil.move(master, moved)
    try:
        proc, res = run_autograder(fake_root, {f"{AID}.ipynb": student_files[0]})
    finally:
        shutil.move(moved, master)
    assert proc.returncode != 0
    assert res["extra_data"]["status"] == "autograder_failed" and res["tests"] == []
    assert "autograder failed" in res["output"]


# ----------------------------------------------------------------------------------------
# links in the submission folder (issue 31): refused by name, never followed
# ----------------------------------------------------------------------------------------

SECRET = "TOPSECRET-5c1e-the-machine's-own-file"


def _link_submission(root: Path, tmp_path: Path, kind: str) -> None:
    """<root>/submission/<AID>.ipynb as a symlink to the master, a symlink to a file like
    /etc/hostname, or a hard link to a file outside the submission."""
    shutil.rmtree(root / "submission", ignore_errors=True)
    (root / "submission").mkdir()
    target = root / "submission" / f"{AID}.ipynb"
    if kind == "master":
        os.symlink(root / "source" / "course" / "source" / AID / f"{AID}.ipynb", target)
    elif kind == "etc":
        (tmp_path / "hostname").write_text(SECRET + "\n")
        os.symlink(tmp_path / "hostname", target)
    else:
        outside = tmp_path / "outside.ipynb"
        shutil.copyfile(course.SOURCE / AID / f"{AID}.ipynb", outside)
        os.link(outside, target)


@pytest.mark.parametrize("kind", ["master", "etc", "hard"])
def test_a_linked_submission_is_refused_and_never_read(fake_root, tmp_path, kind):
    _link_submission(fake_root, tmp_path, kind)
    shutil.rmtree(fake_root / "results", ignore_errors=True)
    env = dict(os.environ, AUTOGRADER_ROOT=str(fake_root), AUTOGRADER_PYTHON=sys.executable)
    proc = subprocess.run([str(fake_root / "source" / "run_autograder")], cwd=fake_root, env=env,
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = (fake_root / "results" / "results.json").read_text()
    res = json.loads(text)
    assert res["score"] == 0 and res["extra_data"]["status"] == "refused_link", res
    assert all(t["score"] == 0 for t in res["tests"]), "never the master's marks"
    assert f"{AID}.ipynb is a link; hand in the notebook file itself." in res["output"]
    assert SECRET[:10] not in text
