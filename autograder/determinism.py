"""Step: grade the same submission several times; the per-question grades must not move.

`python -m autograder determinism [ids] --runs 3` grades each master (the correct
submission) `runs` times with the real autograding path and compares the grades.csv-style
rows (grade_id, score, max_score) of every run.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from . import course
from .nbgrade import grade_notebook


def repeated_grades(aid: str, runs: int = 3, submission: Path | None = None) -> list[list[tuple[str, float, float]]]:
    submission = submission or course.notebook_path(course.SOURCE, aid)
    out = []
    for k in range(runs):
        with tempfile.TemporaryDirectory(prefix=f"determinism-{aid}-{k}-") as tmp:
            grades = grade_notebook(submission, aid, Path(tmp))
            if grades.error:
                raise RuntimeError(f"{aid} run {k + 1}: {grades.error}")
            out.append([(c.grade_id, c.score, c.max_score) for c in grades.cells])
    return out


def add_arguments(parser) -> None:
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    parser.add_argument("--runs", type=int, default=3)


def run(args) -> int:
    bad = 0
    for aid in args.assignments or course.ASSIGNMENTS:
        runs = repeated_grades(aid, args.runs)
        same = all(r == runs[0] for r in runs)
        bad += not same
        scores = " | ".join(f"{sum(s for _, s, _ in r):g}/{sum(m for _, _, m in r):g}" for r in runs)
        print(f"{aid:<24} {args.runs} runs: {scores}  {'identical' if same else 'DIFFERENT'}", flush=True)
        if not same:
            for k, r in enumerate(runs):
                print(f"    run {k + 1}: {r}")
    return 1 if bad else 0
