"""Gradescope: the autograder zip of an assignment, and what runs inside it.

    make gradescope ASSIGNMENT=<id>      ->  dist/gradescope/<id>.zip

The zip follows Gradescope's autograder specification: ``setup.sh`` and ``run_autograder``
at its root, the rest in ``course/`` (the grader, ``rnnkit``, the one master, the course
description and the pins).  Gradescope unpacks it into ``/autograder/source`` and runs
``setup.sh`` once on its Ubuntu 22.04 base image; for every submission it puts the
student's files in ``/autograder/submission`` and runs ``run_autograder``, which calls

    python -m autograder gradescope run <id> [--hidden-visibility V]

That grades the submission with this course's grader, through the one grading path
(``grade.grade_batch``: real nbgrader, the sandbox, the output boundary), and writes
``/autograder/results/results.json`` in Gradescope's results format (``Result.gradescope``).
The root is ``AUTOGRADER_ROOT`` when set (the tests use a fake root in a temporary folder).

Results: each grade cell becomes a "visible tests" entry, always visible, and, when it has
hidden tests, a "hidden tests" entry with ``--hidden-visibility`` (visible, after_due_date,
after_published, hidden) that carries the cell's points.  Entries are named as the notebook
names the question ("Exercise 3 · steps_to_vanish, 2 points: visible tests"), with the
grade id in their ``extra_data``, and have a ``number`` (question.part).  Flags and status
go to the results' ``extra_data``; a submission that needs review gets one more entry,
``hidden`` (instructors only), saying why.  When the grader itself fails, results.json says
so and ``run`` exits non-zero.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import stat
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path

from .. import course
from ..grader.judge import CHECKER_MEMORY_MB

log = logging.getLogger(__name__)

VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")
# Memory the machine needs beyond the kernel's limit and its scratch space: the grading
# processes around the kernel (the batch, its forkserver and the worker, each about 110 MB
# resident with nbgrader imported, measured), Gradescope's harness and the system.
GRADER_HEADROOM_MB = 1024
STUDENT = "gradescope"        # the student id inside the batch (Gradescope grades one at a time)
OUT = course.DIST / "gradescope"

# What the zip's course/ folder holds, besides the assignment's master folder.
COURSE_FILES = ("autograder", "rnnkit", "course.toml", "nbgrader_config.py", "requirements.txt",
                "pyproject.toml", "source/header.ipynb")

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu 22.04 base image, when it builds the
# autograder image.  Everything comes from Ubuntu's archive and PyPI.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
COURSE=/autograder/source/course
apt-get update
# Python 3.11 is in Ubuntu 22.04's own archive (universe): the course's pins need 3.11.
apt-get install -y --no-install-recommends python3.11 python3.11-venv python3.11-dev build-essential
python3.11 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
/autograder/venv/bin/python -m pip install -r "$COURSE/requirements.txt"
/autograder/venv/bin/python -m pip install --no-deps --no-build-isolation -e "$COURSE"
# warm what every submission would otherwise pay for: matplotlib's font cache, TensorFlow's import
/autograder/venv/bin/python -c "import matplotlib.pyplot, tensorflow"
"""

# An assignment that reads a data set (course.toml's data): the data goes into the image at
# build time, into Keras' cache folder where the grader finds it (grader/data.py), because
# the kernels that grade have no network; where it cannot be fetched, the build fails.
DATA_SETUP_SH = """# {aid} reads the IMDB data: fetch it into the image now (Keras' cache folder), or fail the build
cd "$COURSE"
/autograder/venv/bin/python -m autograder.grader.data fetch || {{
  echo "ERROR: setup.sh could not fetch the IMDB data {aid} is graded on (see above); the image is not usable" >&2
  exit 1
}}
"""


def setup_sh(aid: str) -> str:
    """setup.sh of ``aid``'s zip: the environment, and the data the assignment reads."""
    from ..grader import data

    return SETUP_SH + (DATA_SETUP_SH.format(aid=aid) if data.needed([aid]) else "")


RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission (working folder /autograder).
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PY="${{AUTOGRADER_PYTHON:-/autograder/venv/bin/python}}"
cd "$ROOT/source/course"
exec "$PY" -m autograder gradescope run {aid} --hidden-visibility "${{HIDDEN_VISIBILITY:-{visibility}}}"
"""


# ----------------------------------------------------------------------------------------
# the zip
# ----------------------------------------------------------------------------------------

def memory_needed_mb(a) -> int:
    """The least memory a Gradescope machine for ``a`` may have: the kernel's limit, its
    scratch space (a tmpfs where the sandbox can mount one: it counts against the machine's
    memory, not the kernel's limit) and the grader's headroom."""
    return a.limits.memory_mb + a.limits.disk_mb + GRADER_HEADROOM_MB + CHECKER_MEMORY_MB


def check_machine(a) -> None:
    """Refuse a Gradescope machine (course.toml) smaller than the grading limits need."""
    need = memory_needed_mb(a)
    if a.gradescope.memory_gb * 1024 < need:
        raise ValueError(f"{a.id}: Gradescope memory {a.gradescope.memory_gb:g} GB is less than the {need} MB "
                         f"grading needs (kernel {a.limits.memory_mb} MB + scratch {a.limits.disk_mb} MB + grader "
                         f"{GRADER_HEADROOM_MB} MB + checker {CHECKER_MEMORY_MB} MB): raise gradescope.memory_gb in "
                         "course.toml")


def _question_names(aid: str) -> dict[str, str]:
    """grade_id -> the question's name, from the master (``rnnkit.questions``)."""
    import nbformat
    from rnnkit.questions import question_names

    return question_names(nbformat.read(course.SOURCE / aid / f"{aid}.ipynb", as_version=4))


def _manual_lines(a) -> str:
    manual = course.manual_questions(a.id)
    if not manual:
        return "None in this assignment: the autograder's score is the whole grade."
    names = _question_names(a.id)
    rows = "\n".join(f"* {names[gid]} (grade id `{gid}`)" if gid in names else f"* `{gid}`: {points:g} points"
                     for gid, points in manual.items())
    return (f"""Add one manually graded question per answer below to the assignment's outline, with
its points, and grade it from the submitted notebook.  The autograder gives each an entry
"graded by hand" worth 0 points (never shown as failed); `extra_data.pending_points` says how
many points wait, and `extra_data.max_score` is the autograder's share of the total.

{rows}""")


def readme(a) -> str:
    g = a.gradescope
    lim = a.limits
    return f"""# Gradescope autograder: {a.id} ({a.title})

Upload this zip as the assignment's autograder ("Configure Autograder" > "Zip file upload").

## Settings this assignment needs

| setting | value | why |
| --- | --- | --- |
| Base image | Ubuntu 22.04 | `setup.sh` installs Python 3.11 from its archive |
| Autograder timeout | {g.timeout_minutes} minutes | the notebook's own limit is {lim.notebook_seconds} s, {lim.cell_seconds} s per cell, plus the image's start-up |
| CPUs | {g.cpus:g} | TensorFlow uses every core it gets; the course's limits were measured on 2 cores |
| Memory | {g.memory_gb:g} GB | at least {memory_needed_mb(a)} MB: the kernel's limit, {lim.memory_mb} MB, its scratch space, {lim.disk_mb} MB (in memory where the sandbox mounts a tmpfs), {GRADER_HEADROOM_MB} MB for the grader around it and {CHECKER_MEMORY_MB} MB for the process that checks the hidden tests' results beside the kernel (course.toml's limits) |

Gradescope's default machine (768 MB, 0.5 CPU, 10 minutes) is too small for this course.
Where Gradescope offers memory only together with a number of CPUs, take the smallest
option with at least this memory and at least these CPUs.
The figures come from `course.toml` ([defaults.gradescope] and the assignment's entry),
sized from the course's measurements (`make busy`, `make bench`).

## What students see

Each question has a "visible tests" entry (the checks the student version shows) and, where
the question has hidden tests, a "hidden tests" entry that carries its points.  Entries are
named as the notebook names the question ("Exercise 3 · steps_to_vanish, 2 points: visible
tests"); the grade id is in each entry's `extra_data.grade_id`.  The hidden
entries' visibility is set at build time (`--hidden-visibility`, default `{VISIBILITIES[0]}`)
or per run with the environment variable `HIDDEN_VISIBILITY` in `run_autograder`.
Gradescope's rule: while any entry is hidden from students, so is the total score.
Flags (renamed notebook, edited tests, suspected tampering) are in the results'
`extra_data`, and an instructors-only entry says why a submission needs review.

## Questions graded by hand

{_manual_lines(a)}

## Files

* `setup.sh`, `run_autograder`: Gradescope's two entry points;
* `course/`: this course's grader (`autograder/`), its helper package (`rnnkit/`), the
  master of {a.id} (instructors only: Gradescope never shows the autograder's files to
  students), `course.toml`, `nbgrader_config.py` and the pinned requirements.
"""


def build(aid: str, out_dir: Path = OUT, hidden_visibility: str = "visible") -> Path:
    """dist/gradescope/<aid>.zip: Gradescope's autograder zip for one assignment."""
    a = course.assignment(aid)
    check_machine(a)
    if hidden_visibility not in VISIBILITIES:
        raise ValueError(f"hidden visibility must be one of {', '.join(VISIBILITIES)}")
    if not (course.SOURCE / aid / f"{aid}.ipynb").is_file():
        raise FileNotFoundError(f"no master for {aid} in {course.SOURCE}")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{aid}.zip"
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        def add_text(name: str, text: str, executable: bool = False) -> None:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text)

        add_text("setup.sh", setup_sh(aid), executable=True)
        add_text("run_autograder", RUN_AUTOGRADER.format(aid=aid, visibility=hidden_visibility), executable=True)
        add_text("README.md", readme(a))
        for rel in [*COURSE_FILES, f"source/{aid}"]:
            for path in _files(course.ROOT / rel):
                info = zipfile.ZipInfo.from_file(path, "course/" + str(path.relative_to(course.ROOT)))
                info.date_time = (2026, 1, 1, 0, 0, 0)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
        for path, name in _judged_records(aid):          # recorded once here, not once per submission
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    tmp.replace(target)
    return target


