"""Step: grade one notebook with real nbgrader, in a throwaway course directory.

The course directory holds a copy of the assignment's master folder and its own SQLite
gradebook, so any number of these can run at once (SQLite allows one writer) and the
submitted file itself is never touched: nbgrader works on a copy.

    grades = grade_notebook(Path("sub.ipynb"), "04_sine_lab", Path(tmp))
    grades.cells  ->  [CellGrade("n04_dataset_tests", 2.0, 2.0), ...]
"""
from __future__ import annotations

import json
import os
import shutil
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import course

STUDENT = "student"


@dataclass
class CellGrade:
    grade_id: str
    score: float
    max_score: float


@dataclass
class NotebookGrades:
    assignment: str
    cells: list[CellGrade] = field(default_factory=list)
    autograded: Path | None = None      # the executed copy nbgrader wrote
    log: str = ""
    error: str | None = None             # nbgrader's own failure, if any

    @property
    def score(self) -> float:
        return sum(c.score for c in self.cells)

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.cells)

    def to_json(self) -> str:
        d = asdict(self)
        d["autograded"] = str(self.autograded) if self.autograded else None
        return json.dumps(d)


def course_config(root: Path, assignment: str, cell_timeout: int | None = None):
    """The course's nbgrader_config.py, re-rooted at ``root`` with its own gradebook."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course.ROOT)).load_config()
    cfg.CourseDirectory.root = str(root)
    cfg.CourseDirectory.release_directory = "release"
    cfg.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
    cfg.IncludeHeaderFooter.header = str(course.SOURCE / "header.ipynb")
    cfg.Execute.timeout = cell_timeout or course.CELL_TIMEOUT.get(assignment, course.CELL_TIMEOUT_DEFAULT)
    cfg.Autograde.create_student = True
    return cfg


def prepare_course(root: Path, assignment: str, submission: Path, student: str = STUDENT,
                   source_root: Path | None = None) -> Path:
    """Lay out ``root`` as an nbgrader course with one submission; return the copy's path."""
    shutil.copytree((source_root or course.SOURCE) / assignment, root / "source" / assignment,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    target = root / "submitted" / student / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True)
    shutil.copyfile(submission, target)
    return target


def read_gradebook(root: Path, assignment: str, student: str = STUDENT) -> list[CellGrade]:
    """Per-grade-cell scores from the course's gradebook, in notebook order."""
    from nbgrader.api import Gradebook

    cells: list[CellGrade] = []
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission = gb.find_submission(assignment, student)
        for nb in submission.notebooks:
            order = {c.name: i for i, c in enumerate(nb.notebook.grade_cells)}
            for grade in sorted(nb.grades, key=lambda g: order.get(g.name, 0)):
                if grade.cell_type != "code":
                    continue
                score = grade.score if grade.score is not None else 0.0
                cells.append(CellGrade(grade.name, float(score), float(grade.max_score)))
    return cells


def grade_notebook(submission: Path, assignment: str, root: Path, cell_timeout: int | None = None,
                   student: str = STUDENT, source_root: Path | None = None, config_overrides=None) -> NotebookGrades:
    """Generate the assignment in ``root``, autograde ``submission`` there, read the scores."""
    from nbgrader.apps import NbGraderAPI

    from .nbgrader_speedups import install

    install()
    os.environ.update(course.kernel_environment())
    warnings.filterwarnings("ignore", module=r"nbgrader|sqlalchemy")
    prepare_course(root, assignment, submission, student, source_root)
    cfg = course_config(root, assignment, cell_timeout)
    if config_overrides:
        cfg.merge(config_overrides)
    api = NbGraderAPI(config=cfg)
    result = NbGraderAPI.generate_assignment(api, assignment)
    if not result["success"]:
        return NotebookGrades(assignment, log=result.get("log", ""), error=result.get("error") or "generate_assignment failed")
    result = api.autograde(assignment, student)
    grades = NotebookGrades(assignment, log=result.get("log", ""))
    if not result["success"]:
        grades.error = result.get("error") or "autograde failed"
        return grades
    grades.cells = read_gradebook(root, assignment, student)
    grades.autograded = root / "autograded" / student / assignment / f"{assignment}.ipynb"
    return grades
