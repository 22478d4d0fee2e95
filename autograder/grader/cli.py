"""The command line of grading: `python -m autograder grade <submissions> --out <dir> ...`.

It turns the arguments into ``schema.GradeOptions``, runs ``grade.grade_batch`` and says how
it went in one line and an exit code (docs/autograding.md, "Exit codes"; ``EXIT_*`` below: 0
when every submission got its row, whatever the students' code did).  With ``--course-root
DIR`` the batch's results go into an nbgrader course: the service knows nothing of nbgrader
courses, so the command line hands it the platform's ``CourseRoot`` (its masters, and the
publication the batch calls after the report: ``platforms/nbgrader_course.py``).
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import course
from . import data
from .grade import grade_batch
from .schema import GradeOptions

# Exit codes of `grade` (docs/autograding.md, "Exit codes"): 0 every submission has its row.
EXIT_USAGE = 2       # nothing graded: no submissions, an unknown layout or assignment id, a missing course root
EXIT_TEMPLATE = 3    # a master nbgrader cannot generate (the rows are written, status error)
EXIT_NO_DATA = 4     # nothing graded: a lab's data is absent and could not be fetched (grader/data.py)


@dataclass(frozen=True)
class CourseRoot:
    """What a platform gives the command line for ``--course-root DIR``: ``source(DIR)``, the
    folder of the course's masters; ``publish(DIR, results, executed, submitted_root, out)``,
    called by the batch after its report (``grade.grade_batch``'s ``publish``), returns
    warnings."""
    source: Callable
    publish: Callable


def add_arguments(parser) -> None:
    parser.add_argument("submissions", help="folder (or .zip) of submissions: nbgrader's <student>/<assignment>/<nb>.ipynb, "
                                            "a folder per student <student>/<nb>.ipynb, or a Canvas or Moodle bulk download "
                                            "(the last two with --assignment)")
    parser.add_argument("--out", required=True, help="output folder (grades.csv, summary.csv, per-student feedback)")
    parser.add_argument("--jobs", type=_jobs, default=2,
                        help="submissions graded at once (default 2); auto: as many as this machine's memory and cores allow")
    parser.add_argument("--assignment", action="append", dest="assignments",
                        help="expected assignment id (repeatable; default: those found in the folder)")
    parser.add_argument("--source", default=None, help="folder of the masters (default: source/)")
    parser.add_argument("--cell-timeout", type=int, help="seconds per cell (default: course.toml)")
    parser.add_argument("--notebook-timeout", type=int, help="seconds per notebook (default: course.toml)")
    parser.add_argument("--memory-mb", type=int, help=f"resident memory per kernel (default: course.toml, {course.LIMITS_DEFAULT.memory_mb} unless the assignment sets more)")
    parser.add_argument("--cpu-seconds", type=int, help="CPU seconds per kernel (default: notebook timeout x cores + 60)")
    parser.add_argument("--allow-network", action="store_true", help="do not cut the kernels' network")
    parser.add_argument("--no-sandbox", action="store_true", help="plain kernels: no limits, no namespaces (debugging only)")
    parser.add_argument("--shard", default=os.environ.get("AUTOGRADER_SHARD"),
                        help="i/n: grade only the i-th of n shards of the students (CI matrix); env AUTOGRADER_SHARD")
    parser.add_argument("--course-root", default=None,
                        help="an nbgrader course root (its nbgrader_config.py, source/, gradebook): merge the grades into "
                             "its gradebook, the executed notebooks into autograded/, safe feedback into feedback/ "
                             "(formgrader, nbgrader export and release_feedback then work unchanged); --source defaults to its source/")
    parser.add_argument("--roster", default=None,
                        help="roster.csv (student_id, name, lms_id, ...: the export's roster): maps a Canvas or Moodle "
                             "download's names and ids to student ids")
    parser.add_argument("--synthetic-data", action="store_true",
                        help="grade the labs that read a data set (course.toml's data) on a small SYNTHETIC stand-in; "
                             f"their rows are flagged {data.FLAG} and say so (checks only, never final grades)")
    parser.add_argument("--keep-workdir", action="store_true", help="keep the throwaway course folders (debugging)")


def _jobs(value: str) -> int | str:
    if value == "auto":
        return value
    n = int(value)
    if n < 1:
        raise ValueError("--jobs must be at least 1")
    return n


def jobs_for_machine(assignments=None) -> int:
    """Workers this machine can run at once: one per core, and no more than its available
    memory holds kernels at the largest memory limit of ``assignments`` (course.toml), plus
    about 300 MB for each worker itself.  At least 1."""
    aids = assignments or [a.id for a in course.COURSE.assignments]
    per_job_mb = max(course.limits(a).memory_mb for a in aids) + 300
    try:
        with open("/proc/meminfo") as fh:
            info = {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in fh)}
        available_mb = info.get("MemAvailable", info["MemTotal"]) // 1024
    except (OSError, KeyError, ValueError):
        available_mb = per_job_mb
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, available_mb // per_job_mb))


def options_from(args, course_root: CourseRoot | None = None) -> GradeOptions:
    """The command line's options, as the batch takes them; with ``--course-root``, the
    masters default to the course's (``course_root.source``)."""
    source = args.source
    if args.course_root and not Path(args.course_root).is_dir():
        raise FileNotFoundError(f"no nbgrader course root at {Path(args.course_root).resolve()}")
    if args.course_root and not source:
        source = str(_course_root(course_root).source(args.course_root))
    jobs = jobs_for_machine(args.assignments) if args.jobs == "auto" else args.jobs
    return GradeOptions(jobs=jobs, assignments=args.assignments, source_root=source, course_root=args.course_root,
                        cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                        memory_mb=args.memory_mb, cpu_seconds=args.cpu_seconds, sandbox=not args.no_sandbox,
                        network=args.allow_network, shard=args.shard, keep=args.keep_workdir,
                        synthetic_data=args.synthetic_data, roster=args.roster)


def _course_root(course_root: CourseRoot | None) -> CourseRoot:
    if course_root is None:
        raise ValueError("--course-root needs the nbgrader course platform (python -m autograder grade provides it)")
    return course_root


def run(args, course_root: CourseRoot | None = None) -> int:
    """`grade`: the batch, its summary line and its exit code.  ``course_root`` is what the
    platform of ``--course-root`` provides (``python -m autograder`` passes nbgrader's)."""
    try:
        options = options_from(args, course_root)
        publish = _course_root(course_root).publish if args.course_root else None
        batch = grade_batch(args.submissions, args.out, options, publish=publish)
    except data.DataError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return EXIT_NO_DATA
    except (FileNotFoundError, ValueError, OSError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return EXIT_USAGE
    counts: dict[str, int] = {}
    for r in batch.results:
        counts[r.status] = counts.get(r.status, 0) + 1
    flagged = sum(1 for r in batch.results if "needs_review" in r.flags)
    print(f"autograde: {len(batch.results)} submission(s) in {batch.wall:.1f} s: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
          + (f"; {flagged} need review" if flagged else "") + f" -> {Path(args.out) / 'summary.csv'}")
    if args.course_root:
        print(f"nbgrader course {args.course_root}: gradebook, autograded/ and feedback/ updated"
              + (f"; {len(batch.warnings)} warning(s)" if batch.warnings else ""))
    if batch.template_errors:
        print("ERROR: masters that could not be prepared: " + "; ".join(batch.template_errors), file=sys.stderr)
        return EXIT_TEMPLATE
    return 0
