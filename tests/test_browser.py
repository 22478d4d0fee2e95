"""Students click; this test does too.

It starts JupyterLab headless the way `make lab` does (the course venv, the student-facing
configuration in lab-config/, the course's nbgrader_config.py for the Validate button), on a free
localhost port with a token, and drives Debian's Chromium (/usr/bin/chromium) through
Playwright's bundled driver.  No browser is ever downloaded: Chromium comes from apt through
tools/install_browser.sh, Playwright from the pinned requirements.

1. The student version of lab 04: every cell is run, one after another as a student would
   (Run All stops at the first error, and the blank exercises do raise); the plots must render,
   the blank exercises must raise NotImplementedError, and no other error may appear except a
   NameError for a variable that a failed cell never got to define.  Then the Validate button
   must report the failing tests.
2. The solution version (the master in source/): Run All Cells must run clean, with Keras'
   progress bars and not one line on stderr.
3. An explorer (lab 02's forget-bias explorer, ``EXPLORER_AID``): after Run All, a new value
   typed into its slider's read-out (what a student's drag ends in) must replace the figure
   below it, and nothing may go to stderr.  Lab 08's attention explorer (``SEQ2SEQ_AID``) is
   moved the same way (its "output step" slider), in its master run up to the explorer's cell.
4. The new labs' smoke run (``SMOKE_AIDS``): the student version of each opens, runs cell by
   cell, and raises nothing but the blank exercises' NotImplementedError.

Screenshots go to build/screenshots/; they replace the README's copies in docs/screenshots/
when those are missing or when UPDATE_SCREENSHOTS=1.

It skips, with the reason, where Playwright is not installed or no Chromium can be installed.
"""
from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_BROWSER = ROOT / "tools" / "install_browser.sh"
LAB_CONFIG = ROOT / "lab-config"
AID = "04_sine_lab"
EXPLORER_AID = "02_lstm_gates"
SMOKE_AIDS = [a for a in ("07_char_lstm_lab",) if (ROOT / "notebooks" / a).is_dir()]
SEQ2SEQ_AID = "08_seq2seq_attention"          # its master, cut after the explorer's cell
SHOTS_BUILD = ROOT / "build" / "screenshots"
SHOTS_DOCS = ROOT / "docs" / "screenshots"
# Chromium on a machine whose only network is localhost: nothing in the background.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# TensorFlow's logging variables: removed from the server's environment, so that the kernels
# start as in a student's plain `jupyter lab` and rnnkit.setup() alone has to keep them quiet.
TF_LOG_VARS = ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "ABSL_MIN_LOG_LEVEL", "GRPC_VERBOSITY")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
PROMPT_DONE = re.compile(r"\[\d+\]")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


# ----------------------------------------------------------------------------- fixtures
def _sync_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the Python package playwright is not installed: run `make venv` "
                    "(requirements.txt pins it)")
    return sync_playwright


