"""Step: prove the grading of each assignment both ways, on the one grading path.

* the solved student version (the released notebook with the master's answers typed in,
  as a correct student hands it in) must score full points on every grade cell, with
  status ``graded`` and no flag;
* the blank student version nbgrader generates from the master must score 0 on every
  grade cell.

A manually graded answer (``grading.manual_questions``) is graded by a person: on the solved
version it must be *pending* (status ``needs_manual_grade``, its points in the maximum), on
the blank one 0 and not pending (an answer left as released is no answer).

Both are graded by ``grade.grade_batch`` (``autograder.gates.grading``): the worker, the guards,
the sandbox and the limits that grade students.  nbgrader's own `validate` exits 0 on
failures (nbgrader #1908), so this step decides from the per-cell scores.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import course


@dataclass
class Validation:
    assignment: str
    solution: object          # schema.Result of the solved student version
    student: object           # schema.Result of the blank student version
    manual: frozenset = frozenset()   # grade_ids graded by hand

    def problems(self) -> list[str]:
        out = []
        expected = {"solution": "needs_manual_grade" if self.manual else "graded", "student": "graded"}
        for label, r in (("solution", self.solution), ("student", self.student)):
            if r.status != expected[label]:
                out.append(f"{self.assignment} {label}: status {r.status}: {' '.join(r.messages)[:500]} "
                           f"{' '.join(r.review)[:1500]}")
            elif not r.questions:
                out.append(f"{self.assignment} {label}: no grade cells were scored")
        if self.solution.cell_errors:
            out.append(f"{self.assignment}: the solution's run raised in cell(s) "
                       f"{', '.join(map(str, self.solution.cell_errors))}, which no grade cell scores: every cell "
                       "of a master must run (an assert that keeps a quoted number true, say)")
        if self.solution.flags:
            out.append(f"{self.assignment}: the solution is flagged {', '.join(self.solution.flags)}: "
                       + "; ".join(self.solution.review)[:1000])
        for q in self.solution.questions:
            if q.question in self.manual:
                if q.outcome != "pending" or q.score != 0:
                    out.append(f"{self.assignment}: the solution's answer to {q.question} (graded by hand) is "
                               f"{q.outcome} with {q.score:g} points (must be pending, 0 until graded)")
            elif q.score != q.max_score:
                out.append(f"{self.assignment}: solution scores {q.score:g}/{q.max_score:g} on {q.question} "
                           f"(must be full): {q.message[:300]}")
        for q in self.student.questions:
            if q.score != 0:
                out.append(f"{self.assignment}: blank student version scores {q.score:g}/{q.max_score:g} "
                           f"on {q.question} (must be 0)")
            elif q.outcome == "pending":
                out.append(f"{self.assignment}: the blank answer to {q.question} is pending (an answer left as "
                           "released must score 0, with nothing to grade by hand)")
        return out

    def report(self) -> str:
        sol, stu = self.solution, self.student
        pending = f", {sol.pending_points:g} pending (graded by hand)" if sol.pending_points else ""
        lines = [f"{self.assignment}: solution {sol.score:g}/{sol.max_score:g}{pending} ({sol.seconds:.1f} s, {sol.status}), "
                 f"blank student version {stu.score:g}/{stu.max_score:g} ({stu.seconds:.1f} s); sandbox: {sol.sandbox}"]
        student = {q.question: q for q in stu.questions}
        for q in sol.questions:
            s = student.get(q.question)
            got = "pending" if q.outcome == "pending" else f"{q.score:g}"
            lines.append(f"    {q.question:<32} solution {got:>4}/{q.max_score:<4g} student "
                         f"{(s.score if s else float('nan')):>4g}/{q.max_score:g}")
        if sol.cell_seconds:
            cell, secs = max(sol.cell_seconds.items(), key=lambda kv: kv[1])
            lines.append(f"    slowest cell of the solution: cell {cell}, {secs:.1f} s "
                         f"(limit {course.limits(self.assignment).cell_seconds} s per cell)")
        for cell, cpu in sol.cell_cpu_seconds.items():
            lines.append(f"    CPU budget of cell {cell}: {cpu:.1f} CPU s, measured outside the kernel")
        return "\n".join(lines)


def imdb_data_available() -> bool:
    """The real IMDB files on this machine (``grader.data.locate``: IMDB_DATA_DIR, else
    Keras' cache folder), without downloading."""
    from ..grader import data

    try:
        found = data.locate()
    except data.DataError:
        return False
    return found is not None and not found.synthetic


@contextlib.contextmanager
def imdb_for(aid: str):
    """The gates' data: the real IMDB data where this machine has it (``grader.data.locate``),
    else, asked for explicitly through the same module, the SYNTHETIC stand-in
    (``grader.data.synthetic``), said out loud, pointed at by IMDB_DATA_DIR while the gate
    runs, in a folder of its own that other uids can read (sandboxed kernels run under their own)."""
    if not needs_imdb(aid):
        yield None
        return
    import shutil

    from ..grader import data

    if imdb_data_available():
        found = data.locate()
        with _environment(data.ENV_VAR, str(found.folder)):
            yield None
        return
    tmp = Path(tempfile.mkdtemp(prefix="imdb-synthetic-"))
    os.chmod(tmp, 0o755)
    try:
        source = data.synthetic(tmp / "imdb-synthetic")
        print(f"{aid}: the full IMDB data is absent (set {data.ENV_VAR}): grading on SYNTHETIC data in "
              f"{source.folder}", flush=True)
        with _environment(data.ENV_VAR, str(source.folder)):
            yield source.folder
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def _environment(name: str, value: str):
    """``os.environ[name] = value`` for the duration, then as it was."""
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def needs_imdb(aid: str) -> bool:
    return aid in course.IMDB_ASSIGNMENTS


def validate_assignments(aids, jobs: int = 2) -> list[Validation]:
    """Grade the solved and the blank student version of every assignment in one batch."""
    from .grading import grade_notebooks, manual_questions, student_versions

    aids = list(aids)
    with tempfile.TemporaryDirectory(prefix="validate-") as tmp, contextlib.ExitStack() as stack:
        base = Path(tmp)
        if any(needs_imdb(a) for a in aids):
            stack.enter_context(imdb_for(next(a for a in aids if needs_imdb(a))))
        notebooks = {}
        for aid in aids:
            solved, blank = student_versions(aid, base / aid)
            notebooks[f"solution-{aid}"] = (solved, aid)
            notebooks[f"blank-{aid}"] = (blank, aid)
        results = grade_notebooks(notebooks, jobs=jobs)
        return [Validation(aid, results[f"solution-{aid}"], results[f"blank-{aid}"], frozenset(manual_questions(aid)))
                for aid in aids]

