"""Step: the class-size load test (`make bench`'s ``load`` section; `python -m autograder load`).

A class of N students (default 200) hands in the fast assignment (course.toml's ``roles = ["load"]``), a
fixed, seeded mix built from the real master through the same helpers as the quality gates:

* **correct** (60 %): the student version with the master's answers typed in
  (``grading.student_versions``), full marks;
* **wrong** (25 %): that notebook with one solution cell replaced by a real entry of the
  mutation bank (``mutants.load_bank``), round robin over the exercises, so that its
  exercise's test cell loses points; one in five wrong students hands in the blank
  student version instead (0 points);
* **faulty** (15 %), in this order: a missing notebook (an empty folder), an infinite loop
  cell, ``os._exit(1)``, corrupt JSON, a non-notebook file (a PDF), a renamed notebook.

Every student's expected status, score and flags are known in advance.  The class is graded
twice, ``grade.grade_batch(..., GradeOptions(jobs=2))`` into two output folders, and the report gives:
wall seconds and throughput (submissions per minute) per pass and their spread, the seconds
per submission (median, p90, max; per kind), the peak resident memory of each worker with
its kernel (sampled from outside with psutil: the RSS of the worker process and all its
descendants, summed, every half second; pages a worker shares with the forkserver it was
forked from count once per worker, so the figure errs high; the kernel's alone is the one its
worker's watchdog records, ``Result.peak_memory_mb``), the load average at the start
and end of each pass, whether every submission has exactly one row in summary.csv and one
per graded cell in grades.csv (anything lost, duplicated or extra is listed), whether each
expected status (and score, flags) came out, and ``identical_csvs``: grades.csv and
summary.csv byte-identical between the passes.

The grader's own limits for 02 (``course.limits``: 180 s per cell, 600 s per notebook)
would let each infinite loop run for three minutes; the load test grades with 30 s per cell
and 120 s per notebook (``CELL_TIMEOUT``, ``NOTEBOOK_TIMEOUT``).  02's slowest cell took
3.7 s in `make busy` (both cores hogged); the report gives the slowest cell of every
non-faulty submission of this run beside the limit.

Speed is reported, never asserted: the machine is shared, so each figure comes with the
load average.  The exit status of the CLI is 1 when a row is lost or an expectation fails.
"""
from __future__ import annotations

import json
import logging
import math
import os
import random
import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import course
from ..grader.cells import grade_id, points
from . import load_average

log = logging.getLogger(__name__)

ASSIGNMENT = course.COURSE.with_role("load").id     # course.toml: roles = ["load"]
DEFAULT_SIZE = 200
MIN_SIZE = 8                      # every category present: 3 correct, 2 wrong, 3 faulty
SEED = 2026
SHARES = {"correct": 0.60, "wrong": 0.25, "faulty": 0.15}
BLANK_EVERY = 5                   # the wrong students k with k % 5 == 2 hand in the blank version
FAULTS = ("missing", "loop", "exit", "corrupt", "non_notebook", "renamed")
CELL_TIMEOUT = 30
NOTEBOOK_TIMEOUT = 120
BUSY_SLOWEST_CELL = 3.7           # 02's slowest cell in `make busy` (course.py's comment)
SAMPLE_SECONDS = 0.5

LOOP = "while True:\n    pass"
EXIT = "import os\nos._exit(1)"
PDF = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
RAN_NO_KERNEL = {"missing", "corrupt", "non_notebook"}     # discovery gives their rows


@dataclass
class Student:
    id: str
    kind: str             # correct | blank | mutant | missing | loop | exit | corrupt | non_notebook | renamed
    category: str         # correct | wrong | faulty
    status: str           # expected status in summary.csv
    score: float | None   # expected total; None for a mutant (its exercise must lose points)
    flags: list[str] = field(default_factory=list)
    mutant: str = ""      # the bank entry (mutant)
    loses: str = ""       # the grade cell that must score less than its points (mutant)


# ----------------------------------------------------------------------------------------
# the class
# ----------------------------------------------------------------------------------------

