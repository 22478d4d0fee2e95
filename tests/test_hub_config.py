"""JupyterHub-ready configuration: nbgrader_config.py's gradebook is absolute and outside
build/ (make clean keeps it, formgrader finds it from any folder), plain nbgrader's cell limit
comes from course.toml, and the Hub's student lab config differs from lab-config/ by the
exchange's lists only (Fetch, Submit, Fetch Feedback)."""
from __future__ import annotations

import json
import os
import re
import tomllib

from traitlets.config.loader import PyFileConfigLoader

from autograder import course

ROOT = course.ROOT


def _load(folder, name):
    return PyFileConfigLoader(name, path=str(folder)).load_config()


def test_the_gradebook_is_absolute_and_found_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                       # formgrader runs from the Jupyter root
    cfg = _load(ROOT, "nbgrader_config.py")
    url = cfg.CourseDirectory.db_url
    assert url == f"sqlite:///{ROOT / 'gradebook.db'}"
    path = url.removeprefix("sqlite:///")
    assert os.path.isabs(path) and not path.startswith(str(ROOT / "build"))
    assert cfg.CourseDirectory.root == str(ROOT)


def test_make_clean_keeps_the_gradebook():
    text = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^clean:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    removed = {w.strip("./") for line in recipe.splitlines() if "rm " in line for w in line.split()[2:]}
    assert "gradebook.db" not in recipe and not removed & {"", ".", "*"}
    assert not any(p == "gradebook.db" or "gradebook.db".startswith(p + "/") for p in removed)
    assert "gradebook.db" in (ROOT / ".gitignore").read_text().split()


def test_plain_nbgrader_uses_the_course_cell_limit():
    raw = tomllib.loads((ROOT / "course.toml").read_text())
    default = raw["defaults"]["limits"]["cell_seconds"]
    largest = max(a.get("limits", {}).get("cell_seconds", default) for a in raw["assignment"])
    cfg = _load(ROOT, "nbgrader_config.py")
    assert cfg.Execute.timeout == largest and largest > 120
    assert cfg.Execute.interrupt_on_timeout is True


def test_the_hub_lab_config_keeps_fetch_and_submit():
    local = _load(ROOT / "lab-config", "jupyter_server_config.py").ServerApp.jpserver_extensions
    hub = _load(ROOT / "lab-config-hub", "jupyter_server_config.py").ServerApp.jpserver_extensions
    on = {"nbgrader.server_extensions.assignment_list", "nbgrader.server_extensions.course_list"}
    assert all(hub[k] for k in on) and not any(local[k] for k in on)
    assert hub["nbgrader.server_extensions.validate_assignment"] is True
    assert hub["nbgrader.server_extensions.formgrader"] is False
    assert {k: v for k, v in hub.items() if k not in on} == {k: v for k, v in local.items() if k not in on}
    pages = {d: json.loads((ROOT / d / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
             for d in ("lab-config", "lab-config-hub")}
    lists = {"@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:menu"}
    assert not lists & set(pages["lab-config-hub"]), "the Hub's students open the assignment list from the Nbgrader menu"
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= set(pages["lab-config-hub"])
    assert set(pages["lab-config"]) - lists == set(pages["lab-config-hub"])
