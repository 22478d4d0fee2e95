"""GitHub Classroom: a student template repository per assignment, and the way back.

    make classroom [ASSIGNMENTS=<id> ...]    ->  dist/classroom/<id>/

A template holds exactly the assignment's student bundle (its notebook, the figures it
shows, ``rnnkit``, the pinned environment, the README) plus ``.github/workflows/classroom.yml``.
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
      - name: Cache the packages
        uses: actions/cache@v4
        with:
          path: ~/.cache/pip
          key: pip-${{{{ runner.os }}}}-py${{{{ steps.python.outputs.python-version }}}}-${{{{ hashFiles('requirements.txt') }}}}
      - name: Install the course environment
        run: |
          python -m pip install -r requirements.txt
          python -m pip install --no-deps -e .
      - name: Visible tests
        id: visible-tests
        env:
          NOTEBOOK: {notebook}
        run: python -m rnnkit.check "$NOTEBOOK" --github-output
      - name: Report to GitHub Classroom
        if: always()
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          VISIBLE-TESTS_RESULTS: "${{{{ steps.visible-tests.outputs.result }}}}"
        with:
          runners: visible-tests
"""


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
