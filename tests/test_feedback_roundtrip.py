"""Hand grades reach the student and the LMS: an nbgrader course on a temporary root and
exchange, with the real nbgrader CLI and API.

    nbgrader generate_assignment -> release_assignment -> (student) fetch_assignment, submit
    -> nbgrader collect -> python -m autograder grade submitted --course-root DIR   (5 / 13, 2 pending)
    -> a manual score (1.5 / 2) and comments, set as formgrader sets them (nbgrader.api.Gradebook)
    -> python -m autograder feedback --course-root DIR
    -> nbgrader release_feedback -> (student) nbgrader fetch_feedback: 6.5 / 13, the comments, no hidden test
    -> python -m autograder export OUT --course-root DIR --format canvas: 6.5

and nbgrader's own feedback generation (what formgrader's "Generate Feedback" buttons run:
``NbGraderAPI.generate_feedback``) replaced by the course's page through the settings of
lab-config-instructor/nbgrader_config.py and the course root's generated nbgrader_config.py
(``FEEDBACK_CONFIG``).

The assignment: an exercise whose tests are worth 5 (solved), one worth 6 whose hidden test
fails (the student's answer passes the visible test), and a written answer worth 2, graded by hand.
The first tests (fast) check the overlay of the gradebook on a result, on stand-ins of
nbgrader's records.
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbcells import code_cell as code
from nbcells import nbgrader_meta
from test_nbgrader_course import course_root, grade, nbgrader
from traitlets.config.loader import PyFileConfigLoader

from autograder import course
from autograder.grader.boundary import Boundary
from autograder.grader.schema import Question, Result
from autograder.platforms.nbgrader_course import hand_result

AID = "syn_hand"
SECRET = "SYN_HAND_HIDDEN_" + "EXPECTED_4417"      # in the hidden tests only
COMMENT = "Right idea: say why f_t close to 1 keeps the gradient."
CODE_COMMENT = "double() ignores negative inputs."
INSTRUCTOR = course.ROOT / "lab-config-instructor"
# The lines the course's nbgrader_config.py needs (docs/autograding.md, "Hand grades").
FEEDBACK_CONFIG = ['c.GenerateFeedback.exporter_class = "autograder.platforms.nbgrader_course.FeedbackExporter"',
                   "c.GenerateFeedback.preprocessors = []"]


def master():
    solution = dict(grade=False, solution=True, locked=False)
    tests = dict(grade=True, solution=False, locked=True)
    written = nbformat.v4.new_markdown_cell("### BEGIN SOLUTION\nBecause dc_t/dc_{t-1} = f_t.\n### END SOLUTION")
    written.metadata["nbgrader"] = nbgrader_meta("why", solution=True, grade=True, points=2)
    statement = nbformat.v4.new_markdown_cell("Why does the forget gate keep the gradient alive?")
    statement.metadata["nbgrader"] = nbgrader_meta("why_stmt", locked=True)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Hand grades"),
        code("import numpy as np"),
        code("def answer(x=0):\n    ### BEGIN SOLUTION\n    return 42 + x\n    ### END SOLUTION", grade_id="q_answer", **solution),
        code('assert answer() == 42, "answer() should be 42"\n'
             f'### BEGIN HIDDEN TESTS\nassert answer(1) == 43, "{SECRET}"\n### END HIDDEN TESTS',
             grade_id="q_answer_tests", points=5, **tests),
        code("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION", grade_id="q_double", **solution),
        code('assert double(2) == 4\n### BEGIN HIDDEN TESTS\nassert double(-3) == -6, "' + SECRET + '"\n### END HIDDEN TESTS',
             grade_id="q_double_tests", points=6, **tests),
        statement,
        written,
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def answer(nb):
    """The student's work: answer() right, double() right only on positive numbers, the written answer."""
    work = {"q_answer": "def answer(x=0):\n    return 42 + x",
            "q_double": "def double(x):\n    return 2 * abs(x)",
            "why": "The cell state's Jacobian is diag(f_t), so with f_t near 1 nothing vanishes."}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in work:
            cell.source = work[gid]
    return nb


def autograder(*args):
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=course.ROOT,
                          capture_output=True, text=True, timeout=600)


def fetched_page(home: Path) -> str:
    pages = sorted((home / AID / "feedback").rglob(f"{AID}.html"))
    assert pages, f"nothing fetched into {home / AID / 'feedback'}"
    return pages[-1].read_text()


