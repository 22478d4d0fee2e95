"""Step: check the masters before anything is generated from them.

Output-free, valid nbgrader metadata (unique grade ids across the course, points on every
grade cell, balanced region markers in the right kinds of cell), Keras 3 idioms only,
no remote images, the first code cell seeding everything with ``rnnkit.setup`` before
TensorFlow is imported, and every solution cell followed by its grade cell.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

from .. import course
from ..regions import MARKERS, split_regions

BANNED_APIS = re.compile(r"tf\.compat\.v1|tf\.contrib|tf\.Session|dynamic_rnn|keras\.layers\.recurrent\b|BasicLSTMCell")
REMOTE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*https?://|<img[^>]+src=[\"']https?://", re.I)


def check_master(path: Path, seen_ids: dict[str, str]) -> list[str]:
    """Problems with one master, as readable lines (empty when it is fine)."""
    problems: list[str] = []
    where = path.relative_to(course.ROOT) if path.is_relative_to(course.ROOT) else path
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # a master that does not parse is the first thing to say
        return [f"{where}: not a valid notebook ({exc})"]
    n_solution = n_grade = 0
    for index, cell in enumerate(nb.cells):
        here = f"{where} cell {index}"
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None):
            problems.append(f"{here}: carries outputs; store masters output-free")
        meta = cell.metadata.get("nbgrader", {})
        _, inside, marker_errors = split_regions(cell.source)
        problems += [f"{here}: {e}" for e in marker_errors]
        has_solution = any(l for l in MARKERS["solution"] if l in cell.source)
        has_hidden = any(l for l in MARKERS["hidden"] if l in cell.source)
        if cell.cell_type == "markdown" and REMOTE_IMAGE.search(cell.source):
            problems.append(f"{here}: links a remote image; draw it into assets/ instead")
        if cell.cell_type == "code" and BANNED_APIS.search(cell.source):  # prose may name them
            problems.append(f"{here}: uses a TF1-era API ({BANNED_APIS.search(cell.source).group(0)}); Keras 3 only")
        if not meta:
            if has_solution or has_hidden:
                problems.append(f"{here}: has region markers but no nbgrader metadata")
            continue
        gid = meta.get("grade_id")
        if not gid:
            problems.append(f"{here}: nbgrader cell without a grade_id")
        elif gid in seen_ids:
            problems.append(f"{here}: grade_id {gid!r} already used in {seen_ids[gid]}")
        else:
            seen_ids[gid] = str(here)
        if meta.get("solution"):
            n_solution += 1
            if cell.cell_type == "code" and not has_solution:
                problems.append(f"{here}: solution cell {gid!r} has no ### BEGIN SOLUTION region")
            if has_hidden:
                problems.append(f"{here}: hidden tests belong in a grade cell, not a solution cell")
        if meta.get("grade"):
            n_grade += 1
            points = meta.get("points")
            if not isinstance(points, (int, float)) or points <= 0:
                problems.append(f"{here}: grade cell {gid!r} needs positive points, has {points!r}")
            if not meta.get("solution") and not meta.get("locked"):
                problems.append(f"{here}: grade cell {gid!r} must be locked")
            if not meta.get("solution") and not has_hidden:
                problems.append(f"{here}: grade cell {gid!r} has no ### BEGIN HIDDEN TESTS region")
            if has_solution and not meta.get("solution"):
                problems.append(f"{here}: solution region in a grade cell")
        elif has_hidden:
            problems.append(f"{here}: hidden-test region outside a grade cell")
    code = [c for c in nb.cells if c.cell_type == "code"]
    if code and not ("from rnnkit import setup" in code[0].source and "setup(" in code[0].source):
        problems.append(f"{where}: the first code cell must call rnnkit.setup(seed=...) before TensorFlow is imported")
    metas = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    for index, meta in enumerate(metas):
        if meta.get("solution") and not meta.get("grade"):     # an autograded answer
            nxt = next((m for m in metas[index + 1:] if m.get("grade") or m.get("solution")), {})
            if not nxt.get("grade") or nxt.get("solution"):
                problems.append(f"{where} cell {index}: solution cell {meta.get('grade_id')!r} is not followed "
                                "by its grade cell (markdown may come between)")
    if n_grade == 0:
        problems.append(f"{where}: no graded cells")
    if n_solution == 0:
        problems.append(f"{where}: no solution cells")
    return problems


def check_all(assignments=None) -> list[str]:
    seen: dict[str, str] = {}
    problems: list[str] = []
    for aid in assignments or course.ASSIGNMENTS:
        problems += check_master(course.notebook_path(course.SOURCE, aid), seen)
    return problems
