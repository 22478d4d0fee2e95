"""nbgrader's metadata of a notebook cell, what ``nbgrader.utils`` has no function for.

Whether a cell is a grade, solution, locked or task cell: ``nbgrader.utils`` (``is_grade``,
``is_solution``, ``is_locked``, ``is_task``).  A cell may be an nbformat node or a plain dict
(a notebook read with ``json``); a student's file may hold anything, so metadata that is not a
dict counts as none.
"""
from __future__ import annotations


def nbgrader(cell) -> dict:
    """The cell's nbgrader metadata; {} when it has none (or it is not a dict)."""
    return meta if isinstance(meta := (cell.get("metadata") or {}).get("nbgrader"), dict) else {}


def grade_id(cell) -> str | None:
    """The cell's grade id (nbgrader's ``grade_id``); None when it has none."""
    return nbgrader(cell).get("grade_id")


def points(cell) -> float:
    """The points of a grade cell (nbgrader's ``points``); 0 when none are given."""
    return float(nbgrader(cell).get("points", 0))


def locked_test(cell) -> bool:
    """A cell the student may not change: marked locked, with a grade id, not an answer cell
    (nbgrader's ``is_locked`` counts every grade cell, marked or not)."""
    return bool(grade_id(cell) and nbgrader(cell).get("locked") and not nbgrader(cell).get("solution"))
