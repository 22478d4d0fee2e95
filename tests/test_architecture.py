"""ARCHITECTURE.md matches the tree: every module of the code is in it, once, with a line
of its own, and every path it names exists."""
import re

from autograder import course

ROOT = course.ROOT
TREE = re.compile(r"```\n(.*?)```", re.S)


def _tree_paths() -> list[str]:
    """Paths of the tree block, rebuilt from its indentation (two spaces a level)."""
    block = TREE.search((ROOT / "ARCHITECTURE.md").read_text()).group(1)
    stack: list[tuple[int, str]] = []
    paths = []
    for line in block.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        name = line.split()[0]
        assert len(line.split(None, 1)) == 2, f"no description for {name}"
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = "".join(p for _, p in stack) + name
        paths.append(path)
        if name.endswith("/"):
            stack.append((indent, name))
    return paths


def test_every_module_is_in_the_architecture_once():
    listed = _tree_paths()
    modules = sorted(str(p.relative_to(ROOT)) for pkg in ("autograder", "rnnkit")
                     for p in (ROOT / pkg).rglob("*.py")
                     if p.name != "__init__.py" or p.parent.name == "rnnkit")
    missing = [m for m in modules if m not in listed]
    assert not missing, f"modules missing from ARCHITECTURE.md: {missing}"
    assert len(listed) == len(set(listed)), "a path is listed twice"


def test_every_path_in_the_architecture_exists():
    for path in _tree_paths():
        if "<id>" in path:
            folder = path.split("<id>")[0]
            assert (ROOT / folder).is_dir(), path
            continue
        assert (ROOT / path.split(";")[0]).exists(), f"ARCHITECTURE.md names {path}, which does not exist"