def _chromium() -> Path:
    """Debian's Chromium, installed through tools/install_browser.sh when missing."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("NO_BROWSER_INSTALL"):
        pytest.skip(f"{CHROMIUM} is missing and NO_BROWSER_INSTALL is set")
    try:
        done = subprocess.run(["bash", str(INSTALL_BROWSER)], capture_output=True, text=True, timeout=900)
        said = (done.stdout + done.stderr).strip()
    except subprocess.TimeoutExpired:
        said = "tools/install_browser.sh timed out after 900 s"
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing and could not be installed ({said})")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server on 127.0.0.1, serving a copy of the course layout from a temp folder."""

    def __init__(self, root: Path, home: Path, cwd: Path = ROOT, config_path: Path = LAB_CONFIG,
                 jupyter: Path | None = None, extra_env: dict | None = None):
        """``cwd``, ``config_path``, ``jupyter`` and ``extra_env``: where the server runs from,
        its JUPYTER_CONFIG_PATH, its `jupyter` command and more of its environment (default: as
        `make lab` has them)."""
        self.root, self.home = root, home
        self.extra_env = extra_env or {}
        self.cwd, self.config_path = cwd, config_path
        self.jupyter = jupyter or Path(sys.executable).with_name("jupyter")
        self.port = _free_port()
        self.token = uuid.uuid4().hex
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "jupyterlab.log"
        self.proc = None

    def start(self, timeout: float = 180):
        jupyter = self.jupyter
        cmd = [str(jupyter)] if jupyter.exists() else [sys.executable, "-m", "jupyter"]
        cmd += ["lab", f"--notebook-dir={self.root}", "--no-browser", "--ip=127.0.0.1",
                f"--port={self.port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}"]
        env = {k: v for k, v in os.environ.items() if k not in TF_LOG_VARS}
        env.update({
            # as `make lab`: the student-facing configuration of the repo comes first
            "JUPYTER_CONFIG_PATH": str(self.config_path),
            # and nothing from this machine's user: a throwaway config, runtime and workspace
            "JUPYTER_CONFIG_DIR": str(self.home / "config"),
            "JUPYTER_RUNTIME_DIR": str(self.home / "runtime"),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.home / "workspaces"),
            "IPYTHONDIR": str(self.home / "ipython"),
            "MPLCONFIGDIR": str(self.home / "matplotlib"),
            **self.extra_env,
        })
        self.log = open(self.log_path, "w")
        # cwd = the repo root, as with `make lab`: the Validate button reads nbgrader_config.py there
        self.proc = subprocess.Popen(cmd, cwd=self.cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{self.log_tail()}")

    def api(self, method: str, path: str, timeout: float = 10):
        req = urllib.request.Request(self.url + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read() or b"null")

    def notebook(self, rel: str) -> dict:
        return self.api("GET", f"/api/contents/{rel}?content=1&type=notebook")["content"]

    def log_tail(self, n: int = 40) -> str:
        if not self.log.closed:
            self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        # our own process group: the server and the kernels it started, nothing else
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a copy of the student layout: notebooks/<aid>/, solutions/<aid>/, assets/."""
    _sync_playwright()
    _chromium()
    root = tmp_path_factory.mktemp("labroot")
    for folder, source in (("notebooks", ROOT / "notebooks"), ("solutions", ROOT / "source")):
        for aid in dict.fromkeys([AID, EXPLORER_AID, *SMOKE_AIDS]):
            (root / folder / aid).mkdir(parents=True)
            shutil.copy2(source / aid / f"{aid}.ipynb", root / folder / aid / f"{aid}.ipynb")
    # lab 08's master up to its attention explorer (what follows, the design exercise, trains for minutes)
    master = nbformat.read(ROOT / "source" / SEQ2SEQ_AID / f"{SEQ2SEQ_AID}.ipynb", as_version=4)
    last = next(i for i, c in enumerate(master.cells) if "attention_explorer(" in c.source and c.cell_type == "code")
    master.cells = master.cells[:last + 1]
    (root / "solutions" / SEQ2SEQ_AID).mkdir(parents=True)
    nbformat.write(master, root / "solutions" / SEQ2SEQ_AID / f"{SEQ2SEQ_AID}.ipynb")
    shutil.copytree(ROOT / "assets", root / "assets")
    server = Lab(root, tmp_path_factory.mktemp("labhome"))
    try:
        yield server.start()
    finally:
        server.stop()


@contextlib.contextmanager
def chromium_context(profile: Path):
    """Debian's Chromium driven by Playwright: headless, a throwaway profile, nothing in the
    background, 60 s for any step (every browser test opens its pages in one of these)."""
    with _sync_playwright()() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(_chromium()), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900})
        context.set_default_timeout(60_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


# ----------------------------------------------------------------------------- helpers
def _open(browser, lab, rel: str, workspace: str):
    """A new tab with JupyterLab showing one notebook, its kernel idle, the file browser closed."""
    page = browser.new_page()
    page.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/{rel}?reset&token={lab.token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    _wait_kernel_idle(page)
    if page.locator(".jp-FileBrowser:visible").count():
        page.keyboard.press("Control+b")           # View > Show Left Sidebar, off
    return page


def _wait_kernel_idle(page, timeout: float = 120):
    """The status bar's kernel item reads "Python 3 (ipykernel) | Idle" once the kernel is connected."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem')]
                 .some(e => /^Change kernel/.test(e.title || '') && /\\|\\s*Idle$/.test(e.textContent.trim()))""",
        timeout=timeout * 1000)


def _cells(page):
    return page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")


def _wait_prompt(page, index: int, timeout: float):
    """Wait until code cell ``index`` shows an execution count such as [7]."""
    prompt = _cells(page).nth(index).locator(".jp-InputPrompt")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if PROMPT_DONE.search(prompt.text_content() or ""):
            return
        time.sleep(0.25)
    shot = SHOTS_BUILD / f"failure-cell-{index}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))
    raise AssertionError(f"cell {index} did not finish within {timeout:.0f} s (prompt {prompt.text_content()!r}); "
                         f"screenshot: {shot}")


def _run_cell_by_cell(page, nb: dict, timeout_per_cell: float = 240):
    """Run every cell in order, each after the previous one finished, as a student does."""
    _cells(page).nth(0).locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")                           # command mode
    for i, cell in enumerate(nb["cells"]):
        page.keyboard.press("Control+Enter")                # run the selected cell, stay on it
        if cell["cell_type"] == "code":
            _wait_prompt(page, i, timeout_per_cell)
        page.keyboard.press("j")                            # select the next cell


def _run_all(page, nb: dict, timeout: float = 420):
    """Run > Run All Cells, from the menu bar, and wait until every code cell has run."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item:visible", has_text=re.compile(r"^Run All Cells")).first.click()
    deadline = time.monotonic() + timeout
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            _wait_prompt(page, i, max(5.0, deadline - time.monotonic()))


