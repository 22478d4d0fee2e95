"""The one grading path, as the quality gates call it.

Students are graded by ``grade.grade_batch``: discovery, one template per assignment
(nbgrader's ``generate_assignment``), then one worker process per submission
(``worker.grade_job``: tamper checks, nbgrader ``autograde`` with ``GuardedExecute``, the
sandboxed kernel, the course's limits).  Every gate grades through that same function:

* ``make validate``      solutions 100 %, blank student versions 0     (``validate``)
* ``make mutants``       every wrong answer loses points               (``mutants``)
* ``make alternatives``  every correct variant keeps them              (``alternatives``)
* ``make determinism``   the same submission, the same grades          (``determinism``)
* ``make busy``          the solutions at 100 % on a busy machine      (``busy``)
* ``make bench``         autograde overhead and throughput             (``bench``)
* the stderr-noise test                                              (tests/test_stderr_noise.py)

This module only lays the notebooks out in nbgrader's submitted layout
(``<label>/<assignment>/<assignment>.ipynb``) and hands them to ``grade_batch``; the
sandbox is on unless the caller turns it off, and where the machine cannot provide part of
it the result's ``sandbox`` field says so.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .. import course
from ..grader.versions import student_versions  # noqa: F401  (the gates' student versions: the service builds them)


def grade_notebooks(notebooks: dict[str, tuple[Path, str]], *, source_root: Path | None = None,
                    jobs: int = 1, limits_from: dict[str, str] | None = None,
                    nbgrader_config: dict | None = None, **options) -> dict:
    """Grade ``{label: (notebook, assignment)}`` in one batch; return ``{label: schema.Result}``.

    ``label`` becomes the student id.  ``source_root`` holds the masters (default: source/).
    Other keyword arguments are fields of ``schema.GradeOptions`` (time limits...).  The
    batch's progress lines are left out (``grade.quiet_batch``): the gates report for it."""
    from ..grader.grade import grade_batch, quiet_batch
    from ..grader.schema import GradeOptions

    with tempfile.TemporaryDirectory(prefix="grading-") as tmp:
        subs = Path(tmp) / "submitted"
        for label, (notebook, aid) in notebooks.items():
            target = subs / label / aid / f"{aid}.ipynb"
            target.parent.mkdir(parents=True)
            shutil.copyfile(notebook, target)
        options = GradeOptions(jobs=jobs, source_root=source_root and str(source_root),
                               assignments=sorted({aid for _, aid in notebooks.values()}),
                               limits_from=limits_from, nbgrader_config=nbgrader_config, **options)
        with quiet_batch():
            batch = grade_batch(subs, Path(tmp) / "out", options)
        if batch.template_errors:
            raise RuntimeError("could not prepare: " + "; ".join(batch.template_errors))
        return {r.student: r for r in batch.results if notebooks.get(r.student, (None, None))[1] == r.assignment}


# A finished grading: "needs_manual_grade" when answers graded by hand wait for a person.
FINISHED = ("graded", "needs_manual_grade")


def manual_questions(aid: str, source_root: Path | None = None) -> set[str]:
    """grade_ids of the master's answers graded by hand (``course.manual_questions``): every
    gate expects them pending on a solved notebook and 0 on a blank one."""
    return set(course.manual_questions(aid, source_root))


def expected_status(aid: str, source_root: Path | None = None) -> str:
    """What a correct, complete submission of ``aid`` gets."""
    return "needs_manual_grade" if manual_questions(aid, source_root) else "graded"


def scores(result) -> dict[str, tuple[float, float]]:
    """grade_id -> (score, max_score) of one schema.Result."""
    return {q.question: (q.score, q.max_score) for q in result.questions}
