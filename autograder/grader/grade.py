"""Step: grade a folder (or .zip) of submissions (its command line: ``cli.py``,
`python -m autograder grade <dir> --out <dir>`).

    submissions/<student_id>/<assignment_id>/<notebook>.ipynb   (nbgrader's submitted layout;
                                                                 discover.py: the others)

The batch:

1. ``discover`` finds every student × assignment (renamed, missing, invalid notebooks), after
   ``discover.arrange`` has recognised the layout (nbgrader's, a folder per student, a Canvas
   or Moodle download); the data the labs read is there (``data.prepare``), or nothing is graded;
2. one *template* per assignment: nbgrader's generate_assignment, run once, in a worker;
3. one *worker process* per submission (``worker.run``), JOBS at a time, each in its own
   throwaway course directory with its own gradebook, its kernel sandboxed.  Workers are
   forked from a forkserver that has nbgrader imported already, so a job starts in
   milliseconds.  A worker that outlives its hard limit is killed with its kernel;
4. ``report`` writes grades.csv, summary.csv, results.json and feedback.html.

A line per finished submission says ``[k/N]``, the time so far and an estimate of the time left;
progress and diagnostics go to this module's logger (``logging``: the command line shows them,
``quiet_batch`` hides them from a gate that grades as a means to its own report).
``grade_batch`` returns every row and per-submission seconds (`make bench` times them:
``gates/bench.py``).  With a course root, the platform's ``publish`` runs after the report.
"""
from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import course
from . import data, jobs, judge
from .cells import grade_id
from .discover import SubmissionsError, arrange, discover, extract_zip, read_roster
from .schema import GradeOptions, Job, Result

log = logging.getLogger(__name__)

# What a kernel may not see of an nbgrader course root (--course-root): grades, masters, work.
COURSE_ROOT_SECRETS = ("gradebook.db", "source", "submitted", "autograded", "feedback", "release")
# A worker is killed when it outlives its notebook's limit by this much (start-up, nbgrader).
HARD_LIMIT_MARGIN = 300
PRELOAD = ["autograder.grader.worker", "autograder.grader.execution", "autograder.grader.feedback", "autograder.grader.tamper",
           "nbgrader.apps", "nbgrader.converters.autograde", "nbclient", "IPython.core.inputtransformer2"]


@dataclass
class BatchResult:
    results: list                                  # schema.Result, one per submission
    seconds: dict[tuple[str, str], float]          # (student, assignment) -> seconds, worker start to result
    wall: float = 0.0                              # the whole batch
    warnings: list[str] = field(default_factory=list)
    template_errors: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.template_errors


def known_assignments(source_root: Path) -> set[str]:
    if not source_root.is_dir():
        return set()
    return {p.name for p in source_root.iterdir() if (p / f"{p.name}.ipynb").is_file()}


