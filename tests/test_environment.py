"""The pins: requirements.txt (students: what the notebooks, rnnkit and Validate need) and
requirements-instructor.txt (the test tools on top of it); environment.yml reads
requirements.txt; every version is written once; they install on every Python 3.11."""
import importlib.metadata as md
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)$")
# What students import or run: the notebooks and rnnkit (TensorFlow with Keras, numpy,
# matplotlib, ipywidgets), JupyterLab and its kernel, and nbgrader for the Validate button.
STUDENT_TOP_LEVEL = ("tensorflow-cpu", "numpy", "matplotlib", "ipywidgets", "jupyterlab", "ipykernel", "nbgrader")
INSTRUCTOR_TOP_LEVEL = ("pytest", "playwright", "openpyxl")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins_from(lines, includes=()):
    pins = {}
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or line in includes:
            continue
        m = PIN.match(line)
        assert m, f"not an exact pin: {line!r}"
        pins[_norm(m.group(1))] = m.group(2)
    return pins


def student_pins():
    return _pins_from((ROOT / "requirements.txt").read_text().splitlines())


def instructor_pins():
    """Only the pins written in requirements-instructor.txt (it includes requirements.txt)."""
    return _pins_from((ROOT / "requirements-instructor.txt").read_text().splitlines(), includes=("-r requirements.txt",))


def requirement_pins():
    return {**student_pins(), **instructor_pins()}


def _closure(top_level) -> set[str]:
    """The installed distributions ``top_level`` needs, extras followed, as this venv has them."""
    seen, stack = set(), [(name, ()) for name in top_level]
    while stack:
        name, extras = stack.pop()
        if (_norm(name), extras) in seen:
            continue
        seen.add((_norm(name), extras))
        for text in md.requires(name) or []:
            req = Requirement(text)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in ("", *extras)):
                continue
            stack.append((req.name, tuple(sorted(req.extras))))
    return {name for name, _ in seen} - {"setuptools", "wheel"}


def test_every_requirement_is_pinned_exactly_and_once():
    student, instructor = student_pins(), instructor_pins()
    assert not set(student) & set(instructor), f"pinned twice: {sorted(set(student) & set(instructor))}"
    assert "-r requirements.txt" in (ROOT / "requirements-instructor.txt").read_text().splitlines()
    for name, version in {"tensorflow-cpu": "2.21.0", "nbgrader": "0.9.6"}.items():
        assert student.get(name) == version, f"{name} must be pinned to {version}"
    assert student["jupyterlab"].startswith("4."), "JupyterLab 4"
    assert student["keras"].startswith("3."), "Keras 3"
    assert "numpy" in student and "matplotlib" in student and "pytest" in instructor


def test_the_student_pins_are_exactly_what_students_need():
    """No instructor tool (pytest, playwright, their dependencies) in the students' set, and
    every dependency of what students run pinned there."""
    student, instructor = set(student_pins()), set(instructor_pins())
    need = _closure(STUDENT_TOP_LEVEL)
    assert need - student == set(), f"students need these, unpinned in requirements.txt: {sorted(need - student)}"
    assert student - need == set(), f"requirements.txt pins what students never use: {sorted(student - need)}"
    tools = _closure(INSTRUCTOR_TOP_LEVEL) - need
    assert tools == instructor, f"requirements-instructor.txt should pin exactly {sorted(tools)}"


def test_environment_yml_installs_the_student_pins():
    text = (ROOT / "environment.yml").read_text()
    assert "- python=3.11" in text
    start = text.splitlines().index("  - pip:")
    assert [l.strip() for l in text.splitlines()[start + 1:] if l.strip()] == ["- -r requirements.txt"]


def test_this_interpreter_is_the_pinned_environment():
    assert sys.version_info[:2] == (3, 11)
    pins = requirement_pins()
    for name in ("tensorflow-cpu", "keras", "nbgrader", "jupyterlab", "numpy", "matplotlib", "pytest", "soupsieve"):
        assert md.version(name) == pins[name], f"{name} installed {md.version(name)}, pinned {pins[name]}: run make venv"


@pytest.mark.slow
@pytest.mark.parametrize("python", ["3.11.0", pytest.param("3.12.0", marks=pytest.mark.heavy),
                                    pytest.param("3.13.0", marks=pytest.mark.heavy)])
def test_the_pins_resolve_for_python(python, tmp_path):
    """pip resolves both files for that Python, wheels only, without installing: 3.11.0 is
    Ubuntu 22.04's python3.11 (Gradescope's image), the oldest 3.11 there is."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--only-binary=:all:",
         "--disable-pip-version-check", "--python-version", python, "--target", str(tmp_path / "t"),
         "-r", str(ROOT / "requirements-instructor.txt")],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "Would install" in done.stdout
    assert "yanked" not in done.stdout + done.stderr, "a pin is a yanked release"
