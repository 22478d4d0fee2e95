"""The pins: requirements.txt and environment.yml must name the same packages and versions."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)$")


def _pins_from(lines):
    pins = {}
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = PIN.match(line)
        assert m, f"not an exact pin: {line!r}"
        pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def requirement_pins():
    return _pins_from((ROOT / "requirements.txt").read_text().splitlines())


def environment_pins():
    text = (ROOT / "environment.yml").read_text().splitlines()
    start = next(i for i, l in enumerate(text) if l.strip() == "- pip:")
    return _pins_from(l.strip()[2:] for l in text[start + 1:] if l.strip().startswith("- "))


def test_every_requirement_is_pinned_exactly():
    pins = requirement_pins()
    for name, version in {"tensorflow-cpu": "2.21.0", "nbgrader": "0.9.6"}.items():
        assert pins.get(name) == version, f"{name} must be pinned to {version}"
    assert pins["jupyterlab"].startswith("4."), "JupyterLab 4"
    assert pins["keras"].startswith("3."), "Keras 3"
    for name in ("numpy", "matplotlib", "pytest"):
        assert name in pins


def test_environment_yml_agrees_with_requirements():
    req, env = requirement_pins(), environment_pins()
    assert set(req) - set(env) == set(), f"in requirements.txt only: {sorted(set(req) - set(env))}"
    assert set(env) - set(req) == set(), f"in environment.yml only: {sorted(set(env) - set(req))}"
    diff = {k: (req[k], env[k]) for k in req if req[k] != env[k]}
    assert not diff, f"versions differ (requirements, environment): {diff}"
    assert "- python=3.11" in (ROOT / "environment.yml").read_text()


def test_this_interpreter_is_the_pinned_environment():
    import importlib.metadata as md

    assert sys.version_info[:2] == (3, 11)
    req = requirement_pins()
    for name in ("tensorflow-cpu", "keras", "nbgrader", "jupyterlab", "numpy", "matplotlib"):
        assert md.version(name) == req[name], f"{name} installed {md.version(name)}, pinned {req[name]}: run make venv"