def expected_grade_ids(source_root: Path, assignments) -> dict[str, set[str]]:
    """assignment -> the grade ids of its master: of several notebooks in a student's folder,
    discovery grades the one that holds most of them (``discover.pick_notebook``)."""
    import json

    ids = {}
    for aid in assignments:
        try:
            nb = json.loads((source_root / aid / f"{aid}.ipynb").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        ids[aid] = {grade_id(c) for c in nb.get("cells", [])} - {None}
    return ids


def _context():
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _template_entry(assignment: str, template: str, source_root: str, data_dir: str, judge_cache: str) -> None:
    """Build one template (``worker.build_template``), its hidden checks recorded with the
    batch's data folder into the batch's judge cache: passed here, never read from the
    forkserver's environment (it can be older than the batch)."""
    import warnings

    from .worker import build_template

    warnings.filterwarnings("ignore", module=r"nbgrader|sqlalchemy")

    try:
        build_template(assignment, Path(template), Path(source_root), data_dir=data_dir, judge_cache=judge_cache)
    except BaseException as exc:
        import traceback

        Path(template).mkdir(parents=True, exist_ok=True)
        (Path(template) / "error.txt").write_text("".join(traceback.format_exception(exc)))
        raise SystemExit(1)


def _worker_entry(job_file: str) -> None:
    from .worker import run

    run(job_file)


def _run_processes(ctx, tasks, jobs: int, on_done=None) -> dict:
    """Run (key, target, args, hard_limit, on_kill) tasks, ``jobs`` at a time; call
    ``on_done(key, exitcode, seconds, killed)`` as each ends.  Returns
    key -> (exitcode, seconds, killed)."""
    from multiprocessing.connection import wait

    pending = list(tasks)
    running = {}
    done = {}
    while pending or running:
        while pending and len(running) < max(1, jobs):
            key, target, args, hard, on_kill = pending.pop(0)
            p = ctx.Process(target=target, args=args, name=f"autograde-{key}")
            p.start()
            running[p] = (key, time.perf_counter(), hard, on_kill)
        wait([p.sentinel for p in running], timeout=1.0)
        now = time.perf_counter()
        for p in list(running):
            key, start, hard, on_kill = running[p]
            if not p.is_alive():
                p.join()
                done[key] = (p.exitcode, now - start, False)
                del running[p]
                if on_done:
                    on_done(key, *done[key])
            elif hard and now - start > hard:
                log.info(f"  {key}: over the hard limit of {hard:.0f} s, killing the worker and its kernel")
                p.kill()
                p.join()
                if on_kill:
                    on_kill()
                done[key] = (p.exitcode, now - start, True)
                del running[p]
                if on_done:
                    on_done(key, *done[key])
    return done


def grade_batch(submissions, out, options: GradeOptions = GradeOptions(), publish=None) -> BatchResult:
    """Grade every submission under ``submissions`` (folder or .zip) into ``out``, as
    ``options`` says (``schema.GradeOptions``: limits from course.toml unless given).

    ``publish``, required with ``options.course_root``: the platform's publication into that
    course, called once after the report, before the work folder goes (one writer, after the
    workers), as ``publish(course_root, results, executed, submitted_root, out)``,
    where ``executed`` maps (student, assignment) to the job's executed notebook; it returns
    warnings (``platforms.nbgrader_course.publish``)."""
    from . import report, sandbox as sb, supervise
    from .worker import empty_result, order_flags

    o = options
    course.venv_on_path()
    t_batch = time.perf_counter()
    submissions, out = Path(submissions).resolve(), Path(out).resolve()
    source_root = Path(o.source_root or course.SOURCE).resolve()
    known = known_assignments(source_root)
    check_request(submissions, known, o)
    if o.course_root and publish is None:
        raise ValueError("a course root (GradeOptions.course_root) needs its platform's publish")
    roster = read_roster(o.roster) if o.roster else None
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="autograde-", dir=sb.work_parent()))
    os.chmod(work, 0o711)
    cleanup = []
    try:
        folder = submissions
        if submissions.is_file():
            folder = extract_zip(submissions, work / "unzipped", known)
            os.chmod(work / "unzipped", 0o700)
        root, laid_out = arrange(folder, known, o.assignments, roster, work / "layout")
        if (work / "layout").exists():
            os.chmod(work / "layout", 0o700)
        subs, warnings = discover(root, known, o.assignments, expected_grade_ids(source_root, o.assignments or known))
        warnings = laid_out + warnings
        if not subs:
            raise SubmissionsError(f"no submissions found in {submissions}: no student folder holds "
                                   f"{'/'.join(o.assignments or []) or 'an assignment of this course'}")
        if o.shard:
            index, count = (int(x) for x in o.shard.split("/"))
            students = sorted({s.student for s in subs})
            mine = {st for i, st in enumerate(students) if i % count == index}
            subs = [s for s in subs if s.student in mine]
            log.info(f"shard {index}/{count}: {len(mine)} of {len(students)} students")
        for w in warnings:
            log.warning(w)
        # the data the labs read: there before any kernel starts, or no grading (data.py)
        data_dir = work / "data"
        data_dir.mkdir(mode=0o755)
        dataset = data.prepare({o.rules_of(s.assignment) for s in subs if not s.status and s.assignment in known},
                               data_dir, o.synthetic_data)
        if dataset is not None and dataset.synthetic and not o.synthetic_data:
            warnings.append(f"{data.ENV_VAR} holds the SYNTHETIC stand-in ({dataset.folder}): not final grades")
        ctx = _context()
        data_dir = str(dataset.folder) if dataset is not None else ""

        # templates: one per assignment, in workers of their own
        needed = sorted({s.assignment for s in subs if s.assignment in known})
        templates = {a: work / "templates" / a for a in needed}
        (work / "templates").mkdir(mode=0o700)
        t0 = time.perf_counter()
        cache = str(judge.cache_dir())
        _run_processes(ctx, [(f"template-{a}", _template_entry,
                              (a, str(t), str(source_root), data_dir if data.needed([o.rules_of(a)]) else "", cache), 900, None)
                             for a, t in templates.items()], o.jobs)
        template_errors = []
        for a, t in templates.items():
            if not (t / "template.json").exists():
                err = (t / "error.txt").read_text() if (t / "error.txt").exists() else "no template"
                template_errors.append(f"{a}: {err.strip().splitlines()[-1] if err.strip() else err}")
                log.error(f"could not prepare {a} from its master:\n{err}")
        log.info(f"prepared {len(templates)} assignment(s) in {time.perf_counter() - t0:.1f} s")

        results: dict[tuple[str, str], Result] = {}
        seconds: dict[tuple[str, str], float] = {}
        tasks, jobs_by_key = [], {}
        if o.sandbox and os.geteuid() == 0:
            lease = supervise.UidLease(len(subs))
            cleanup.append(lease.release)
        course_root = Path(o.course_root).resolve() if o.course_root else None
        hides = jobs.safe_hides([course.ROOT / p for p in course.SECRET_PATHS]
                                + [source_root, submissions, root, out, work / "templates", work / "unzipped"]
                                + ([course_root / p for p in COURSE_ROOT_SECRETS] if course_root else []),
                                keep=[work, sys.prefix, course.HELPER_PACKAGE, data_dir])
        kernel_env = jobs.kernel_settings(data_dir, jobs.kernel_threads(min(o.jobs, len(subs)), o.threads))
        for i, s in enumerate(sorted(subs, key=lambda s: s.key)):
            template = templates.get(s.assignment)
            if s.status or template is None or not (template / "template.json").exists():
                status = s.status or "error"
                detail = s.detail or f"the autograder could not prepare {s.assignment}"
                r = empty_result(s, template, status, detail)
                r.flags = order_flags(s.flags)
                if status == "error":
                    r.review.append(detail)
                results[s.key] = r
                seconds[s.key] = 0.0
                continue
            aid = s.assignment
            lim = course.limits(o.rules_of(aid))
            ct = o.per_assignment("cell_timeout", aid) or lim.cell_seconds
            nt = o.per_assignment("notebook_timeout", aid) or lim.notebook_seconds
            folder = jobs.JobFolder(work / f"j{i:04d}")
            folder.root.mkdir()
            spec = None
            if o.sandbox:
                spec = jobs.sandbox_spec(
                    folder, memory_mb=o.memory_mb or lim.memory_mb, disk_mb=lim.disk_mb,
                    cpu_seconds=o.cpu_seconds or replace(lim, notebook_seconds=nt).cpu_cap(),
                    uid=lease.uids[i] if os.geteuid() == 0 else None, network=o.network,
                    hide=hides, rules_of=o.rules_of(aid), data_dir=data_dir)
            job = Job(index=i, student=s.student, assignment=aid, notebook=str(s.path), template=str(template),
                      workdir=str(folder.root), cell_timeout=ct, notebook_timeout=nt, submitted_name=s.submitted_name,
                      flags=list(s.flags), notes=[s.detail] if s.detail else [], sandbox=spec, kernel_env=kernel_env,
                      config=o.nbgrader_config or {}, limits_of=o.rules_of(aid), keep_executed=course_root is not None)
            job.save(folder.job_file)
            os.chmod(folder.job_file, 0o600)
            jobs_by_key[s.key] = job
            tasks.append((s.key, _worker_entry, (str(folder.job_file),), nt + HARD_LIMIT_MARGIN, _killer(job)))
        log.info(f"grading {len(tasks)} submission(s) with {o.jobs} worker(s); "
                 f"{len(results)} could not be run ({', '.join(sorted({r.status for r in results.values()})) or '-'})")
        t0 = time.perf_counter()
        progress = Progress(len(tasks))

        def finished(key, exitcode, secs, killed):
            seconds[key] = secs
            results[key] = r = _collect(jobs_by_key[key], exitcode, killed)
            progress.done(f"{key[0]}/{key[1]}: {r.status} {r.score:g}/{r.max_score:g}"
                          f"{' [' + ';'.join(r.flags) + ']' if r.flags else ''} ({secs:.1f} s)")

        done = _run_processes(ctx, tasks, o.jobs, on_done=finished)
        for key in jobs_by_key.keys() - done.keys():     # never started (cannot happen; never lose a row)
            finished(key, None, 0.0, False)
        log.info(f"graded in {time.perf_counter() - t0:.1f} s")
        if dataset is not None and o.synthetic_data:
            _flag_synthetic(results.values(), {a for a in known if data.needed([o.rules_of(a)])})
        ordered = [results[k] for k in sorted(results)]
        ordered = report.write_outputs(ordered, out, _boundary(templates, [work, out, submissions, root, source_root]))
        if course_root is not None:
            # one writer, after the workers: the course's own gradebook, autograded/, feedback/
            executed = {k: j.folder.executed for k, j in jobs_by_key.items()}
            warnings += publish(course_root, ordered, executed, root, out)
        return BatchResult(ordered, seconds, time.perf_counter() - t_batch, warnings, template_errors)
    finally:
        for release in cleanup:
            release()
        if o.keep:
            log.info(f"kept the work folder {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _collect(job: Job, exitcode, killed: bool) -> Result:
    """A finished worker's row: its result.json, else why there is none."""
    from .worker import empty_result

    path = job.folder.result
    if path.exists():
        return Result.load(path)
    if killed:
        r = empty_result(job, Path(job.template), "timeout",
                         f"Grading took longer than {job.notebook_timeout + HARD_LIMIT_MARGIN} s and was stopped.")
        r.review.append("worker killed at the hard limit")
        return r
    r = empty_result(job, Path(job.template), "error", "the autograder failed on this submission")
    r.review.append(f"worker process ended with exit code {exitcode} and no result")
    return r


def _flag_synthetic(results, aids: set[str]) -> None:
    """Every row of a data-reading assignment graded on the synthetic stand-in: flagged, and
    told so (summary.csv, results.json's output, feedback.html)."""
    for r in results:
        if r.assignment in aids and data.FLAG not in r.flags:
            r.flags.append(data.FLAG)
            r.messages.append(data.SYNTHETIC_TEXT)


@contextlib.contextmanager
def quiet_batch(level: int = logging.CRITICAL):
    """The batch's progress and diagnostics (the loggers of ``autograder.grader``) below
    ``level`` left out while the block runs: for a gate that grades as a means to its own
    report (``gates.grading``, the bench, the load test's report)."""
    logger = logging.getLogger(__package__)
    before = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(before)


class Progress:
    """One line per finished submission: ``[k/N]``, the time so far and an estimate of the
    time left (the mean pace so far, times what is left), as INFO of ``logger`` (default:
    this module's)."""

    def __init__(self, total: int, logger: logging.Logger | None = None):
        self.total, self.logger, self.count, self.t0 = total, logger or log, 0, time.perf_counter()

    def done(self, what: str) -> None:
        self.count += 1
        elapsed = time.perf_counter() - self.t0
        left = elapsed / self.count * (self.total - self.count)
        width = len(str(self.total))
        self.logger.info(f"  [{self.count:>{width}}/{self.total}] {what}; {clock(elapsed)} so far, "
                         + (f"about {clock(left)} left" if self.count < self.total else "done"))


def clock(seconds: float) -> str:
    """``75`` -> ``1m15s``; ``3725`` -> ``1h02m``."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def check_request(submissions: Path, known: set[str], o: GradeOptions) -> None:
    """What can be checked before anything is written: the submissions exist, the
    assignments asked for are the course's, the course root exists."""
    if not submissions.exists():
        raise FileNotFoundError(f"no submissions folder or .zip at {submissions}")
    if submissions.is_file() and submissions.suffix.lower() != ".zip":
        raise SubmissionsError(f"{submissions} is a file but not a .zip: give a folder of submissions or a .zip of one")
    unknown = sorted(set(o.assignments or ()) - known)
    if unknown:
        raise SubmissionsError(unknown_ids_message(unknown, known))
    if o.course_root and not Path(o.course_root).is_dir():
        raise FileNotFoundError(f"no nbgrader course root at {Path(o.course_root).resolve()}")


def unknown_ids_message(unknown, valid) -> str:
    """The one wording of an unknown assignment id, with the valid ones."""
    return (f"unknown assignment id(s): {', '.join(unknown)}. "
            f"The assignments are: {', '.join(sorted(valid)) or '(none: no masters found)'}")


def _boundary(templates: dict, paths):
    """The output boundary of a batch: the hidden tests of its assignments, the grader's
    environment, the machine's paths (see boundary.py)."""
    import nbformat

    from .boundary import Boundary

    pairs = []
    for aid, t in templates.items():
        master, release = t / "source" / aid / f"{aid}.ipynb", t / "release" / aid / f"{aid}.ipynb"
        if master.exists() and release.exists():
            pairs.append((nbformat.read(master, as_version=4), nbformat.read(release, as_version=4)))
    home = os.path.expanduser("~")
    return Boundary.for_notebooks(pairs, paths=[*map(str, paths), str(course.ROOT), sys.prefix, sys.base_prefix,
                                                tempfile.gettempdir(), home if home != "/" else ""])


def _killer(job: Job):
    def kill():
        from . import supervise

        try:
            pid = int(job.folder.kernel_pid.read_text().strip())
        except (OSError, ValueError):
            pid = None
        supervise.kill_tree(pid, job.sandbox.uid if job.sandbox is not None else None)
    return kill
