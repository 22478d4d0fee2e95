"""Step: the alternatives bank.  Every correct answer written differently keeps full marks.

`alternatives/<assignment_id>.py` defines ``ALTERNATIVES``: a list of dicts with ``name``,
``grade_id`` (the *solution* cell it replaces), ``why`` (how it differs from the master's
answer: a loop instead of vectorised code, float64, the concatenated weight form,
``np.einsum``, another valid architecture...) and ``source`` (the full source of that cell),
optionally ``slow=True`` when its tests train a model.  It is the mirror of the mutation
bank (``autograder.gates.mutants``) and is graded by the same runner on the same grading path;
here every entry must score *every* point of its exercise.

Exit status 1 when an alternative loses a point or an exercise has fewer than 3.
"""
from __future__ import annotations

from .mutants import add_arguments, run_bank

__all__ = ["add_arguments", "run"]


def run(args) -> int:
    return run_bank(args, "alternatives")