def mix(size: int) -> dict[str, int]:
    """Students per category: 60 / 25 / 15 %, at least 2 wrong and 3 faulty."""
    if size < MIN_SIZE:
        raise ValueError(f"a class needs at least {MIN_SIZE} students (got {size})")
    faulty = max(3, round(SHARES["faulty"] * size))
    wrong = max(2, round(SHARES["wrong"] * size))
    return {"correct": size - wrong - faulty, "wrong": wrong, "faulty": faulty}


def master(assignment: str = ASSIGNMENT):
    import nbformat

    return nbformat.read(course.notebook_path(course.SOURCE, assignment), as_version=4)


def exercise_tests(master) -> dict[str, tuple[str, float]]:
    """solution grade_id -> (grade_id of its test cell, its points), in notebook order."""
    from .mutants import exercises

    out = {}
    for gid, (_, j) in exercises(master).items():
        out[gid] = (grade_id(master.cells[j]), points(master.cells[j]))
    return out


def grade_cells(master) -> list[tuple[str, float]]:
    from nbgrader.utils import is_grade

    return [(grade_id(c), points(c)) for c in master.cells if c.cell_type == "code" and is_grade(c)]


def mutant_order(bank, master, rng: random.Random) -> list:
    """The bank, round robin over the exercises (notebook order), shuffled within each."""
    groups = []
    for gid in exercise_tests(master):
        ours = [m for m in bank if m.grade_id == gid]
        rng.shuffle(ours)
        if ours:
            groups.append(ours)
    order = []
    for k in range(max((len(g) for g in groups), default=0)):
        order += [g[k] for g in groups if k < len(g)]
    return order


def plan(size: int = DEFAULT_SIZE, seed: int = SEED, assignment: str = ASSIGNMENT) -> list[Student]:
    """The class: who hands in what, and what each must get.  Deterministic for (size, seed)."""
    from .mutants import load_bank

    nb = master(assignment)
    tests = exercise_tests(nb)
    full = sum(p for _, p in grade_cells(nb))
    first_points = next(iter(tests.values()))[1]
    rng = random.Random(seed)
    mutants = mutant_order(load_bank(assignment), nb, rng)
    if not mutants:
        raise ValueError(f"{assignment} has no mutation bank")
    counts = mix(size)
    entries: list[tuple] = [("correct", "correct")] * counts["correct"]
    m = 0
    for k in range(counts["wrong"]):
        if k % BLANK_EVERY == 2:
            entries.append(("wrong", "blank"))
        else:
            entries.append(("wrong", "mutant", mutants[m % len(mutants)]))
            m += 1
    entries += [("faulty", FAULTS[k % len(FAULTS)]) for k in range(counts["faulty"])]
    rng.shuffle(entries)
    expected = {
        "correct": ("graded", full, []), "blank": ("graded", 0.0, []), "mutant": ("graded", None, []),
        "missing": ("missing_notebook", 0.0, []), "loop": ("timeout", full, []),
        "exit": ("kernel_died", first_points, []), "corrupt": ("invalid_notebook", 0.0, []),
        "non_notebook": ("invalid_notebook", 0.0, []), "renamed": ("graded", full, ["renamed_notebook"]),
    }
    width = max(3, len(str(size)))
    students = []
    for n, (category, kind, *rest) in enumerate(entries, 1):
        status, score, flags = expected[kind]
        s = Student(f"s{n:0{width}d}", kind, category, status, score, list(flags))
        if rest:
            s.mutant, s.loses = rest[0].name, tests[rest[0].grade_id][0]
        students.append(s)
    return students