def _save(page, lab, rel: str) -> dict:
    """Click Save, wait until the tab is clean, and read the notebook back from the server."""
    page.locator(".jp-NotebookPanel:visible .jp-Toolbar [data-command='docmanager:save']").click()
    page.wait_for_selector(".lm-TabBar-tab.jp-mod-current:not(.jp-mod-dirty)", timeout=30_000)
    return lab.notebook(rel)


def _errors(cell: dict) -> list[dict]:
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def _stderr(nb: dict) -> list[str]:
    return [f"cell {i}: {o.get('text', '')!r}" for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr"]


def _bound_names(source: str) -> set[str]:
    """Names a cell binds at module level (assignments, defs, imports, loop targets)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _images_rendered(page) -> int:
    """How many images the output areas show, each loaded and decoded (naturalWidth > 0)."""
    return page.evaluate("""() => {
        const imgs = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img')];
        return imgs.filter(i => i.complete && i.naturalWidth > 0).length;
    }""")


def _screenshot(page, name: str, locator=None):
    SHOTS_BUILD.mkdir(parents=True, exist_ok=True)
    path = SHOTS_BUILD / name
    if locator is not None:       # that element in the middle of the window, once laid out
        for _ in range(3):
            locator.evaluate("el => el.scrollIntoView({block: 'center'})")
            page.wait_for_timeout(400)
    page.screenshot(path=str(path))
    docs = SHOTS_DOCS / name
    if os.environ.get("UPDATE_SCREENSHOTS") == "1" or not docs.exists():
        SHOTS_DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, docs)
    return path


# ----------------------------------------------------------------------------- the tests
def test_student_notebook_in_the_browser(lab, browser):
    rel = f"notebooks/{AID}/{AID}.ipynb"
    master = nbformat.read(lab.root / rel, as_version=4)
    page = _open(browser, lab, rel, "student")

    # the student-facing toolbar: Validate, and none of the instructor's nbgrader tools
    toolbar = page.locator(".jp-NotebookPanel:visible .jp-NotebookPanel-toolbar")
    assert toolbar.get_by_text("Validate", exact=True).count() == 1, "no Validate button in the notebook toolbar"
    menus = page.locator(".lm-MenuBar-item").all_inner_texts()
    assert "Nbgrader" not in menus, f"the instructor's Nbgrader menu is shown to students: {menus}"
    assert page.get_by_text("Create Assignment").count() == 0, "the Create Assignment sidebar is shown"
    _cells(page).nth(0).locator(".jp-RenderedMarkdown", has_text="How to work in this notebook").wait_for(timeout=30_000)
    _screenshot(page, "student_notebook.png")

    _run_cell_by_cell(page, master)
    nb = _save(page, lab, rel)

    # what broke, and why
    failed_names: set[str] = set()
    unexpected, not_implemented = [], []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        for err in _errors(cell):
            trace = ANSI.sub("", "\n".join(err.get("traceback", [])))
            if err["ename"] == "NotImplementedError":
                not_implemented.append(trace)
            elif err["ename"] == "NameError" and (m := re.search(r"name '(\w+)' is not defined", err["evalue"])) \
                    and m.group(1) in failed_names:
                pass   # a variable that an earlier failed cell never got to define
            else:
                unexpected.append(f"cell {i} ({cell['source'][:60]!r}...): {err['ename']}: {err['evalue']}")
        if _errors(cell):
            failed_names |= _bound_names(cell["source"])
    assert not unexpected, "errors other than the blank exercises' NotImplementedError:\n" + "\n".join(unexpected)

    # every blank exercise raises NotImplementedError where it is called, unless every cell that
    # calls it stopped earlier (lab 04 trains with dataset() before it calls train())
    meta = [c.get("metadata", {}).get("nbgrader", {}) for c in master["cells"]]
    functions = [n for c, m in zip(master["cells"], meta) if m.get("solution")
                 for n in re.findall(r"^def (\w+)\(", c["source"], re.M)]
    assert functions, "the student notebook has no exercise functions"
    for f in functions:
        callers = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
                   and re.search(rf"(?<![\w.]){f}\(", c["source"]) and not re.search(rf"^def {f}\(", c["source"], re.M)]
        raised = any(re.search(rf"in {f}\(", t) for t in not_implemented)
        ran_clean = [i for i in callers if not _errors(nb["cells"][i])]
        assert raised or (callers and not ran_clean), \
            f"the blank exercise {f}() never raised NotImplementedError; cells calling it that ran clean: {ran_clean}"
    # and no visible test passes on a blank notebook
    passed = [m["grade_id"] for c, m in zip(nb["cells"], meta) if m.get("grade") and not _errors(c)]
    assert not passed, f"grade cells that pass on the blank student version: {passed}"
    assert not _stderr(nb), "stderr output (TensorFlow log noise?):\n" + "\n".join(_stderr(nb))
    images = _images_rendered(page)
    assert images >= 2, f"expected the plots that need no exercise to render, saw {images} image(s)"

    first_test = next(i for i, m in enumerate(meta) if m.get("grade"))
    _screenshot(page, "student_exercise.png", _cells(page).nth(first_test))

    # the Validate button runs nbgrader's validator in the server and lists the failing tests
    toolbar.get_by_text("Validate", exact=True).click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=240_000)
    page.wait_for_function(
        "() => { const d = document.querySelector('.jp-Dialog'); return d && !/Validating/i.test(d.innerText); }",
        timeout=240_000)
    text = dialog.inner_text()
    assert "NotImplementedError" in text or "failed" in text.lower(), f"unexpected Validate result:\n{text[:2000]}"
    _screenshot(page, "validate.png")
    page.keyboard.press("Escape")
    page.close()


def test_solution_notebook_runs_clean_in_the_browser(lab, browser):
    rel = f"solutions/{AID}/{AID}.ipynb"
    master = nbformat.read(lab.root / rel, as_version=4)
    page = _open(browser, lab, rel, "solution")
    _run_all(page, master)
    nb = _save(page, lab, rel)

    errors = [f"cell {i}: {e['ename']}: {e['evalue']}" for i, c in enumerate(nb["cells"])
              if c["cell_type"] == "code" for e in _errors(c)]
    assert not errors, "the solution notebook raised:\n" + "\n".join(errors)
    assert not _stderr(nb), "stderr output (TensorFlow log noise?):\n" + "\n".join(_stderr(nb))
    stdout = "".join(o.get("text", "") for c in nb["cells"] if c["cell_type"] == "code"
                     for o in c.get("outputs", []) if o.get("name") == "stdout")
    assert re.search(r"Epoch 40/40", stdout), "no Keras progress bar in the training cell"
    images = _images_rendered(page)
    assert images >= 3, f"expected every plot to render, saw {images} image(s)"
    forecast = next(i for i, c in enumerate(master.cells) if "plot_forecast(" in c.source)
    _screenshot(page, "solution_forecast.png", _cells(page).nth(forecast).locator(".jp-OutputArea-output img").first)
    page.close()


def _explorer_follows_its_control(lab, browser, aid: str, new_value, shot: str | None, timeout: float = 420):
    """Run All on solutions/<aid>, type ``new_value(old)`` into the first slider's read-out of
    the first cell with a slider: the figure below it (the cell's last image: a cell may show a
    static figure before its explorer) must be replaced, not added to, and nothing may go to
    stderr.  ``shot``: the screenshot's name (None: build/screenshots only)."""
    rel = f"solutions/{aid}/{aid}.ipynb"
    master = nbformat.read(lab.root / rel, as_version=4)
    page = _open(browser, lab, rel, f"explorer-{aid}")
    _run_all(page, master, timeout)
    cells = _cells(page)
    index = next((i for i in range(cells.count()) if cells.nth(i).locator(".widget-slider").count()), None)
    assert index is not None, f"no slider rendered in {aid}: are ipywidgets and jupyterlab_widgets installed?"
    cell = cells.nth(index)
    cell.scroll_into_view_if_needed()
    image = cell.locator(".jp-OutputArea-output img").last
    image.wait_for(timeout=30_000)
    before = image.get_attribute("src")
    figures = cell.locator(".jp-OutputArea-output img").count()
    readout = cell.locator(".widget-readout").first
    readout.wait_for(timeout=30_000)
    # The readout element is drawn before the widget view writes its value into it.
    page.wait_for_function(
        """(cellIndex) => {
             const cell = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[cellIndex];
             const r = cell && cell.querySelector('.widget-readout');
             return r && r.textContent.trim() !== '' && !isNaN(parseFloat(r.textContent)); }""",
        arg=index, timeout=30_000)
    old = float(readout.inner_text().strip())
    readout.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(f"{new_value(old):g}")
    page.keyboard.press("Enter")
    page.wait_for_function(
        """([cellIndex, before]) => {
             const cell = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[cellIndex];
             const img = cell && [...cell.querySelectorAll('.jp-OutputArea-output img')].pop();
             return img && img.getAttribute('src') !== before; }""",
        arg=[index, before], timeout=30_000)
    assert cell.locator(".jp-OutputArea-output img").count() == figures, \
        "moving the control added a figure instead of replacing it"
    if shot:
        _screenshot(page, shot, cell)
    else:
        SHOTS_BUILD.mkdir(parents=True, exist_ok=True)
        cell.screenshot(path=str(SHOTS_BUILD / f"explorer-{aid}.png"))
    nb = _save(page, lab, rel)
    assert not _stderr(nb), "stderr output while exploring:\n" + "\n".join(_stderr(nb))
    page.close()
    return nb


def test_an_explorer_follows_its_control(lab, browser):
    _explorer_follows_its_control(lab, browser, EXPLORER_AID, lambda old: old / 2 if old else 1.0, "explorer.png")


def test_the_attention_explorer_follows_its_step(lab, browser):
    """Lab 08: its "output step" slider (an integer, 0 to 11, starting at 5) moved to 2."""
    nb = _explorer_follows_its_control(lab, browser, SEQ2SEQ_AID, lambda old: 2 if old != 2 else 3, None, timeout=900)
    errors = [f"cell {i}: {e['ename']}: {e['evalue']}" for i, c in enumerate(nb["cells"])
              if c["cell_type"] == "code" for e in _errors(c)]
    assert not errors, f"{SEQ2SEQ_AID} raised before its explorer:\n" + "\n".join(errors)


@pytest.mark.parametrize("aid", SMOKE_AIDS)
def test_new_lab_student_version_smoke_run(lab, browser, aid):
    rel = f"notebooks/{aid}/{aid}.ipynb"
    master = nbformat.read(lab.root / rel, as_version=4)
    page = _open(browser, lab, rel, f"smoke-{aid}")
    _run_cell_by_cell(page, master)
    nb = _save(page, lab, rel)
    failed_names: set[str] = set()
    unexpected = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        for err in _errors(cell):
            if err["ename"] == "NotImplementedError":
                continue
            if err["ename"] == "NameError" and (m := re.search(r"name '(\w+)' is not defined", err["evalue"])) \
                    and m.group(1) in failed_names:
                continue
            if err["ename"] == "AssertionError" and cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
                continue          # a visible test failing on a blank answer
            unexpected.append(f"cell {i}: {err['ename']}: {err['evalue']}")
        if _errors(cell):
            failed_names |= _bound_names(cell["source"])
    assert not unexpected, f"{aid}: errors other than the blank exercises':\n" + "\n".join(unexpected)
    assert not _stderr(nb), "stderr output:\n" + "\n".join(_stderr(nb))
    page.close()
