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

turns what ``gh classroom clone student-repos`` writes (a folder ``<assignment-slug>-submissions``
of student repositories named ``<assignment-slug>-<github-login>``) into nbgrader's submitted
layout ``<submitted>/<github-login>/<id>/<notebook>.ipynb`` for ``make autograde``, with
``timestamp.txt`` the time GitHub received the graded commit (``--pushes``: GitHub's push
records), else the commit's own time from git (``--roster``: GitHub Classroom's roster, to map
names to logins exactly; ``--prefix``: the slug, when the folder was renamed).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
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


class CollectError(ValueError):
    """The clones cannot be collected as asked: what is wrong, and what would do."""


def collect(clone_root: Path, aid: str, out: Path, roster: list[dict] | None = None, prefix: str | None = None,
            warn=lambda msg: print("WARNING", msg, file=sys.stderr), pushes: Path | None = None) -> dict[str, Path]:
    """``gh classroom clone student-repos`` folders -> ``out/<login>/<aid>/``; returns
    login -> folder.  The repository's ``notebooks/<aid>/`` is what the student worked in;
    when it is missing, every notebook of the repository is copied and the grader's
    discovery picks one (and says so).

    Each repository's name is mapped to a login exactly (``login_of``): the assignment's
    prefix (``prefix``, else the clone folder's ``<prefix>-submissions`` name) and the
    roster (GitHub Classroom's roster CSV, ``read_roster``).  A name that is unknown or
    matches two students is refused (``warn``), never graded as someone else.  The time of
    the submission, written as nbgrader's ``timestamp.txt`` (a ``timestamp.txt`` in the repository
    is never read): with ``pushes`` (a folder of GitHub's push records, ``push_time``), when GitHub
    first received the graded commit, a time no student can set; without it, the graded commit's
    time from git (``commit_time``), which its committer can set, and a warning says so.  Links
    stay links (``discover.copy_submission``): the grader refuses them by name."""
    clone_root, out = Path(clone_root), Path(out)
    repos = sorted(p for p in clone_root.iterdir()
                   if p.is_dir() and ((p / ".git").exists() or any(p.rglob("*.ipynb"))))
    if not repos:
        raise FileNotFoundError(f"no student repositories in {clone_root}")
    prefix = prefix if prefix is not None else clone_prefix(clone_root)
    logins = [r["github_username"].strip() for r in roster or [] if (r.get("github_username") or "").strip()]
    if not prefix and roster is None:
        raise CollectError(f"cannot tell the GitHub logins from the repository names in {clone_root}: give the "
                           "assignment's prefix (--prefix <slug>-) or GitHub Classroom's roster (--roster)")
    prefixes = [prefix] if prefix else roster_prefixes([r.name for r in repos], logins)
    if pushes is not None and not Path(pushes).is_dir():
        raise CollectError(f"--pushes {pushes}: no such folder (one <repository>.json of GitHub's push records "
                           "per repository)")
    done: dict[str, Path] = {}
    for repo in repos:
        login, why = login_of(repo.name, prefixes, logins if roster is not None else None)
        if repo.is_symlink():
            login, why = None, f"{repo.name} is a link, not a cloned repository"
        if login is None or login in done:
            warn(f"{repo.name}: not collected: {why or f'a second repository for {login}'}")
            continue
        done[login] = _collect_repo(repo, aid, out / login / aid, warn, pushes)
    return done


def _collect_repo(repo: Path, aid: str, dest: Path, warn, pushes: Path | None = None) -> Path:
    """One repository's notebooks into ``dest``, and the submission's time as timestamp.txt."""
    from ..grader.discover import copy_submission, link_counts

    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    counts = link_counts(repo)
    for nb in _sources(repo, aid):
        copy_submission(nb, dest / nb.name, counts)
    if pushes is not None:
        when, why = push_time(Path(pushes) / f"{repo.name}.json", head_commit(repo))
        if when is None:
            warn(f"{repo.name}: {why}: no timestamp.txt (export --due cannot mark it)")
    else:
        when = commit_time(repo)
        if when is None:
            warn(f"{repo.name}: no commit time from git: no timestamp.txt (export --due cannot mark it)")
    if when is not None:
        (dest / "timestamp.txt").write_text(nbgrader_timestamp(when) + "\n")
    return dest