def write_class(folder: Path, students: list[Student], assignment: str = ASSIGNMENT) -> Path:
    """The submissions in nbgrader's submitted layout under ``folder``."""
    import nbformat

    from .grading import student_versions
    from .mutants import _strip_markers, load_bank

    bank = {m.name: m for m in load_bank(assignment)}
    first_test = next(iter(exercise_tests(master(assignment)).values()))[0]
    with tempfile.TemporaryDirectory(prefix="load-versions-") as tmp:
        solved_path, blank_path = student_versions(assignment, Path(tmp))
        solved = nbformat.read(solved_path, as_version=4)
        blank_bytes, solved_bytes = blank_path.read_bytes(), solved_path.read_bytes()

    def copy():
        return nbformat.from_dict(json.loads(json.dumps(solved)))

    def with_cell_after_first_test(source):
        nb = copy()
        i = next(i for i, c in enumerate(nb.cells) if grade_id(c) == first_test)
        nb.cells.insert(i + 1, nbformat.v4.new_code_cell(source))
        return nbformat.writes(nb).encode()

    for s in students:
        target = folder / s.id / assignment
        target.mkdir(parents=True, exist_ok=True)
        name, data = f"{assignment}.ipynb", None
        if s.kind == "correct":
            data = solved_bytes
        elif s.kind == "blank":
            data = blank_bytes
        elif s.kind == "mutant":
            m = bank[s.mutant]
            nb = copy()
            cell = next(c for c in nb.cells if grade_id(c) == m.grade_id)
            cell.source = _strip_markers(m.source)
            data = nbformat.writes(nb).encode()
        elif s.kind == "loop":
            data = with_cell_after_first_test(LOOP)
        elif s.kind == "exit":
            data = with_cell_after_first_test(EXIT)
        elif s.kind == "corrupt":
            data = solved_bytes[:300]
        elif s.kind == "non_notebook":
            name, data = "answers.pdf", PDF
        elif s.kind == "renamed":
            name, data = f"{assignment} (1).ipynb", solved_bytes
        if data is not None:                    # "missing": the empty folder
            (target / name).write_bytes(data)
    return folder


# ----------------------------------------------------------------------------------------
# memory, sampled from outside
# ----------------------------------------------------------------------------------------

def student_of(cmdline: list[str]) -> str | None:
    """The student whose submission a process works on: a path on its command line (the kernel's
    connection file) lies in the job's folder, which holds its ``schema.Job`` (job.json)."""
    for arg in cmdline:
        for folder in Path(arg).parents if arg.startswith("/") else ():
            if (folder / "job.json").is_file():
                return json.loads((folder / "job.json").read_text())["student"]
    return None


class TreeSampler(threading.Thread):
    """Every ``interval`` seconds, the RSS of each worker process (a child of the batch's
    forkserver) plus all its descendants (the sandboxed kernel).  ``peaks``: worker pid ->
    {"student": id or None, "peak_mb", "worker_mb"} (the largest total, and the largest
    worker-only figure; the kernel's own peak is its result's, ``Result.peak_memory_mb``)."""

    def __init__(self, interval: float = SAMPLE_SECONDS):
        super().__init__(daemon=True, name="load-memory-sampler")
        import psutil

        self.root = psutil.Process()
        self.interval = interval
        self.peaks: dict[int, dict] = {}
        self.samples = 0
        self._done = threading.Event()

    def workers(self):
        import psutil

        try:
            children = self.root.children()
        except psutil.Error:
            return []
        servers = []
        for c in children:
            try:
                if "forkserver" in " ".join(c.cmdline()):
                    servers.append(c)
            except psutil.Error:
                pass
        out = []
        for s in servers:
            try:
                out += s.children()
            except psutil.Error:
                pass
        return out

    def sample(self) -> None:
        import psutil

        for w in self.workers():
            try:
                worker_rss = w.memory_info().rss
                below = w.children(recursive=True)
            except psutil.Error:
                continue
            peak = self.peaks.setdefault(w.pid, {"student": None, "peak_mb": 0.0, "worker_mb": 0.0})
            kernel_rss = 0
            for p in below:
                try:
                    kernel_rss += p.memory_info().rss
                    if peak["student"] is None:
                        peak["student"] = student_of(p.cmdline())
                except (psutil.Error, OSError, ValueError, KeyError):
                    pass
            mb = 1024 * 1024
            peak["peak_mb"] = max(peak["peak_mb"], (worker_rss + kernel_rss) / mb)
            peak["worker_mb"] = max(peak["worker_mb"], worker_rss / mb)
        self.samples += 1

    def run(self) -> None:
        while not self._done.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._done.set()
        self.join()


