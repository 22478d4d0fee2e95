"""nbgrader on JupyterHub, the whole sequence in a temporary course root and exchange, with
the real nbgrader CLI and `python -m autograder grade --course-root`:

    nbgrader generate_assignment  ->  release_assignment  ->  (student) fetch_assignment, submit
    ->  nbgrader collect  (+ one hand-collected submission, no exchange)
    ->  python -m autograder grade submitted --course-root DIR
    ->  formgrader's view (NbGraderAPI)  ->  nbgrader export  ->  nbgrader release_feedback
    ->  (student) nbgrader fetch_feedback

The assignment is a small synthetic one (numpy only, seconds to grade).  The exchange's
student is the user running the test (nbgrader takes it from the OS); "bob" (blank) and "dave"
(right on the visible tests, wrong on a hidden one) are handed in by hand (submitted/ folders
without submission_secret.txt; bob's with a timestamp.txt).
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbcells import code_cell as code

from autograder import course

pytestmark = pytest.mark.slow

AID = "syn_course"
SECRET = "SYN_HIDDEN_" + "EXPECTED_7731"       # in the hidden tests only
NBGRADER = str(Path(sys.executable).parent / "nbgrader")
BOB_TIME = "2026-12-01 09:30:00.000000 UTC"

def master():
    solution = dict(grade=False, solution=True, locked=False)
    tests = dict(grade=True, solution=False, locked=True)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Synthetic course assignment"),
        code("import numpy as np"),
        code("def answer(x=0):\n    ### BEGIN SOLUTION\n    return 42 + x\n    ### END SOLUTION", grade_id="q_answer", **solution),
        code('assert answer() == 42, "answer() should be 42"\nprint("Visible tests passed.")\n'
             f'### BEGIN HIDDEN TESTS\nassert answer(1) == 43, "{SECRET}"\n### END HIDDEN TESTS',
             grade_id="q_answer_tests", points=2, **tests),
        code("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION", grade_id="q_double", **solution),
        code('assert double(2) == 4\n### BEGIN HIDDEN TESTS\nassert double(-3) == -6, "' + SECRET + '"\n### END HIDDEN TESTS',
             grade_id="q_double_tests", points=1, **tests),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def solve(release_nb, master_nb):
    """The student version with the master's answers (markers dropped)."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in master_nb.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in release_nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = "\n".join(l for l in answers[gid].splitlines() if "### " not in l)
    return release_nb


