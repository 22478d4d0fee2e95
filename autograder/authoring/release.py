"""Step: generate every student version into notebooks/ with nbgrader, in one process.

One nbgrader process for all assignments: the CLI's start-up (importing nbgrader,
nbconvert and friends) costs more than generating a notebook.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .. import course


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
    return assignments
