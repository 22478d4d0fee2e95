"""Step: grade the same submission several times; the per-question grades must not move.

`python -m autograder determinism [ids] --runs 3` grades each assignment's solved student
version ``runs`` times, as ``runs`` students of one batch on the one grading path
(``autograder.gates.grading``), one after the other (``--jobs 1``, so every run gets the same
thread count), and compares the grades.csv-style rows (grade_id, score, max_score).
"""
from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from .. import course


def repeated_grades(aid: str, runs: int = 3, submission: Path | None = None,
                    jobs: int = 1) -> list[list[tuple[str, float, float, str]]]:
    from .grading import FINISHED, grade_notebooks, student_versions
    from .validate import imdb_for

    with tempfile.TemporaryDirectory(prefix=f"determinism-{aid}-") as tmp, \
            imdb_for(aid) if submission is None else contextlib.nullcontext():
        if submission is None:
            submission, _ = student_versions(aid, Path(tmp))
        results = grade_notebooks({f"run{k + 1}": (submission, aid) for k in range(runs)}, jobs=jobs)
    out = []
    for k in range(runs):
        r = results[f"run{k + 1}"]
        if r.status not in FINISHED:
            raise RuntimeError(f"{aid} run {k + 1}: {r.status}: {' '.join(r.messages)} {' '.join(r.review)[:2000]}")
        out.append([(q.question, q.score, q.max_score, q.outcome) for q in r.questions])
    return out


def add_arguments(parser) -> None:
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="runs graded at once (default 1)")


def run(args) -> int:
    bad = 0
    for aid in args.assignments or course.ASSIGNMENTS:
        runs = repeated_grades(aid, args.runs, jobs=args.jobs)
        same = all(r == runs[0] for r in runs)
        bad += not same
        scores = " | ".join(f"{sum(q[1] for q in r):g}/{sum(q[2] for q in r):g}" for r in runs)
        print(f"{aid:<24} {args.runs} runs: {scores}  {'identical' if same else 'DIFFERENT'}", flush=True)
        if not same:
            for k, r in enumerate(runs):
                print(f"    run {k + 1}: {r}")
    return 1 if bad else 0
