"""Step: prove the grading of each assignment both ways, with real nbgrader.

* the master (solutions in place) must score full points on every grade cell;
* the student version nbgrader generates from it must score 0 on every grade cell.

nbgrader's own `validate` exits 0 on failures (nbgrader #1908), so this step grades the
two notebooks with the autograding path itself and decides from the per-cell scores.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import course
from .nbgrade import NotebookGrades, grade_notebook


@dataclass
class Validation:
    assignment: str
    solution: NotebookGrades
    student: NotebookGrades
    seconds: dict[str, float] = field(default_factory=dict)

    def problems(self) -> list[str]:
        out = []
        for label, grades in (("solution", self.solution), ("student", self.student)):
            if grades.error:
                out.append(f"{self.assignment} {label}: nbgrader failed: {grades.error.strip()[:500]}")
            elif not grades.cells:
                out.append(f"{self.assignment} {label}: no grade cells were scored")
        for cell in self.solution.cells:
            if cell.score != cell.max_score:
                out.append(f"{self.assignment}: solution scores {cell.score:g}/{cell.max_score:g} on {cell.grade_id} (must be full)")
        for cell in self.student.cells:
            if cell.score != 0:
                out.append(f"{self.assignment}: blank student version scores {cell.score:g}/{cell.max_score:g} on {cell.grade_id} (must be 0)")
        return out

    def report(self) -> str:
        lines = [f"{self.assignment}: solution {self.solution.score:g}/{self.solution.max_score:g} "
                 f"({self.seconds.get('solution', 0):.1f} s), blank student version "
                 f"{self.student.score:g}/{self.student.max_score:g} ({self.seconds.get('student', 0):.1f} s)"]
        student = {c.grade_id: c for c in self.student.cells}
        for c in self.solution.cells:
            s = student.get(c.grade_id)
            lines.append(f"    {c.grade_id:<32} solution {c.score:>4g}/{c.max_score:<4g} student "
                         f"{(s.score if s else float('nan')):>4g}/{c.max_score:g}")
        return "\n".join(lines)


def imdb_data_available() -> bool:
    """The real IMDB files: in IMDB_DATA_DIR, or already in Keras' download cache."""
    folder = os.environ.get("IMDB_DATA_DIR", "").strip()
    if folder:
        return all((Path(folder) / f).is_file() for f in ("imdb.npz", "imdb_word_index.json"))
    cache = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets"
    return all((cache / f).is_file() for f in ("imdb.npz", "imdb_word_index.json"))


@contextlib.contextmanager
def imdb_for(aid: str, base: Path):
    """Where the full IMDB data is absent (a fresh machine, no internet), validate the IMDB lab
    on a small SYNTHETIC file in Keras' format, said out loud; never silently otherwise."""
    master = course.notebook_path(course.SOURCE, aid).read_text()
    if "load_imdb" not in master or imdb_data_available():
        yield None
        return
    from rnnkit.imdb import write_synthetic_imdb

    folder = write_synthetic_imdb(base / "imdb-synthetic")
    print(f"{aid}: the full IMDB data is absent (set IMDB_DATA_DIR): validating on SYNTHETIC data in {folder}",
          flush=True)
    old = os.environ.get("IMDB_DATA_DIR")
    os.environ["IMDB_DATA_DIR"] = str(folder)
    try:
        yield folder
    finally:
        if old is None:
            os.environ.pop("IMDB_DATA_DIR", None)
        else:
            os.environ["IMDB_DATA_DIR"] = old


def validate_assignment(aid: str, workdir: Path | None = None) -> Validation:
    with tempfile.TemporaryDirectory(prefix=f"validate-{aid}-") as tmp, imdb_for(aid, Path(workdir or tmp)):
        base = Path(workdir or tmp)
        t0 = time.perf_counter()
        solution = grade_notebook(course.notebook_path(course.SOURCE, aid), aid, base / "solution")
        t1 = time.perf_counter()
        # the student version nbgrader generated from the master, in that same run
        generated = base / "solution" / "release" / aid / f"{aid}.ipynb"
        if not generated.exists():
            return Validation(aid, solution, NotebookGrades(aid, error="no student version was generated"),
                              {"solution": t1 - t0})
        student = grade_notebook(generated, aid, base / "student")
        t2 = time.perf_counter()
        return Validation(aid, solution, student, {"solution": t1 - t0, "student": t2 - t1})
