"""The CI autograder (`make autograde`), end to end: real nbgrader, real kernels, the sandbox.

The fixture bank is GENERATED here from the masters (nothing hand-copied):

* ``04_sine_lab``: the full master: a correct submission (the student version with the
  master's answers) trains its LSTM in the sandbox;
* ``04_sine_lab_short``: the same master without its training exercises (a truncated
  master, so that the fault fixtures run in seconds): half-done, renamed, corrupt JSON,
  a non-notebook, a missing notebook, an infinite loop, ``os._exit(1)``, a memory bomb,
  heavy stderr, an edited test cell, a deleted test cell, a monkeypatched comparison, an
  answer that fails only the hidden tests;
* ``syn_probe``: a small synthetic master without TensorFlow whose grade cells probe the
  sandbox (network, HOME, secrets, limits), plus a kernel that ignores interrupts, one
  that runs past the notebook's time limit, and quick hidden-fail / monkeypatch / exit
  fixtures.

Everything is graded in ONE batch with JOBS=2 and the tests assert on its outputs.  A
small set is then graded twice more (the CLI on a .zip with JOBS=2; two shards with
JOBS=1, merged) to show that the results are identical.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import course
from autograder.grader.feedback import HIDDEN_FAILED
from autograder.grader.grade import grade_batch
from autograder.grader.schema import GradeOptions
from autograder.regions import secrets_of
from autograder.grader.report import merge, read_csv
from autograder.grader.worker import build_template
from nbcells import code_cell
from rnnkit.questions import question_names

pytestmark = pytest.mark.slow

FULL = "04_sine_lab"
SHORT = "04_sine_lab_short"
SYN = "syn_probe"
# exercises of 04 that need no training: the truncated master keeps only these
SHORT_SOLUTIONS = ("n04_dataset", "n04_irreducible", "n04_next_from_two")
SHORT_HALF = ("n04_dataset", "n04_next_from_two")      # what the half-done student solved
CELL_TIMEOUT = {SHORT: 45, SYN: 10}
NOTEBOOK_TIMEOUT = {SYN: 25}
MEMORY_MB = 2000
SECRET = "SECRET_" + "EXPECTED_4242"      # in syn_probe's hidden tests only


# ----------------------------------------------------------------------------------------
# masters
# ----------------------------------------------------------------------------------------

def meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {}) or {}


def gid(cell):
    return meta(cell).get("grade_id")


def find(nb, grade_id):
    return next(c for c in nb.cells if gid(c) == grade_id)


def index_of(nb, grade_id) -> int:
    return next(i for i, c in enumerate(nb.cells) if gid(c) == grade_id)


def exercise_tests(master) -> dict[str, tuple[str, float]]:
    """solution grade_id -> (grade_id of the grade cell that follows it, its points)."""
    out, current = {}, None
    for cell in master.cells:
        if meta(cell).get("solution"):
            current = gid(cell)
        elif meta(cell).get("grade") and current:
            out[current] = (gid(cell), float(meta(cell)["points"]))
            current = None
    return out


def write_master(folder: Path, aid: str, nb) -> Path:
    (folder / aid).mkdir(parents=True, exist_ok=True)
    path = folder / aid / f"{aid}.ipynb"
    nbformat.write(nb, path)
    return path


def short_master(full):
    """04 up to its data (setup, series), then only the exercises that need no training."""
    first_solution = next(i for i, c in enumerate(full.cells) if meta(c).get("solution"))
    keep_ids = set(SHORT_SOLUTIONS) | {exercise_tests(full)[s][0] for s in SHORT_SOLUTIONS}
    cells = [c for i, c in enumerate(full.cells) if (i < first_solution and c.cell_type == "code") or gid(c) in keep_ids]
    nb = nbformat.v4.new_notebook(cells=[nbformat.from_dict(dict(c)) for c in cells], metadata=full.metadata)
    return nb


def probe_master(grader_home: str):
    tests = dict(grade=True, locked=True)
    secrets = [str(course.notebook_path(course.SOURCE, FULL)), "../../../gradebook.db", f"../../../source/{SYN}/{SYN}.ipynb"]
    cells = [
        code_cell("import numpy as np"),
        code_cell("def answer(x=0):\n    ### BEGIN SOLUTION\n    return 42 + x\n    ### END SOLUTION", "syn_answer", solution=True),
        code_cell('import numpy as np\nassert np.isclose(answer(), 42), "answer() should be 42"\nprint("Visible tests passed.")\n'
                  f'### BEGIN HIDDEN TESTS\nnp.testing.assert_allclose(answer(1), 43, err_msg="{SECRET}: answer(1) == 43")\n### END HIDDEN TESTS',
                  grade_id="syn_answer_tests", points=2, **tests),
        code_cell('import socket\n_names = sorted(n for _, n in socket.if_nameindex())\nassert _names == ["lo"], f"network interfaces: {_names}"',
                  grade_id="syn_network_tests", points=1, **tests),
        code_cell(f"import os\nassert os.path.realpath(os.path.expanduser('~')) != {grader_home!r}, 'HOME is the grader HOME'\n"
                  "with open(os.path.expanduser('~/probe.txt'), 'w') as _fh:\n    _fh.write('HOME is writable')",
                  grade_id="syn_home_tests", points=1, **tests),
        code_cell(f"_secret = 'SECRET_' + 'EXPECTED_4242'\nfor _p in {secrets!r}:\n    try:\n        with open(_p, 'rb') as _fh:\n"
                  "            _t = _fh.read()\n    except OSError:\n        _t = b''\n"
                  "    assert _secret.encode() not in _t and b'BEGIN HIDDEN' + b' TESTS' not in _t, 'readable: ' + _p",
                  grade_id="syn_secrets_tests", points=1, **tests),
        code_cell("import resource\nassert resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY, 'no memory limit'\n"
                  "assert resource.getrlimit(resource.RLIMIT_CPU)[0] != resource.RLIM_INFINITY, 'no CPU limit'",
                  grade_id="syn_limits_tests", points=1, **tests),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


# ----------------------------------------------------------------------------------------
# submissions, generated from the released student versions and the masters
# ----------------------------------------------------------------------------------------

def solve(release, master, ids=None):
    """The student version with the master's answers in the solution cells ``ids`` (all)."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    for cell in nb.cells:
        if meta(cell).get("solution") and (ids is None or gid(cell) in ids):
            cell.source = find(master, gid(cell)).source
    return nb


