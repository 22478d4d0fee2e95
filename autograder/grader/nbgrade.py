"""nbgrader's side of the grading path: the course configuration for a throwaway course
directory, and the per-cell scores from its gradebook.

Used by ``worker`` (every submission) and ``worker.build_template`` (once per assignment and
batch).  Every command of this course that grades (autograde, validate, mutants,
alternatives, determinism, bench, Gradescope, the busy-machine proof's course path) goes
through ``grade.grade_batch`` -> ``worker.grade_job``; the busy-machine proof also runs plain
`nbgrader autograde`, on purpose, as the other path an instructor may take
(``gates/busy.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import course


@dataclass
class CellGrade:
    grade_id: str
    score: float
    max_score: float
    pending: bool = False      # a manually graded answer nbgrader could not score: an instructor will


def course_config(root: Path, assignment: str, cell_timeout: int | None = None):
    """The course's nbgrader configuration for a throwaway course at ``root``: its own
    gradebook, and the assignment's cell limit (nbgrader's ``Execute.timeout``)."""
    cfg = course.nbgrader_config(root, "release", root / "gradebook.db")
    cfg.Execute.timeout = cell_timeout or course.limits(assignment).cell_seconds
    cfg.Autograde.create_student = True
    return cfg


def read_gradebook(root: Path, assignment: str, student: str = "student") -> list[CellGrade]:
    """Per-grade-cell scores from the course's gradebook, in notebook order: autograded test
    cells and manually graded answers (code or markdown).  A manually graded answer the
    student changed has no score yet (``pending``, 0 for now, its points still in the
    maximum); one left as released scores 0 (nbgrader: an unchanged answer is no answer)."""
    from nbgrader.api import Gradebook

    cells: list[CellGrade] = []
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission = gb.find_submission(assignment, student)
        for nb in submission.notebooks:
            order = {c.name: i for i, c in enumerate(nb.notebook.grade_cells)}
            for grade in sorted(nb.grades, key=lambda g: order.get(g.name, 0)):
                pending = grade.auto_score is None and grade.manual_score is None
                score = grade.score if grade.score is not None and not pending else 0.0
                cells.append(CellGrade(grade.name, float(score), float(grade.max_score), pending))
    return cells
