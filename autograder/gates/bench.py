"""Step: the course benchmark (`make bench`).  It reports; it asserts nothing.

Measures, on this machine, and sets each figure beside its budget:

* the bare execution time of every solution notebook (nbclient, no nbgrader);
* the time `make release` takes;
* the autograde time per correct submission (inside a batch: the grader's start-up and the
  one-off generation of the assignment are shared by the batch), and its ratio to bare
  execution; the whole CLI's wall time for a single submission is shown beside it;
* the throughput of JOBS=2 against JOBS=1 on 4 submissions;
* the IMDB study (``autograder.gates.bench_imdb``): the lab's reference model over 5 seeds
  against its goal and bar, the seed-003 configuration, the masked and bidirectional
  variants and the bigram baseline, trained in this same command on the full data when
  ``IMDB_DATA_DIR`` points at it; it also rewrites the lab's tables (rnnkit/imdb_study.json);
* the class-size load test (``autograder.gates.load``): 200 submissions of 02 (correct, wrong,
  faulty) graded twice with JOBS=2: throughput, peak memory per worker, every row there,
  identical CSVs (``--load-size N``; ``--skip-load`` leaves it out).

Writes ``bench/results.json`` with the fixed keys ``notebooks``, ``release_seconds``,
``autograde_ratio``, ``parallel_speedup``, ``imdb`` (``test_accuracy`` (the 5-seed mean),
``test_accuracy_min``, ``train_seconds``, ``seed_config_test_accuracy``,
``seed_config_train_seconds``, ``bigram_test_accuracy``, ``variants``, ...), ``load`` (see
``autograder.gates.load.run_load``; the per-student rows are in ``details.load``), plus details.
"""
from __future__ import annotations

import json
import os
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .. import course
from . import load_average

BUDGET_RELEASE = 20.0
BUDGET_AUTOGRADE_RATIO = 1.15
BUDGET_PARALLEL = 1.6
BUDGET_JUDGE_RATIO = 1.3      # issue 31: grading with the verdict outside the kernel, against in the kernel
RESULTS = course.ROOT / "bench" / "results.json"


def bare_seconds(notebook, assignment: str, allow_errors: bool = False) -> float:
    """Seconds to execute ``notebook`` top to bottom with nbclient in a fresh kernel (its start
    included), with the course's kernel environment, in a copy of the notebook's folder (its
    data), without nbgrader or the sandbox.  ``allow_errors``: a failing cell does not stop it."""
    import nbformat
    from nbclient import NotebookClient

    os.environ.update(course.kernel_environment())
    folder = Path(notebook).parent
    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory(prefix="bare-") as tmp:
        shutil.copytree(folder, Path(tmp) / folder.name)
        client = NotebookClient(nb, timeout=course.limits(assignment).cell_seconds, allow_errors=allow_errors,
                                kernel_name="python3", resources={"metadata": {"path": str(Path(tmp) / folder.name)}})
        t0 = time.perf_counter()
        client.execute()
        return time.perf_counter() - t0


