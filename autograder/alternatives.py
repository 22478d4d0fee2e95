"""Step: the alternatives bank.  Every correct answer written differently keeps full marks.

`alternatives/<assignment_id>.py` defines ``ALTERNATIVES``: a list of dicts with ``name``,
``grade_id`` (the *solution* cell it replaces), ``why`` (how it differs from the master's
answer: a loop instead of vectorised code, float64, the concatenated weight form,
``np.einsum``, another valid architecture...) and ``source`` (the full source of that cell),
optionally ``slow=True`` when its tests train a model.  It is the mirror of the mutation
bank (``autograder.mutants``) and is graded by the same runner on the same grading path;
here every entry must score *every* point of its exercise.

Exit status 1 when an alternative loses a point or an exercise has fewer than 3.
"""
from __future__ import annotations

from .mutants import mutation_test


def add_arguments(parser) -> None:
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="batch mode only (what make test runs)")


def run(args) -> int:
    report = mutation_test(args.assignments or None, jobs=args.jobs, quick=args.quick, bank="alternatives")
    print(report.text())
    return 0 if report.ok else 1