# ----------------------------------------------------------------------------------------
# checking one pass
# ----------------------------------------------------------------------------------------

def check_rows(out: Path, students: list[Student], questions: list[str], assignment: str = ASSIGNMENT) -> dict:
    """Rows of summary.csv and grades.csv against the class: one summary row per student,
    one grades row per graded cell, in the master's order; and each expectation."""
    from ..grader.report import read_csv

    summary = read_csv(out / "summary.csv")
    grades = read_csv(out / "grades.csv")
    want = {(s.id, assignment): s for s in students}
    seen: dict[tuple, list] = {}
    for row in summary:
        seen.setdefault((row["student_id"], row["assignment"]), []).append(row)
    cells: dict[tuple, list] = {}
    for row in grades:
        cells.setdefault((row["student_id"], row["assignment"]), []).append(row)
    lost = sorted(f"{k[0]}/{k[1]}" for k in want if k not in seen)
    duplicated = sorted(f"{k[0]}/{k[1]}" for k, rows in seen.items() if len(rows) > 1)
    extra = sorted(f"{k[0]}/{k[1]}" for k in seen if k not in want)
    cells_wrong = sorted(f"{k[0]}/{k[1]}: {[r['question'] for r in cells.get(k, [])]}" for k in want
                         if [r["question"] for r in cells.get(k, [])] != questions)
    cells_extra = sorted(f"{k[0]}/{k[1]}" for k in cells if k not in want)
    mismatches = []
    for key, s in sorted(want.items()):
        if key not in seen:
            continue
        row = seen[key][0]
        got_flags = [f for f in row["flags"].split(";") if f]
        score, max_score = float(row["score"]), float(row["max_score"])
        problems = []
        if row["status"] != s.status:
            problems.append(f"status {row['status']} (expected {s.status})")
        if s.score is not None and score != s.score:
            problems.append(f"score {score:g} (expected {s.score:g})")
        if s.kind == "mutant":
            mine = {r["question"]: r for r in cells.get(key, [])}
            lost_cell = mine.get(s.loses)
            if score >= max_score or lost_cell is None or float(lost_cell["score"]) >= float(lost_cell["max_score"]):
                problems.append(f"mutant {s.mutant} lost nothing on {s.loses} (score {score:g}/{max_score:g})")
        elif got_flags != s.flags:
            problems.append(f"flags {got_flags} (expected {s.flags})")
        if problems:
            mismatches.append(f"{s.id} ({s.kind}{': ' + s.mutant if s.mutant else ''}): " + "; ".join(problems))
    return {"summary_rows": len(summary), "grades_rows": len(grades),
            "expected_summary_rows": len(want), "expected_grades_rows": len(want) * len(questions),
            "lost": lost, "duplicated": duplicated, "extra": extra,
            "grades_rows_wrong": cells_wrong, "grades_rows_extra": cells_extra, "mismatches": mismatches}