def _sources(repo: Path, aid: str) -> list[Path]:
    """The notebooks to copy: ``notebooks/<aid>/<aid>.ipynb``, else every notebook of the
    repository, outside .git and checkpoints, reached without going through a link."""
    worked = repo / "notebooks" / aid / f"{aid}.ipynb"
    if os.path.lexists(worked) and not _through_link(worked, repo):
        return [worked]
    return [p for p in sorted(repo.rglob("*.ipynb")) if ".git" not in p.relative_to(repo).parts
            and ".ipynb_checkpoints" not in p.parts and not _through_link(p, repo)]


def _through_link(path: Path, top: Path) -> bool:
    """A folder between ``top`` and ``path`` is a symlink."""
    return any(parent.is_symlink() for parent in path.parents if parent != top and top in parent.parents)


def clone_prefix(clone_root: Path) -> str:
    """``<slug>-`` from ``gh classroom clone student-repos``' folder ``<slug>-submissions``, else ''."""
    name = Path(clone_root).resolve().name
    return name[: -len("submissions")] if name.endswith("-submissions") else ""


def roster_prefixes(names: list[str], logins: list[str]) -> list[str]:
    """The assignment prefixes the roster allows, when the clone folder does not say: every
    ``<name minus a login>`` that begins every repository's name (Classroom names all of an
    assignment's repositories ``<slug>-<login>``).  Two of them make a name ambiguous."""
    found = {name[: len(name) - len(login)] for name in names for login in logins
             if name.lower().endswith("-" + login.lower())}
    return sorted(p for p in found if all(name.startswith(p) for name in names))


def login_of(repo: str, prefixes: list[str], logins: list[str] | None) -> tuple[str | None, str]:
    """(login, "") for the repository named ``repo``, or (None, why).  The login is exactly
    the rest of the name after the assignment's prefix; with a roster it must be one of its
    logins.  A name that reads as two logins (two possible prefixes) is refused."""
    rests = [repo[len(p):] for p in prefixes if repo.startswith(p) and len(repo) > len(p)]
    if not rests:
        why = f"the name does not start with the assignment's prefix {prefixes[0]!r}" if prefixes else \
            "no GitHub login of the roster ends the name"
        return None, why
    if len(rests) > 1:
        return None, (f"the name reads as {len(rests)} logins ({', '.join(sorted(rests))}), one per possible "
                      "assignment prefix: give the prefix (--prefix <slug>-)")
    if logins is None:
        return rests[0], ""
    exact = [name for name in logins if name.lower() == rests[0].lower()]
    return (exact[0], "") if exact else (None, f"{rests[0]!r} is not a GitHub login of the roster")


def read_roster(path: Path) -> list[dict]:
    """GitHub Classroom's roster CSV (``identifier, github_username, github_id, name``)."""
    from ..grader.report import read_csv

    rows = read_csv(Path(path))
    if rows and "github_username" not in rows[0]:
        raise CollectError(f"{path} has no github_username column (GitHub Classroom's roster: "
                           "identifier, github_username, github_id, name)")
    return rows


GIT_SAFE = ["-c", "safe.directory=*", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null",
            "-c", "log.showSignature=false"]


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess | None:
    """git on a student's repository, safely (``GIT_SAFE``, no system or global config, no
    prompt); None when git cannot run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0")
    try:
        return subprocess.run(["git", *GIT_SAFE, "-C", str(repo), *args], capture_output=True, text=True,
                              timeout=60, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return None


def commit_time(repo: Path) -> datetime | None:
    """When the collected HEAD was committed (``git log -1 --format=%cI``), as git says (its
    committer can set it); None when ``repo`` is not a git repository git can read."""
    proc = _git(repo, "log", "-1", "--format=%cI", "HEAD")
    try:
        return datetime.fromisoformat(proc.stdout.strip()) if proc is not None and proc.returncode == 0 else None
    except ValueError:
        return None


def head_commit(repo: Path) -> str | None:
    """The collected HEAD's commit id (``git rev-parse HEAD``); None when git cannot read ``repo``."""
    proc = _git(repo, "rev-parse", "--verify", "HEAD^{commit}")
    return proc.stdout.strip() if proc is not None and proc.returncode == 0 else None


