"""What one submission can reach, leave behind or slip into its feedback: nothing.

One batch of probe submissions of a small synthetic master (no TensorFlow), graded the way
an instructor grades: the CLI (``python -m autograder grade``), JOBS=2, started with a fake
secret in its environment (``FAKE_VAR``), so that the secret is in the grader's, the
forkserver's and the workers' environments from the start, /proc included.

The probes:

* ``leak_*``: student code that reads the grade cell it runs in (``linecache``,
  ``inspect``, frames), everything the kernel remembers of earlier cells (``In``, globals,
  the code objects on the heap), ``os.environ`` and /proc, and raises or prints it;
* ``writer`` / ``filler``: files written to /tmp, /var/tmp, /dev/shm, HOME and the working
  folder, and writes until the disk limit;
* ``forker``: children that call ``setsid`` and outlive their cell;
* ``stopper``: a kernel that stops itself with SIGSTOP;
* ``forged``: raised points and an extra graded cell in the nbgrader metadata;
* ``kernelspec``: a kernel the grader does not have;
* ``huge``: a 150 MB notebook;
* ``correct_00`` ... ``correct_19``: 20 correct submissions in the same batch.

The master's own grade cells probe the sandbox too (``g_env_tests``: the grader's secret is
not in the kernel; ``g_reach_tests``: other students' work, the outputs, the masters are
out of reach).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import psutil
import pytest

from autograder import course
from autograder.grader.boundary import MAX_MESSAGE, Boundary
from autograder.regions import secrets_of
from autograder.grader.report import read_csv
from autograder.grader.worker import build_template

pytestmark = pytest.mark.slow

AID = "syn_guard"
SECRET = "SECRET_" + "HIDDEN_4711"
FAKE_VAR, FAKE_VALUE = "FAKE_GRADER_SECRET", "fake-secret-" + "value-8842"
MARK = "probe-" + uuid.uuid4().hex[:10]
CORRECT = [f"correct_{i:02d}" for i in range(20)]
POINTS = {"g_answer_tests": 2, "g_second_tests": 1, "g_env_tests": 1, "g_reach_tests": 1}
FULL = float(sum(POINTS.values()))


def code(source, **nbg):
    cell = nbformat.v4.new_code_cell(source)
    if nbg:
        cell.metadata["nbgrader"] = dict(schema_version=3, task=False, **nbg)
    return cell


def master(subs: Path, out: Path):
    sol = dict(grade=False, solution=True, locked=False)
    test = dict(grade=True, solution=False, locked=True)
    unreachable = [str(subs / "correct_01" / AID / f"{AID}.ipynb"), str(out), str(course.SOURCE / AID),
                   str(course.notebook_path(course.SOURCE, course.ASSIGNMENTS[0])),
                   "../../../gradebook.db", f"../../../source/{AID}/{AID}.ipynb"]
    cells = [
        code("import os, sys\nimport numpy as np"),
        code("def answer(x=0):\n    \"\"\"42 + x.\"\"\"\n    ### BEGIN SOLUTION\n    return 42 + x\n    ### END SOLUTION",
             grade_id="g_answer", **sol),
        code('assert answer() == 42, f"answer() returned {answer()!r}, expected 42"\nprint("Visible tests passed.")\n'
             '### BEGIN HIDDEN TESTS\n_hidden_table = {"case_one": 43, "case_two": 49}\n'
             f'assert answer(1) == _hidden_table["case_one"], "{SECRET}: answer(1) must be 43"\n'
             f'assert answer(7) == _hidden_table["case_two"], "{SECRET}: answer(7) must be 49"\n### END HIDDEN TESTS',
             grade_id="g_answer_tests", points=POINTS["g_answer_tests"], **test),
        code('def second():\n    """The string "ok"."""\n    ### BEGIN SOLUTION\n    return "ok"\n    ### END SOLUTION',
             grade_id="g_second", **sol),
        code('assert second() == "ok", f"second() returned {second()!r}"\n'
             f'### BEGIN HIDDEN TESTS\nassert second().upper() == "OK", "{SECRET}: second, upper case"\n### END HIDDEN TESTS',
             grade_id="g_second_tests", points=POINTS["g_second_tests"], **test),
        code(f"import glob\n_name, _value = {FAKE_VAR[:4]!r} + {FAKE_VAR[4:]!r}, {FAKE_VALUE[:6]!r} + {FAKE_VALUE[6:]!r}\n"
             "assert _name not in os.environ, 'the grader variable reached the kernel'\n"
             "_seen = []\nfor _p in glob.glob('/proc/[0-9]*/environ'):\n    try:\n        with open(_p, 'rb') as _fh:\n"
             "            if _value.encode() in _fh.read():\n                _seen.append(_p)\n    except OSError:\n        pass\n"
             "assert not _seen, f'the grader secret is readable in {_seen}'",
             grade_id="g_env_tests", points=POINTS["g_env_tests"], **test),
        code(f"_readable = []\nfor _p in {unreachable!r}:\n    try:\n        if os.path.isdir(_p):\n"
             "            if os.listdir(_p):\n                _readable.append(_p)\n"
             "        else:\n            with open(_p, 'rb') as _fh:\n                if _fh.read(1):\n                    _readable.append(_p)\n"
             "    except OSError:\n        pass\n"
             "_job = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.getcwd()))))\n"
             "_others = [f'j{_n:04d}' for _n in range(60) if f'j{_n:04d}' != os.path.basename(_job)\n"
             "           and os.path.exists(os.path.join(os.path.dirname(_job), f'j{_n:04d}'))]\n"
             "assert not _readable and not _others, f'readable: {_readable}, other jobs: {_others}'",
             grade_id="g_reach_tests", points=POINTS["g_reach_tests"], **test),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def solved(release, source):
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in ("g_answer", "g_second"):
            cell.source = next(c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)
    return nb


def with_answer(nb, gid, src):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == gid:
            cell.source = src
    return nb


def after(nb, gid, src):
    i = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == gid)
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell(src))
    return nb


READ_OWN_CELL = '''def answer(x=0):
    import linecache, sys
    frame = sys._getframe(1)
    text = "".join(linecache.getlines(frame.f_code.co_filename))
    print(text)
    print(text, file=sys.stderr)
    raise AssertionError("LEAK " + text)'''
INSPECT_OWN_CELL = '''def answer(x=0):
    import inspect
    parts = []
    for info in inspect.stack():
        try:
            parts.append(inspect.getsource(info.frame))
        except (OSError, TypeError):
            pass
        parts.append(repr(info.frame.f_code.co_consts))
        parts.append(repr(sorted(info.frame.f_globals)))
    raise ValueError(" | ".join(parts))'''
READ_EARLIER_CELLS = '''def second():
    import gc, linecache, types
    ns = get_ipython().user_ns
    parts = ["".join(lines) for _, _, lines, _ in linecache.cache.values()]
    parts += [repr(ns.get("In")), repr(ns.get("_ih")), repr(sorted(ns)), repr(ns.get("_hidden_table"))]
    parts += [repr(o.co_consts) for o in gc.get_objects() if isinstance(o, types.CodeType)]
    parts += [repr(f.__code__.co_consts) for f in gc.get_objects() if isinstance(f, types.FunctionType)]
    raise AssertionError(" | ".join(parts))'''
READ_ENVIRONMENT = '''def answer(x=0):
    import os
    dump = [repr(dict(os.environ))]
    for path in ("/proc/self/environ", f"/proc/{os.getppid()}/environ", "/proc/1/environ"):
        try:
            dump.append(open(path, "rb").read().decode(errors="replace"))
        except OSError as exc:
            dump.append(str(exc))
    raise AssertionError(" ".join(dump))'''
WRITE_FILES = f'''import os
_blob = b"x" * (20 << 20)
for _path in ("/tmp/{MARK}-tmp", "/var/tmp/{MARK}-var", "/dev/shm/{MARK}-shm", os.path.expanduser("~/{MARK}-home"), "{MARK}-cwd"):
    with open(_path, "wb") as _fh:
        _fh.write(_blob)
print("wrote", os.listdir("/tmp"))'''
FILL_DISK = f'''_chunk = b"y" * (64 << 20)
_n = 0
with open("/tmp/{MARK}-fill", "wb") as _fh:
    while True:
        _fh.write(_chunk)
        _n += 1'''
FORK = f'''import subprocess, sys
_quiet = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
subprocess.Popen([sys.executable, "-c", "import os, time; os.setsid(); time.sleep(900)", "{MARK}-setsid"], **_quiet)
subprocess.Popen([sys.executable, "-c", "import os, subprocess, sys, time; "
                  "subprocess.Popen([sys.executable, '-c', 'import os, time; os.setsid(); time.sleep(900)', '{MARK}-grandchild']); "
                  "time.sleep(900)", "{MARK}-daemon"], start_new_session=True, **_quiet)'''
STOP = "import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)"


def build(tmp: Path):
    src, subs, out = tmp / "src", tmp / "subs", tmp / "out"
    m = master(subs, out)
    (src / AID).mkdir(parents=True)
    nbformat.write(m, src / AID / f"{AID}.ipynb")
    build_template(AID, tmp / "tpl", src)
    release = nbformat.read(tmp / "tpl" / "release" / AID / f"{AID}.ipynb", as_version=4)
    expect = {}

    def add(student, nb, status, score, raw: bytes | None = None):
        path = subs / student / AID / f"{AID}.ipynb"
        path.parent.mkdir(parents=True)
        if raw is not None:
            path.write_bytes(raw)
        else:
            nbformat.write(nb, path)
        expect[student] = (status, score)

    ok = lambda: solved(release, m)
    for student in CORRECT:
        add(student, ok(), "graded", FULL)
    add("leak_linecache", with_answer(ok(), "g_answer", READ_OWN_CELL), "graded", FULL - 2)
    add("leak_inspect", with_answer(ok(), "g_answer", INSPECT_OWN_CELL), "graded", FULL - 2)
    add("leak_later", with_answer(ok(), "g_second", READ_EARLIER_CELLS), "graded", FULL - 1)
    add("leak_env", with_answer(ok(), "g_answer", READ_ENVIRONMENT), "graded", FULL - 2)
    add("writer", after(ok(), "g_answer_tests", WRITE_FILES), "graded", FULL)
    add("filler", after(ok(), "g_answer_tests", FILL_DISK), "graded", FULL)
    add("forker", after(ok(), "g_answer_tests", FORK), "graded", FULL)
    add("stopper", after(ok(), "g_answer_tests", STOP), "timeout", 2.0)
    forged = ok()
    for cell in forged.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "g_answer_tests":
            cell.metadata["nbgrader"]["points"] = 100
    bonus = code("pass", grade_id="bonus", points=50, grade=True, solution=False, locked=False)
    forged.cells.append(bonus)
    add("forged", forged, "graded", FULL)
    other = ok()
    other.metadata["kernelspec"] = {"name": "julia-1.9", "display_name": "Julia 1.9", "language": "julia"}
    add("kernelspec", other, "graded", FULL)
    huge = ok()
    huge.cells.append(nbformat.v4.new_markdown_cell("z" * (150 << 20)))
    add("huge", huge, "graded", FULL)
    return src, subs, out, expect, m


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("containment")
    src, subs, out, expect, m = build(tmp)
    env = dict(os.environ, **{FAKE_VAR: FAKE_VALUE})
    cli = subprocess.run([sys.executable, "-m", "autograder", "grade", str(subs), "--out", str(out), "--jobs", "2",
                          "--source", str(src), "--cell-timeout", "10", "--notebook-timeout", "90", "--keep-workdir"],
                         cwd=course.ROOT, env=env, capture_output=True, text=True, timeout=1500)
    print(cli.stdout[-5000:], cli.stderr[-3000:])
    kept = re.search(r"kept the work folder (\S+)", cli.stdout)
    work = Path(kept.group(1)) if kept else None
    rows = {r["student_id"]: r for r in read_csv(out / "summary.csv")} if (out / "summary.csv").exists() else {}
    yield dict(cli=cli, src=src, subs=subs, out=out, expect=expect, master=m, rows=rows, work=work)
    if work is not None:
        shutil.rmtree(work, ignore_errors=True)


def results(batch, student) -> dict:
    return json.loads((batch["out"] / "students" / student / AID / "results.json").read_text())


def outcomes(batch, student) -> dict:
    return {t["extra_data"]["grade_id"]: t for t in results(batch, student)["tests"]}


def details(batch) -> dict:
    return {d["student_id"]: d for d in map(json.loads, (batch["out"] / "details.jsonl").read_text().splitlines())}


def test_every_probe_gets_its_status_and_score(batch):
    assert batch["cli"].returncode == 0, batch["cli"].stderr
    problems = []
    for student, (status, score) in sorted(batch["expect"].items()):
        row = batch["rows"].get(student)
        if row is None:
            problems.append(f"{student}: no row")
        elif (row["status"], float(row["score"]), float(row["max_score"])) != (status, score, FULL):
            problems.append(f"{student}: expected {status} {score}/{FULL}, got {row['status']} {row['score']}/"
                            f"{row['max_score']}; {results(batch, student)['output']!r}; "
                            f"{ {k: v['output'] for k, v in outcomes(batch, student).items() if v['status'] != 'passed'} }")
    assert not problems, "\n".join(problems)


def test_twenty_correct_submissions_in_one_batch_all_get_full_marks(batch):
    assert [batch["rows"][s]["score"] for s in CORRECT] == [f"{FULL:g}"] * len(CORRECT)
    for student in CORRECT:      # and nothing to report
        assert results(batch, student)["output"] == "Graded.", results(batch, student)["output"]
        assert batch["rows"][student]["flags"] == ""


def test_nothing_secret_reaches_what_students_receive(batch):
    hidden = secrets_of(batch["src"] / AID / f"{AID}.ipynb").hidden
    work = str(batch["work"]) if batch["work"] else "/nonexistent"
    problems = []
    for path in sorted(batch["out"].rglob("*")):
        if not path.is_file() or path.name == "details.jsonl":      # details.jsonl is the instructor's
            continue
        text = path.read_text(errors="replace")
        folded = " ".join(text.split())
        where = path.relative_to(batch["out"])
        for needle in [SECRET, FAKE_VALUE, "_hidden_table", "case_one", work, str(batch["subs"]), "/tmp/"]:
            if needle in text:
                problems.append(f"{where}: {needle!r}")
        problems += [f"{where}: hidden line {line!r}" for line in hidden if line in folded]
    for student in ("leak_linecache", "leak_inspect", "leak_later", "leak_env"):
        for test in results(batch, student)["tests"]:
            assert len(test["output"]) <= MAX_MESSAGE
    assert not problems, "\n".join(problems[:20])
    for student in ("leak_linecache", "leak_inspect", "leak_later"):     # the static scan sees the way in
        assert "needs_review" in batch["rows"][student]["flags"], batch["rows"][student]
    # what the leaking code raised does reach the student, minus the secrets: the feedback
    # still says what went wrong in the visible test
    out = outcomes(batch, "leak_linecache")["g_answer_tests"]["output"]
    assert out.startswith("AssertionError: LEAK") and "answer() returned" in out, out


def test_reading_its_own_cell_gives_student_code_the_visible_part_only(batch):
    """The second layer, without the boundary: in the executed notebooks the grader keeps
    (the kept work folder), the exceptions the leaking code raised hold no hidden test.
    The hidden part was not in the kernel when the visible part ran, and was forgotten
    (source, names) once it had run."""
    assert batch["work"] is not None and batch["work"].is_dir()
    outputs = []       # the outputs of each executed notebook (its sources hold the hidden tests, of course)
    for path in batch["work"].glob(f"j*/c/autograded/*/{AID}/{AID}.ipynb"):
        nb = nbformat.read(path, as_version=4)
        outputs.append(json.dumps([c.get("outputs", []) for c in nb.cells]))
    found = []
    for student, sign in (("leak_linecache", "LEAK "), ("leak_inspect", "ValueError"), ("leak_later", "_autograder_guard")):
        mine = [t for t in outputs if sign in t]
        assert mine, student
        found += [student for t in mine if SECRET in t or "case_one" in t]
    assert not found, f"hidden tests readable by student code in: {sorted(set(found))}"


def test_the_grader_environment_stays_out_of_the_kernel(batch):
    for student in CORRECT[:3] + ["leak_env"]:
        assert outcomes(batch, student)["g_env_tests"]["status"] == "passed", outcomes(batch, student)["g_env_tests"]
    out = outcomes(batch, "leak_env")["g_answer_tests"]["output"]
    assert out.startswith("AssertionError:") and FAKE_VAR not in out


def test_other_students_work_outputs_and_masters_are_out_of_reach(batch):
    sandbox = details(batch)["correct_00"]["sandbox"]
    if os.geteuid() != 0:
        pytest.skip(f"not root: kernels share the grader's uid ({sandbox})")
    for student in CORRECT[:3]:
        t = outcomes(batch, student)["g_reach_tests"]
        assert t["status"] == "passed", t
    assert "private" in sandbox and "other folders covered" in sandbox.replace("batch's other", "other"), sandbox


def test_no_file_a_submission_writes_survives_it(batch):
    left = [str(p) for d in ("/tmp", "/var/tmp", "/dev/shm") for p in Path(d).glob(f"{MARK}*")]
    left += [str(p) for p in batch["work"].rglob(f"{MARK}*")]
    assert not left, left
    assert outcomes(batch, "writer")["g_answer_tests"]["status"] == "passed"


def test_filling_the_disk_is_stopped_and_explained(batch):
    row = batch["rows"]["filler"]
    assert (row["status"], float(row["score"])) == ("graded", FULL)
    assert "wrote more to disk than a submission may" in results(batch, "filler")["output"]
    assert not list(Path("/tmp").glob(f"{MARK}*"))


def test_no_process_a_submission_starts_survives_it(batch):
    alive = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if any(MARK in part for part in proc.info["cmdline"] or []):
                alive.append((proc.pid, proc.info["cmdline"]))
        except psutil.Error:
            pass
    assert not alive, alive
    assert "left 3 process(es) running" in results(batch, "forker")["output"], results(batch, "forker")["output"]


def test_a_stopped_kernel_is_killed_and_its_points_are_kept(batch):
    res = results(batch, "stopper")
    tests = outcomes(batch, "stopper")
    assert tests["g_answer_tests"]["score"] == 2 and tests["g_second_tests"]["output"].startswith("Not run")
    assert "did not respond" in res["output"], res["output"]


def test_forged_metadata_earns_nothing(batch):
    rows = [g for g in read_csv(batch["out"] / "grades.csv") if g["student_id"] == "forged"]
    assert [(g["question"], float(g["max_score"])) for g in rows] == [(q, float(p)) for q, p in POINTS.items()]
    assert float(batch["rows"]["forged"]["max_score"]) == FULL


def test_an_unknown_kernelspec_is_graded_with_the_course_kernel(batch):
    assert batch["rows"]["kernelspec"]["status"] == "graded"
    assert all(t["status"] == "passed" for t in results(batch, "kernelspec")["tests"])


def test_a_150_mb_notebook_gets_its_row(batch):
    assert (batch["subs"] / "huge" / AID / f"{AID}.ipynb").stat().st_size > 150 << 20
    assert batch["rows"]["huge"]["status"] == "graded"


# ----------------------------------------------------------------------------------------
# the boundary on its own (fast)
# ----------------------------------------------------------------------------------------

def test_the_boundary_removes_hidden_tests_secrets_and_paths():
    hidden = 'np.testing.assert_allclose(step(x, h), [0.1234, -0.5678], err_msg="oracle")\nassert count(3) == 17'
    b = Boundary(hidden=[hidden], public=["np.testing.assert_allclose(step(x, h), expected)"],
                 environment={"CI_TOKEN": "ghp_abcdefghijkl", "LANG": "C.UTF-8"}, allowed_env=("LANG",),
                 paths=["/srv/grading/batch 7"])
    visible = "AssertionError: step() returned shape (3,)\n(in the test line: np.testing.assert_allclose(step(x, h), expected))"
    assert b.clean(visible).text == visible and not b.clean(visible).removed
    leaked = ('AssertionError: np.testing.assert_allclose(step(x, h),\n   [0.1234, -0.5678], err_msg="oracle") '
              'and assert count(3) == 17 token ghp_abcdefghijkl in /srv/grading/batch 7/j0003/c/a.ipynb, /home/ta/key.pem')
    cleaned = b.clean(leaked)
    for needle in ("0.1234", "-0.5678", "oracle", "count(3) == 17", "ghp_abcdefghijkl", "/srv/grading", "/home/ta"):
        assert needle not in cleaned.text, (needle, cleaned.text)
    assert cleaned.text.startswith("AssertionError:") and "key.pem" in cleaned.text
    assert set(cleaned.removed) == {"hidden-test text", "an environment value of the grader"}
    assert len(b.clean("x" * 10_000).text) <= MAX_MESSAGE


def test_the_boundary_flags_what_it_removed_for_review():
    from autograder.grader.schema import Question, Result

    b = Boundary(hidden=["assert secret_function(12) == 34567"], public=[], environment={}, allowed_env=())
    r = Result("s", "a", "graded", 0, 1, [], [Question("q", 0, 1, "failed", "failed", None,
                                                       "AssertionError: assert secret_function(12) == 34567")],
               ["fine"] * 30)
    clean = b.apply(r)
    assert "34567" not in clean.questions[0].message and "needs_review" in clean.flags
    assert any("hidden-test text" in line for line in clean.review)
    assert len(clean.messages) <= 13 and r.questions[0].message.endswith("34567")   # the original is untouched
