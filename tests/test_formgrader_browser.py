"""Instructors click too: formgrader in a real browser on a course graded with `--course-root`.

A temporary nbgrader course (the course's own config re-rooted, as in test_nbgrader_course.py)
gets two submissions graded from a folder OUTSIDE the course (an LMS download: one solved,
one blank) with `python -m autograder grade INBOX --course-root DIR`.  JupyterLab then
starts the way `make formgrader` starts it (the course venv, JUPYTER_CONFIG_PATH=
lab-config-instructor, the checkout on PYTHONPATH, the venv's bin/ on PATH, started in the
course root with the course root as notebook root), and Debian's Chromium, driven by Playwright as in test_browser.py,
opens formgrader's pages: "Manage Assignments" must count both submissions, "Manage
Submissions" must list both students with their scores (3 / 3 and 0 / 3), and its
"Generate Feedback" button must write the course's page (lab-config-instructor/
nbgrader_config.py's exporter), not nbgrader's, which shows the hidden tests.

It skips, with the reason, where Playwright is not installed or no Chromium can be installed.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from test_browser import Lab, _chromium, _sync_playwright, chromium_context
from test_nbgrader_course import AID, SECRET, course_root, master, nbgrader, solve

from autograder import course

ROOT = course.ROOT
INSTRUCTOR_CONFIG = ROOT / "lab-config-instructor"
SHOTS_BUILD = ROOT / "build" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.heavy]   # make test-heavy (make test stays under 25 min)


def formgrader_lab(root: Path, home: Path) -> Lab:
    """JupyterLab as `make formgrader` starts it: in the course root, on the course root, with
    the instructors' config, this checkout importable and the venv's bin/ on PATH."""
    return Lab(root, home, cwd=root, config_path=INSTRUCTOR_CONFIG, extra_env={
        "PYTHONPATH": str(ROOT), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"})


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A course root whose gradebook has two submissions graded from a folder outside it."""
    _sync_playwright()
    _chromium()
    tmp = tmp_path_factory.mktemp("formgrader")
    root, inbox = tmp / "course", tmp / "inbox"
    course_root(root, tmp / "exchange")
    nbgrader(root, "generate_assignment", AID)
    release = root / "release" / AID / f"{AID}.ipynb"
    for student, nb in (("gina", solve(nbformat.read(release, as_version=4), master())),
                        ("hugo", nbformat.read(release, as_version=4))):
        (inbox / student / AID).mkdir(parents=True)
        nbformat.write(nb, inbox / student / AID / f"{AID}.ipynb")
    graded = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(inbox), "--out", str(tmp / "out"), "--course-root",
         str(root), "--jobs", "2", "--cell-timeout", "30", "--notebook-timeout", "120"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    return root


@pytest.fixture(scope="module")
def lab(graded_course, tmp_path_factory):
    server = formgrader_lab(graded_course, tmp_path_factory.mktemp("formgraderhome"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def page(lab, tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        tab = context.new_page()
        tab.goto(f"{lab.url}/lab?token={lab.token}")            # the token becomes a cookie
        yield tab


def test_formgrader_counts_the_submissions_graded_from_another_folder(lab, page):
    page.goto(f"{lab.url}/formgrader/manage_assignments")
    row = page.locator("tr", has_text=AID).first
    count = row.locator(".num-submissions")
    count.wait_for()
    page.wait_for_function("el => el.textContent.trim() !== ''", arg=count.element_handle())
    SHOTS_BUILD.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS_BUILD / "formgrader_assignments.png"))
    assert count.inner_text().strip() == "2", lab.log_tail()
    assert "encountered an error" not in page.content()


def test_formgrader_lists_each_graded_submission_with_its_score(lab, page):
    page.goto(f"{lab.url}/formgrader/manage_submissions/{AID}")
    scores = {}
    for student in ("gina", "hugo"):
        row = page.locator("tr", has_text=student).first
        row.locator(".score").wait_for()
        page.wait_for_function("el => el.textContent.includes('/')", arg=row.locator(".score").element_handle())
        scores[student] = row.locator(".score").inner_text().strip()
    page.screenshot(path=str(SHOTS_BUILD / "formgrader_submissions.png"))
    assert scores == {"gina": "3 / 3", "hugo": "0 / 3"}, lab.log_tail()


def test_formgraders_generate_feedback_button_writes_the_course_page(lab, page, graded_course):
    feedback = graded_course / "feedback" / "gina" / AID / f"{AID}.html"
    feedback.unlink()
    page.goto(f"{lab.url}/formgrader/manage_submissions/{AID}")
    row = page.locator("tr", has_text="gina").first
    row.locator(".generate-feedback a").click()
    modal = page.locator("#success-modal, #error-modal")
    modal.wait_for(timeout=180_000)
    assert page.locator("#success-modal").count() == 1, modal.inner_text() + lab.log_tail()
    html = feedback.read_text()
    assert "3 / 3" in html and "Hidden tests are not shown" in html, html
    assert SECRET not in html and "BEGIN HIDDEN" not in html
    assert (feedback.parent / "submission_secret.txt").is_file()
