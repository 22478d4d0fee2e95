"""nbgrader on JupyterHub: a batch's grades into an nbgrader course root (`grade --course-root DIR`).

DIR is a course as nbgrader sees it: its nbgrader_config.py, source/, submitted/ (filled by
`nbgrader collect`) and its gradebook.  After the workers, in the batch process (one
writer), ``publish`` does what plain `nbgrader autograde` and `generate_feedback` would:

* the gradebook, through nbgrader's ``Gradebook`` API: the student, the submission (with its
  timestamp.txt) and, per grade cell, ``auto_score``; a cell with a manual score keeps it and
  is marked ``needs_manual_grade``, as nbgrader does, and so is every cell of a submission
  flagged ``needs_review`` or that the autograder failed on;
* ``submitted/<student>/<assignment>/``: a copy of the batch's submission when the batch
  was graded from another folder (formgrader's "# Submissions" counts these folders, and
  lists a submission as autograded only when their timestamp.txt matches the gradebook's);
* ``autograded/<student>/<assignment>/<notebook>.ipynb``: the executed notebook, for
  formgrader (instructors: hidden tests' source included, as nbgrader stores it, their
  outputs reduced by the grader), with the submission's timestamp.txt and
  submission_secret.txt (as `nbgrader autograde` leaves them) and ``feedback.json``: the
  student-facing part of the result (already through the output boundary), which the
  feedback is rebuilt from;
* ``feedback/<student>/<assignment>/<notebook>.html``: the batch's ``feedback.html``, which
  went through the output boundary (no hidden test), with ``timestamp.txt`` (the
  submission's, else the time of grading) and the
  ``submission_secret.txt`` that `nbgrader submit` wrote, which `release_feedback` needs (a
  hand-collected submission has none: a fresh one, so that release_feedback still runs).

An assignment the gradebook does not know yet (the instructor ran `make release`, not
`nbgrader generate_assignment`) is added first, from DIR's source/ (``register``).  Then
formgrader, manual grading, `nbgrader export` and `nbgrader release_feedback` work
unchanged.  Returns warnings, never raises for one submission.

Hand grades (`python -m autograder feedback --course-root DIR [--assignment ID]`, `make
feedback`): ``rebuild_feedback`` rewrites every student's feedback/ page from the gradebook
after manual grading in formgrader: ``feedback.json`` overlaid with the gradebook's manual
scores and the instructor's comments (``hand_result``), through the output boundary of the
course's masters, so that `nbgrader release_feedback` sends the hand scores.  Submissions
with a manual score or comment get their page rebuilt this way after every `grade
--course-root` too.  ``FeedbackExporter`` puts the same page in place of nbgrader's own
(`nbgrader generate_feedback` and formgrader's Generate Feedback buttons show hidden
tests, nbgrader #917) with ``c.GenerateFeedback.exporter_class``.  ``gradebook_summary``
gives the LMS export (platforms/lms.py, ``--course-root``) the gradebook's scores.
"""
from __future__ import annotations

import argparse
import datetime
import logging
import secrets
import shutil
import sys
from dataclasses import dataclass, replace
from pathlib import Path

CONFIG_FILE = "nbgrader_config.py"
TIMESTAMP = "timestamp.txt"
SECRET = "submission_secret.txt"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"      # nbgrader's Exchange.timestamp_format
NOT_SUBMITTED = ("missing_notebook",)            # nothing was handed in: nbgrader has no submission

log = logging.getLogger(__name__)
FEEDBACK_JSON = "feedback.json"                  # autograded/<student>/<assignment>/: the student-facing result
# What a student reads about a score set by hand (through the output boundary, as all feedback).
GRADED_BY_HAND = "Graded by hand: {score} / {max_score}."
REGRADED_BY_HAND = "Your instructor set this score by hand: {score} / {max_score}."
COMMENT = "Comment from your instructor: {comment}"
COMMENT_ON = "Comment from your instructor on {name}: {comment}"


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
    return course_of(CourseDirectory(config=cfg), cfg)


def course_of(cd, cfg) -> Course:
    """The Course an nbgrader CourseDirectory describes (formgrader's, or one read from a file)."""
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


