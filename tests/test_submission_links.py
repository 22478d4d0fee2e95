"""Files are what they say (issue 31): a symlink, or a file hard-linked from outside the
submission, is refused wherever a submission enters (discovery, the layouts the batch copies,
zip extraction), with a message that names it and status ``refused_link``, and is never
followed: a link to the master scores 0, a link to any other file never shows its content.
A file that is not a notebook is named, never quoted.  Gradescope's folder and Classroom's
collect are tried in tests/test_gradescope.py and tests/test_classroom.py."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import course
from autograder.grader.discover import (LINK_MARKER, REFUSED_LINK, arrange, check_notebook, copy_submission,
                                        discover, extract_zip, link_message)

AID = course.COURSE.with_role("load").id        # the course's fast assignment (02)
SECRET = "TOPSECRET-7f3a-not-for-students"


def _secret_file(folder: Path) -> Path:
    """A file like /etc/hostname: its content must never reach a student."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostname"
    path.write_text(SECRET + "\n")
    return path


def _blank(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(), path)
    return path


def _rows(root: Path, known=frozenset({"a1"})):
    subs, _ = discover(root, set(known))
    return {s.student: s for s in subs}


def test_symlinks_and_outside_hard_links_are_refused_by_name(tmp_path):
    root, outside = tmp_path / "subs", tmp_path / "outside"
    secret = _secret_file(outside)
    master = _blank(outside / "master.ipynb")
    _blank(root / "ok" / "a1" / "a1.ipynb")
    (root / "tomaster" / "a1").mkdir(parents=True)
    os.symlink(master, root / "tomaster" / "a1" / "a1.ipynb")
    (root / "toetc" / "a1").mkdir(parents=True)
    os.symlink(secret, root / "toetc" / "a1" / "mine.ipynb")               # renamed, and a link
    (root / "hard" / "a1").mkdir(parents=True)
    os.link(master, root / "hard" / "a1" / "a1.ipynb")
    (root / "dirlink").mkdir()
    os.symlink(outside, root / "dirlink" / "a1")                           # the folder itself
    rows = _rows(root)
    assert rows["ok"].status is None
    for student, name in [("tomaster", "a1.ipynb"), ("toetc", "mine.ipynb"), ("hard", "a1.ipynb"),
                          ("dirlink", "a1/")]:
        assert rows[student].status == REFUSED_LINK, student
        assert rows[student].path is None, "a link is never handed to a worker"
        assert rows[student].detail == link_message(name) == f"{name} is a link; hand in the notebook file itself."


def test_a_file_hard_linked_inside_the_submission_is_no_link(tmp_path):
    folder = tmp_path / "subs" / "ann" / "a1"
    nb = _blank(folder / "a1.ipynb")
    os.link(nb, folder / "backup.ipynb")           # both names inside the student's own folder
    assert _rows(tmp_path / "subs")["ann"].status is None


def test_a_non_notebook_is_named_never_quoted(tmp_path):
    for i, content in enumerate([SECRET + " not json", '{"' + SECRET + '": ', b"\xff\xfe" + SECRET.encode()]):
        path = tmp_path / f"x{i}.ipynb"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        message = check_notebook(path)
        assert message.startswith(f"x{i}.ipynb is not a Jupyter notebook"), message
        assert SECRET[:8] not in message and "TOPS" not in message, message


def test_copies_keep_a_link_a_link_and_never_read_it(tmp_path):
    src, outside = tmp_path / "src", tmp_path / "outside"
    secret = _secret_file(outside)
    _blank(src / "real.ipynb")
    os.symlink(secret, src / "sym.ipynb")
    os.link(secret, src / "hard.ipynb")
    os.mkfifo(src / "fifo.ipynb")                 # would block a reader: left out
    copy_submission(src, tmp_path / "dest")
    dest = tmp_path / "dest"
    assert (dest / "real.ipynb").is_file() and not (dest / "real.ipynb").is_symlink()
    for name in ("sym.ipynb", "hard.ipynb"):
        assert os.readlink(dest / name) == LINK_MARKER and not (dest / name).exists()
    assert not os.path.lexists(dest / "fifo.ipynb")


