"""nbgrader on JupyterHub: a batch's grades into an nbgrader course root (`grade --course-root DIR`).

DIR is a course as nbgrader sees it: its nbgrader_config.py, source/, submitted/ (filled by
`nbgrader collect`) and its gradebook.  After the workers, in the batch process (one
writer), ``publish`` does what plain `nbgrader autograde` and `generate_feedback` would:

* the gradebook, through nbgrader's ``Gradebook`` API: the student, the submission (with its
  timestamp.txt) and, per grade cell, ``auto_score``; a cell with a manual score keeps it and
  is marked ``needs_manual_grade``, as nbgrader does, and so is every cell of a submission
  flagged ``needs_review`` or that the autograder failed on;
* ``autograded/<student>/<assignment>/<notebook>.ipynb``: the executed notebook, for
  formgrader (instructors: hidden tests' source included, as nbgrader stores it, their
  outputs reduced by the grader), with the submission's timestamp.txt if it has one;
* ``feedback/<student>/<assignment>/<notebook>.html``: the batch's ``feedback.html``, which
  went through the output boundary (no hidden test), with ``timestamp.txt`` (the
  submission's, else the time of grading) and the
  ``submission_secret.txt`` that `nbgrader submit` wrote, which `release_feedback` needs (a
  hand-collected submission has none: a fresh one, so that release_feedback still runs).

An assignment the gradebook does not know yet (the instructor ran `make release`, not
`nbgrader generate_assignment`) is added first, from DIR's source/ (``register``).  Then
formgrader, manual grading, `nbgrader export` and `nbgrader release_feedback` work
unchanged.  Returns warnings, never raises for one submission.
"""
from __future__ import annotations

import datetime
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "nbgrader_config.py"
TIMESTAMP = "timestamp.txt"
SECRET = "submission_secret.txt"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"      # nbgrader's Exchange.timestamp_format
NOT_SUBMITTED = ("missing_notebook",)            # nothing was handed in: nbgrader has no submission


@dataclass
class Course:
    """An nbgrader course root, as its own nbgrader_config.py describes it."""
    root: Path
    course_id: str
    db_url: str
    source: Path
    coursedir: object          # nbgrader's CourseDirectory, for format_path
    config: object             # the traitlets Config it was read from

    def folder(self, kind: str, student: str, assignment: str) -> Path:
        """autograded/feedback/submitted folder of one submission (nbgrader's own naming)."""
        cd = self.coursedir
        name = {"autograded": cd.autograded_directory, "feedback": cd.feedback_directory,
                "submitted": cd.submitted_directory}[kind]
        return Path(cd.format_path(name, student, assignment))


def open_course(root) -> Course:
    """Read DIR/nbgrader_config.py the way nbgrader does (root defaults to DIR)."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    root = Path(root).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"no nbgrader course root at {root}")
    cfg = Config()
    if (root / CONFIG_FILE).is_file():
        cfg = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    if not cfg.CourseDirectory.get("root"):
        cfg.CourseDirectory.root = str(root)
    cd = CourseDirectory(config=cfg)
    source = Path(cd.format_path(cd.source_directory, ".", ".")).resolve()
    return Course(Path(cd.root).resolve(), cd.course_id, cd.db_url, source, cd, cfg)


def register(course: Course, assignment: str) -> None:
    """Put an assignment the gradebook lacks into it (its notebooks and grade cells), from the
    course's source/, with nbgrader's generate_assignment into a throwaway release folder: the
    course's released folder (made by `make release`) is left as it is."""
    import copy
    import tempfile

    from nbgrader.apps import NbGraderAPI

    with tempfile.TemporaryDirectory(prefix="register-") as tmp:
        cfg = copy.deepcopy(course.config)
        cfg.CourseDirectory.release_directory = tmp
        result = NbGraderAPI(config=cfg).generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader generate_assignment {assignment} failed: {result.get('error')}\n{result.get('log')}")


def _missing(course: Course, assignments) -> list[str]:
    from nbgrader.api import Gradebook, MissingEntry

    out = []
    with Gradebook(course.db_url, course.course_id) as gb:
        for aid in sorted(set(assignments)):
            try:
                if gb.find_assignment(aid).notebooks:
                    continue
            except MissingEntry:
                pass
            out.append(aid)
    return out


def read_timestamp(folder: Path) -> str | None:
    """The submission's timestamp.txt (nbgrader's format), when there is one."""
    try:
        text = (folder / TIMESTAMP).read_text().strip()
    except OSError:
        return None
    return text or None