def publish(root, results, executed: dict, submitted_root: Path, out: Path) -> list[str]:
    """Merge ``results`` (schema.Result, as written to ``out``) into the course at ``root``;
    ``executed``: (student, assignment) -> the job's executed notebook (may not exist);
    ``submitted_root``: the batch's submitted layout (timestamp.txt, submission_secret.txt)."""
    from nbgrader.api import Gradebook, MissingEntry

    from ..grader.report import student_folder
    from ..nbgrader_speedups import install

    install()
    course = open_course(root)
    warnings: list[str] = []
    merged = copied = 0
    by_hand: set[tuple[str, str]] = set()
    for aid in _missing(course, [r.assignment for r in results if r.status not in NOT_SUBMITTED]):
        try:
            register(course, aid)
            log.info(f"nbgrader course: {aid} was not in the gradebook; added from {course.source}")
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
            if has_hand_grades(gb.find_submission(r.assignment, r.student)):
                by_hand.add((r.student, r.assignment))
            if copy_submission(course, submitted, r.student, r.assignment):
                copied += 1
            save_autograded(course, r, notebook, executed.get((r.student, r.assignment)), submitted, timestamp)
            page = student_folder(out, r.student, r.assignment) / "feedback.html"
            if page.is_file():
                warning = write_feedback(course, r.student, r.assignment, notebook, page.read_text(),
                                         timestamp or now_timestamp(), submitted)
                if warning:
                    warnings.append(warning)
    if copied:
        log.info(f"nbgrader course: {copied} submission(s) copied into {course.folder('submitted', '.', '.')}"
                 " (graded from another folder; formgrader counts them there)")
    if by_hand:     # a regrade keeps the manual scores: the pages must keep them too
        warnings += rebuild_feedback(course, only=by_hand)
    for w in warnings:
        log.warning(w)
    log.info(f"nbgrader course {course.root}: {merged} submission(s) merged into {course.db_url}")
    return warnings


# ----------------------------------------------------------------------------------------
# the course's folders, one submission at a time
# ----------------------------------------------------------------------------------------

def student_facing(result):
    """The part of a Result a student may see: no review, sandbox, timings or answers."""
    return replace(result, review=[], sandbox="", cell_seconds={}, answers={})


def copy_submission(course: Course, submitted: Path, student: str, assignment: str) -> bool:
    """The batch's submission folder into the course's submitted/ when the batch was graded
    from another folder: formgrader's "# Submissions" counts submitted/'s folders, and lists a
    submission as autograded only when its timestamp.txt there matches the gradebook's (the
    one merged).  A course copy of an older submission is replaced.  Returns whether it copied."""
    dest = course.folder("submitted", student, assignment)
    if not Path(submitted).is_dir() or (dest.exists() and dest.resolve() == Path(submitted).resolve()):
        return False
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(submitted, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return True


def save_autograded(course: Course, result, notebook: str, graded, submitted: Path, timestamp: str | None) -> None:
    """autograded/<student>/<assignment>/: the executed notebook (formgrader's), the
    submission's timestamp.txt and submission_secret.txt (as `nbgrader autograde` leaves
    them) and feedback.json, the student-facing result the feedback is rebuilt from."""
    dest = course.folder("autograded", result.student, result.assignment)
    dest.mkdir(parents=True, exist_ok=True)
    if graded is not None and Path(graded).is_file():
        shutil.copyfile(graded, dest / f"{notebook}.ipynb")
    if timestamp:         # as nbgrader: formgrader compares it with submitted/'s
        (dest / TIMESTAMP).write_text(timestamp)
    if (Path(submitted) / SECRET).is_file():
        shutil.copyfile(Path(submitted) / SECRET, dest / SECRET)
    student_facing(result).save(dest / FEEDBACK_JSON)


def _secret_source(course: Course, student: str, assignment: str, submitted: Path | None) -> Path | None:
    """The submission_secret.txt that `nbgrader submit` wrote, wherever a copy of it is."""
    for folder in (submitted, course.folder("submitted", student, assignment),
                   course.folder("autograded", student, assignment)):
        if folder is not None and (Path(folder) / SECRET).is_file():
            return Path(folder) / SECRET
    return None


def write_feedback(course: Course, student: str, assignment: str, notebook: str, page: str, stamp: str,
                   submitted: Path | None = None) -> str | None:
    """feedback/<student>/<assignment>/: the page (already through the output boundary),
    timestamp.txt and the submission_secret.txt that release_feedback needs.  Returns a
    warning when the student cannot fetch it (no secret: not handed in with `nbgrader submit`)."""
    dest = course.folder("feedback", student, assignment)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / f"{notebook}.html").write_text(page)
    (dest / TIMESTAMP).write_text(stamp)
    secret = _secret_source(course, student, assignment, submitted)
    if secret is not None:
        if secret.resolve() != (dest / SECRET).resolve():
            shutil.copyfile(secret, dest / SECRET)
        return None
    if (dest / SECRET).is_file():
        return None
    # release_feedback opens it for every student and stops at the first one without; a
    # fresh secret lets it go on (this student cannot fetch it).  autograded/ keeps a copy:
    # nbgrader's GenerateFeedback rebuilds feedback/ from that folder's files.
    (dest / SECRET).write_text(secrets.token_hex(64))
    if course.folder("autograded", student, assignment).is_dir():
        shutil.copyfile(dest / SECRET, course.folder("autograded", student, assignment) / SECRET)
    return (f"{student}/{assignment}: no {SECRET} in the submission (not handed in with `nbgrader submit`): "
            f"the student cannot fetch this feedback; hand them {dest / (notebook + '.html')}")


