"""Step: check the masters before anything is generated from them.

Output-free, valid nbgrader metadata (unique grade ids across the course, points on every
grade cell, balanced region markers in the right kinds of cell), Keras 3 idioms only,
no remote images, the first code cell seeding everything with ``rnnkit.setup`` before
TensorFlow is imported, and every solution cell followed by its grade cell.

Statements (``check_statements``): each exercise heading states the points of its grade
cell, the first cell states the notebook's total, and what a grade cell checks in a form that
can be read off its code (numpy only, no warning, float32, a ``keras.Sequential``, a
tolerance, a history key read later) is said in the exercise's statement.

Notation (``check_notation``): within one notebook a one-letter symbol names one kind of thing.
The text says what a symbol is where it writes a role noun next to it ("step `t`", "`n`
examples", "row `k`"); a symbol that is written beside nouns of two different kinds (a time
step and an example, an output and a feature) is reported.  Nouns of one kind are synonyms
("row `k`" of ``X`` is "example `k`"; "word `t`" of a review is its "step `t`").
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
    problems += check_statements(nb, where)
    problems += check_notation(nb, where)
    return problems


# The kinds of thing a one-letter symbol can name, each with the nouns that say it (CONTRIBUTING.md:
# "one letter, one meaning within a notebook").
ROLE_KINDS = {
    "a time step or position": ("step", "word", "character", "token", "position", "lag", "distance", "horizon"),
    "an example or a row": ("example", "row", "review", "sample", "sequence", "stream", "window", "batch"),
    "an output": ("output",),
    "a feature or an input size": ("feature", "dimension"),
    "a unit": ("unit",),
    "a layer": ("layer",),
    "an epoch": ("epoch",),
    "a period": ("period",),
    "a decay": ("decay",),
}
_NOUN_KIND = {noun: kind for kind, nouns in ROLE_KINDS.items() for noun in nouns}
_NOUNS = "|".join(sorted(_NOUN_KIND, key=len, reverse=True))
_SYMBOL = r"(?:`([A-Za-z])(?:_[^`\s]*)?`|\$([A-Za-z])(?:_[^$\s]*)?\$)"     # `k`, `x_t`, $T$, $h_{t-1}$
NOUN_THEN_SYMBOL = re.compile(rf"\b({_NOUNS})s?\s+{_SYMBOL}")
SYMBOL_THEN_NOUN = re.compile(rf"{_SYMBOL}\s+({_NOUNS})s?\b")


def symbol_roles(nb) -> dict[str, dict[str, list[int]]]:
    """symbol -> kind -> the markdown cells that write the symbol beside a noun of that kind."""
    roles: dict[str, dict[str, list[int]]] = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        found = [(m.group(2) or m.group(3), m.group(1)) for m in NOUN_THEN_SYMBOL.finditer(cell.source)]
        found += [(m.group(1) or m.group(2), m.group(3)) for m in SYMBOL_THEN_NOUN.finditer(cell.source)]
        for symbol, noun in found:
            cells = roles.setdefault(symbol, {}).setdefault(_NOUN_KIND[noun.lower()], [])
            if index not in cells:
                cells.append(index)
    return roles


def check_notation(nb, where) -> list[str]:
    problems = []
    for symbol, kinds in sorted(symbol_roles(nb).items()):
        if len(kinds) > 1:
            said = "; ".join(f"{kind} in cell(s) {', '.join(map(str, cells))}" for kind, cells in kinds.items())
            problems.append(f"{where}: the symbol `{symbol}` names two kinds of thing ({said}): one letter, one meaning")
    return problems


HEADING = re.compile(r"^###\s+Exercise\s+(\d+)\s+\((\d+(?:\.\d+)?)\s+points?\)", re.M)
INTRO_ITEM = re.compile(r"Exercise\s+(\d+)\**\s*\((\d+(?:\.\d+)?)\s+points?\)")
INTRO_ROW = re.compile(r"^\|\s*(\d+)\s*\|.*\|\s*(\d+(?:\.\d+)?)\s*\|\s*$", re.M)
TOTAL = re.compile(r"\*\*(\d+(?:\.\d+)?)\s+points\s+in\s+all\.?\*\*")
HISTORY_KEY = re.compile(r"""(?:hist|history)\w*(?:\.history)?\[\s*["'](?:val_)?accuracy["']\s*\]""")

# (what the grade cell does, what its statement must then say, the rule in words)
STATEMENT_RULES = [
    (re.compile(r"\bnumpy_only\("), re.compile(r"numpy\s+only", re.I), '"numpy only" (the grade cell calls numpy_only)'),
    (re.compile(r"catch_warnings\(record=True\)"), re.compile(r"\bwarn", re.I), "that the function must not warn (the grade cell records warnings)"),
    (re.compile(r"dtype\s*==\s*np\.float32"), re.compile(r"float32"), "float32 (the grade cell checks the dtype)"),
    (re.compile(r"isinstance\([^\n]*keras\.Sequential\b"), re.compile(r"Sequential"), "that a keras.Sequential is required"),
    (re.compile(r"assert_allclose\(|np\.isclose\([^)]*(?:rtol|atol)"),
     re.compile(r"toleran|\b\d+(?:\.\d+)?e-\d+\b|within|exactly", re.I), "the tolerance of its numerical comparisons"),
]


def check_statements(nb, where) -> list[str]:
    """Problems with what the statements say (points, total, criteria), as readable lines."""
    problems: list[str] = []
    cells = nb.cells
    meta = lambda c: c.metadata.get("nbgrader", {})
    headings: dict[str, float] = {}
    total = 0.0
    start = 0                                   # first cell after the previous grade cell
    for index, cell in enumerate(cells):
        m = meta(cell)
        if m.get("grade") and m.get("solution"):  # an answer graded by hand: its points count too
            total += float(m.get("points") or 0)
            statement = "\n".join(c.source for c in cells[start:index] if c.cell_type == "markdown")
            heading = list(HEADING.finditer(statement))
            if heading:
                number, stated = heading[-1].group(1), float(heading[-1].group(2))
                headings[number] = stated
                if stated != float(m.get("points") or 0):
                    problems.append(f"{where} cell {index} ({m.get('grade_id')}): the heading of Exercise {number} "
                                    f"says {stated:g} points, the answer graded by hand gives {m.get('points')!r}")
            start = index + 1
            continue
        if m.get("grade") and not m.get("solution"):
            total += float(m.get("points") or 0)
            start = index + 1
            continue
        if m.get("grade") and m.get("solution") and cell.cell_type == "markdown":    # a written answer graded by hand
            total += float(m.get("points") or 0)
            statement = "\n".join(c.source for c in cells[start:index] if c.cell_type == "markdown")
            heading = list(HEADING.finditer(statement))
            if heading:
                number, stated = heading[-1].group(1), float(heading[-1].group(2))
                headings[number] = stated
                if stated != float(m.get("points") or 0):
                    problems.append(f"{where} cell {index} ({m.get('grade_id')}): the heading of Exercise {number} says "
                                    f"{stated:g} points, the answer graded by hand gives {m.get('points')!r}")
            start = index + 1
            continue
        if not (m.get("solution") and cell.cell_type == "code"):
            continue
        statement = "\n".join(c.source for c in cells[start:index] if c.cell_type == "markdown")
        grade = next((c for c in cells[index + 1:] if meta(c).get("grade") and not meta(c).get("solution")), None)
        if grade is None:
            continue
        here = f"{where} cell {index} ({m.get('grade_id')})"
        heading = list(HEADING.finditer(statement))
        if heading:
            number, stated = heading[-1].group(1), float(heading[-1].group(2))
            headings[number] = stated
            if stated != float(meta(grade).get("points") or 0):
                problems.append(f"{here}: the heading of Exercise {number} says {stated:g} points, its grade cell "
                                f"{meta(grade).get('grade_id')!r} gives {meta(grade).get('points')!r}")
        for does, says, rule in STATEMENT_RULES:
            if does.search(grade.source) and not says.search(statement):
                problems.append(f"{here}: its grade cell checks something its statement does not say: {rule}")
    markdown = [c.source for c in cells if c.cell_type == "markdown"]
    if headings:
        intro = markdown[0] if markdown else ""
        found = TOTAL.search(intro)
        if not found:
            problems.append(f"{where}: the first cell must state the total, e.g. '**{total:g} points in all**'")
        elif float(found.group(1)) != total:
            problems.append(f"{where}: the first cell says {found.group(1)} points in all, the grade cells add up to {total:g}")
        listed = [(n, p) for n, p in INTRO_ITEM.findall(intro)]
        if "points |" in intro:
            listed += INTRO_ROW.findall(intro)
        for number, stated in listed:
            if number in headings and float(stated) != headings[number]:
                problems.append(f"{where}: the first cell gives Exercise {number} {stated} points, its heading {headings[number]:g}")
    read = [c.source for c in cells if c.cell_type == "code" and HISTORY_KEY.search(c.source)]
    if read and not any('metrics=["accuracy"]' in t or "metrics=['accuracy']" in t for t in markdown):
        problems.append(f"{where}: a cell reads a history's accuracy ({HISTORY_KEY.search(read[0]).group(0)}), "
                        "but no statement asks for metrics=[\"accuracy\"]")
    return problems


def check_all(assignments=None) -> list[str]:
    seen: dict[str, str] = {}
    problems: list[str] = []
    for aid in assignments or course.ASSIGNMENTS:
        problems += check_master(course.notebook_path(course.SOURCE, aid), seen)
    return problems