def insert_after(nb, grade_id, source):
    nb.cells.insert(index_of(nb, grade_id) + 1, code_cell(source))
    return nb


LOOP = "while True:\n    pass"
EXIT = "import os\nos._exit(1)"
BOMB = "import numpy as np\n_blocks = []\nwhile True:\n    _blocks.append(np.ones(2 ** 25))   # 256 MB, touched"
STDERR = ("import sys\nfor _i in range(3000):\n    print('debug line', _i, file=sys.stderr)\n"
          "print('W0000 00:00:1700000000.000000   12345 cuda_executor.cc:1015] could not find a GPU', file=sys.stderr)")
TF_NOISE = ("    import sys\n    sys.stderr.write('2024-05-01 12:00:00.000001: W tensorflow/core/util/port.cc:113] "
            "oneDNN custom operations are on.\\n')\n")
UNRESPONSIVE = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
SLEEPS = "import time\ntime.sleep(7)"


def save(nb_or_bytes, path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(nb_or_bytes, bytes):
        path.write_bytes(nb_or_bytes)
    else:
        nbformat.write(nb_or_bytes, path)


def build_bank(tmp: Path):
    """Masters in tmp/src, submissions in tmp/subs; returns the expectations."""
    src = tmp / "src"
    full = nbformat.read(course.notebook_path(course.SOURCE, FULL), as_version=4)
    write_master(src, FULL, full)
    short = short_master(full)
    write_master(src, SHORT, short)
    import os
    probe = probe_master(os.path.realpath(os.path.expanduser("~")))
    write_master(src, SYN, probe)
    releases = {}
    for aid in (FULL, SHORT, SYN):
        build_template(aid, tmp / "tpl" / aid, src)
        releases[aid] = nbformat.read(tmp / "tpl" / aid / "release" / aid / f"{aid}.ipynb", as_version=4)

    subs = tmp / "subs"
    points = {aid: {gid(c): float(meta(c)["points"]) for c in m.cells if meta(c).get("grade")}
              for aid, m in ((FULL, full), (SHORT, short), (SYN, probe))}
    t = exercise_tests(short)
    pts = lambda *sols: sum(t[s][1] for s in sols)
    expect = {}

    def add(student, aid, nb, status, score, flags=(), name=None):
        save(nb, subs / student / aid / (name or f"{aid}.ipynb"))
        expect[(student, aid)] = (status, float(score) if isinstance(score, (int, float)) else score, set(flags))

    rel, half = releases[SHORT], solve(releases[SHORT], short, SHORT_HALF)
    # the full assignment: a correct submission trains the LSTM
    add("correct", FULL, solve(releases[FULL], full), "graded", sum(points[FULL].values()))
    # the truncated master
    add("correct", SHORT, solve(rel, short), "graded", sum(points[SHORT].values()))
    add("blank", SHORT, rel, "graded", 0)
    add("half", SHORT, half, "graded", pts(*SHORT_HALF))
    add("renamed", SHORT, half, "graded", pts(*SHORT_HALF), ["renamed_notebook"], name=f"{SHORT} (1).ipynb")
    add("corrupt", SHORT, nbformat.writes(half).encode()[:300], "invalid_notebook", 0)
    add("pdf", SHORT, b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n", "invalid_notebook", 0)
    save(b"%PDF-1.5 my answers\n", subs / "pdf_only" / SHORT / "answers.pdf")
    expect[("pdf_only", SHORT)] = ("invalid_notebook", 0, set())
    (subs / "missing" / SHORT).mkdir(parents=True)
    expect[("missing", SHORT)] = ("missing_notebook", 0, set())
    add("loop", SHORT, insert_after(solve(rel, short, SHORT_HALF), t["n04_dataset"][0], LOOP), "timeout", pts(*SHORT_HALF))
    add("exit", SHORT, insert_after(solve(rel, short, SHORT_HALF), t["n04_dataset"][0], EXIT), "kernel_died", pts("n04_dataset"))
    add("membomb", SHORT, insert_after(solve(rel, short, SHORT_HALF), t["n04_dataset"][0], BOMB), "kernel_died", pts("n04_dataset"))
    noisy = insert_after(solve(rel, short, SHORT_HALF), "n04_dataset", STDERR)
    cell = find(noisy, "n04_dataset")       # a TF-style log line from inside the student's function
    assert "    ### BEGIN SOLUTION\n" in cell.source
    cell.source = cell.source.replace("    ### BEGIN SOLUTION\n", "    ### BEGIN SOLUTION\n" + TF_NOISE)
    add("stderr", SHORT, noisy, "graded", pts(*SHORT_HALF))
    edited = solve(rel, short, SHORT_HALF)
    find(edited, t["n04_irreducible"][0]).source = "print('all tests pass')"
    add("edited", SHORT, edited, "graded", pts(*SHORT_HALF), ["tests_modified"])
    deleted = solve(rel, short, SHORT_HALF)
    deleted.cells.remove(find(deleted, t["n04_irreducible"][0]))
    add("deleted", SHORT, deleted, "graded", pts(*SHORT_HALF), ["cells_deleted"])
    patched = solve(rel, short, ("n04_dataset",))
    find(patched, "n04_next_from_two").source = (
        "import numpy as np\nnp.isclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n\n"
        "def next_from_two(prev, curr, step):\n    return curr")
    add("patched", SHORT, patched, "graded", pts("n04_dataset"), ["tampering_suspected", "needs_review"])
    hidden = solve(rel, short, SHORT_HALF)
    find(hidden, "n04_dataset").source = find(short, "n04_dataset").source.replace(
        "return X, y", "return X[..., :1], y[..., :1]")           # right on 1 feature (visible), wrong on several
    add("hidden_fail", SHORT, hidden, "graded", pts("n04_next_from_two"))
    # the synthetic probe master
    add("correct", SYN, solve(releases[SYN], probe), "graded", None)
    add("unresponsive", SYN, insert_after(solve(releases[SYN], probe), "syn_answer_tests", UNRESPONSIVE), "timeout",
        points[SYN]["syn_answer_tests"])
    slow = solve(releases[SYN], probe)
    for _ in range(5):
        insert_after(slow, "syn_answer_tests", SLEEPS)
    add("slow", SYN, slow, "timeout", points[SYN]["syn_answer_tests"])
    # the same faults without TensorFlow (the probes' scores depend on what the machine
    # allows: only syn_answer_tests is fixed for those that reach them)
    wrong = solve(releases[SYN], probe)
    find(wrong, "syn_answer").source = "def answer(x=0):\n    return 42"        # right on the visible test only
    add("hidden_fail", SYN, wrong, "graded", {"syn_answer_tests": 0})
    cheat = solve(releases[SYN], probe)
    find(cheat, "syn_answer").source = ("import numpy as np\nnp.isclose = lambda *a, **k: True\n"
                                        "np.testing.assert_allclose = lambda *a, **k: None\n\ndef answer(x=0):\n    return 0")
    add("patched", SYN, cheat, "graded", {"syn_answer_tests": 0}, ["tampering_suspected", "needs_review"])
    add("exit", SYN, insert_after(solve(releases[SYN], probe), "syn_answer_tests", EXIT), "kernel_died",
        points[SYN]["syn_answer_tests"])
    return src, subs, expect, {FULL: full, SHORT: short, SYN: probe}


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("autograde")
    src, subs, expect, masters = build_bank(tmp)
    before = tree_digest(subs)
    batch = grade_batch(subs, tmp / "out", GradeOptions(jobs=2, source_root=str(src), cell_timeout=CELL_TIMEOUT,
                                                        notebook_timeout=NOTEBOOK_TIMEOUT, memory_mb=MEMORY_MB))
    return dict(tmp=tmp, src=src, subs=subs, out=tmp / "out", batch=batch, expect=expect, masters=masters,
                before=before)


def summary(out: Path) -> dict:
    return {(r["student_id"], r["assignment"]): r for r in read_csv(out / "summary.csv")}


def details(out: Path) -> dict:
    rows = [json.loads(l) for l in (out / "details.jsonl").read_text().splitlines() if l.strip()]
    return {(d["student_id"], d["assignment"]): d for d in rows}


def results(out: Path, student, aid) -> dict:
    return json.loads((out / "students" / student / aid / "results.json").read_text())


# ----------------------------------------------------------------------------------------
# the bank
# ----------------------------------------------------------------------------------------

def test_every_fixture_gets_its_status_score_and_flags(bank):
    rows, info = summary(bank["out"]), details(bank["out"])
    grades = read_csv(bank["out"] / "grades.csv")
    problems = []
    for key, (status, score, flags) in sorted(bank["expect"].items()):
        row = rows.get(key)
        if row is None:
            problems.append(f"{key}: no row")
            continue
        got_flags = set(filter(None, row["flags"].split(";")))
        got_score = float(row["score"])
        if score is None:        # the sandbox probe: what passes depends on the machine (its own test)
            score = got_score
        elif isinstance(score, dict):     # only these questions' scores are fixed
            cells = {g["question"]: float(g["score"]) for g in grades if (g["student_id"], g["assignment"]) == key}
            score = got_score if all(cells.get(q) == v for q, v in score.items()) else f"{score} (got {cells})"
        if (row["status"], got_score, got_flags) != (status, score, flags):
            problems.append(f"{key}: expected {status} {score} {sorted(flags)}, got {row['status']} {row['score']} "
                            f"{sorted(got_flags)}; review: {info.get(key, {}).get('review')}")
    assert not problems, "\n".join(problems)


def test_one_row_per_student_and_assignment_and_the_rest_missing(bank):
    rows = summary(bank["out"])
    students = {s for s, _ in bank["expect"]}
    assert set(rows) == {(s, a) for s in students for a in (FULL, SHORT, SYN)}
    for key, row in rows.items():
        if key not in bank["expect"]:
            assert (row["status"], float(row["score"])) == ("missing_notebook", 0.0), (key, row)
    assert bank["batch"].complete


def test_grades_csv_has_every_graded_cell_and_adds_up(bank):
    rows = summary(bank["out"])
    grades = read_csv(bank["out"] / "grades.csv")
    assert list(grades[0]) == ["student_id", "assignment", "question", "score", "max_score", "pending",
                               "question_name"]
    assert list(next(iter(rows.values()))) == ["student_id", "assignment", "score", "max_score", "status", "flags",
                                               "pending_points"]
    for (student, aid), row in rows.items():
        mine = [g for g in grades if (g["student_id"], g["assignment"]) == (student, aid)]
        master = bank["masters"][aid]
        assert [g["question"] for g in mine] == [gid(c) for c in master.cells if meta(c).get("grade")], (student, aid)
        names = question_names(master)
        assert [g["question_name"] for g in mine] == [names[g["question"]] for g in mine], (student, aid)
        assert sum(float(g["score"]) for g in mine) == float(row["score"])
        assert sum(float(g["max_score"]) for g in mine) == float(row["max_score"])


def test_results_json_follows_gradescope_and_feedback_exists(bank):
    for (student, aid), row in summary(bank["out"]).items():
        res = results(bank["out"], student, aid)
        assert res["score"] == float(row["score"])
        assert {"score", "output", "tests"} <= set(res)
        for test in res["tests"]:
            assert {"name", "score", "max_score", "output", "visibility"} <= set(test)
        assert sum(t["score"] for t in res["tests"]) == res["score"]
        html = (bank["out"] / "students" / student / aid / "feedback.html").read_text()
        assert f"{float(row['score']):g} / {float(row['max_score']):g}" in html


def test_a_dead_kernel_keeps_the_points_earned_before(bank):
    for student in ("exit", "membomb"):
        res = results(bank["out"], student, SHORT)
        by_name = {t["extra_data"]["grade_id"]: t for t in res["tests"]}
        assert by_name["n04_dataset_tests"]["score"] == by_name["n04_dataset_tests"]["max_score"] > 0
        assert "kernel died" in res["output"].lower(), res["output"]
        assert by_name["n04_next_from_two_tests"]["score"] == 0
    assert "memory limit" in results(bank["out"], "membomb", SHORT)["output"]


def test_time_limits_are_explained(bank):
    assert "limit per cell" in results(bank["out"], "loop", SHORT)["output"]
    assert "did not respond" in results(bank["out"], "unresponsive", SYN)["output"]
    assert "time limit" in results(bank["out"], "slow", SYN)["output"]
    for student in ("unresponsive", "slow"):
        tests = {t["extra_data"]["grade_id"]: t for t in results(bank["out"], student, SYN)["tests"]}
        assert tests["syn_answer_tests"]["status"] == "passed"
        assert tests["syn_limits_tests"]["output"].startswith("Not run")


def test_tampering_is_restored_and_flagged(bank):
    info = details(bank["out"])
    for aid in (SHORT, SYN):
        assert any("numpy.isclose" in line for line in info[("patched", aid)]["review"]), info[("patched", aid)]
    assert "review" in results(bank["out"], "patched", SHORT)["output"]
    assert any("edited" in line for line in info[("edited", SHORT)]["review"])
    assert any("deleted" in line for line in info[("deleted", SHORT)]["review"])
    for student in ("correct", "half", "stderr", "renamed", "hidden_fail"):   # honest work is never flagged
        assert info[(student, SHORT)]["review"] == [], (student, info[(student, SHORT)]["review"])


def test_hidden_failures_say_pass_or_fail_only(bank):
    tests = {t["extra_data"]["grade_id"]: t for t in results(bank["out"], "hidden_fail", SHORT)["tests"]}
    # the grader's line says which hidden test and what kind of failure, never a shape or a value of it
    first, *rest = tests["n04_dataset_tests"]["output"].split("\n")
    assert tests["n04_dataset_tests"]["output"].startswith(HIDDEN_FAILED), tests["n04_dataset_tests"]["output"]
    assert rest == ["hidden test 2 of 6 (`dataset`): the result is not the expected one"], rest
    visible = {t["extra_data"]["grade_id"]: t for t in results(bank["out"], "blank", SHORT)["tests"]}
    assert "NotImplementedError" in visible["n04_dataset_tests"]["output"]


def test_no_hidden_test_source_in_anything_written(bank):
    secrets = set()
    for aid in (FULL, SHORT, SYN):
        secrets |= secrets_of(bank["src"] / aid / f"{aid}.ipynb").hidden
    assert secrets and SECRET
    leaks = []
    for path in sorted(bank["out"].rglob("*")):
        if path.is_file() and path.name != "details.jsonl":      # details.jsonl is the instructor's
            text = " ".join(path.read_text(errors="replace").split())
            leaks += [f"{path.relative_to(bank['out'])}: {s}" for s in secrets if s in text]
            if SECRET in text or "BEGIN HIDDEN" in text or "Traceback" in text:
                leaks.append(f"{path.relative_to(bank['out'])}: hidden marker or traceback")
    assert not leaks, "\n".join(leaks[:20])


def test_submitted_files_are_never_modified(bank):
    assert tree_digest(bank["subs"]) == bank["before"]


def test_the_kernel_sandbox(bank):
    info = details(bank["out"])[("correct", SYN)]
    tests = {t["extra_data"]["grade_id"]: t for t in results(bank["out"], "correct", SYN)["tests"]}
    sandbox = info["sandbox"]
    print(sandbox)
    assert tests["syn_answer_tests"]["status"] == "passed"
    assert tests["syn_home_tests"]["status"] == "passed", tests["syn_home_tests"]
    assert tests["syn_limits_tests"]["status"] == "passed", tests["syn_limits_tests"]
    if "network cut" in sandbox:
        assert tests["syn_network_tests"]["status"] == "passed", tests["syn_network_tests"]
    if "unprivileged, own" in sandbox:
        assert tests["syn_secrets_tests"]["status"] == "passed", tests["syn_secrets_tests"]
    import os
    if os.geteuid() == 0 and subprocess.run(["unshare", "-n", "true"]).returncode == 0:
        assert "network cut" in sandbox and "unprivileged, own" in sandbox, sandbox


# ----------------------------------------------------------------------------------------
# the same grades every time, whatever JOBS, through the CLI and a .zip, and sharded
# ----------------------------------------------------------------------------------------

def test_grading_again_is_identical_across_jobs_zip_and_shards(bank):
    tmp, src = bank["tmp"], bank["src"]
    small = tmp / "small"
    picks = [("correct", SYN), ("hidden_fail", SYN), ("patched", SYN), ("exit", SYN)]
    for student, aid in picks:
        target = small / student / aid
        target.mkdir(parents=True, exist_ok=True)
        for f in (bank["subs"] / student / aid).iterdir():
            (target / f.name).write_bytes(f.read_bytes())
    archive = tmp / "small.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(small.rglob("*")):
            zf.write(f, Path("submitted") / f.relative_to(small))
    args = ["--source", str(src), "--memory-mb", str(MEMORY_MB), "--cell-timeout", str(CELL_TIMEOUT[SYN]),
            "--notebook-timeout", str(NOTEBOOK_TIMEOUT[SYN])]
    cli = subprocess.run([sys.executable, "-m", "autograder", "grade", str(archive), "--out", str(tmp / "run_zip"),
                          "--jobs", "2"] + args, cwd=course.ROOT, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stdout + cli.stderr
    for shard in ("0/2", "1/2"):
        grade_batch(small, tmp / f"run_shard{shard[0]}", GradeOptions(
            jobs=1, source_root=str(src), cell_timeout=CELL_TIMEOUT, notebook_timeout=NOTEBOOK_TIMEOUT,
            memory_mb=MEMORY_MB, shard=shard))
    problems = merge([tmp / "run_shard0", tmp / "run_shard1"], tmp / "run_merged")
    assert not problems, problems

    def grades(out):
        return (out / "grades.csv").read_text(), (out / "summary.csv").read_text()

    def feedback(out):
        res = {}
        for student, aid in picks:
            r = results(out, student, aid)
            r.pop("execution_time")
            res[(student, aid)] = r
        return res

    first = bank["out"]
    rows = lambda text: [l for l in text.splitlines()[1:] if tuple(l.split(",")[:2]) in set(picks)]
    reference = [rows(t) for t in grades(first)]
    for out in (tmp / "run_zip", tmp / "run_merged"):
        assert [rows(t) for t in grades(out)] == reference, out
        assert len(rows(grades(out)[1])) == len(picks)
    assert feedback(tmp / "run_zip") == feedback(tmp / "run_merged") == feedback(first)
    assert "autograde: 4 submission(s)" in cli.stdout, cli.stdout
