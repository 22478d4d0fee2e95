"""Step: the solutions keep 100 % on a slow or busy grader, on both grading paths.

`python -m autograder busy [ids] [--mode idle|busy|one-thread ...] [--path autograde|nbgrader ...]`

For every assignment, the solved student version (``grading.student_versions``) is graded

* on the course's grading path (``grading.grade_notebooks``: what `make autograde` runs), and
* with **plain nbgrader** run from the repository with its ``nbgrader_config.py``
  (``nbgrader generate_assignment`` then ``nbgrader autograde``, as an instructor on
  JupyterHub would), in a throwaway course folder,

under each mode:

* ``idle``: nothing else running (the reference timings);
* ``busy``: a CPU hog of our own, one spinning process per core, started before and stopped
  after the grading (``cpu_hog``);
* ``one-thread``: ``TF_NUM_INTRAOP_THREADS=1`` and ``TF_NUM_INTEROP_THREADS=1`` (a grader
  that gives each kernel one core).

It prints, per assignment, mode and path, the score, the slowest cell and its limit, and
the load average, and fails unless every solution scores full marks everywhere and, on the
idle machine, every per-cell limit is at least MARGIN (4) times the slowest cell.  Those
slowest cells are what the limits in ``course.toml`` are sized from: ``--record FILE``
(``make busy``: bench/busy.json, committed) merges the runs and each mode's kernel start into
FILE, one entry per assignment, mode and path, the newest kept, and tests/test_course.py
checks course.toml's limits and waits against it.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import course
from . import load_average

log = logging.getLogger(__name__)

MODES = ("idle", "busy", "one-thread")
PATHS = ("autograde", "nbgrader")
MARGIN = 4.0            # the limits must be at least this many times the slowest cell
WAIT_MARGIN = 10.0      # course.toml [executor]: each wait at least this many times the longest seen


@dataclass
class Run:
    assignment: str
    mode: str
    path: str
    score: float = 0.0
    max_score: float = 0.0
    slowest_cell: int | None = None
    slowest_seconds: float = 0.0
    seconds: float = 0.0
    load: str = ""
    problem: str = ""
    cells: dict = field(default_factory=dict)    # grade_id -> [score, max]
    pending: float = 0.0                         # points of answers graded by hand (pending, not lost)
    iopub_lag: float = 0.0                       # plain nbgrader: the longest wait for a cell's last output
    when: str = ""                               # the date of the run (YYYY-MM-DD)

    @property
    def full(self) -> bool:
        return not self.problem and self.max_score > 0 and self.score + self.pending == self.max_score


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@contextlib.contextmanager
def cpu_hog(processes: int | None = None):
    """Keep every core busy: ``processes`` spinning Python processes (default: one per core)."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes or cores())]
    try:
        yield procs
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()


