"""Validate where students press it: in JupyterLab started from an unzipped assignment bundle,
set up exactly as the bundle's README says (its own venv from its requirements.txt, rnnkit
installed from it, `JUPYTER_CONFIG_PATH=lab-config jupyter lab --notebook-dir=notebooks` run
from the bundle's folder), nothing of the repository on the way.

Each of ``AIDS`` (07, the slowest notebook before 08 that needs no downloaded data, and 08, the
slowest of all, whose bundle also carries its own helper modules and Babel), with the master's
answers typed into its exercises, must pass Validate; 07 with a ``time.sleep`` beyond its
per-cell limit after one exercise's answer must fail Validate, and the dialog must show that
cell and the limit.  nbgrader's defaults (30 s a cell, no config in the bundle) failed the
first and reported "Success" on the second.

Heavy (about 20 minutes: a venv is built from the pins for each bundle, 07 runs twice, once for
its full per-cell limit, 08 once): `make test-heavy`, not `make test`.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest
from test_browser import Lab, _chromium, _open, _screenshot, _sync_playwright, chromium_context

from autograder import course
from autograder.authoring import bundle
from autograder.gates.grading import student_versions

AIDS = ("07_char_lstm_lab", "08_seq2seq_attention")
SLOW_AID = "07_char_lstm_lab"             # where a cell past its limit is tried
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.heavy]


def _readme_commands(readme: str) -> list[str]:
    """The set-up commands of the bundle's README (its indented block under "Set up")."""
    block = readme.split("## Set up (once)", 1)[1].split("\n## ", 1)[0]
    return [line.strip().split("  #")[0].strip() for line in block.splitlines()
            if line.startswith("    ") and line.strip().startswith(("python3.11", ".venv/"))]


@pytest.fixture(scope="module", params=AIDS)
def aid(request):
    return request.param


@pytest.fixture(scope="module")
def unzipped(aid, tmp_path_factory):
    """The bundle of ``aid``, built from notebooks/ as `make release` builds it, unzipped and set up."""
    AID = aid
    _sync_playwright()
    _chromium()
    if not shutil.which("python3.11"):
        pytest.skip("no python3.11 on the PATH: the bundle's README asks for it")
    tmp = tmp_path_factory.mktemp("bundle")
    zpath = bundle.build_assignment(AID, tmp / f"{course.COURSE_ID}-{AID}.zip")
    with zipfile.ZipFile(zpath) as zf:
        zf.extractall(tmp)
    root = tmp / f"{course.COURSE_ID}-{AID}"
    commands = _readme_commands((root / "README.md").read_text())
    assert commands == ["python3.11 -m venv .venv", ".venv/bin/pip install -r requirements.txt",
                        ".venv/bin/pip install -e ."], commands
    for command in commands:
        done = subprocess.run(command, shell=True, cwd=root, capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, f"{command}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return root


def _solved(AID: str, folder: Path) -> nbformat.NotebookNode:
    solved, _ = student_versions(AID, folder)
    return nbformat.read(solved, as_version=4)


def _validate(browser, lab, rel: str, workspace: str, timeout_s: float) -> str:
    """Open ``rel``, press Validate, wait for its result; the dialog's text."""
    page = _open(browser, lab, rel, workspace)
    page.locator(".jp-NotebookPanel:visible .jp-Toolbar").get_by_text("Validate", exact=True).click()
    # nbgrader's button reads "Validating..." until the server answers, then opens its dialog
    page.locator(".jp-Dialog").wait_for(timeout=timeout_s * 1000)
    page.wait_for_function(
        "() => { const d = document.querySelector('.jp-Dialog'); return d && !/Validating/i.test(d.innerText); }",
        timeout=timeout_s * 1000)
    text = page.locator(".jp-Dialog").inner_text()
    _screenshot(page, f"bundle-validate-{workspace}.png")
    page.close()
    return text


@pytest.fixture(scope="module")
def lab(unzipped, tmp_path_factory):
    server = Lab(unzipped / "notebooks", tmp_path_factory.mktemp("bundlehome"), cwd=unzipped,
                 config_path=unzipped / "lab-config", jupyter=unzipped / ".venv" / "bin" / "jupyter")
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


def test_validate_passes_the_solved_notebook_in_its_bundle(aid, unzipped, lab, browser, tmp_path):
    AID = aid
    target = unzipped / "notebooks" / AID / f"{AID}.ipynb"
    nbformat.write(_solved(AID, tmp_path), target)
    text = _validate(browser, lab, f"{AID}/{AID}.ipynb", "solved" if AID == SLOW_AID else f"solved-{AID[:2]}", course.limits(AID).notebook_seconds)
    assert "Success" in text and "passes all the tests" in text, text[:3000]


def test_validate_fails_on_a_cell_past_its_limit_and_names_it(aid, unzipped, lab, browser, tmp_path):
    if aid != SLOW_AID:
        pytest.skip(f"a cell past its limit is tried once, on {SLOW_AID}")
    AID = aid
    limit = course.limits(AID).cell_seconds
    nb = _solved(AID, tmp_path)
    answer = next(c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
                  and re.search(r"^def \w+\(", c.source, re.M))
    sleeper = f"import time\ntime.sleep({limit + 30})  # too slow on purpose"
    answer.source += "\n\n" + sleeper
    nbformat.write(nb, unzipped / "notebooks" / AID / f"{AID}-too-slow.ipynb")
    text = _validate(browser, lab, f"{AID}/{AID}-too-slow.ipynb", "sleepy", course.limits(AID).notebook_seconds + limit)
    assert "Success" not in text, text[:3000]
    assert f"time.sleep({limit + 30})" in text, text[:3000]
    assert f"stopped after {limit} s" in text, text[:3000]