def benchmark(assignment: str | None = None, copies: int = 4) -> dict:
    """The two autograder figures of `make bench`:

    * overhead: autograde of one correct submission (worker seconds) / its bare execution;
    * speedup: wall time of ``copies`` submissions with JOBS=1 / with JOBS=2.

    On the assignment course.toml gives the role "bench", unless ``assignment`` is named.
    """
    from ..grader.grade import grade_batch
    from ..grader.schema import GradeOptions
    from ..grader.versions import solved_release

    assignment = assignment or course.COURSE.with_role("bench").id
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        tmp = Path(tmp)
        for k in range(copies):
            solved_release(assignment, tmp / "subs" / f"s{k}" / assignment / f"{assignment}.ipynb")
        bare = bare_seconds(tmp / "subs" / "s0" / assignment / f"{assignment}.ipynb", assignment, allow_errors=True)
        one = grade_batch(tmp / "subs", tmp / "out1", GradeOptions(jobs=1))
        two = grade_batch(tmp / "subs", tmp / "out2", GradeOptions(jobs=2))
        per_sub = sorted(one.seconds.values())
        median = per_sub[len(per_sub) // 2]
        return {
            "assignment": assignment,
            "bare_seconds": round(bare, 2),
            "autograde_seconds": round(median, 2),
            "overhead_ratio": round(median / bare, 3),
            "jobs1_wall": round(one.wall, 2),
            "jobs2_wall": round(two.wall, 2),
            "speedup_jobs2": round(one.wall / two.wall, 3),
            "statuses": sorted({r.status for r in one.results + two.results}),
        }


def judge_ratio(assignment: str, rounds: int = 3) -> dict:
    """Grading with the hidden tests judged outside the kernel against the same grade cells run
    in the kernel (``judged`` then checks in place, as before issue 31), side by side: one
    solved submission graded ``rounds`` times each way, alternating, JOBS=1; the worker's
    seconds per submission (the template, built once per batch, apart: ``prepare_seconds``)."""
    from ..grader import judge
    from ..grader.grade import grade_batch, quiet_batch
    from ..grader.schema import GradeOptions
    from ..grader.versions import solved_release

    in_kernel = GradeOptions(jobs=1, nbgrader_config={"GuardedExecute": {"judged_dir": ""}})
    times: dict[str, list[float]] = {"judged": [], "in_kernel": []}
    with tempfile.TemporaryDirectory(prefix="bench-judge-") as tmp:
        tmp = Path(tmp)
        solved_release(assignment, tmp / "subs" / "s0" / assignment / f"{assignment}.ipynb")
        os.environ["JUDGE_CACHE"] = str(tmp / "cache")      # the recording timed as a first batch makes it
        t0 = time.perf_counter()
        judge.prepare(course.notebook_path(course.SOURCE, assignment), tmp / "prepared")
        prepare = time.perf_counter() - t0
        load = [load_average()[0]]
        for k in range(rounds):
            for way, options in (("judged", GradeOptions(jobs=1)), ("in_kernel", in_kernel))[::1 if k % 2 == 0 else -1]:
                with quiet_batch():
                    out = grade_batch(tmp / "subs", tmp / f"out-{way}-{k}", options)
                statuses = {r.status for r in out.results}
                scores = {r.score == r.max_score for r in out.results if r.status == "graded"}
                if statuses - {"graded", "needs_manual_grade"} or False in scores:
                    raise RuntimeError(f"{assignment}: the solved submission was not graded in full ({way}): {statuses}")
                times[way].append(max(out.seconds.values()))
        load.append(load_average()[0])
        os.environ.pop("JUDGE_CACHE", None)
    med = {w: statistics.median(v) for w, v in times.items()}
    return {"assignment": assignment, "rounds": rounds, "seconds": {w: [round(x, 2) for x in v] for w, v in times.items()},
            "median_judged": round(med["judged"], 2), "median_in_kernel": round(med["in_kernel"], 2),
            "ratio": round(med["judged"] / med["in_kernel"], 3), "prepare_seconds": round(prepare, 2),
            "spread_percent": {w: round(100 * (max(v) - min(v)) / statistics.median(v), 1) for w, v in times.items()},
            "load_average": [round(x, 2) for x in load]}


def judged_assignments() -> list[str]:
    """The assignments whose master has hidden tests in rnnkit.hidden's form."""
    import nbformat

    from ..grader import judge

    return [aid for aid in course.ASSIGNMENTS
            if judge.hidden_regions(nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4))]


def judge_rows(ratios: dict) -> list[str]:
    return [fmt_row(f"judged / in-kernel grading ({aid})",
                    f"{r['median_judged']:.1f}/{r['median_in_kernel']:.1f} = {r['ratio']:.2f}x",
                    f"<= {BUDGET_JUDGE_RATIO}x", r["ratio"] <= BUDGET_JUDGE_RATIO)
            + f"  (spread {r['spread_percent']['judged']}/{r['spread_percent']['in_kernel']} %, "
              f"prepare {r['prepare_seconds']:.0f} s per batch, load {r['load_average'][0]:.1f}-{r['load_average'][1]:.1f})"
            for aid, r in ratios.items()]


def time_command(args: list[str], env=None) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(args, cwd=course.ROOT, capture_output=True, text=True, env=env)
    return time.perf_counter() - t0, proc


def submissions(folder: Path, aid: str, n: int) -> Path:
    """n correct submissions (copies of the master) in nbgrader's submitted layout."""
    for k in range(n):
        target = folder / f"student{k + 1}" / aid / f"{aid}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(course.notebook_path(course.SOURCE, aid), target)
    return folder


