"""Step: generate every student version into notebooks/ with nbgrader, in one process.

One nbgrader process for all assignments: the CLI's start-up (importing nbgrader,
nbconvert and friends) costs more than generating a notebook.

Each released folder is self-contained, as nbgrader's exchange hands it out (`nbgrader
release_assignment` copies notebooks/<id>/ and nothing else): the figures its notebook shows
(``../../assets/<name>.png`` in the masters) are copied into notebooks/<id>/assets/ and the
released notebook links them as ``assets/<name>.png``.  The masters keep their links.
`rnnkit` is not copied: students install it (the bundle's README; on a Hub, the image).
"""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from .. import course

# A figure of assets/ as the masters name it, from source/<id>/ (markdown, HTML or a string in code).
MASTER_FIGURE = re.compile(r"(?<![\w./-])\.\./\.\./assets/([\w.-]+\.(?:png|jpe?g|gif|svg))")
FIGURES_DIR = "assets"      # inside the released folder: notebooks/<id>/assets/


def bundle_figures(aid: str, folder: Path) -> list[str]:
    """Copy the figures the released notebook of ``aid`` (in ``folder``) shows into
    ``folder``/assets/ and link them relatively; returns their names."""
    import nbformat

    path = folder / f"{aid}.ipynb"
    nb = nbformat.read(path, as_version=4)
    names: list[str] = []

    def local(m: re.Match) -> str:
        names.append(m.group(1))
        return f"{FIGURES_DIR}/{m.group(1)}"

    for cell in nb.cells:
        cell.source = MASTER_FIGURE.sub(local, cell.source)
    names = sorted(set(names))
    missing = [n for n in names if not (course.ASSETS / n).is_file()]
    if missing:
        raise FileNotFoundError(f"{aid} shows figures that assets/ does not have: {missing}")
    for name in names:
        (folder / FIGURES_DIR).mkdir(exist_ok=True)
        shutil.copyfile(course.ASSETS / name, folder / FIGURES_DIR / name)
    if names:
        nbformat.write(nb, path)
    return names


def generate(release_dir: Path = course.RELEASE, assignments=None) -> list[str]:
    """Generate the student versions into ``release_dir``; return the assignment ids.

    The gradebook nbgrader insists on is a throwaway: the release has no use for it.
    Raises RuntimeError with nbgrader's log when any assignment fails.
    """
    from nbgrader.apps import NbGraderAPI

    from ..nbgrader_speedups import install

    install()
    course.venv_on_path()

    assignments = list(assignments or course.ASSIGNMENTS)
    release_dir = Path(release_dir).resolve()
    release_dir.mkdir(parents=True, exist_ok=True)
    # Stale student versions of assignments that no longer exist must not linger.
    for child in release_dir.iterdir():
        if child.is_dir() and child.name not in course.ALL_ASSIGNMENTS:
            shutil.rmtree(child)
    with tempfile.TemporaryDirectory(prefix="release-db-") as db_dir:
        api = NbGraderAPI(config=course.nbgrader_config(course.ROOT, str(release_dir), Path(db_dir) / "gradebook.db"))
        for aid in assignments:
            target = release_dir / aid
            if target.exists():
                shutil.rmtree(target)
            result = api.generate_assignment(aid, force=True, create=True)
            if not result["success"]:
                raise RuntimeError(f"nbgrader generate_assignment failed for {aid}:\n{result.get('error')}\n{result.get('log')}")
            # nbgrader copies the whole source folder; caches never belong to students.
            for junk in list(target.rglob("__pycache__")) + list(target.rglob(".ipynb_checkpoints")):
                shutil.rmtree(junk, ignore_errors=True)
            bundle_figures(aid, target)
    return assignments
