"""GitHub Classroom: a student template repository per assignment, and the way back.

    make classroom [ASSIGNMENTS=<id> ...]    ->  dist/classroom/<id>/

A template holds exactly the assignment's student bundle (its notebook, the figures it
shows, ``rnnkit``, the pinned environment, the README, whose "Submit" section says how to
commit and push, and what a push costs in Actions minutes) plus ``.github/workflows/classroom.yml``.
On every push that workflow runs the visible tests (``python -m rnnkit.check``, the same
command as ``python -m autograder check`` here) and hands their per-question points to
GitHub Classroom's ``autograding-grading-reporter``.  The template never holds a hidden
test, a master or the grader: the final grade is ``make autograde`` on the collected repos.

    python -m autograder classroom collect <gh-classroom-clone-folder> --assignment <id> --out <submitted>

turns what ``gh classroom clone student-repos`` writes (one folder per student repository,
named ``<assignment-slug>-<github-login>``) into nbgrader's submitted layout
``<submitted>/<github-login>/<id>/<notebook>.ipynb`` for ``make autograde``.
"""
from __future__ import annotations

import argparse
import math
import re
import shutil
from pathlib import Path

from .. import course

OUT = course.DIST / "classroom"
WORKFLOW = ".github/workflows/classroom.yml"

WORKFLOW_TEXT = """# Runs the visible tests of {aid} on every push and reports the points to GitHub Classroom.
# The visible tests are a self-check: the final grade also runs hidden tests.
name: Autograding Tests
on:
  push:
  workflow_dispatch:
  repository_dispatch:
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    name: Autograding Tests
    runs-on: ubuntu-latest
    timeout-minutes: {timeout}
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Python
        id: python
        uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      # The built environment (.venv, TensorFlow included) is cached, keyed on the pins: a push
      # installs nothing unless requirements*.txt or pyproject.toml changed.  Restore and save
      # are separate steps (actions/cache's own restore and save) so that a freshly built
      # environment is saved at once, even when the visible tests then fail.
      - name: Restore the course environment
        id: venv
        uses: actions/cache/restore@v4
        with:
          path: .venv
          key: venv-${{{{ runner.os }}}}-py${{{{ steps.python.outputs.python-version }}}}-${{{{ hashFiles('requirements*.txt', 'pyproject.toml') }}}}
      - name: Install the course environment
        if: steps.venv.outputs.cache-hit != 'true'
        run: |
          python -m venv .venv
          .venv/bin/python -m pip install -r requirements.txt
          .venv/bin/python -m pip install --no-deps -e .
      - name: Save the course environment
        if: steps.venv.outputs.cache-hit != 'true'
        uses: actions/cache/save@v4
        with:
          path: .venv
          key: ${{{{ steps.venv.outputs.cache-primary-key }}}}
      - name: Visible tests
        id: visible-tests
        env:
          NOTEBOOK: {notebook}
        run: .venv/bin/python -m rnnkit.check "$NOTEBOOK" --github-output
      - name: Report to GitHub Classroom
        if: always()
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          VISIBLE-TESTS_RESULTS: "${{{{ steps.visible-tests.outputs.result }}}}"
        with:
          runners: visible-tests
"""


# What one push costs in GitHub Actions minutes: one job on a GitHub-hosted Linux runner (2
# cores for a private repository, the machine `make bench` measures on), billed per job and
# rounded up to the whole minute.  The seconds of each part of the job:
JOB_START_SECONDS = 20     # estimate: the runner's start, checkout, setup-python (from the runner's tool cache)
RESTORE_SECONDS = 45       # estimate: restore the cached .venv (about 2 GB unpacked: `du -sh .venv` here)
BUILD_SECONDS = 240        # estimate: pip install of the pins (TensorFlow's wheel is the bulk), then save the cache
CHECK_OVERHEAD_SECONDS = 10   # measured: `python -m rnnkit.check` on 02 took 16.7 s (solved) and 20.2 s
                              # (blank) against 14.6 s for its bare run (bench/results.json)


