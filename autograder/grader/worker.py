"""Step: grade ONE submission, in a process of its own (``grade`` starts one per job).

The worker gets a throwaway course directory: a copy of the assignment's template (the
master folder and a gradebook that ``generate_assignment`` filled once per batch, see
``build_template``) and a copy of the submitted notebook.  It then

1. scans the student's cells for monkeypatching (``tamper.scan_notebook``: flags only);
2. runs real nbgrader ``autograde``: its sanitize pass with ``sanitize``'s steps (metadata
   from the release, deleted answer cells back, edited / deleted locked cells recorded
   by ``RecordingOverwriteCells``), then its autograde pass with ``GuardedExecute`` in
   place of ``Execute`` (dead kernels keep their points, notebook time limit, integrity
   guard), the kernel started through the sandbox (``provisioner.SandboxProvisioner``)
   and watched by the memory watchdog;
3. reads the per-cell scores from its gradebook and turns the executed notebook into
   per-question outcomes that are safe to show (``feedback.question_outcomes``);
4. writes ``result.json`` in its job folder.  Hidden tests never leave this process, except
   in ``executed.ipynb`` (only when ``Job.keep_executed``: an nbgrader course root's
   autograded/ copy, for instructors, never sent to a student).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
import traceback
from pathlib import Path

from . import judge, sandbox, supervise
from .cells import grade_id, points
from .schema import Job, Question, Result

STUDENT = "student"     # the student id inside the throwaway course (real ids can be anything)


# ----------------------------------------------------------------------------------------
# templates: generate_assignment once per assignment and batch
# ----------------------------------------------------------------------------------------

def template_questions(template: Path) -> list[tuple[str, float]]:
    return [tuple(q) for q in json.loads((template / "template.json").read_text())["questions"]]


def template_names(template: Path | None) -> dict[str, str]:
    """grade_id -> the question's name, as ``build_template`` derived it from the master."""
    path = template / "template.json" if template is not None else None
    return json.loads(path.read_text()).get("names", {}) if path is not None and path.exists() else {}


