"""Step: what a student is told.  Per question: points, and the visible tests' messages.

nbgrader's own feedback shows the executed grade cells, hidden tests included (nbgrader
#917).  Here the executed notebook is read by the worker only, and reduced to plain facts
per grade cell before anything is written out:

* visible part failed: the exception type and message (written for students in the
  visible tests) and the visible test line that failed;
* hidden part failed: only "failed" and ``HIDDEN_FAILED`` (no source, no expected values,
  no traceback, not even the exception type);
* the cell never ran (the kernel had died, the time limit was used up): says so.

``Result.gradescope`` (Gradescope's autograder schema) and ``feedback_html`` render those facts
from a ``schema.Result``, its student-facing fields only; they never see a notebook.  They
name each question as the notebook does ("Exercise 3 · steps_to_vanish, 2 points": the
master's headings, ``rnnkit.questions``, derived once per assignment with its template) and
keep its grade id beside the name for machines.
"""
from __future__ import annotations

import html
import re
from dataclasses import replace

from ..regions import region_line_numbers
from .cells import grade_id
from .schema import Question, Result

HIDDEN_FAILED = ("Hidden tests failed: your answer passes the visible checks but is wrong on cases you "
                 "have not seen (other shapes, seeds or edge cases). Re-read the specification and test "
                 "your function on inputs of your own.")
STDERR_FAILED = ("The tests wrote to standard error (a warning, or a print to sys.stderr, from your code). "
                 "nbgrader counts any stderr output during a test cell as a failure.")
NOT_RUN = "Not run: {why}"
PENDING = "Graded by hand: your instructor will score this answer (its points are pending)."
UNANSWERED = "Not answered: this answer, graded by hand, is as it was released (0 points)."
MAX_MESSAGE = 1500          # the output boundary (boundary.py) bounds what students get

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_FRAME = re.compile(r"Cell\s+In\s*\[\s*\d*\s*\]\s*,\s*line\s+(\d+)")


def _strip(text: str) -> str:
    return _ANSI.sub("", text or "")


def _clip(text: str, n: int = MAX_MESSAGE) -> str:
    text = text.strip()
    return text if len(text) <= n else text[: n - 20].rstrip() + " ... (truncated)"


def hidden_lines(source: str) -> set[int]:
    """1-based line numbers of a grade cell that belong to its hidden-test region(s)."""
    return region_line_numbers(source, "hidden")


def failing_line(traceback: list[str]) -> int | None:
    """The grade cell's own line where the error surfaced: the first `Cell In[n], line L`
    frame of IPython's traceback (the outermost, i.e. the grade cell's statement)."""
    for entry in traceback or []:
        m = _CELL_FRAME.search(_strip(entry))
        if m:
            return int(m.group(1))
    return None