@contextlib.contextmanager
def environment(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def mode_context(mode: str):
    if mode == "idle":
        yield
    elif mode == "busy":
        with cpu_hog():
            yield
    elif mode == "one-thread":     # the plain nbgrader path's kernels read it (the course's: GradeOptions.threads)
        with environment(TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1"):
            yield
    else:
        raise ValueError(f"unknown mode {mode!r}: one of {', '.join(MODES)}")


def load_text() -> str:
    """The load averages, as the report prints them."""
    return " ".join(f"{x:.2f}" for x in load_average())


def kernel_start_seconds(starts: int = 3) -> float:
    """The longest of ``starts`` starts of a Python kernel until it answers (what nbgrader's
    Execute.startup_timeout, course.toml [executor] kernel_start_seconds, waits for)."""
    from jupyter_client.manager import start_new_kernel

    longest = 0.0
    for _ in range(starts):
        t0 = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3", startup_timeout=course.COURSE.executor.kernel_start_seconds)
        longest = max(longest, time.perf_counter() - t0)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return round(longest, 2)


def grade_on_course_path(solved: dict[str, Path], mode: str) -> list[Run]:
    """The course's grading path, one submission at a time (JOBS=1); in the one-thread mode
    its kernels are asked for one thread per pool (``GradeOptions.threads``)."""
    from .grading import expected_status, grade_notebooks, scores

    results = grade_notebooks({aid: (path, aid) for aid, path in solved.items()}, jobs=1,
                              threads=1 if mode == "one-thread" else None)
    runs = []
    for aid, r in results.items():
        run = Run(aid, mode, "autograde", r.score, r.max_score, seconds=round(r.seconds, 1), load=load_text(),
                  cells={k: list(v) for k, v in scores(r).items()}, pending=r.pending_points)
        if r.cell_seconds:
            cell, secs = max(r.cell_seconds.items(), key=lambda kv: kv[1])
            run.slowest_cell, run.slowest_seconds = int(cell), round(secs, 1)
        if r.status != expected_status(aid) or r.flags:
            run.problem = f"status {r.status}, flags {r.flags}: {' '.join(r.messages)[:300]}"
        runs.append(run)
    return runs


def _timing_gaps(executed, first: str, last: str) -> dict[int, float]:
    """Seconds from the ``first`` to the ``last`` event nbclient records per code cell."""
    from datetime import datetime

    out = {}
    for i, cell in enumerate(executed.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        start, end = timing.get(first), timing.get(last)
        if start and end:
            parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))  # noqa: E731
            out[i] = (parse(end) - parse(start)).total_seconds()
    return out


def _cell_seconds(executed) -> dict[int, float]:
    """Seconds per code cell, from the timing metadata nbclient records."""
    return _timing_gaps(executed, "iopub.execute_input", "shell.execute_reply")


def iopub_lags(executed) -> dict[int, float]:
    """Seconds per code cell from the kernel's reply to its last output (the idle status): what
    nbgrader's Execute.iopub_timeout (course.toml [executor] iopub_seconds) waits for."""
    return _timing_gaps(executed, "shell.execute_reply", "iopub.status.idle")


def grade_with_plain_nbgrader(aid: str, solved: Path, mode: str, workdir: Path) -> Run:
    """`nbgrader generate_assignment` + `nbgrader autograde` from the repository, with its
    nbgrader_config.py, in a throwaway course folder (only the root and gradebook moved)."""
    import nbformat

    from ..grader.nbgrade import read_gradebook

    root = workdir / f"nbgrader-{aid}-{mode}"
    shutil.copytree(course.SOURCE / aid, root / "source" / aid)
    target = root / "submitted" / "student" / aid / f"{aid}.ipynb"
    target.parent.mkdir(parents=True)
    shutil.copyfile(solved, target)
    nbgrader = Path(sys.executable).with_name("nbgrader")
    common = [f"--CourseDirectory.root={root}", f"--CourseDirectory.db_url=sqlite:///{root / 'gradebook.db'}"]
    run = Run(aid, mode, "nbgrader")
    t0 = time.perf_counter()
    for step in (["generate_assignment", aid, "--force"], ["autograde", aid, "--force", "--student", "student"]):
        proc = subprocess.run([str(nbgrader)] + step + common, cwd=course.ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            run.problem = f"nbgrader {step[0]} failed ({proc.returncode}): {(proc.stderr or proc.stdout)[-1500:]}"
            return run
    run.seconds = round(time.perf_counter() - t0, 1)
    run.load = load_text()
    cells = read_gradebook(root, aid, "student")
    run.score = sum(c.score for c in cells)
    run.max_score = sum(c.max_score for c in cells)
    run.pending = sum(c.max_score for c in cells if c.pending)
    run.cells = {c.grade_id: [c.score, c.max_score] for c in cells}
    executed = root / "autograded" / "student" / aid / f"{aid}.ipynb"
    if executed.exists():
        executed_nb = nbformat.read(executed, as_version=4)
        run.iopub_lag = round(max(iopub_lags(executed_nb).values(), default=0.0), 2)
        secs = _cell_seconds(executed_nb)
        if secs:
            cell, s = max(secs.items(), key=lambda kv: kv[1])
            run.slowest_cell, run.slowest_seconds = cell, round(s, 1)
    return run


def prove(assignments, modes=MODES, paths=PATHS, starts: dict | None = None) -> list[Run]:
    """The runs; ``starts`` (when given) gets mode -> the longest kernel start and the load."""
    from .grading import student_versions
    from .validate import imdb_for

    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="busy-") as tmp, contextlib.ExitStack() as stack:
        tmp = Path(tmp)
        imdb = [a for a in assignments if a in course.IMDB_ASSIGNMENTS]
        if imdb:
            stack.enter_context(imdb_for(imdb[0]))
        solved = {aid: student_versions(aid, tmp / "versions" / aid)[0] for aid in assignments}
        for mode in modes:
            log.info(f"-- mode {mode} (load before: {load_text()}, {cores()} cores)")
            with mode_context(mode):
                start = kernel_start_seconds()
                if starts is not None:
                    starts[mode] = {"seconds": start, "load": load_text(), "when": today()}
                log.info(f"   kernel start: longest of 3 {start:.2f} s (nbgrader waits "
                         f"{course.COURSE.executor.kernel_start_seconds} s; load {load_text()})")
                if start * WAIT_MARGIN > course.COURSE.executor.kernel_start_seconds:
                    runs.append(Run("(kernel start)", mode, "nbgrader", problem=f"a kernel took {start} s to start"))
                if "autograde" in paths:
                    for r in grade_on_course_path(solved, mode):
                        r.when = today()
                        runs.append(r)
                        log.info(line(r))
                if "nbgrader" in paths:
                    for aid in assignments:
                        r = grade_with_plain_nbgrader(aid, solved[aid], mode, tmp)
                        r.when = today()
                        runs.append(r)
                        log.info(line(r))
    return runs


def limit_for(run: Run) -> int:
    return course.limits(run.assignment).cell_seconds if run.path == "autograde" else course.NBGRADER_CELL_TIMEOUT


def line(r: Run) -> str:
    lim = limit_for(r)
    margin = lim / r.slowest_seconds if r.slowest_seconds else float("inf")
    pending = f" (+{r.pending:g} by hand)" if r.pending else ""
    return (f"{r.assignment:<24}{r.mode:<11}{r.path:<10}{r.score:>5g}/{r.max_score:<4g}{pending}"
            f" slowest cell {r.slowest_cell!s:>3} {r.slowest_seconds:7.1f} s  limit {lim:4d} s (x{margin:4.1f})"
            f"  notebook {r.seconds:7.1f} s  load {r.load}"
            + (f"  IOPub lag {r.iopub_lag:.2f} s (waits {course.COURSE.executor.iopub_seconds} s)" if r.path == "nbgrader" else "")
            + f"{'  PROBLEM ' + r.problem if r.problem else ('' if r.full else '  NOT FULL MARKS')}")


def problems(runs: list[Run]) -> list[str]:
    out = []
    for r in runs:
        if not r.full:
            out.append(f"{r.assignment} ({r.mode}, {r.path}): {r.score:g}/{r.max_score:g} {r.problem} {r.cells}")
        elif r.mode == "idle" and r.slowest_seconds and limit_for(r) < MARGIN * r.slowest_seconds:
            out.append(f"{r.assignment} ({r.mode}, {r.path}): the limit {limit_for(r)} s is less than {MARGIN:g} x "
                       f"the slowest cell ({r.slowest_seconds} s)")
        if r.iopub_lag * WAIT_MARGIN > course.COURSE.executor.iopub_seconds:
            out.append(f"{r.assignment} ({r.mode}, {r.path}): an output came {r.iopub_lag} s after its cell's reply; "
                       f"course.toml's iopub_seconds ({course.COURSE.executor.iopub_seconds}) must be {WAIT_MARGIN:g} x that")
    return out


def add_arguments(parser) -> None:
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    parser.add_argument("--mode", action="append", choices=MODES, help="repeatable (default: all three)")
    parser.add_argument("--path", action="append", choices=PATHS, help="repeatable (default: both)")
    parser.add_argument("--record", help="merge the runs into this JSON file (make busy: bench/busy.json)")


def today() -> str:
    return time.strftime("%Y-%m-%d")


def record(path: Path, runs: list[Run], starts: dict) -> dict:
    """Merge ``runs`` and the kernel ``starts`` into the record at ``path``: one entry per
    (assignment, mode, path), the newest kept; the record is what course.toml is checked
    against (tests/test_course.py), so a partial run (ASSIGNMENTS=...) updates its part only."""
    path = Path(path)
    try:
        old = json.loads(path.read_text())
    except (OSError, ValueError):
        old = {}
    kept = {(r["assignment"], r["mode"], r["path"]): r for r in old.get("runs", [])}
    for r in runs:
        if not r.assignment.startswith("("):
            kept[(r.assignment, r.mode, r.path)] = {k: v for k, v in asdict(r).items() if k != "cells"}
    out = {"cores": cores(), "margin": MARGIN, "wait_margin": WAIT_MARGIN,
           "kernel_start": {**old.get("kernel_start", {}), **starts},
           "runs": [kept[k] for k in sorted(kept)]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1) + "\n")
    return out


def run(args) -> int:
    starts: dict = {}
    runs = prove(args.assignments or list(course.ASSIGNMENTS), tuple(args.mode or MODES), tuple(args.path or PATHS),
                 starts)
    if args.record:
        record(Path(args.record), runs, starts)
    found = problems(runs)
    for p in found:
        print("FAIL", p)
    print(f"busy-machine proof: {'OK' if not found else 'FAILED'} ({len(runs)} runs, {len(found)} problem(s))")
    return 1 if found else 0