def push_minutes(aid: str) -> tuple[int, int]:
    """(minutes of a push with the environment cached, minutes of a push that builds it):
    the check's time is the assignment's bench budget (course.toml: `make bench` holds one
    bare run of its solved notebook on 2 cores to it) plus the check's own start."""
    check = course.assignment(aid).bench_budget_seconds + CHECK_OVERHEAD_SECONDS
    return (math.ceil((JOB_START_SECONDS + RESTORE_SECONDS + check) / 60),
            math.ceil((JOB_START_SECONDS + BUILD_SECONDS + check) / 60))


SUBMIT = """## Submit: commit and push

This repository is your submission: what it holds on GitHub when the assignment is due is
graded.  There is nothing to upload.  Work in your clone of it (once: `git clone` with the URL
of its green *Code* button on GitHub, then set up as above in that folder).  Save the notebook
in JupyterLab, then, from this folder:

    git add notebooks/{aid}/{aid}.ipynb
    git commit -m "Exercise 2 done"
    git push

(or the same three steps in your editor's Git panel, or GitHub Desktop).  Every push runs the
visible tests on GitHub: the *Actions* tab of your repository, "Autograding Tests", shows the
points per question.  Those are the visible tests only: the final grade also runs hidden tests
on inputs you have not seen.

Before the deadline press **Validate** in the notebook toolbar (or *Kernel → Restart Kernel and
Run All Cells*), save, commit and push a last time, and check on GitHub that your last commit is
there.  Only `notebooks/{aid}/{aid}.ipynb` is graded, with the course's own copy of `rnnkit`.
Do not edit or delete the locked test cells (the grader puts them back and flags the change),
nor `.github/workflows/classroom.yml`.

### What a push costs

Each push runs one job on a GitHub-hosted Linux runner, billed to your course's GitHub
organisation in whole minutes (private repositories; public ones are free).  For
`{aid}`: about **{hit} minutes** a push once the environment is cached, about **{miss} minutes**
for a push that builds it: the first push of this repository, a push after the pins
(`requirements*.txt`, `pyproject.toml`) changed, or after 7 days without a push (GitHub then
drops the cache).  So run the visible tests in JupyterLab while you work, and push when you
have something to hand in or to check, not after every cell.  For an instructor: a class of
100 students who push 10 times each uses about 100 × ({miss} + 9 × {hit}) = {class_minutes}
minutes on this assignment.

Basis: {start} s to start the job, {restore} s to restore the cached environment or {build} s to
build and cache it (estimates for a GitHub-hosted runner), and the check itself, at most
{check:g} s for this notebook: its bare run on 2 cores (`make bench`'s budget) plus {overhead} s
(measured).
"""


def readme(bundle_readme: str, aid: str) -> str:
    """The template's README: the bundle's, with its "Submit" section for GitHub Classroom."""
    hit, miss = push_minutes(aid)
    section = SUBMIT.format(aid=aid, hit=hit, miss=miss, class_minutes=f"{100 * (miss + 9 * hit):,}",
                            start=JOB_START_SECONDS, restore=RESTORE_SECONDS,
                            build=BUILD_SECONDS, check=course.assignment(aid).bench_budget_seconds
                            + CHECK_OVERHEAD_SECONDS, overhead=CHECK_OVERHEAD_SECONDS)
    head, found, rest = bundle_readme.partition("\n## Submit")
    if not found:
        return bundle_readme.rstrip("\n") + "\n\n" + section
    after = re.search(r"^## ", rest, re.M)
    return head + "\n" + section + ("\n" + rest[after.start():] if after else "")