def grade_cell_outcome(cell) -> tuple[str, str, str | None, str]:
    """(outcome, visible, hidden, message) of an executed grade cell."""
    from . import execution  # (lazy: `report merge` needs no Jupyter stack)

    source = cell.get("source", "")
    hidden = hidden_lines(source)
    has_hidden = bool(hidden)
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    stderr = [o for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    if errors:
        err = errors[0]
        ename, evalue = err.get("ename", ""), _strip(err.get("evalue", ""))
        if ename in (execution.NOT_RUN, execution.NOTEBOOK_TIMEOUT):
            return "not_run", "not_run", "not_run" if has_hidden else None, NOT_RUN.format(why=evalue.replace("not run: ", ""))
        if ename == execution.HIDDEN_TESTS_FAILED:     # the hidden part, run on its own
            # evalue: the grader's own sentence when it judged the hidden tests (judge.decide)
            return "failed", "passed", "failed", HIDDEN_FAILED + (f"\n{_clip(evalue)}" if evalue else "")
        if ename == execution.KERNEL_DIED:
            return "failed", "failed", "not_run" if has_hidden else None, "The kernel died while these tests ran (see above)."
        if ename == execution.CELL_TIMEOUT:
            return "failed", "failed", "not_run" if has_hidden else None, "These tests ran out of time (an infinite loop, or very slow code)."
        line = failing_line(err.get("traceback", []))
        if line is None and has_hidden:
            # cannot tell where it failed: say nothing that could come from the hidden part
            return "failed", "failed", "failed", "The tests failed (no details: they could reveal the hidden tests)."
        if line is not None and line in hidden:
            return "failed", "passed", "failed", HIDDEN_FAILED
        lines = source.splitlines()
        where = lines[line - 1].strip() if line and 0 < line <= len(lines) else ""
        if ename == "NotImplementedError" and not evalue:
            msg = "NotImplementedError: not answered yet (the function still raises NotImplementedError)"
        else:
            msg = f"{ename}: {evalue}" if evalue else ename
        if where:
            msg += f"\n(in the test line: {where})"
        return "failed", "failed", "not_run" if has_hidden else None, _clip(msg)
    if stderr:
        if all(o.get("text") == execution.HIDDEN_STDERR for o in stderr):
            return "failed", "passed", "failed", STDERR_FAILED
        return "failed", "failed", "failed" if has_hidden else None, STDERR_FAILED
    return "passed", "passed", "passed" if has_hidden else None, ("Visible and hidden tests passed." if has_hidden else "Tests passed.")


def question_outcomes(executed, scores: dict[str, tuple[float, float]], pending=frozenset(),
                      names: dict[str, str] | None = None) -> list[Question]:
    """One Question per graded cell of the executed notebook, in notebook order, named from
    ``names`` (grade_id -> name, from the master: never from the submission's own text).  A
    manually graded answer (an nbgrader cell that is both solution and grade) is
    ``pending`` when its grade_id is in ``pending``, else not answered."""
    return [replace(q, name=(names or {}).get(q.question, "")) for q in _outcomes(executed, scores, pending)]


def _outcomes(executed, scores: dict[str, tuple[float, float]], pending) -> list[Question]:
    """The unnamed Questions of ``question_outcomes``."""
    from nbgrader.utils import is_grade, is_solution, is_task

    out: list[Question] = []
    seen = set()
    for cell in executed.cells:
        gid = grade_id(cell)
        if not (is_grade(cell) or is_task(cell)) or gid in seen or gid not in scores:
            continue
        seen.add(gid)
        score, max_score = scores[gid]
        if is_solution(cell) or is_task(cell):     # graded by hand, never by running it
            if gid in pending:
                out.append(Question(gid, 0.0, max_score, "pending", "pending", None, PENDING))
            else:
                out.append(Question(gid, score, max_score, "passed" if score >= max_score > 0 else "failed",
                                    "not_run", None, UNANSWERED if score == 0 else "Graded by hand."))
            continue
        if cell.get("cell_type") != "code":
            continue
        outcome, visible, hidden, message = grade_cell_outcome(cell)
        if outcome == "passed" and score < max_score:
            # partial credit, or a score nbgrader decided for a reason we cannot see
            outcome, message = "failed", message
        out.append(Question(gid, score, max_score, outcome, visible, hidden, message))
    for gid, (score, max_score) in scores.items():   # graded but not found: never happens, stay safe
        if gid not in seen:
            out.append(Question(gid, score, max_score, "not_run", "not_run", None, NOT_RUN.format(why="no result")))
    return out


# ----------------------------------------------------------------------------------------
# rendering
# ----------------------------------------------------------------------------------------

STATUS_TEXT = {
    "graded": "Graded.",
    "needs_manual_grade": "Graded, except the answers your instructor grades by hand: their points are pending.",
    "timeout": "Graded, but a time limit stopped your notebook: see below.",
    "kernel_died": "Graded, but your notebook's kernel died: points earned before that are kept.",
    "invalid_notebook": "Not graded: the file is not a valid Jupyter notebook.",
    "refused_link": "Not graded: what was handed in is a link, not the notebook file itself.",
    "worker_memory": "Not graded: your notebook sent the grader more than it can hold; grading was stopped.",
    "missing_notebook": "Not graded: no notebook was submitted.",
    "error": "Not graded: the autograder itself failed on this submission. Your instructor has been told.",
}


def _fmt(x: float) -> str:
    return f"{x:g}"


def feedback_html(fb: Result) -> str:
    """The student's feedback page, from the same student-facing fields as ``Result.gradescope``."""
    e = html.escape
    rows = []
    for q in fb.questions:
        colour = {"passed": "#1a7f37", "failed": "#cf222e", "not_run": "#9a6700", "pending": "#0969da"}.get(q.outcome, "#000")
        hidden = "" if q.hidden is None else f"<br><small>hidden tests: {e(q.hidden.replace('_', ' '))}</small>"
        rows.append(
            f"<tr data-grade-id='{e(q.question)}'><td>{e(q.label)}</td><td>{_fmt(q.score)} / {_fmt(q.max_score)}</td>"
            f"<td style='color:{colour}'>{e(q.outcome.replace('_', ' '))}<br><small>visible tests: "
            f"{e(q.visible.replace('_', ' '))}</small>{hidden}</td><td><pre>{e(q.message)}</pre></td></tr>")
    notes = "".join(f"<li>{e(m)}</li>" for m in fb.messages)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Feedback: {e(fb.assignment)} ({e(fb.student)})</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 1px solid #d0d7de; padding: .4rem .6rem; vertical-align: top; text-align: left; }}
pre {{ white-space: pre-wrap; margin: 0; font-size: .85rem; }}
</style></head><body>
<h1>{e(fb.assignment)}</h1>
<p>Student: <code>{e(fb.student)}</code> &middot; Score: <b>{_fmt(fb.score)} / {_fmt(fb.max_score)}</b>
&middot; Status: <code>{e(fb.status)}</code></p>
<p>{e(STATUS_TEXT.get(fb.status, fb.status))}</p>
{f"<ul>{notes}</ul>" if notes else ""}
<table><thead><tr><th>Question</th><th>Points</th><th>Result</th><th>Message</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<p><small>Hidden tests are not shown: only whether they passed.</small></p>
</body></html>
"""
