"""The course's nbgrader configuration files (autograder/authoring/nbconfig.py): generated
from course.toml, self-contained wherever they are copied, and the students' Validate gets
the assignment's own limit, grading's log-noise filter, and fails on a cell stopped by a limit.

The Validate tests run the real `nbgrader validate` with a real kernel, from a folder outside
the repository, with only the students' config on JUPYTER_CONFIG_PATH (as a bundle has it).
"""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbcells import code_cell
from traitlets.config.loader import PyFileConfigLoader

from autograder import course
from autograder.authoring import nbconfig

ROOT = course.ROOT
NOISE_LINE = "2026-01-01 00:00:00.000001: W tensorflow/core/util/port.cc:113] oneDNN custom operations are on.\n"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or "").split(".")[0])
    return names


def _load(folder: Path):
    return PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()


def test_the_committed_files_are_what_course_toml_gives():
    assert nbconfig.stale() == []


def test_every_config_imports_only_the_standard_library():
    for path in nbconfig.expected():
        assert _imports(path) <= {"os", "re"}, f"{path.relative_to(ROOT)} imports {_imports(path)}"


def test_the_course_config_loads_when_copied_into_another_course_root(tmp_path):
    hub = tmp_path / "srv" / "nbgrader" / "lstm"
    hub.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", hub)
    cfg = _load(hub)
    assert cfg.CourseDirectory.root == str(hub)
    assert cfg.CourseDirectory.db_url == f"sqlite:///{hub / 'gradebook.db'}"
    assert cfg.Execute.timeout == course.NBGRADER_CELL_TIMEOUT > 30
    assert cfg.Execute.iopub_timeout == course.COURSE.executor.iopub_seconds > 4
    assert cfg.Execute.startup_timeout == course.COURSE.executor.kernel_start_seconds
    assert cfg.IgnorePattern.enabled and cfg.IgnorePattern.pattern == course.STDERR_NOISE_PATTERN


def test_the_students_config_picks_the_limit_of_the_assignment_folder(tmp_path, monkeypatch):
    shutil.copy(ROOT / "lab-config" / "nbgrader_config.py", tmp_path)
    cfg = _load(tmp_path)
    for a in course.COURSE.assignments:
        (tmp_path / a.id).mkdir()
        monkeypatch.chdir(tmp_path / a.id)
        assert cfg.Execute.timeout_func(None) == a.limits.cell_seconds, a.id
    monkeypatch.chdir(tmp_path)
    assert cfg.Execute.timeout_func(None) == max(a.limits.cell_seconds for a in course.COURSE.assignments)
    assert cfg.Execute.iopub_timeout == course.COURSE.executor.iopub_seconds


def _validate(folder: Path, notebook, config_dir: Path | None) -> str:
    """`nbgrader validate` of ``notebook`` saved in ``folder``, run from the folder above it,
    with ``config_dir`` as the only Jupyter config path (None: nbgrader's defaults)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{folder.name}.ipynb"
    nbformat.write(notebook, path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env["JUPYTER_CONFIG_PATH"] = str(config_dir) if config_dir else str(folder.parent / "no-config")
    env["JUPYTER_CONFIG_DIR"] = str(folder.parent / "no-user-config")
    done = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "validate", str(path)],
                          cwd=folder.parent, env=env, capture_output=True, text=True, timeout=300)
    return done.stdout + done.stderr


def _student_config(tmp_path: Path, limits: dict[str, int]) -> Path:
    folder = tmp_path / "lab-config"
    folder.mkdir()
    (folder / "nbgrader_config.py").write_text(nbconfig.render_student_config(limits))
    return folder


@pytest.mark.slow
def test_validate_fails_on_a_cell_stopped_at_its_limit_and_names_it(tmp_path, notebook):
    cfg = _student_config(tmp_path, {"99_sleepy": 4})
    nb = notebook(code_cell("def f():\n    return 1", "answer", solution=True),
                  code_cell("import time\ntime.sleep(60)  # the slow cell"),
                  code_cell("assert f() == 1", "tests", grade=True, locked=True, points=1),
                  nbformat.v4.new_markdown_cell("The end."))
    out = _validate(tmp_path / "99_sleepy", nb, cfg)
    assert "Success" not in out, out
    assert "time.sleep(60)  # the slow cell" in out, out
    assert "stopped after 4 s" in out, out
    assert "HAVE CHANGED" not in out, out


@pytest.mark.slow
def test_validate_passes_a_correct_notebook_within_its_limit(tmp_path, notebook):
    cfg = _student_config(tmp_path, {"99_quick": 30})
    nb = notebook(code_cell("def f():\n    return 1", "answer", solution=True),
                  code_cell("import time\ntime.sleep(1)"),
                  code_cell("assert f() == 1", "tests", grade=True, locked=True, points=1),
                  nbformat.v4.new_markdown_cell("The end."))
    assert "Success! Your notebook passes all the tests." in _validate(tmp_path / "99_quick", nb, cfg)


@pytest.mark.slow
def test_tensorflow_log_noise_fails_no_test_cell_in_validate(tmp_path, notebook):
    """Control first: with nbgrader's defaults, a log line on stderr fails the test cell."""
    noisy = notebook(code_cell("def f():\n    return 1", "answer", solution=True),
                     code_cell(f"import sys\nsys.stderr.write({NOISE_LINE!r})\nassert f() == 1", "tests",
                               grade=True, locked=True, points=1),
                     nbformat.v4.new_markdown_cell("The end."))
    plain = _validate(tmp_path / "plain" / "99_noisy", noisy, None)
    assert "Success" not in plain and "oneDNN" in plain, plain
    cfg = _student_config(tmp_path, {"99_noisy": 30})
    assert "Success! Your notebook passes all the tests." in _validate(tmp_path / "course" / "99_noisy", noisy, cfg)


def test_no_master_ends_with_a_code_cell_that_validate_grades():
    """The noise filter cleans each cell when the next one starts: a test cell is never last."""
    for aid in course.ASSIGNMENTS:
        nb = nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4)
        last = nb.cells[-1]
        assert not (last.cell_type == "code" and last.metadata.get("nbgrader", {}).get("grade")), \
            f"{aid} ends with a test cell"