def canvas_scores(out: Path, *extra) -> dict[str, str]:
    done = autograder("export", str(out), "--format", "canvas", *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    return {r[0]: r[5] for r in rows[2:]}


def course_config(root: Path, *lines: str):
    """The course root's nbgrader configuration, as nbgrader reads it, plus ``lines``."""
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    if lines:
        extra = root.parent / "extra_config"
        extra.mkdir(exist_ok=True)
        (extra / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n" + "\n".join(lines) + "\n")
        cfg.merge(PyFileConfigLoader("nbgrader_config.py", path=str(extra)).load_config())
    return cfg


# ------------------------------------------------------------------ the overlay, fast
def _grade(name, max_score, auto=None, manual=None, needs=False):
    score = manual if manual is not None else auto
    return SimpleNamespace(name=name, max_score=max_score, auto_score=auto, manual_score=manual,
                           needs_manual_grade=needs, score=score)


def _submission(grades, comments=()):
    return SimpleNamespace(notebooks=[SimpleNamespace(grades=grades, comments=[
        SimpleNamespace(name=n, manual_comment=c) for n, c in comments])])


def _batch():
    return Result("ann", AID, "needs_manual_grade", 5, 13, questions=[
        Question("q_answer_tests", 5, 5, "passed", "passed", "passed", "Visible and hidden tests passed.", "Question 1"),
        Question("q_double_tests", 0, 6, "failed", "passed", "failed", "Hidden tests failed: ...", "Question 2"),
        Question("why", 0, 2, "pending", "pending", None, "Graded by hand: pending.", "Question 3")])


def test_a_manual_score_and_comments_replace_pending():
    sub = _submission([_grade("why", 2, manual=1.5), _grade("q_double_tests", 6, auto=0.0),
                       _grade("q_answer_tests", 5, auto=5.0)],
                      [("why", COMMENT), ("q_double", CODE_COMMENT), ("q_answer", "  ")])
    r = hand_result(_batch(), sub)
    assert (r.score, r.max_score, r.status, r.pending_points) == (6.5, 13, "graded", 0)
    by = {q.question: q for q in r.questions}
    assert [q.question for q in r.questions] == ["q_answer_tests", "q_double_tests", "why"], "the batch's order"
    assert by["why"].score == 1.5 and by["why"].name == "Question 3" and by["why"].visible == "not_run"
    assert by["why"].message == f"Graded by hand: 1.5 / 2.\nComment from your instructor: {COMMENT}"
    assert by["q_double_tests"].message == "Hidden tests failed: ..."
    assert r.messages == [f"Comment from your instructor on q_double: {CODE_COMMENT}"]


def test_an_unscored_answer_stays_pending_and_an_override_says_so():
    sub = _submission([_grade("why", 2, needs=True), _grade("q_double_tests", 6, auto=0.0, manual=3.0),
                       _grade("q_answer_tests", 5, auto=5.0)])
    r = hand_result(_batch(), sub)
    by = {q.question: q for q in r.questions}
    assert (r.score, r.status, r.pending_points) == (8, "needs_manual_grade", 2)
    assert by["why"].outcome == "pending"
    assert by["q_double_tests"].message.endswith("Your instructor set this score by hand: 3 / 6.")


def test_without_the_batch_result_the_gradebook_alone_makes_the_page():
    r = hand_result(Result("ann", AID, "graded"), _submission([_grade("q_answer_tests", 5, auto=5.0),
                                                              _grade("why", 2, manual=2.0)]))
    assert (r.score, r.max_score, r.status) == (7, 7, "graded")
    assert [q.outcome for q in r.questions] == ["passed", "passed"]


def test_a_comment_goes_through_the_output_boundary():
    """An instructor who pastes a hidden test into a comment does not send it."""
    hidden = f'assert double(-3) == -6, "{SECRET}"'
    sub = _submission([_grade("why", 2, manual=1.0)], [("why", f"compare with {hidden}"), ("q_double", hidden)])
    r = Boundary([hidden], [], environment={}).apply(hand_result(_batch(), sub))
    text = "\n".join([q.message for q in r.questions] + r.messages)
    assert SECRET not in text and "double(-3)" not in text and "compare with" in text


# ------------------------------------------------------------------ the course, end to end
@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    from nbgrader.api import Gradebook

    tmp = tmp_path_factory.mktemp("hand")
    root, exchange, home, out = tmp / "course", tmp / "exchange", tmp / "student", tmp / "out"
    home.mkdir()
    course_root(root, exchange, master(), AID)
    nbgrader(root, "generate_assignment", AID)
    nbgrader(root, "release_assignment", AID)
    student = ["--course", course.COURSE_ID, f"--Exchange.root={exchange}"]
    nbgrader(home, "fetch_assignment", AID, *student)
    fetched = home / AID / f"{AID}.ipynb"
    nbformat.write(answer(nbformat.read(fetched, as_version=4)), fetched)
    nbgrader(home, "submit", AID, *student)
    nbgrader(root, "collect", AID)
    me = next((root / "submitted").iterdir()).name
    graded = grade(root, out)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    before = (root / "feedback" / me / AID / f"{AID}.html").read_text()
    canvas_before = canvas_scores(out, "--course-root", str(root))
    # formgrader: the written answer 1.5 / 2 with a comment, and a comment on an exercise's code
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course.COURSE_ID) as gb:
        g = gb.find_grade("why", AID, AID, me)
        g.manual_score, g.needs_manual_grade = 1.5, False
        gb.find_comment("why", AID, AID, me).manual_comment = COMMENT
        gb.find_comment("q_double", AID, AID, me).manual_comment = CODE_COMMENT
        gb.db.commit()
    rebuilt = autograder("feedback", "--course-root", str(root))
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    nbgrader(root, "release_feedback", AID)
    nbgrader(home, "fetch_feedback", AID, *student)
    return dict(root=root, home=home, out=out, me=me, before=before, canvas_before=canvas_before,
                rebuilt=rebuilt)


@pytest.mark.slow
def test_before_hand_grading_the_feedback_and_the_lms_say_pending(hand):
    assert "5 / 13" in hand["before"] and "needs_manual_grade" in hand["before"]
    assert hand["canvas_before"] == {hand["me"]: "5"}


@pytest.mark.slow
def test_the_student_fetches_the_hand_score_and_the_comments_without_hidden_tests(hand):
    page = fetched_page(hand["home"])
    assert "6.5 / 13" in page, page
    assert "1.5 / 2" in page and COMMENT.replace("'", "&#x27;") in page and CODE_COMMENT in page
    assert "Hidden tests failed" in page                       # double(): visible passed, hidden failed
    assert SECRET not in page and "BEGIN HIDDEN" not in page and "double(-3)" not in page
    assert "pending" not in page.split("<table>")[1]            # nothing waits for the instructor any more
    assert "feedback page(s) rebuilt" in hand["rebuilt"].stdout


@pytest.mark.slow
def test_the_canvas_export_reads_the_hand_score_from_the_gradebook(hand):
    assert canvas_scores(hand["out"], "--course-root", str(hand["root"])) == {hand["me"]: "6.5"}
    assert canvas_scores(hand["out"]) == {hand["me"]: "5"}, "summary.csv alone is the batch's word"


@pytest.mark.slow
def test_a_regrade_keeps_the_hand_score_in_the_feedback(hand):
    again = grade(hand["root"], hand["out"])
    assert again.returncode == 0, again.stdout + again.stderr
    page = (hand["root"] / "feedback" / hand["me"] / AID / f"{AID}.html").read_text()
    assert "6.5 / 13" in page and CODE_COMMENT in page and SECRET not in page


@pytest.mark.slow
def test_formgraders_generate_feedback_sends_the_course_page_not_nbgraders(hand):
    """``NbGraderAPI.generate_feedback`` is what formgrader's buttons call.  With nbgrader's
    defaults it renders the hidden tests (the control, into another folder); with
    FEEDBACK_CONFIG it writes the course's page, and release_feedback still finds the secret."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    root, me = hand["root"], hand["me"]
    plain = course_config(root, "c.CourseDirectory.feedback_directory = 'feedback_nbgrader'")
    plain.pop("GenerateFeedback", None)                          # nbgrader's own feedback: the control
    done = NbGraderAPI(CourseDirectory(config=plain), config=plain).generate_feedback(AID, me)
    assert done["success"], done
    assert SECRET in (root / "feedback_nbgrader" / me / AID / f"{AID}.html").read_text(), \
        "the control: nbgrader's own feedback shows the hidden tests"
    lines = (INSTRUCTOR / "nbgrader_config.py").read_text()
    assert all(line in lines for line in FEEDBACK_CONFIG), "lab-config-instructor/ carries FEEDBACK_CONFIG"
    ours = course_config(root)                                   # the course's own nbgrader_config.py
    assert all(ours.GenerateFeedback[line.split(" = ")[0].split(".")[-1]] == eval(line.split(" = ")[1])
               for line in FEEDBACK_CONFIG), "the course's nbgrader_config.py carries FEEDBACK_CONFIG"
    for student in (me, None):                                  # one student's button, then "all"
        done = NbGraderAPI(CourseDirectory(config=ours), config=ours).generate_feedback(AID, student)
        assert done["success"], done
        folder = root / "feedback" / me / AID
        page = (folder / f"{AID}.html").read_text()
        assert "6.5 / 13" in page and CODE_COMMENT in page and SECRET not in page and "BEGIN HIDDEN" not in page
        assert (folder / "submission_secret.txt").read_text() == \
            (root / "submitted" / me / AID / "submission_secret.txt").read_text()
    nbgrader(root, "release_feedback", AID)