def build_template(assignment: str, template: Path, source_root: Path, data_dir: str | None = None,
                   judge_cache: str | None = None) -> None:
    """``template``/source/<a>/ (the master folder), gradebook.db (filled by nbgrader's
    generate_assignment), release/<a>/<a>.ipynb (the student version) and template.json (the
    questions with their points, and their names: ``rnnkit.questions``, once per assignment).
    ``data_dir`` and ``judge_cache``: what the master's hidden checks are recorded with and
    where (``judge.prepare``; the batch passes its own, None: the defaults)."""
    import nbformat
    from nbgrader import utils
    from nbgrader.apps import NbGraderAPI
    from rnnkit.questions import question_names

    from .nbgrade import course_config
    from ..nbgrader_speedups import install

    install()
    shutil.copytree(source_root / assignment, template / "source" / assignment,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    api = NbGraderAPI(config=course_config(template, assignment))
    result = NbGraderAPI.generate_assignment(api, assignment)
    if not result["success"]:
        raise RuntimeError(f"generate_assignment failed for {assignment}: {result.get('error')}\n{result.get('log')}")
    release = nbformat.read(template / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    questions = [(grade_id(c), points(c)) for c in release.cells if utils.is_grade(c) and c.cell_type == "code"]
    master = nbformat.read(template / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    if judge.hidden_regions(master):       # the hidden checks' inputs and expected values, once per batch
        judge.prepare(template / "source" / assignment / f"{assignment}.ipynb", template / judge.SPEC_DIR,
                      data_dir=data_dir, cache=judge_cache and Path(judge_cache))
    (template / "template.json").write_text(json.dumps({"assignment": assignment, "questions": questions,
                                                        "names": question_names(master)}))


def empty_result(job_or_sub, template: Path | None, status: str, message: str) -> Result:
    """The row of a submission that could not be run: every question at 0."""
    questions = []
    if template is not None and (template / "template.json").exists():
        names = template_names(template)
        for gid, pts in template_questions(template):
            questions.append(Question(gid, 0.0, pts, "not_run", "not_run", None, f"Not run: {message}",
                                      names.get(gid, "")))
    return Result(job_or_sub.student, job_or_sub.assignment, status,
                  0.0, sum(q.max_score for q in questions), list(getattr(job_or_sub, "flags", [])),
                  questions, [message], notebook=getattr(job_or_sub, "submitted_name", ""))


# ----------------------------------------------------------------------------------------
# one submission
# ----------------------------------------------------------------------------------------

def _config(job: Job, recorder, watchdog=None):
    """nbgrader's configuration for this job: its throwaway course, the course's steps, and
    the objects they share with the worker (the recorder, the watchdog, the kernel's sandbox
    and settings, all as the batch built them)."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute

    from . import sanitize
    from .execution import GuardedExecute
    from .nbgrade import course_config

    folder = job.folder
    cfg = course_config(folder.course, job.assignment, job.cell_timeout)
    default = Autograde.class_traits()["autograde_preprocessors"].default()
    cfg.Autograde.autograde_preprocessors = [GuardedExecute if p is Execute else p for p in default]
    cfg.Autograde.sanitize_preprocessors = sanitize.sanitize_preprocessors(
        Autograde.class_traits()["sanitize_preprocessors"].default())
    cfg.OverwriteCells.add_missing_cells = True
    cfg.TamperRecord.release_notebook = str(Path(job.template) / "release" / job.assignment / f"{job.assignment}.ipynb")
    cfg.TamperRecord.recorder = recorder
    cfg.GuardedExecute.recorder = recorder
    cfg.GuardedExecute.notebook_timeout = job.notebook_timeout
    cfg.GuardedExecute.watchdog = watchdog
    cfg.GuardedExecute.judged_dir = str(Path(job.template) / judge.SPEC_DIR)
    cfg.KernelManager.connection_file = str(folder.runtime / "kernel.json")
    cfg.SandboxProvisioner.environment = dict(job.kernel_env)
    if job.sandbox is not None:
        cfg.SandboxProvisioner.spec = job.sandbox
        cfg.KernelManager.transport = "ipc"
    if job.config:
        from traitlets.config import Config

        cfg.merge(Config(job.config))
    ignore = cfg.IgnorePattern
    cfg.GuardedExecute.noise_pattern = ignore.get("pattern", "") if ignore.get("enabled", False) else ""
    return cfg


def _uid(job: Job) -> int | None:
    """The kernel's own uid, when it has one."""
    return job.sandbox.uid if job.sandbox is not None else None


def _prepare_permissions(job: Job) -> None:
    """When the kernel runs under its own uid: it may enter its own folders only."""
    folder, uid = job.folder, _uid(job)
    for d in (folder.home, folder.runtime, folder.home / "tmp"):
        d.mkdir(parents=True, exist_ok=True)
    _seed_matplotlib_cache(folder.home)
    if uid is None or os.geteuid() != 0:
        return
    from .provisioner import chown_tree

    os.chmod(folder.root, 0o711)
    os.chmod(folder.course, 0o711)
    for secret in (folder.course / "source", folder.course / "submitted"):
        os.chmod(secret, 0o700)
    os.chmod(folder.course / "gradebook.db", 0o600)
    for d in (folder.home, folder.runtime):
        chown_tree(str(d), uid)
        os.chmod(d, 0o700)


def _seed_matplotlib_cache(home: Path) -> None:
    """Copy the grader's matplotlib font cache into the throwaway HOME: building it costs
    seconds on every kernel otherwise."""
    target = home / ".config" / "matplotlib"
    target.mkdir(parents=True, exist_ok=True)
    for base in [os.environ.get("MPLCONFIGDIR"), os.path.expanduser("~/.cache/matplotlib"),
                 os.path.expanduser("~/.matplotlib")]:
        if base and os.path.isdir(base):
            for f in Path(base).glob("fontlist-*.json"):
                shutil.copy(f, target / f.name)
            break


def grade_job(job: Job) -> Result:
    import nbformat
    from nbgrader import utils

    from . import provisioner, sanitize, tamper
    from .feedback import question_outcomes
    from .nbgrade import read_gradebook
    from .recorder import Recorder
    from ..nbgrader_speedups import install

    t0 = time.perf_counter()
    install()
    folder = job.folder
    template = Path(job.template)
    aid = job.assignment
    shutil.copytree(template / "source", folder.course / "source")
    shutil.copy(template / "gradebook.db", folder.course / "gradebook.db")

    submitted = nbformat.read(job.notebook, as_version=4)
    release = nbformat.read(template / "release" / aid / f"{aid}.ipynb", as_version=4)
    master = nbformat.read(template / "source" / aid / f"{aid}.ipynb", as_version=4)
    result = Result(job.student, aid, "graded", flags=list(job.flags), messages=list(job.notes),
                    notebook=job.submitted_name)

    findings = tamper.scan_notebook(submitted, release, master)
    result.review += [f"suspected tampering: {f}" for f in findings]

    target = folder.course / "submitted" / STUDENT / aid / f"{aid}.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(submitted, target)
    _prepare_permissions(job)

    # jupyter_client's own switches, for this process: where connection files go, which provisioner
    os.environ["JUPYTER_RUNTIME_DIR"] = str(folder.runtime)
    os.environ["JUPYTER_DEFAULT_PROVISIONER_NAME"] = provisioner.NAME
    watchdog = None
    if job.sandbox is not None:
        watchdog = supervise.MemoryWatchdog(str(folder.kernel_pid), job.sandbox.memory_mb)
        watchdog.start()
    from nbgrader.apps import NbGraderAPI

    recorder = Recorder()
    try:
        api = NbGraderAPI(config=_config(job, recorder, watchdog))
        outcome = api.autograde(aid, STUDENT)
    finally:
        if watchdog is not None:
            watchdog.stop()
        left = supervise.kill_leftovers(_read_pid(folder.kernel_pid), _uid(job))
    result.flags += recorder.flags
    result.review += recorder.details
    if sanitize.EDITED in recorder.flags:
        result.messages.append("A locked test cell had been edited; the original was put back for grading.")
    if sanitize.DELETED in recorder.flags:
        result.messages.append("A locked test cell had been deleted; it was put back for grading.")
    if left:
        result.messages.append(f"Your code left {left} process(es) running after the notebook ended "
                               "(started with subprocess, os.fork or multiprocessing); they were stopped.")
    report = sandbox.read_report(folder.sandbox_report)
    result.sandbox = report.summary() if report else ("no sandbox" if job.sandbox is None else "sandbox report missing")
    rec = recorder.execution
    executed_path = folder.course / "autograded" / STUDENT / aid / f"{aid}.ipynb"
    if not outcome["success"] or rec is None or not executed_path.exists():
        err = (outcome.get("error") or "") + "\n" + (outcome.get("log") or "")
        failed = empty_result(job, template, "error", "the autograder failed on this submission")
        failed.flags, failed.review = result.flags, result.review + [f"nbgrader autograde failed: {err.strip()[-3000:]}"]
        failed.seconds = time.perf_counter() - t0
        return failed

    if rec.restored:
        result.review.append("the guard restored before a test cell: " + ", ".join(rec.restored))
    _note_comms(result, rec)
    if rec.unmeasured:
        result.flags.append("needs_review")
        result.review.append("the CPU time of " + ", ".join(rec.unmeasured) + " could not be measured outside "
                             "the kernel: its CPU budget was not checked")
    if findings or rec.restored:
        result.flags += ["tampering_suspected", "needs_review"]
        result.messages.append("Your code changes libraries or tools that the tests rely on (for example "
                               "replacing a numpy function). Those changes were undone before each test; "
                               "an instructor will review this grade.")
    result.status = rec.status
    result.cell_seconds = {str(k): v for k, v in rec.cell_seconds.items()}
    result.cell_cpu_seconds = {str(k): v for k, v in rec.cell_cpu_seconds.items()}
    result.peak_memory_mb = rec.peak_memory_mb
    if rec.reason:
        result.messages.append(rec.reason)
    if rec.status == "kernel_died":
        result.review.append(f"kernel died: {rec.exit} at cell {rec.cell} (peak memory {rec.peak_memory_mb} MB)")

    executed = nbformat.read(executed_path, as_version=4)
    if job.sandbox is not None and _disk_full(executed):
        result.messages.append(
            f"Your code wrote more to disk than a submission may ({job.sandbox.disk_mb} MB in all, "
            f"{job.sandbox.file_size_mb} MB per file): the cells that failed because of it score 0, "
            "points earned elsewhere are kept.")
    if job.keep_executed:
        # for an nbgrader course root's autograded/ (instructors): what nbgrader stores there,
        # hidden tests' source included, their outputs already reduced by GuardedExecute
        shutil.copyfile(executed_path, folder.executed)
        os.chmod(folder.executed, 0o600)
    cells = read_gradebook(folder.course, aid, STUDENT)
    scores = {c.grade_id: (c.score, c.max_score) for c in cells}
    pending = {c.grade_id for c in cells if c.pending}
    result.questions = question_outcomes(executed, scores, pending, template_names(template))
    result.cell_errors = [i for i, c in enumerate(executed.cells)
                          if c.cell_type == "code" and not utils.is_grade(c)
                          and "raises-exception" not in c.metadata.get("tags", [])
                          and any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    if pending:
        answers = {grade_id(c): c.source for c in executed.cells if grade_id(c) in pending}
        result.answers = answers
        if result.status == "graded":
            result.status = "needs_manual_grade"
    result.score = sum(q.score for q in result.questions)
    result.max_score = sum(q.max_score for q in result.questions)
    result.flags = order_flags(result.flags)
    result.seconds = time.perf_counter() - t0
    return result


FLAG_ORDER = ["renamed_notebook", "tests_modified", "cells_deleted", "tampering_suspected", "needs_review",
              "comms_dropped"]
WORKER_MEMORY = "worker_memory"    # status: the worker's own memory limit ended this submission


def _note_comms(result: Result, rec) -> None:
    """Comm (widget) messages the executor dropped: flagged, said to the student and the instructor."""
    if not (rec.comms_dropped or rec.comms_malformed):
        return
    result.flags.append("comms_dropped")
    result.review.append(f"comm messages dropped: {rec.comms_dropped} over the bounds, "
                         f"{rec.comms_malformed} malformed")
    result.messages.append("Your notebook sent widget (comm) messages that grading does not use; "
                           f"{rec.comms_dropped + rec.comms_malformed} of them were ignored. They do not change "
                           "your grade.")


def _memory_breach(job: Job, out: Path, resident_mb: float) -> None:
    """The worker's own memory passed its limit: stop the kernel, write this submission's
    row (status ``worker_memory``) and end the worker at once.  The batch goes on."""
    try:
        supervise.kill_tree(_read_pid(job.folder.kernel_pid), _uid(job))
        limit = job.worker_memory_mb or supervise.WORKER_MEMORY_MB
        result = empty_result(job, Path(job.template), WORKER_MEMORY,
                              f"Your notebook sent the grader more than it can hold (over {limit} MB: output "
                              "or widget messages); grading was stopped.")
        result.review.append(f"the worker's own memory reached {resident_mb:.0f} MB (limit {limit} MB)")
        _save_result(result, out)
    finally:
        os._exit(0)


def _save_result(result: Result, out: Path) -> None:
    tmp = out.with_suffix(".tmp")
    result.save(tmp)
    os.chmod(tmp, 0o600)
    tmp.rename(out)


def order_flags(flags) -> list[str]:
    return sorted(set(flags), key=lambda f: (FLAG_ORDER.index(f) if f in FLAG_ORDER else len(FLAG_ORDER), f))



def _disk_full(executed) -> bool:
    """Did a cell fail because the kernel's scratch space (or its file-size limit) was full?"""
    for cell in executed.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and any(
                    s in str(out.get("evalue", "")) for s in ("No space left on device", "File too large")):
                return True
    return False


def _not_dumpable() -> None:
    """Other processes of the same user may not read this one's memory or /proc/<pid>/environ
    (prctl PR_SET_DUMPABLE 0): matters when kernels run under the grader's own uid."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip() or 0) or None
    except (OSError, ValueError):
        return None


def run(job_file: str) -> None:
    """Entry point of the worker process: grade, write result.json next to the job file.
    Everything it needs is in the job (``jobs``): it reads nothing of the batch's ``os.environ``."""
    import warnings

    _not_dumpable()
    supervise.become_subreaper()
    warnings.filterwarnings("ignore", module=r"nbgrader|sqlalchemy")   # nbgrader's own SAWarnings
    job = Job.load(job_file)
    out = job.folder.result
    t0 = time.perf_counter()
    watchdog = supervise.WorkerMemoryWatchdog(job.worker_memory_mb or supervise.WORKER_MEMORY_MB,
                                            lambda mb: _memory_breach(job, out, mb))
    watchdog.start()
    try:
        result = grade_job(job)
    except BaseException as exc:  # the grader failed: say so in this row, never crash the batch
        result = empty_result(job, Path(job.template), "error", "the autograder failed on this submission")
        result.review.append("worker exception: " + "".join(traceback.format_exception(exc))[-3000:])
        result.seconds = time.perf_counter() - t0
    finally:
        watchdog.stop()
    _save_result(result, out)


if __name__ == "__main__":
    run(sys.argv[1])
