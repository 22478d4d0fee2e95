"""Step: the leak check.

Nothing secret may reach students: no line of a solution or hidden-test region, no
region marker, no cell output, in notebooks/ or in the student bundle; and no
instructor-only file in the bundle.
"""
from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import course
from .regions import ANY_MARKER, normalise, region_lines, secrets_of

INSTRUCTOR_ONLY = ("source/", "mutants/", "alternatives/", "autograder/", "tests/", "bench/", ".ci/")


@dataclass(frozen=True)
class Leak:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def course_secrets(assignments=None) -> dict[str, str]:
    """secret line -> the master it comes from, over the whole course."""
    out: dict[str, str] = {}
    masters = [course.notebook_path(course.SOURCE, aid) for aid in assignments or course.ASSIGNMENTS]
    # A line shown to students in any notebook is public course-wide ("model = keras.Sequential([").
    public = set().union(*(region_lines(m)[0] for m in masters)) if masters else set()
    for aid, master in zip(assignments or course.ASSIGNMENTS, masters):
        s = secrets_of(master, public)
        for line in s.solution:
            out[line] = f"solution line of {aid}"
        for line in s.hidden:
            out[line] = f"hidden-test line of {aid}"
    return out


def scan_text(where: str, text: str, secrets: dict[str, str], min_run: int = 1) -> list[Leak]:
    """Secret lines and region markers in ``text``.

    ``min_run=1`` flags every secret line (a student notebook must hold none).  Other files
    (the helper package, READMEs) are ordinary code that may share a generic line with a
    solution ("X = np.asarray(X)"), so there ``min_run=2`` flags only runs of two or more
    consecutive secret lines, the shape of a pasted solution.
    """
    leaks = []
    run: list[tuple[int, str]] = []

    def flush():
        if len(run) >= min_run:
            leaks.extend(Leak(f"{where}:{n}", f"{secrets[l]}: {l[:80]!r}") for n, l in run)
        run.clear()

    for lineno, line in enumerate(text.splitlines(), 1):
        norm = normalise(line)
        if not norm:
            continue
        if norm in secrets:
            run.append((lineno, norm))
            continue
        flush()
        if ANY_MARKER.search(line):
            leaks.append(Leak(f"{where}:{lineno}", f"region marker {norm[:60]!r}"))
    flush()
    return leaks


def scan_notebook(where: str, raw: str, secrets: dict[str, str]) -> list[Leak]:
    try:
        nb = json.loads(raw)
    except json.JSONDecodeError as exc:
        return [Leak(where, f"not a readable notebook ({exc})")]
    leaks = []
    for index, cell in enumerate(nb.get("cells", [])):
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        leaks += scan_text(f"{where} cell {index}", src, secrets)
        if cell.get("outputs"):
            leaks.append(Leak(f"{where} cell {index}", "carries outputs"))
        if cell.get("execution_count") is not None:
            leaks.append(Leak(f"{where} cell {index}", "carries an execution count"))
    return leaks


def scan_file(where: str, data: bytes, secrets: dict[str, str]) -> list[Leak]:
    if where.endswith(".ipynb"):
        return scan_notebook(where, data.decode("utf-8", "replace"), secrets)
    if where.endswith((".py", ".md", ".txt", ".yml", ".yaml", ".toml", ".json", ".cfg")):
        return scan_text(where, data.decode("utf-8", "replace"), secrets, min_run=2)
    return []


def check_release(release_dir: Path = course.RELEASE, secrets=None) -> list[Leak]:
    secrets = course_secrets() if secrets is None else secrets
    leaks = []
    for path in sorted(Path(release_dir).rglob("*")):
        if path.is_file():
            leaks += scan_file(str(path.relative_to(release_dir.parent)), path.read_bytes(), secrets)
    return leaks


def check_bundle(bundle: Path = course.BUNDLE, secrets=None) -> list[Leak]:
    secrets = course_secrets() if secrets is None else secrets
    leaks = []
    with zipfile.ZipFile(bundle) as zf:
        for name in zf.namelist():
            inner = name.split("/", 1)[1] if "/" in name else name
            if inner.startswith(INSTRUCTOR_ONLY):
                leaks.append(Leak(f"{bundle.name}:{name}", "instructor-only file in the student bundle"))
            leaks += scan_file(f"{bundle.name}:{name}", zf.read(name), secrets)
    return leaks
