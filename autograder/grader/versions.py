"""The student versions of a master, as the grading service builds them: what a student
downloads (blank) and what a correct student hands in (solved).  The gates grade them, the
platforms' tests hand them in, the benchmark times them."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .. import course
from .cells import grade_id


def student_versions(aid: str, folder: Path, source_root: Path | None = None) -> tuple[Path, Path]:
    """``(solved, blank)``: the student version nbgrader generates from the master, as a
    student downloads it (blank), and the same file with the master's answers typed into its
    solution cells, as a correct student hands it in (solved)."""
    import nbformat
    from nbgrader.utils import is_solution

    from .worker import build_template

    source_root = Path(source_root or course.SOURCE)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="student-version-") as tmp:
        build_template(aid, Path(tmp), source_root)
        blank = folder / f"{aid}.blank.ipynb"
        shutil.copyfile(Path(tmp) / "release" / aid / f"{aid}.ipynb", blank)
    release = nbformat.read(blank, as_version=4)
    master = nbformat.read(source_root / aid / f"{aid}.ipynb", as_version=4)
    answers = {grade_id(c): c.source for c in master.cells if is_solution(c)}
    for cell in release.cells:
        if is_solution(cell) and grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    solved = folder / f"{aid}.solved.ipynb"
    nbformat.write(release, solved)
    return solved, blank


def solved_release(assignment: str, dest: Path, source_root: Path | None = None) -> Path:
    """A correct submission as a student would hand it in (written to ``dest``)."""
    with tempfile.TemporaryDirectory(prefix="solved-") as tmp:
        solved, _ = student_versions(assignment, Path(tmp), source_root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(solved, dest)
    return dest