# ----------------------------------------------------------------------------------------
# hand grades: the feedback rebuilt from the gradebook
# ----------------------------------------------------------------------------------------

def has_hand_grades(submission) -> bool:
    """Whether an instructor scored or commented on any cell of a submission (formgrader)."""
    return any(g.manual_score is not None for nb in submission.notebooks for g in nb.grades) or \
        any((c.manual_comment or "").strip() for nb in submission.notebooks for c in nb.comments)


def _fmt(x: float) -> str:
    return f"{float(x):g}"


def hand_question(question, grade, comment: str | None):
    """One Question with the gradebook's word on it: a manual score replaces the autograder's,
    an answer graded by hand and not scored yet stays pending, a comment is added."""
    from ..grader.feedback import PENDING
    from ..grader.schema import Question

    max_score = float(grade.max_score or 0)
    base = question or Question(grade.name, 0.0, max_score, "not_run", "not_run", None, "")
    hand_graded = grade.auto_score is None or base.outcome == "pending"
    if grade.manual_score is not None:
        score = float(grade.score or 0)
        text = (GRADED_BY_HAND if hand_graded else REGRADED_BY_HAND).format(score=_fmt(score), max_score=_fmt(max_score))
        q = replace(base, score=score, max_score=max_score, outcome="passed" if score >= max_score > 0 else "failed",
                    message="\n".join(t for t in ("" if hand_graded else base.message, text) if t),
                    **({"visible": "not_run", "hidden": None} if hand_graded else {}))
    elif grade.auto_score is None and grade.needs_manual_grade:
        q = replace(base, score=0.0, max_score=max_score, outcome="pending", visible="pending", hidden=None,
                    message=PENDING)
    else:
        score = float(grade.score or 0)
        q = replace(base, score=score, max_score=max_score)
        if question is None:
            q = replace(q, outcome="passed" if score >= max_score > 0 else "failed")
    if comment:
        q = replace(q, message="\n".join(t for t in (q.message, COMMENT.format(comment=comment)) if t))
    return q


def hand_result(base, submission):
    """``base`` (the batch's student-facing Result, or an empty one) with every grade cell as
    the gradebook has it now (``hand_question``), in ``base``'s order; comments on cells that
    are not graded (an exercise's answer cell) become messages.  The status follows: pending
    answers left, or none."""
    comments = {c.name: c.manual_comment.strip() for nb in submission.notebooks for c in nb.comments
                if (c.manual_comment or "").strip()}
    old = {q.question: q for q in base.questions}
    order = {q.question: i for i, q in enumerate(base.questions)}
    grades = sorted((g for nb in submission.notebooks for g in nb.grades),
                    key=lambda g: (order.get(g.name, len(order)), g.name))
    questions = [hand_question(old.get(g.name), g, comments.pop(g.name, None)) for g in grades]
    messages = list(base.messages) + [COMMENT_ON.format(name=name, comment=text) for name, text in comments.items()]
    status = base.status
    if status in ("graded", "needs_manual_grade"):
        status = "needs_manual_grade" if any(q.outcome == "pending" for q in questions) else "graded"
    return replace(base, status=status, questions=questions, messages=messages,
                   score=sum(q.score for q in questions), max_score=sum(q.max_score for q in questions))