def now_timestamp() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime(TIMESTAMP_FORMAT)


def _notebook_name(gb, assignment: str) -> str:
    names = [nb.name for nb in gb.find_assignment(assignment).notebooks]
    return assignment if assignment in names or len(names) != 1 else names[0]


def merge_result(gb, result, timestamp: str | None) -> int:
    """One Result into the gradebook: student, submission, auto_score per grade cell.
    Returns the number of grade cells set."""
    gb.update_or_create_student(result.student)
    sub = gb.update_or_create_submission(result.assignment, result.student,
                                         **({"timestamp": timestamp} if timestamp else {}))
    scores = {q.question: q.score for q in result.questions}
    pending = {q.question for q in result.questions if q.outcome == "pending"}
    review = "needs_review" in result.flags or result.status == "error"
    n = 0
    for nb in sub.notebooks:
        for grade in nb.grades:
            if grade.name in pending:  # an answer graded by hand: formgrader's, as nbgrader leaves it
                grade.auto_score = None
                grade.needs_manual_grade = True
                continue
            if grade.name not in scores:
                continue
            grade.auto_score = float(scores[grade.name])
            grade.needs_manual_grade = grade.manual_score is not None or review
            n += 1
    gb.db.commit()
    return n


def publish(root, results, executed: dict, submitted_root: Path, out: Path, log=print) -> list[str]:
    """Merge ``results`` (schema.Result, as written to ``out``) into the course at ``root``;
    ``executed``: (student, assignment) -> the job's executed notebook (may not exist);
    ``submitted_root``: the batch's submitted layout (timestamp.txt, submission_secret.txt)."""
    from nbgrader.api import Gradebook, MissingEntry

    from ..nbgrader_speedups import install

    install()
    course = open_course(root)
    warnings: list[str] = []
    merged = 0
    for aid in _missing(course, [r.assignment for r in results if r.status not in NOT_SUBMITTED]):
        try:
            register(course, aid)
            log(f"nbgrader course: {aid} was not in the gradebook; added from {course.source}")
        except Exception as exc:
            warnings.append(f"{aid}: could not be added to the course gradebook: {exc}")
    with Gradebook(course.db_url, course.course_id) as gb:
        for r in results:
            if r.status in NOT_SUBMITTED:
                continue
            try:
                notebook = _notebook_name(gb, r.assignment)
            except MissingEntry:
                warnings.append(f"{r.student}/{r.assignment}: not in the course gradebook {course.db_url}: "
                                f"run `nbgrader generate_assignment {r.assignment}` in {course.root} first")
                continue
            submitted = Path(submitted_root) / r.student / r.assignment
            timestamp = read_timestamp(submitted)
            try:
                merge_result(gb, r, timestamp)
            except Exception as exc:    # one submission's problem never stops the others
                gb.db.rollback()
                warnings.append(f"{r.student}/{r.assignment}: gradebook not updated: {exc}")
                continue
            merged += 1
            stamp = timestamp or now_timestamp()
            graded = executed.get((r.student, r.assignment))
            if graded is not None and Path(graded).is_file():
                dest = course.folder("autograded", r.student, r.assignment)
                dest.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(graded, dest / f"{notebook}.ipynb")
                if timestamp:         # as nbgrader: formgrader compares it with submitted/'s
                    (dest / TIMESTAMP).write_text(timestamp)
            page = Path(out) / r.student / r.assignment / "feedback.html"
            if page.is_file():
                dest = course.folder("feedback", r.student, r.assignment)
                dest.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(page, dest / f"{notebook}.html")
                (dest / TIMESTAMP).write_text(stamp)
                if (submitted / SECRET).is_file():
                    shutil.copyfile(submitted / SECRET, dest / SECRET)
                elif not (dest / SECRET).is_file():
                    # release_feedback opens it for every student and stops at the first one
                    # without; a fresh secret lets it go on (this student cannot fetch it)
                    (dest / SECRET).write_text(secrets.token_hex(64))
                    warnings.append(f"{r.student}/{r.assignment}: no {SECRET} in the submission (not handed in "
                                    "with `nbgrader submit`): the student cannot fetch this feedback; hand them "
                                    f"{dest / (notebook + '.html')}")
    for w in warnings:
        log("WARNING", w)
    log(f"nbgrader course {course.root}: {merged} submission(s) merged into {course.db_url}")
    return warnings