def test_a_folder_per_student_and_an_lms_download_keep_their_links_refused(tmp_path):
    secret = _secret_file(tmp_path / "outside")
    per_student = tmp_path / "per_student"
    _blank(per_student / "ann" / "a1.ipynb")
    (per_student / "bob").mkdir()
    os.symlink(secret, per_student / "bob" / "a1.ipynb")
    root, _ = arrange(per_student, {"a1"}, ["a1"], None, tmp_path / "layout1")
    rows = _rows(root)
    assert rows["ann"].status is None and rows["bob"].status == REFUSED_LINK

    canvas = tmp_path / "canvas"
    _blank(canvas / "doejane_101_9001_a1.ipynb")
    os.symlink(secret, canvas / "roebob_102_9002_a1.ipynb")
    root, _ = arrange(canvas, {"a1"}, ["a1"], None, tmp_path / "layout2")
    rows = _rows(root)
    assert rows["101"].status is None and rows["102"].status == REFUSED_LINK


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_link_in_a_zip_is_refused_by_name(tmp_path):
    archive = tmp_path / "subs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("submitted/ann/a1/a1.ipynb", nbformat.writes(nbformat.v4.new_notebook()))
        link = zipfile.ZipInfo("submitted/bob/a1/a1.ipynb")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/hostname")
        folder = zipfile.ZipInfo("submitted/cat/a1")             # a folder link, then entries below it
        folder.external_attr = (0o120777 << 16)
        zf.writestr(folder, "/etc")
        zf.writestr("submitted/cat/a1/a1.ipynb", nbformat.writes(nbformat.v4.new_notebook()))
        zf.writestr("submitted/bob/a1/a1.ipynb", "{}")            # the same name again: the link stays refused
    root = extract_zip(archive, tmp_path / "x", {"a1"})
    rows = _rows(root)
    assert rows["ann"].status is None and rows["bob"].status == REFUSED_LINK
    assert rows["cat"].status == REFUSED_LINK and rows["cat"].detail == link_message("a1/")
    assert os.readlink(root / "bob" / "a1" / "a1.ipynb") == LINK_MARKER
    assert not os.path.lexists(root / "cat" / LINK_MARKER) and not os.path.lexists(root / "bob" / "a1" / LINK_MARKER)


def test_grade_refuses_links_and_never_shows_what_they_point_to(tmp_path):
    """Through `python -m autograder grade`: a symlink to the master scores 0 (never the
    master's marks), a symlink to another file and a hard link from outside are refused, and
    no output file holds the linked file's content or a non-notebook's."""
    subs, out = tmp_path / "submitted", tmp_path / "out"
    secret = _secret_file(tmp_path / "etc")
    master = course.SOURCE / AID / f"{AID}.ipynb"
    outside = tmp_path / "elsewhere" / "copy.ipynb"
    outside.parent.mkdir()
    outside.write_bytes(master.read_bytes())
    for student, make in [("tomaster", lambda p: os.symlink(master, p)),
                          ("toetc", lambda p: os.symlink(secret, p)),
                          ("hard", lambda p: os.link(outside, p)),
                          ("garbage", lambda p: p.write_text(SECRET + " is not JSON"))]:
        target = subs / student / AID / f"{AID}.ipynb"
        target.parent.mkdir(parents=True)
        make(target)
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(subs), "--out", str(out),
                           "--assignment", AID, "--jobs", "1"], cwd=course.ROOT, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    import csv

    rows = {r["student_id"]: r for r in csv.DictReader((out / "summary.csv").open())}
    assert {s: (r["status"], float(r["score"])) for s, r in rows.items()} == {
        "tomaster": (REFUSED_LINK, 0.0), "toetc": (REFUSED_LINK, 0.0), "hard": (REFUSED_LINK, 0.0),
        "garbage": ("invalid_notebook", 0.0)}
    for student in ("tomaster", "toetc", "hard"):
        results = json.loads(next(out.rglob(f"{student}/{AID}/results.json")).read_text())
        assert results["score"] == 0
        assert f"{AID}.ipynb is a link; hand in the notebook file itself." in results["output"]
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET[:9] not in path.read_text(errors="replace"), path