def read_pushes(path: Path) -> list[dict]:
    """GitHub's push records of one repository: what ``gh api --paginate
    "repos/<org>/<repo>/activity?activity_type=push"`` prints (REST "List repository activities":
    objects with ``after``, the commit a push brought, and ``timestamp``), one JSON array or
    several (one per page) in a row."""
    text = path.read_text(encoding="utf-8")
    decoder, records, at = json.JSONDecoder(), [], 0
    while (at := _skip_space(text, at)) < len(text):
        page, at = decoder.raw_decode(text, at)
        if not isinstance(page, list):
            raise ValueError("not a JSON array of activities")
        records += [r for r in page if isinstance(r, dict)]
    return records


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def push_time(path: Path, commit: str | None) -> tuple[datetime | None, str]:
    """When GitHub first received ``commit`` (the earliest record of ``path`` whose ``after`` is it),
    or None and the reason in a sentence."""
    if commit is None:
        return None, "no commit id from git"
    try:
        records = read_pushes(path)
    except FileNotFoundError:
        return None, f"no push records ({path.name} is not in the --pushes folder)"
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return None, f"the push records {path.name} cannot be read ({type(exc).__name__})"
    times = []
    for record in records:
        if record.get("after") == commit:
            try:
                times.append(datetime.fromisoformat(str(record.get("timestamp")).replace("Z", "+00:00")))
            except ValueError:
                continue
    if not times or any(t.tzinfo is None for t in times):
        return None, f"the graded commit {commit[:12]} is not among GitHub's push records of {path.name}"
    return min(times), ""


def nbgrader_timestamp(when: datetime) -> str:
    """nbgrader's timestamp.txt format, in UTC: ``2026-11-30 23:59:59.000000 UTC``."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    b = sub.add_parser("build", help="write dist/classroom/<id>/, the student template repository of each assignment")
    b.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    c = sub.add_parser("collect", help="gh classroom clone student-repos folders -> nbgrader's submitted layout")
    c.add_argument("clones", type=Path)
    c.add_argument("--assignment", required=True)
    c.add_argument("--out", required=True, type=Path)
    c.add_argument("--roster", type=Path, help="GitHub Classroom's roster CSV (identifier, github_username, ...): "
                   "repository names are mapped to its logins exactly")
    c.add_argument("--prefix", help="the repositories' prefix before the login (<slug>-; default: from the "
                   "clone folder <slug>-submissions)")
    c.add_argument("--pushes", type=Path, help="a folder of GitHub's push records, <repository>.json each (gh api "
                   "--paginate 'repos/<org>/<repo>/activity?activity_type=push'): the time of a submission is "
                   "when GitHub received its commit, not the commit's own date")


def run(args) -> int:
    if args.action == "build":
        for path in build_all(args.assignments or None):
            print(f"classroom: {path.relative_to(course.ROOT)}/ (template repository; workflow {WORKFLOW})")
        return 0
    try:
        roster = read_roster(args.roster) if args.roster else None
        done = collect(args.clones, args.assignment, args.out, roster, args.prefix, pushes=args.pushes)
    except CollectError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    print(f"classroom: {len(done)} repositories -> {args.out} (nbgrader's submitted layout)")
    if args.pushes is None:
        print("WARNING the times in timestamp.txt are the commits' own (git's committer dates), which a student "
              "can set; for the times GitHub received the pushes, give --pushes (docs/autograding.md)", file=sys.stderr)
    return 0