def workflow(aid: str) -> str:
    a = course.assignment(aid)
    timeout = max(10, (a.limits.notebook_seconds * 2) // 60 + 10)     # install + one run, with margin
    return WORKFLOW_TEXT.format(aid=aid, notebook=f"notebooks/{aid}/{aid}.ipynb", timeout=timeout)


def build(aid: str, out: Path = OUT) -> Path:
    """dist/classroom/<aid>/: the student template repository of one assignment."""
    import zipfile

    from ..authoring import bundle

    target = Path(out) / aid
    if target.exists():
        shutil.rmtree(target)
    with zipfile.ZipFile(bundle.build_assignment(aid, target.with_suffix(".zip"))) as zf:
        prefix = f"{course.COURSE_ID}-{aid}/"
        for info in zf.infolist():
            if info.is_dir() or not info.filename.startswith(prefix):
                continue
            dest = target / info.filename[len(prefix):]
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(zf.read(info))
    target.with_suffix(".zip").unlink()
    (target / "README.md").write_text(readme((target / "README.md").read_text(), aid))
    (target / WORKFLOW).parent.mkdir(parents=True, exist_ok=True)
    (target / WORKFLOW).write_text(workflow(aid))
    (target / ".gitignore").write_text(".ipynb_checkpoints/\n__pycache__/\n.venv/\n")
    return target


def build_all(assignments=None, out: Path = OUT) -> list[Path]:
    return [build(aid, out) for aid in (assignments or course.ASSIGNMENTS)]


def collect(clone_root: Path, aid: str, out: Path) -> dict[str, Path]:
    """``gh classroom clone student-repos`` folders -> ``out/<login>/<aid>/``; returns
    login -> folder.  The repository's ``notebooks/<aid>/`` is what the student worked in;
    when it is missing, every notebook of the repository is copied and the grader's
    discovery picks one (and says so)."""
    clone_root, out = Path(clone_root), Path(out)
    repos = sorted(p for p in clone_root.iterdir()
                   if p.is_dir() and ((p / ".git").exists() or any(p.rglob("*.ipynb"))))
    if not repos:
        raise FileNotFoundError(f"no student repositories in {clone_root}")
    prefix = _common_prefix([p.name for p in repos])
    done = {}
    for repo in repos:
        login = repo.name[len(prefix):] or repo.name
        dest = out / login / aid
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        worked = repo / "notebooks" / aid
        sources = [worked / f"{aid}.ipynb"] if (worked / f"{aid}.ipynb").is_file() else \
            [p for p in sorted(repo.rglob("*.ipynb")) if ".git" not in p.parts and ".ipynb_checkpoints" not in p.parts]
        for nb in sources:
            shutil.copy2(nb, dest / nb.name)
        for name in ("timestamp.txt",):
            if (repo / name).is_file():
                shutil.copy2(repo / name, dest / name)
        done[login] = dest
    return done


def _common_prefix(names: list[str]) -> str:
    """``<slug>-`` shared by every repository name (one repository: up to its last dash)."""
    if len(names) == 1:
        return names[0].rsplit("-", 1)[0] + "-" if "-" in names[0] else ""
    first, last = min(names), max(names)
    i = 0
    while i < min(len(first), len(last)) and first[i] == last[i]:
        i += 1
    prefix = first[:i]
    return prefix[: prefix.rfind("-") + 1]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    b = sub.add_parser("build", help="write dist/classroom/<id>/, the student template repository of each assignment")
    b.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    c = sub.add_parser("collect", help="gh classroom clone student-repos folders -> nbgrader's submitted layout")
    c.add_argument("clones", type=Path)
    c.add_argument("--assignment", required=True)
    c.add_argument("--out", required=True, type=Path)


def run(args) -> int:
    if args.action == "build":
        for path in build_all(args.assignments or None):
            print(f"classroom: {path.relative_to(course.ROOT)}/ (template repository; workflow {WORKFLOW})")
        return 0
    done = collect(args.clones, args.assignment, args.out)
    print(f"classroom: {len(done)} repositories -> {args.out} (nbgrader's submitted layout)")
    return 0