def _judged_records(aid: str) -> list[tuple[Path, str]]:
    """The master's recorded hidden checks (``judge.prepare``'s cache entry) and their names in
    the zip, where the grader inside finds them under the same key: Gradescope grades one
    submission per container, so without them every submission would record them again."""
    import nbformat

    from ..grader import data, judge

    master = course.SOURCE / aid / f"{aid}.ipynb"
    if not judge.hidden_regions(nbformat.read(master, as_version=4)):
        return []
    data_dir = None if data.needed([aid]) else ""     # as the batch records them: no data folder unless the lab reads it
    with tempfile.TemporaryDirectory() as tmp:
        judge.prepare(master, Path(tmp), data_dir=data_dir)
    cached = judge.cache_dir() / f"{aid}-{judge.cache_key(master, data_dir)}"
    return [(p, f"course/build/judged/{cached.name}/{p.name}") for p in _files(cached)]


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    skip = {"__pycache__", ".ipynb_checkpoints", "rnnkit.egg-info"}
    return sorted(p for p in path.rglob("*") if p.is_file() and not skip & set(p.relative_to(path).parts))


# ----------------------------------------------------------------------------------------
# results
# ----------------------------------------------------------------------------------------

def failure(message: str) -> dict:
    return {"score": 0.0, "output": "The autograder failed on this submission; your instructor has been told. "
            "It is not your notebook's fault and does not count as a grade.",
            "visibility": "visible", "stdout_visibility": "hidden",
            "extra_data": {"status": "autograder_failed", "error": message[-5000:]}, "tests": []}


# ----------------------------------------------------------------------------------------
# run_autograder
# ----------------------------------------------------------------------------------------

def root() -> Path:
    return Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))


def grade_submission(aid: str, hidden_visibility: str = "visible") -> int:
    """Grade ``<root>/submission`` as ``aid``; write ``<root>/results/results.json``.
    0 when a grade was written (whatever the notebook did), 1 when the grader failed."""
    from ..grader.discover import copy_submission
    from ..grader.grade import grade_batch
    from ..grader.schema import GradeOptions

    base = root()
    out = base / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp:
            subs = Path(tmp) / "submitted" / STUDENT / aid
            subs.mkdir(parents=True)
            if (base / "submission").is_dir() and not (base / "submission").is_symlink():
                # links stay links (never followed): discovery refuses them by name
                copy_submission(base / "submission", subs)
            batch = grade_batch(Path(tmp) / "submitted", Path(tmp) / "out",
                                GradeOptions(jobs=1, assignments=[aid]))
            if batch.template_errors:
                raise RuntimeError("could not prepare the assignment: " + "; ".join(batch.template_errors))
            mine = [r for r in batch.results if r.assignment == aid]
            if len(mine) != 1:
                raise RuntimeError(f"expected one result for {aid}, got {len(mine)}")
            if mine[0].status == "error":
                raise RuntimeError("the grader failed: " + "\n".join(mine[0].review))
            payload = mine[0].gradescope(hidden_visibility)
    except BaseException as exc:   # the grader failed: say so to Gradescope, exit non-zero
        detail = "".join(traceback.format_exception(exc))
        print(detail, file=sys.stderr)
        out.write_text(json.dumps(failure(detail), indent=2) + "\n")
        return 1
    out.write_text(json.dumps(payload, indent=2) + "\n")
    log.info(f"{aid}: {payload['extra_data']['status']} {payload['score']:g}/{payload['extra_data']['max_score']:g} -> {out}")
    return 0


# ----------------------------------------------------------------------------------------
# command line
# ----------------------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    b = sub.add_parser("build", help="write dist/gradescope/<id>.zip, Gradescope's autograder zip")
    b.add_argument("assignment")
    b.add_argument("--hidden-visibility", choices=VISIBILITIES, default="visible",
                   help="Gradescope visibility of the hidden-test entries (default visible)")
    r = sub.add_parser("run", help="inside Gradescope: grade $AUTOGRADER_ROOT/submission (default /autograder)")
    r.add_argument("assignment")
    r.add_argument("--hidden-visibility", choices=VISIBILITIES, default="visible")


def run(args) -> int:
    if args.action == "build":
        path = build(args.assignment, hidden_visibility=args.hidden_visibility)
        print(f"gradescope: {path.relative_to(course.ROOT)} ({path.stat().st_size / 1e6:.1f} MB); "
              f"settings in its README.md")
        return 0
    return grade_submission(args.assignment, args.hidden_visibility)