def stored_result(course: Course, student: str, assignment: str):
    """The student-facing Result that `grade --course-root` saved (feedback.json), else an
    empty one (a submission graded by plain nbgrader): the gradebook fills it in."""
    from ..grader.schema import Result

    path = course.folder("autograded", student, assignment) / FEEDBACK_JSON
    if path.is_file():
        return Result.load(path)
    return Result(student, assignment, "graded")


def course_boundary(course: Course, assignments) -> tuple[object, list[str]]:
    """The output boundary of a batch of ``assignments``, built as the batch builds it: the
    masters of the course's source/ and their student versions (nbgrader's
    generate_assignment into a throwaway folder).  Returns it and the assignments it could
    not cover (no master): no page may be written for those."""
    import tempfile

    from ..grader import grade, worker

    templates, missing = {}, []
    with tempfile.TemporaryDirectory(prefix="feedback-") as tmp:
        for aid in sorted(set(assignments)):
            try:
                worker.build_template(aid, Path(tmp) / aid, course.source)
                templates[aid] = Path(tmp) / aid
            except Exception:
                missing.append(aid)
        return grade._boundary(templates, [course.root, tmp]), missing


def feedback_page(course: Course, submission, boundary) -> str:
    """One submission's page: its stored result with the gradebook's hand grades, through
    the output boundary."""
    from ..grader.feedback import feedback_html

    base = stored_result(course, submission.student.id, submission.assignment.name)
    return feedback_html(boundary.apply(hand_result(base, submission)))


def _stamp(course: Course, student: str, assignment: str, submission) -> str:
    """The feedback's timestamp.txt: the one it has, else the submission's, else now."""
    for folder in (course.folder("feedback", student, assignment), course.folder("submitted", student, assignment)):
        stamp = read_timestamp(folder)
        if stamp:
            return stamp
    if submission.timestamp is not None:
        return submission.timestamp.strftime("%Y-%m-%d %H:%M:%S.%f") + " UTC"
    return now_timestamp()


def rebuild_feedback(root, assignments=None, only=None) -> list[str]:
    """Rewrite feedback/<student>/<assignment>/ of every submission in the gradebook (of
    ``assignments``; of the (student, assignment) pairs ``only``) from the gradebook and
    feedback.json, through the output boundary.  Returns warnings (not logged)."""
    from nbgrader.api import Gradebook, MissingEntry

    from ..nbgrader_speedups import install

    install()
    course = root if isinstance(root, Course) else open_course(root)
    warnings: list[str] = []
    written = 0
    with Gradebook(course.db_url, course.course_id) as gb:
        known = [a.name for a in gb.assignments]
        wanted = [a for a in known if not assignments or a in assignments]
        if only is not None:
            wanted = [a for a in wanted if any(aid == a for _, aid in only)]
        for aid in sorted(set(assignments or ()) - set(known)):
            warnings.append(f"{aid}: not in the course gradebook {course.db_url}")
        boundary, uncovered = course_boundary(course, wanted)
        for aid in uncovered:
            warnings.append(f"{aid}: no master in {course.source}: its feedback cannot be checked, not rebuilt")
        for aid in (a for a in wanted if a not in uncovered):
            try:
                notebook = _notebook_name(gb, aid)
            except MissingEntry:
                continue
            for sub in gb.find_assignment(aid).submissions:
                student = sub.student.id
                if only is not None and (student, aid) not in only:
                    continue
                page = feedback_page(course, sub, boundary)
                warning = write_feedback(course, student, aid, notebook, page, _stamp(course, student, aid, sub))
                if warning:
                    warnings.append(warning)
                written += 1
    log.info(f"nbgrader course {course.root}: {written} feedback page(s) rebuilt from {course.db_url}")
    return warnings