def autograde_seconds(folder: Path, jobs: int) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-out-") as out:
        seconds, proc = time_command([sys.executable, "-m", "autograder", "grade", str(folder), "--out", out,
                                      "--jobs", str(jobs)])
        if proc.returncode != 0:
            raise RuntimeError(f"autograde failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        return seconds


def bench_imdb() -> dict:
    from .bench_imdb import bench_figures, run_study

    study = run_study()
    return dict(bench_figures(study), study=study)


def fmt_row(name: str, value, budget: str, ok: bool | None) -> str:
    verdict = "" if ok is None else ("within budget" if ok else "OVER BUDGET")
    return f"{name:<46}{value:>18}   {budget:<20}{verdict}"


def bench_load(size: int) -> dict:
    from ..grader.grade import quiet_batch
    from .load import run_load

    with quiet_batch():             # the load test's own lines, not its batches'
        return run_load(size=size, jobs=2)


def load_rows(load: dict) -> list[str]:
    """The load test's lines of the table: figures with the load average, no budget."""
    la = "load avg " + " / ".join(f"{p['load_average_start'][0]:.1f}-{p['load_average_end'][0]:.1f}"
                                  for p in load["passes"])
    honest = (("every row" if load["rows_complete"] else "ROWS LOST") + ", "
              + ("statuses ok" if load["statuses_as_expected"] else "STATUS MISMATCH") + ", "
              + ("CSVs identical" if load["identical_csvs"] else "CSVs DIFFER"))
    return [fmt_row(f"load: {load['submissions']} x {load['assignment']}, JOBS=2, per min",
                    " / ".join(f"{x:.1f}" for x in load["throughput_per_minute"]),
                    f"spread {load['throughput_spread_percent']} %, {la}", None),
            fmt_row("  peak MB per worker + kernel (median / max)",
                    f"{load['passes'][0]['memory']['peak_mb']['median']:.0f} / {load['peak_worker_mb']:.0f}",
                    "(reference)", None),
            fmt_row("  two passes", honest, "(must hold)", None)]


def run_bench(skip_imdb: bool = False, skip_load: bool = False, load_size: int | None = None) -> dict:
    results: dict = {"notebooks": {}, "release_seconds": None, "autograde_ratio": None,
                     "parallel_speedup": None, "imdb": None, "load": None, "details": {}}
    rows = []
    for aid in course.ASSIGNMENTS:
        seconds = bare_seconds(course.notebook_path(course.SOURCE, aid), aid)
        results["notebooks"][aid] = round(seconds, 2)
        budget = course.assignment(aid).bench_budget_seconds
        rows.append(fmt_row(f"notebook {aid}", f"{seconds:.1f} s", f"<= {budget:g} s", seconds <= budget))
        print(rows[-1], flush=True)

    seconds, proc = time_command([sys.executable, "-m", "autograder", "release"])
    if proc.returncode != 0:
        raise RuntimeError(f"release failed:\n{proc.stdout}\n{proc.stderr}")
    results["release_seconds"] = round(seconds, 2)
    rows.append(fmt_row("make release", f"{seconds:.1f} s", f"<= {BUDGET_RELEASE:g} s", seconds <= BUDGET_RELEASE))
    print(rows[-1], flush=True)

    aid = course.COURSE.with_role("bench").id     # the assignment the autograder figures are measured on
    if aid in results["notebooks"]:
        from ..grader.grade import quiet_batch

        with quiet_batch():
            g = benchmark(aid, copies=4)
        with tempfile.TemporaryDirectory(prefix="bench-subs-") as tmp:
            one_cli = autograde_seconds(submissions(Path(tmp), aid, 1), jobs=1)
        ratio = g["overhead_ratio"]
        results["autograde_ratio"] = ratio
        results["parallel_speedup"] = g["speedup_jobs2"]
        results["details"]["autograde"] = dict(g, one_submission_cli_wall_seconds=round(one_cli, 2))
        rows.append(fmt_row(f"autograde per submission / bare ({aid})",
                            f"{g['autograde_seconds']:.1f}/{g['bare_seconds']:.1f} = {ratio:.2f}x",
                            f"<= {BUDGET_AUTOGRADE_RATIO}x", ratio <= BUDGET_AUTOGRADE_RATIO))
        rows.append(fmt_row("  (one submission, whole CLI, wall)", f"{one_cli:.1f} s", "(reference)", None))
        rows.append(fmt_row("4 submissions, JOBS=1 / JOBS=2",
                            f"{g['jobs1_wall']:.0f}/{g['jobs2_wall']:.0f} = {g['speedup_jobs2']:.2f}x",
                            f">= {BUDGET_PARALLEL}x", g["speedup_jobs2"] >= BUDGET_PARALLEL))
        print("\n".join(rows[-3:]), flush=True)

    ratios = {aid: judge_ratio(aid) for aid in judged_assignments()}
    results["judge_ratio"] = ratios
    rows += judge_rows(ratios)
    print("\n".join(judge_rows(ratios)), flush=True)

    if not skip_imdb:
        imdb = bench_imdb()
        results["imdb"] = {k: v for k, v in imdb.items() if k != "study"}
        results["details"]["imdb"] = imdb["study"]
        rows.append(fmt_row("IMDB reference, 5 seeds: mean / min / train s",
                            f"{100 * imdb['test_accuracy']:.2f} / {100 * imdb['test_accuracy_min']:.2f} % / {imdb['train_seconds']:.0f} s",
                            "goal 89.5/89.0 % 60 s", imdb["reference_meets_goal"] if imdb["full_data"] else None))
        rows.append(fmt_row("  acceptance bar", "met" if imdb["reference_meets_bar"] else "NOT MET",
                            "89.0/88.5 % 90 s", imdb["reference_meets_bar"] if imdb["full_data"] else None))
        rows.append(fmt_row("  the validation winner on test: mean / min",
                            f"{100 * imdb['validation_winner_test_accuracy']:.2f} / {100 * imdb['validation_winner_test_accuracy_min']:.2f} %",
                            "(see why_chosen)", None))
        rows.append(fmt_row("IMDB seed-003 config, 3 seeds: accuracy / s",
                            f"{100 * imdb['seed_config_test_accuracy']:.2f} % / {imdb['seed_config_train_seconds']:.0f} s",
                            "(reference)", None))
        rows.append(fmt_row("IMDB bigram logistic baseline: accuracy / s",
                            f"{100 * imdb['bigram_test_accuracy']:.2f} % / {imdb['bigram_train_seconds']:.0f} s",
                            "(reference)", None))
        for name, v in imdb["variants"].items():
            rows.append(fmt_row(f"  {name}"[:46], f"{100 * v['test_accuracy']:.2f} % / {v['train_seconds']:.0f} s",
                                "(3 seeds)", None))
        print("\n".join(rows[-5 - len(imdb["variants"]):]), flush=True)

    from . import study_seq2seq                    # lab 08's spread over seeds (rnnkit/seq2seq_study.json too)

    study = study_seq2seq.run_study()
    results["seq2seq"] = study_seq2seq.bench_figures(study)
    rows.append(fmt_row("08 dates translator, exact match over seeds",
                        f"{study['dates']['exact']['min']:.3f} to {study['dates']['exact']['max']:.3f}", ">= 0.99",
                        study["dates"]["exact"]["min"] >= 0.99))
    for name, m in study["models"].items():
        rows.append(fmt_row(f"08 length task {name}, exact at L = 5 / 30",
                            f"{m['exact']['min'][0]:.2f}-{m['exact']['max'][0]:.2f} / "
                            f"{m['exact']['min'][-1]:.2f}-{m['exact']['max'][-1]:.2f}", "(5 seeds)", None))
    print("\n".join(rows[-3:]), flush=True)

    if not skip_load:
        from .load import DEFAULT_SIZE

        load = bench_load(load_size or DEFAULT_SIZE)
        results["load"] = {k: v for k, v in load.items() if k != "students"}
        results["details"]["load"] = {"students": load["students"]}
        rows += load_rows(load)
        print("\n".join(rows[-3:]), flush=True)

    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print("\n" + "=" * 90)
    print(fmt_row("figure", "measured", "budget", None))
    print("\n".join(rows))
    print(f"\nwritten to {RESULTS.relative_to(course.ROOT)} (machine load now: {load_average()[0]:.2f})")
    return results


def time_notebooks(aids: list[str]) -> dict:
    """Only the bare runs of the named notebooks, merged into bench/results.json (a new lab
    measured without re-running the whole benchmark); returns the merged results."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"notebooks": {}}
    for aid in aids:
        course.assignment(aid)                       # an unknown id fails here, with its name
        seconds = bare_seconds(course.notebook_path(course.SOURCE, aid), aid)
        results.setdefault("notebooks", {})[aid] = round(seconds, 2)
        budget = course.assignment(aid).bench_budget_seconds
        print(fmt_row(f"notebook {aid}", f"{seconds:.1f} s", f"<= {budget:g} s", seconds <= budget),
              f"(load avg {load_average()[0]:.1f})", flush=True)
        order = {a: k for k, a in enumerate(course.ASSIGNMENTS)}
        results["notebooks"] = dict(sorted(results["notebooks"].items(), key=lambda kv: order.get(kv[0], 99)))
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")       # after each: a failure keeps the others
    return results


def add_arguments(parser) -> None:
    parser.add_argument("--notebooks", nargs="+", metavar="ID",
                        help="only time these notebooks' bare runs and merge them into bench/results.json")
    parser.add_argument("--judge-only", nargs="*", metavar="ID",
                        help="only the judged / in-kernel grading ratio (of these assignments; default: every "
                             "judged one), merged into bench/results.json")
    parser.add_argument("--skip-imdb", action="store_true", help="leave out the IMDB training runs")
    parser.add_argument("--skip-load", action="store_true", help="leave out the class-size load test")
    parser.add_argument("--load-size", type=int, default=None, metavar="N",
                        help="students in the load test's class (default 200)")


def run(args) -> int:
    if args.judge_only is not None:
        results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        ratios = results.setdefault("judge_ratio", {})
        for aid in args.judge_only or judged_assignments():
            course.assignment(aid)
            ratios[aid] = judge_ratio(aid)
            print(judge_rows({aid: ratios[aid]})[0], flush=True)
            RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        return 0
    if args.notebooks:
        time_notebooks(args.notebooks)
        return 0
    run_bench(skip_imdb=args.skip_imdb, skip_load=args.skip_load, load_size=args.load_size)
    return 0