def nbgrader(cwd: Path, *args, check=True):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    p = subprocess.run([NBGRADER, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert not check or p.returncode == 0, f"nbgrader {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}"
    return p


def course_root(root: Path, exchange: Path, nb=None, aid: str = AID) -> None:
    """A course root: the course's own config, re-rooted here (as a Hub course folder would),
    with one master (``nb``, default ``master()``) as source/<aid>/<aid>.ipynb."""
    for d in (root / "source" / aid, exchange):
        d.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"load_subconfig({str(course.ROOT / 'nbgrader_config.py')!r})  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        "c.CourseDirectory.release_directory = 'release'\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(root / 'gradebook.db')!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n")
    nbformat.write(master() if nb is None else nb, root / "source" / aid / f"{aid}.ipynb")


def grade(root: Path, out: Path, *extra):
    return subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(root / "submitted"), "--out", str(out),
         "--course-root", str(root), "--jobs", "2", "--cell-timeout", "30", "--notebook-timeout", "120", *extra],
        cwd=course.ROOT, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hub")
    root, exchange, home, out = tmp / "course", tmp / "exchange", tmp / "student", tmp / "out"
    home.mkdir()
    course_root(root, exchange)
    ran = {}
    ran["generate_assignment"] = nbgrader(root, "generate_assignment", AID)
    ran["release_assignment"] = nbgrader(root, "release_assignment", AID)
    student = ["--course", course.COURSE_ID, f"--Exchange.root={exchange}"]
    ran["fetch_assignment"] = nbgrader(home, "fetch_assignment", AID, *student)
    fetched = home / AID / f"{AID}.ipynb"
    nbformat.write(solve(nbformat.read(fetched, as_version=4), master()), fetched)
    ran["submit"] = nbgrader(home, "submit", AID, *student)
    ran["collect"] = nbgrader(root, "collect", AID)
    submitted = sorted(p.name for p in (root / "submitted").iterdir())
    assert len(submitted) == 1, submitted
    me = submitted[0]
    bob = root / "submitted" / "bob" / AID
    bob.mkdir(parents=True)
    nbformat.write(nbformat.read(root / "release" / AID / f"{AID}.ipynb", as_version=4), bob / f"{AID}.ipynb")
    (bob / "timestamp.txt").write_text(BOB_TIME)
    dave = root / "submitted" / "dave" / AID          # passes the visible tests, fails a hidden one
    dave.mkdir(parents=True)
    wrong = solve(nbformat.read(root / "release" / AID / f"{AID}.ipynb", as_version=4), master())
    next(c for c in wrong.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q_answer").source = \
        "def answer(x=0):\n    return 42"
    nbformat.write(wrong, dave / f"{AID}.ipynb")
    graded = grade(root, out)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    ran["grade"] = graded
    ran["export"] = nbgrader(root, "export")
    ran["release_feedback"] = nbgrader(root, "release_feedback", AID)
    ran["fetch_feedback"] = nbgrader(home, "fetch_feedback", AID, *student)
    return dict(root=root, exchange=exchange, home=home, out=out, me=me, ran=ran)


def test_the_course_gradebook_has_the_scores(hub):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{hub['root'] / 'gradebook.db'}", course.COURSE_ID) as gb:
        mine = gb.find_submission(AID, hub["me"])
        assert (mine.score, mine.max_score) == (3.0, 3.0)
        assert mine.timestamp is not None                         # from the exchange's timestamp.txt
        bob = gb.find_submission(AID, "bob")
        assert (bob.score, bob.max_score) == (0.0, 3.0)
        assert bob.timestamp.strftime("%Y-%m-%d %H:%M") == "2026-12-01 09:30"
        grades = {g.name: (g.auto_score, g.needs_manual_grade) for g in gb.find_submission_notebook(AID, AID, "bob").grades}
        assert grades == {"q_answer_tests": (0.0, False), "q_double_tests": (0.0, False)}


def test_formgrader_sees_both_submissions_autograded(hub):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(hub["root"])).load_config()
    api = NbGraderAPI(CourseDirectory(config=cfg), config=cfg)
    assert api.get_autograded_students(AID) == {hub["me"], "bob", "dave"}
    for student in (hub["me"], "bob", "dave"):
        nb = nbformat.read(hub["root"] / "autograded" / student / AID / f"{AID}.ipynb", as_version=4)
        assert any(SECRET in c.source for c in nb.cells), "instructors see the hidden tests in formgrader"
        assert SECRET not in json.dumps([c.get("outputs", []) for c in nb.cells]), \
            "hidden tests' outputs are reduced to pass/fail (the grader's GuardedExecute)"
    nb = nbformat.read(hub["root"] / "autograded" / "dave" / AID / f"{AID}.ipynb", as_version=4)
    failed = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q_answer_tests")
    assert [o.get("ename") for o in failed.outputs if o.get("output_type") == "error"] == ["HiddenTestsFailed"]


def test_nbgrader_export_has_the_scores(hub):
    rows = {r["student_id"]: r for r in csv.DictReader(open(hub["root"] / "grades.csv"))}
    assert set(rows) == {hub["me"], "bob", "dave"}
    assert float(rows["dave"]["score"]) == 1.0
    assert float(rows[hub["me"]]["score"]) == 3.0 and float(rows[hub["me"]]["max_score"]) == 3.0
    assert float(rows["bob"]["score"]) == 0.0


def test_feedback_is_safe_and_released_through_the_exchange(hub):
    root, exchange = hub["root"], hub["exchange"]
    for student in (hub["me"], "bob", "dave"):
        folder = root / "feedback" / student / AID
        assert {p.name for p in folder.iterdir()} == {f"{AID}.html", "timestamp.txt", "submission_secret.txt"}
        assert SECRET not in (folder / f"{AID}.html").read_text()
    assert (root / "feedback" / "bob" / AID / "timestamp.txt").read_text() == BOB_TIME
    assert (root / "feedback" / hub["me"] / AID / "submission_secret.txt").read_text() == \
        (root / "submitted" / hub["me"] / AID / "submission_secret.txt").read_text()
    released = list((exchange / course.COURSE_ID / "feedback").glob("*.html"))
    assert len(released) == 3
    fetched = list((hub["home"] / AID / "feedback").rglob(f"{AID}.html"))
    assert len(fetched) == 1, hub["ran"]["fetch_feedback"].stdout + hub["ran"]["fetch_feedback"].stderr
    page = fetched[0].read_text()
    assert "3 / 3" in page and SECRET not in page and "BEGIN HIDDEN" not in page


def test_grading_again_updates_in_place(hub):
    """A second run (a regrade) keeps one submission per student and a manual score."""
    from nbgrader.api import Gradebook

    url = f"sqlite:///{hub['root'] / 'gradebook.db'}"
    with Gradebook(url, course.COURSE_ID) as gb:
        g = gb.find_grade("q_double_tests", AID, AID, "bob")
        g.manual_score = 0.5
        gb.db.commit()
    again = grade(hub["root"], hub["out"], "--assignment", AID)
    assert again.returncode == 0, again.stdout + again.stderr
    with Gradebook(url, course.COURSE_ID) as gb:
        assert len(gb.find_assignment(AID).submissions) == 3
        g = gb.find_grade("q_double_tests", AID, AID, "bob")
        assert (g.auto_score, g.manual_score, g.needs_manual_grade) == (0.0, 0.5, True)
        assert gb.find_submission(AID, "bob").score == 0.5


def test_an_assignment_the_gradebook_lacks_is_added_from_source(tmp_path):
    """The instructor ran `make release` (a throwaway gradebook), never `nbgrader
    generate_assignment`: the grader adds the assignment to the course's gradebook first."""
    root = tmp_path / "course"
    course_root(root, tmp_path / "exchange")
    blank = tmp_path / "release"
    nbgrader(root, "generate_assignment", AID, f"--CourseDirectory.release_directory={blank}",
             f"--CourseDirectory.db_url=sqlite:///{tmp_path / 'throwaway.db'}")
    solved = solve(nbformat.read(blank / AID / f"{AID}.ipynb", as_version=4), master())
    (root / "submitted" / "carol" / AID).mkdir(parents=True)
    nbformat.write(solved, root / "submitted" / "carol" / AID / f"{AID}.ipynb")
    graded = grade(root, tmp_path / "out")
    assert graded.returncode == 0 and "was not in the gradebook" in graded.stdout, graded.stdout + graded.stderr
    nbgrader(root, "export")
    rows = {r["student_id"]: r for r in csv.DictReader(open(root / "grades.csv"))}
    assert float(rows["carol"]["score"]) == 3.0 and float(rows["carol"]["max_score"]) == 3.0
    assert not (root / "release").exists(), "the course's released folder is not touched"


def test_a_batch_graded_from_another_folder_is_counted_by_formgrader(tmp_path):
    """Submissions graded from a folder outside the course (an LMS download, a zip) are
    copied into its submitted/: formgrader's "# Submissions" counts those folders, and lists
    a submission as autograded only when their timestamp.txt matches the gradebook's."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    root = tmp_path / "course"
    course_root(root, tmp_path / "exchange")
    nbgrader(root, "generate_assignment", AID)
    inbox = tmp_path / "inbox"
    for student, stamp in (("erin", BOB_TIME), ("finn", None)):
        folder = inbox / student / AID
        folder.mkdir(parents=True)
        solved = solve(nbformat.read(root / "release" / AID / f"{AID}.ipynb", as_version=4), master())
        nbformat.write(solved, folder / f"{AID}.ipynb")
        if stamp:
            (folder / "timestamp.txt").write_text(stamp)
    graded = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(inbox), "--out", str(tmp_path / "out"),
         "--course-root", str(root), "--jobs", "2", "--cell-timeout", "30", "--notebook-timeout", "120"],
        cwd=course.ROOT, capture_output=True, text=True, timeout=600)
    assert graded.returncode == 0 and "copied into" in graded.stdout, graded.stdout + graded.stderr
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    api = NbGraderAPI(CourseDirectory(config=cfg), config=cfg)
    assert api.get_assignment(AID)["num_submissions"] == 2
    assert api.get_autograded_students(AID) == {"erin", "finn"}
    assert {s["student"]: s["score"] for s in api.get_submissions(AID)} == {"erin": 3.0, "finn": 3.0}
    assert (root / "submitted" / "erin" / AID / "timestamp.txt").read_text() == BOB_TIME