def gradebook_summary(root, assignments=None) -> list[dict]:
    """summary.csv's rows (report.SUMMARY_COLUMNS) from the course's gradebook: nbgrader's
    score of every submission, manual scores included; the points still to grade by hand
    are ``pending_points``; status from feedback.json with the gradebook's word on it."""
    from nbgrader.api import Gradebook

    course = root if isinstance(root, Course) else open_course(root)
    rows = []
    with Gradebook(course.db_url, course.course_id) as gb:
        for a in gb.assignments:
            if assignments and a.name not in assignments:
                continue
            for sub in a.submissions:
                r = hand_result(stored_result(course, sub.student.id, a.name), sub)
                rows.append({"student_id": sub.student.id, "assignment": a.name, "score": _fmt(sub.score),
                             "max_score": _fmt(sub.max_score), "status": r.status, "flags": ";".join(r.flags),
                             "pending_points": _fmt(r.pending_points) if r.pending_points else ""})
    return rows


# ----------------------------------------------------------------------------------------
# nbgrader's own feedback, replaced
# ----------------------------------------------------------------------------------------

def _feedback_exporter():
    """nbconvert's Exporter that GenerateFeedback uses in place of nbgrader's HTML feedback:
    for each autograded notebook it returns this course's page (``feedback_page``), never
    the notebook's cells.  Built on first use, so that importing this module needs no nbconvert."""
    from nbconvert.exporters import Exporter
    from traitlets import default

    class FeedbackExporter(Exporter):
        """The course's feedback page for nbgrader's GenerateFeedback (`nbgrader
        generate_feedback`, formgrader's Generate Feedback buttons): the gradebook's scores
        and comments, through the output boundary; hidden tests never reach it."""
        output_mimetype = "text/html"

        @default("file_extension")
        def _file_extension_default(self):
            return ".html"

        def _course(self) -> Course:
            coursedir = getattr(self.parent, "coursedir", None)
            if coursedir is None:
                return open_course(".")
            return course_of(coursedir, self.parent.config)

        def from_notebook_node(self, nb, resources=None, **kw):
            from nbgrader.api import Gradebook

            resources = self._init_resources(resources)
            info = resources["nbgrader"]
            course = self._course()
            cache = self.__dict__.setdefault("_boundaries", {})
            if info["assignment"] not in cache:
                boundary, missing = course_boundary(course, [info["assignment"]])
                if missing:
                    raise RuntimeError(f"{info['assignment']}: no master in {course.source}: no feedback page")
                cache[info["assignment"]] = boundary
            with Gradebook(course.db_url, course.course_id) as gb:
                sub = gb.find_submission(info["assignment"], info["student"])
                page = feedback_page(course, sub, cache[info["assignment"]])
            resources["output_extension"] = ".html"
            return page, resources

    FeedbackExporter.__module__, FeedbackExporter.__qualname__ = __name__, "FeedbackExporter"
    return FeedbackExporter


def __getattr__(name):
    """``FeedbackExporter``, built on first use (``c.GenerateFeedback.exporter_class``)."""
    if name == "FeedbackExporter":
        cls = _feedback_exporter()
        globals()[name] = cls
        return cls
    raise AttributeError(name)


# ----------------------------------------------------------------------------------------
# the command line: python -m autograder feedback --course-root DIR [--assignment ID]
# ----------------------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--course-root", required=True, type=Path,
                        help="the nbgrader course root (its nbgrader_config.py, gradebook, autograded/, feedback/)")
    parser.add_argument("--assignment", action="append", dest="assignments", metavar="ID",
                        help="only this assignment (repeatable; default: every assignment in the gradebook)")


def run(args) -> int:
    if not Path(args.course_root).is_dir():
        print(f"ERROR: no nbgrader course root at {args.course_root}", file=sys.stderr)
        return 2
    for warning in rebuild_feedback(args.course_root, args.assignments):
        log.warning(warning)
    print("next: `nbgrader release_feedback <assignment>` in the course root sends these pages to the students")
    return 0
