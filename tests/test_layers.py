"""The layers hold: every import of every module (at the top or inside a function, read with
ast) runs downwards.  The students' rnnkit imports nothing of the autograder; the grading
service (autograder/grader/) imports only the neutral modules below it (the course's
description, course and regions, and nbgrader_speedups, nbgrader's gradebook made cheap,
which the release uses too) and itself; the neutral modules import none of the layers; the
gates and the platforms are built on the service; nothing imports a gate except the command
line (autograder/__main__.py), which dispatches to every step."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from autograder import course

ROOT = course.ROOT
PACKAGES = ("autograder", "rnnkit")
NEUTRAL = ("autograder.course", "autograder.regions", "autograder.nbgrader_speedups")
LAYERS = ("autograder.grader", "autograder.gates", "autograder.platforms", "autograder.authoring")
SERVICE_MAY_IMPORT = NEUTRAL + ("autograder.grader",)
COMMAND_LINE = "autograder.__main__"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def _absolute(name: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module of a ``from ... import`` (relative ones resolved from ``name``)."""
    if not node.level:
        return node.module or ""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports, anywhere in its source: ``from X import y`` counts as X.y
    too, since y may be a module (``from .. import course``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(name, path, node)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if alias.name != "*"}
    return found


def _within(module: str, prefixes) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def forbidden(name: str, imported: str) -> str | None:
    """Why ``name`` may not import ``imported``, or None."""
    if not _within(imported, PACKAGES) or imported in PACKAGES:
        return None
    if _within(name, ["rnnkit"]) and _within(imported, ["autograder"]):
        return "rnnkit is the students' package: it imports nothing of the autograder"
    if _within(name, NEUTRAL) and _within(imported, LAYERS):
        return "course, regions and nbgrader_speedups lie below every layer"
    if _within(name, ["autograder.grader"]) and not _within(imported, SERVICE_MAY_IMPORT + ("rnnkit",)):
        return "the grading service imports only course, regions, nbgrader_speedups and itself"
    if _within(imported, ["autograder.gates"]) and not _within(name, ["autograder.gates"]) and name != COMMAND_LINE:
        return "nothing imports a gate but the command line"
    return None


def violations() -> list[str]:
    known = modules()
    out = []
    for name, path in known.items():
        for imported in sorted(imports(name, path)):
            if imported not in known and imported.rsplit(".", 1)[0] in known:
                imported = imported.rsplit(".", 1)[0]      # from module import name: the module
            why = forbidden(name, imported)
            if why:
                out.append(f"{name} imports {imported}: {why}")
    return sorted(set(out))


def test_every_import_runs_downwards():
    assert not violations(), "\n".join(violations())


@pytest.mark.parametrize("name, imported, allowed", [
    ("autograder.grader.grade", "autograder.gates.grading", False),
    ("autograder.grader.grade", "autograder.platforms.nbgrader_course", False),
    ("autograder.grader.discover", "autograder.platforms.lms", False),
    ("autograder.grader.worker", "autograder.authoring.release", False),
    ("autograder.grader.grade", "autograder.course", True),
    ("autograder.grader.execution", "autograder.regions", True),
    ("autograder.grader.worker", "autograder.nbgrader_speedups", True),
    ("autograder.course", "autograder.grader.grade", False),
    ("autograder.grader.worker", "autograder.grader.sandbox", True),
    ("rnnkit.check", "autograder.course", False),
    ("autograder.platforms.gradescope", "autograder.grader.grade", True),
    ("autograder.platforms.gradescope", "autograder.gates.grading", False),
    ("autograder.gates.validate", "autograder.gates.grading", True),
    ("autograder.__main__", "autograder.gates.validate", True),
])
def test_the_rules_themselves(name, imported, allowed):
    assert (forbidden(name, imported) is None) == allowed


def test_relative_imports_are_resolved(tmp_path):
    pkg = ROOT / "autograder" / "grader" / "grade.py"
    node = ast.parse("from ..gates.grading import x\nfrom . import sandbox\nfrom .. import course").body
    assert [_absolute("autograder.grader.grade", pkg, n) for n in node] == [
        "autograder.gates.grading", "autograder.grader", "autograder"]