def quantile(values: list[float], q: float) -> float:
    """Nearest-rank quantile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def spread(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 2) if values else 0.0,
            "p90": round(quantile(values, 0.9), 2), "max": round(max(values, default=0.0), 2)}




# ----------------------------------------------------------------------------------------
# the load test
# ----------------------------------------------------------------------------------------

def grade_pass(subs: Path, out: Path, students: list[Student], questions: list[str], jobs: int,
               cell_timeout: int, notebook_timeout: int, assignment: str = ASSIGNMENT) -> tuple[dict, object]:
    from ..grader.grade import grade_batch
    from ..grader.schema import GradeOptions

    sampler = TreeSampler()
    start_load = load_average()
    sampler.start()
    try:
        batch = grade_batch(subs, out, GradeOptions(jobs=jobs, assignments=[assignment], cell_timeout=cell_timeout,
                                                    notebook_timeout=notebook_timeout))
    finally:
        sampler.stop()
    end_load = load_average()
    by_id = {s.id: s for s in students}
    ran = [s for s in students if s.kind not in RAN_NO_KERNEL]
    seconds = {sid: batch.seconds.get((sid, assignment), 0.0) for sid in by_id}
    per_kind: dict[str, list[float]] = {}
    for s in ran:
        per_kind.setdefault(s.kind, []).append(seconds[s.id])
    memory = {}
    other = []
    for info in sampler.peaks.values():
        if info["student"] in by_id:
            memory[info["student"]] = {k: round(info[k], 1) for k in ("peak_mb", "worker_mb")}
        else:
            other.append(round(info["peak_mb"], 1))         # template builders: no kernel
    peaks = [m["peak_mb"] for m in memory.values()]
    top = max(memory, key=lambda sid: memory[sid]["peak_mb"], default=None)
    wall = batch.wall
    result = {
        "wall_seconds": round(wall, 1),
        "throughput_per_minute": round(60 * len(students) / wall, 2) if wall else 0.0,
        "load_average_start": start_load, "load_average_end": end_load,
        "per_submission_seconds": spread([seconds[s.id] for s in ran]),
        "per_kind_median_seconds": {k: round(statistics.median(v), 1) for k, v in sorted(per_kind.items())},
        "memory": {
            "workers_sampled": len(memory), "workers_expected": len(ran), "samples": sampler.samples,
            "unsampled": sorted(s.id for s in ran if s.id not in memory),
            "peak_mb": spread(peaks),
            "max_student": f"{top} ({by_id[top].kind})" if top else None,
            "worker_only_max_mb": round(max((m["worker_mb"] for m in memory.values()), default=0.0), 1),
            "kernel_only_max_mb": round(max((r.peak_memory_mb for r in batch.results), default=0.0), 1),
            "template_workers_peak_mb": sorted(other),
        },
        "rows": check_rows(out, students, questions, assignment),
        "template_errors": list(batch.template_errors),
    }
    slowest_cell, slowest_notebook = 0.0, 0.0
    for r in batch.results:
        s = by_id.get(r.student)
        if s and s.category != "faulty" and r.status == "graded":
            slowest_cell = max([slowest_cell] + [float(v) for v in r.cell_seconds.values()])
            slowest_notebook = max(slowest_notebook, r.seconds)
    result["slowest_cell_seconds"] = round(slowest_cell, 2)
    result["slowest_notebook_seconds"] = round(slowest_notebook, 2)
    result["_memory_by_student"] = memory
    result["_seconds_by_student"] = {k: round(v, 2) for k, v in seconds.items()}
    return result, batch


def run_load(size: int = DEFAULT_SIZE, jobs: int = 2, seed: int = SEED, cell_timeout: int = CELL_TIMEOUT,
             notebook_timeout: int = NOTEBOOK_TIMEOUT, workdir: Path | None = None,
             assignment: str = ASSIGNMENT) -> dict:
    """Build the class, grade it twice, check and time it (see the module doc).  With
    ``workdir`` the class (``submitted/``) and the two outputs (``pass1/``, ``pass2/``) stay
    there; otherwise in a temporary folder that is removed."""
    students = plan(size, seed, assignment)
    questions = [g for g, _ in grade_cells(master(assignment))]
    lim = course.limits(assignment)
    tmp = None
    if workdir is None:
        tmp = tempfile.mkdtemp(prefix="load-")
        workdir = Path(tmp)
    workdir = Path(workdir)
    try:
        t0 = time.perf_counter()
        subs = write_class(workdir / "submitted", students, assignment)
        build = time.perf_counter() - t0
        counts = mix(size)
        kinds: dict[str, int] = {}
        for s in students:
            kinds[s.kind] = kinds.get(s.kind, 0) + 1
        log.info(f"load test: {size} submissions of {assignment} ({counts['correct']} correct, {counts['wrong']} wrong, "
                 f"{counts['faulty']} faulty; seed {seed}), JOBS={jobs}, {cell_timeout} s per cell, "
                 f"{notebook_timeout} s per notebook; built in {build:.1f} s")
        passes = []
        for k in (1, 2):
            log.info(f"load test: pass {k}/2 (load average {' '.join(map(str, load_average()))})")
            p, _ = grade_pass(subs, workdir / f"pass{k}", students, questions, jobs, cell_timeout,
                              notebook_timeout, assignment)
            log.info(f"load test: pass {k}/2 took {p['wall_seconds']:.0f} s = {p['throughput_per_minute']:.1f} per minute")
            passes.append(p)
        identical = {name: (workdir / "pass1" / name).read_bytes() == (workdir / "pass2" / name).read_bytes()
                     for name in ("grades.csv", "summary.csv")}
        walls = [p["wall_seconds"] for p in passes]
        rates = [p["throughput_per_minute"] for p in passes]
        per_student = {}
        for s in students:
            d = asdict(s)
            d["seconds"] = [p["_seconds_by_student"].get(s.id) for p in passes]
            d["peak_mb"] = [p["_memory_by_student"].get(s.id, {}).get("peak_mb") for p in passes]
            per_student[s.id] = d
        for p in passes:
            del p["_seconds_by_student"], p["_memory_by_student"]
        slowest = max(p["slowest_cell_seconds"] for p in passes)
        honest = all(not (p["rows"]["lost"] or p["rows"]["duplicated"] or p["rows"]["extra"]
                          or p["rows"]["grades_rows_wrong"] or p["rows"]["grades_rows_extra"]
                          or p["rows"]["mismatches"] or p["template_errors"]) for p in passes)
        result = {
            "assignment": assignment, "submissions": size, "jobs": jobs, "seed": seed,
            "mix": counts, "kinds": dict(sorted(kinds.items())),
            "cell_timeout": cell_timeout, "notebook_timeout": notebook_timeout,
            "limits": {"course_cell_seconds": lim.cell_seconds, "course_notebook_seconds": lim.notebook_seconds,
                       "busy_slowest_cell_seconds": BUSY_SLOWEST_CELL,
                       "slowest_cell_seconds": slowest,
                       "cell_margin": round(cell_timeout / slowest, 1) if slowest else None,
                       "slowest_notebook_seconds": max(p["slowest_notebook_seconds"] for p in passes),
                       "notebook_margin": round(notebook_timeout / max(p["slowest_notebook_seconds"] for p in passes), 1)
                       if max(p["slowest_notebook_seconds"] for p in passes) else None},
            "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "build_seconds": round(build, 1),
            "wall_seconds": walls,
            "throughput_per_minute": rates,
            "throughput_spread_percent": round(100 * (max(rates) - min(rates)) / statistics.mean(rates), 1)
            if min(rates) else None,
            "peak_worker_mb": max(p["memory"]["peak_mb"]["max"] for p in passes),
            "passes": passes,
            "rows_complete": all(not (p["rows"]["lost"] or p["rows"]["duplicated"] or p["rows"]["extra"]
                                      or p["rows"]["grades_rows_wrong"]) for p in passes),
            "statuses_as_expected": all(not p["rows"]["mismatches"] for p in passes),
            "identical_csvs": all(identical.values()),
            "identical": identical,
            "ok": honest and all(identical.values()),
            "students": per_student,
        }
        if tmp is None:
            result["outputs"] = [str(workdir / "pass1"), str(workdir / "pass2")]
        return result
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def table(r: dict) -> str:
    """The report, one figure per line."""
    def row(name, value):
        return f"  {name:<48}{value}"

    lines = [f"load test: {r['submissions']} submissions of {r['assignment']}, JOBS={r['jobs']}, "
             f"{r['cores']} cores, seed {r['seed']}",
             row("mix", f"{r['mix']['correct']} correct, {r['mix']['wrong']} wrong, {r['mix']['faulty']} faulty: "
                 + ", ".join(f"{k} {v}" for k, v in r["kinds"].items())),
             row("limits of this run (course's)", f"{r['cell_timeout']} s per cell, {r['notebook_timeout']} s per "
                 f"notebook ({r['limits']['course_cell_seconds']} s, {r['limits']['course_notebook_seconds']} s)"),
             row("slowest cell of a non-faulty submission",
                 f"{r['limits']['slowest_cell_seconds']:.1f} s = limit / {r['limits']['cell_margin']} "
                 f"(make busy: {r['limits']['busy_slowest_cell_seconds']} s)"),
             row("slowest non-faulty notebook (worker)",
                 f"{r['limits']['slowest_notebook_seconds']:.1f} s = limit / {r['limits']['notebook_margin']}")]
    for k, p in enumerate(r["passes"], 1):
        s, m = p["per_submission_seconds"], p["memory"]
        lines += [f" pass {k}",
                  row("wall / throughput", f"{p['wall_seconds']:.1f} s / {p['throughput_per_minute']:.2f} per minute"),
                  row("load average at start / end (1, 5, 15 min)",
                      f"{' '.join(map(str, p['load_average_start']))} / {' '.join(map(str, p['load_average_end']))}"),
                  row("seconds per submission median / p90 / max", f"{s['median']} / {s['p90']} / {s['max']}"),
                  row("median seconds per kind", ", ".join(f"{k} {v}" for k, v in p["per_kind_median_seconds"].items())),
                  row("peak MB, worker + kernel, median / p90 / max",
                      f"{m['peak_mb']['median']:.0f} / {m['peak_mb']['p90']:.0f} / {m['peak_mb']['max']:.0f} "
                      f"(max: {m['max_student']}; {m['workers_sampled']}/{m['workers_expected']} workers sampled)"),
                  row("  worker alone / kernel alone, max MB", f"{m['worker_only_max_mb']:.0f} / {m['kernel_only_max_mb']:.0f}"),
                  row("rows summary.csv / grades.csv",
                      f"{p['rows']['summary_rows']}/{p['rows']['expected_summary_rows']} / "
                      f"{p['rows']['grades_rows']}/{p['rows']['expected_grades_rows']}")]
        for what in ("lost", "duplicated", "extra", "grades_rows_wrong", "grades_rows_extra", "mismatches"):
            for item in p["rows"][what]:
                lines.append(row(f"  {what.upper()}", item))
        for item in p["template_errors"]:
            lines.append(row("  TEMPLATE ERROR", item))
    lines += [" both passes",
              row("throughput per minute, spread", f"{' / '.join(f'{x:.2f}' for x in r['throughput_per_minute'])}, "
                  f"{r['throughput_spread_percent']} %"),
              row("peak MB of a worker + kernel (max)", f"{r['peak_worker_mb']:.0f}"),
              row("every row there, once", "yes" if r["rows_complete"] else "NO"),
              row("every expected status, score, flag", "yes" if r["statuses_as_expected"] else "NO"),
              row("identical_csvs (grades.csv, summary.csv)",
                  "yes" if r["identical_csvs"] else f"NO {r['identical']}")]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------
# command line
# ----------------------------------------------------------------------------------------

def add_arguments(parser) -> None:
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help=f"students in the class (default {DEFAULT_SIZE})")
    parser.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"the mix's seed (default {SEED})")
    parser.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT, help=f"seconds per cell (default {CELL_TIMEOUT})")
    parser.add_argument("--notebook-timeout", type=int, default=NOTEBOOK_TIMEOUT,
                        help=f"seconds per notebook (default {NOTEBOOK_TIMEOUT})")
    parser.add_argument("--json", type=Path, help="write the report (a dict) to this file")
    parser.add_argument("--keep", type=Path, help="keep the class and both outputs in this folder")


def run(args) -> int:
    result = run_load(size=args.size, jobs=args.jobs, seed=args.seed, cell_timeout=args.cell_timeout,
                      notebook_timeout=args.notebook_timeout, workdir=args.keep)
    print("\n" + table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"\nwritten to {args.json}")
    return 0 if result["ok"] else 1
