"""The name of each graded question of a notebook, as the notebook itself names it.

People read "Exercise 3 · steps_to_vanish, 2 points", not the grade id
``n01_steps_to_vanish_tests``.  One rule, used by the visible-tests check students run
(``rnnkit.check``, on the student notebook alone) and by the grader (on the master, once per
assignment when its template is built), so both say the same thing:

* the **heading**: the nearest markdown line before the graded cell, after the previous
  graded cell, that starts an exercise: ``## Exercise 3 ...`` (any heading level) or a line
  that starts with ``**Exercise 3**`` (also Question, Task, Problem);
* the **subject**: the public functions (or classes) the answer cell defines (the graded
  cell itself when it is an answer, else the nearest answer cell before it), joined with
  " / "; an answer without a ``def`` (a written answer) takes the heading's title instead;
* the **points**: the graded cell's nbgrader metadata (never the heading's text).

An answer graded by hand (nbgrader's solution-and-grade cell, or a task) says so.  A cell
with no exercise heading is "Question <n>", n counting the graded cells.  The grade id
stays what machines use; this module only names.  It reads notebook JSON only (dicts or
nbformat nodes), so it needs nothing beyond the standard library.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SEPARATOR = " · "
MAX_TITLE = 60              # characters of a heading's title used as a subject

_KINDS = "Exercise|Question|Task|Problem"
_HASH_HEADING = re.compile(rf"^\s{{0,3}}#{{1,6}}\s*(?P<kind>{_KINDS})\s+(?P<num>\d+[a-z]?(?:\.\d+)?)\b(?P<rest>.*)$", re.I)
_BOLD_HEADING = re.compile(rf"^\s{{0,3}}\*\*(?P<kind>{_KINDS})\s+(?P<num>\d+[a-z]?(?:\.\d+)?)\*\*(?P<rest>.*)$", re.I)
_DEF = re.compile(r"^(?:async\s+)?(?:def|class)\s+([A-Za-z]\w*)", re.M)
_LEADING_PARENS = re.compile(r"^\s*\([^)]*\)\s*")
_BY_HAND = re.compile(r"\s*[(,]?\s*graded by hand\s*\)?\s*$", re.I)
_POINTS = re.compile(r"\((\d+(?:\.\d+)?)\s+points?\b", re.I)


@dataclass(frozen=True)
class QuestionName:
    """What names one graded cell; ``str()`` is the name people read."""
    grade_id: str
    ordinal: int                  # 1-based, among the notebook's graded cells
    points: float                 # the grade cell's nbgrader points
    by_hand: bool                 # an answer graded by hand (no test runs it)
    kind: str = ""                # "Exercise" (from the heading), "" when no heading
    number: str = ""              # "3"
    heading: str = ""             # the heading line the name comes from ("" when none)
    subject: str = ""             # "steps_to_vanish", or the heading's title

    @property
    def stated_points(self) -> float | None:
        """The points the heading states ("(2 points)"), to compare with the metadata."""
        m = _POINTS.search(self.heading)
        return float(m.group(1)) if m else None

    def __str__(self) -> str:
        head = f"{self.kind} {self.number}" if self.kind else f"Question {self.ordinal}"
        points = f"{self.points:g} point{'' if self.points == 1 else 's'}"
        text = f"{head}{SEPARATOR}{self.subject}, {points}" if self.subject else f"{head}, {points}"
        return text + (", graded by hand" if self.by_hand else "")


def _meta(cell) -> dict:
    meta = (cell.get("metadata") or {}).get("nbgrader") or {}
    return meta if isinstance(meta, dict) else {}


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src or "")


def is_graded(cell) -> bool:
    """A cell that carries points: a test cell, an answer graded by hand, or a task."""
    meta = _meta(cell)
    return bool((meta.get("grade") or meta.get("task")) and meta.get("grade_id"))


def _by_hand(cell) -> bool:
    meta = _meta(cell)
    return bool(meta.get("task") or (meta.get("grade") and meta.get("solution")))


def _heading(cells) -> tuple[str, str, str, str]:
    """(kind, number, rest, line) of the last exercise heading in ``cells`` (markdown only)."""
    for cell in reversed(cells):
        if cell.get("cell_type") != "markdown":
            continue
        for line in reversed(_source(cell).splitlines()):
            m = _HASH_HEADING.match(line) or _BOLD_HEADING.match(line)
            if m:
                return m.group("kind").capitalize(), m.group("num"), m.group("rest"), line.strip()
    return "", "", "", ""


def _functions(cells) -> list[str]:
    """The public functions and classes defined by the nearest answer cell in ``cells``."""
    for cell in reversed(cells):
        if _meta(cell).get("solution") and cell.get("cell_type") == "code":
            return [n for n in dict.fromkeys(_DEF.findall(_source(cell))) if not n.startswith("_")]
    return []


def _title(rest: str) -> str:
    """A heading's title: "(2 points, graded by hand): what clipping can and cannot fix" ->
    "what clipping can and cannot fix" (no points, no code marks, no "graded by hand")."""
    text = _LEADING_PARENS.sub("", rest).lstrip(" :·-—–").replace("`", "").strip()
    text = _BY_HAND.sub("", text).rstrip(" .:")
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1].rstrip() + "…"


def describe(notebook) -> list[QuestionName]:
    """One ``QuestionName`` per graded cell of ``notebook`` (a dict or an nbformat node), in
    notebook order; a grade id seen twice is named once."""
    cells = list(notebook.get("cells", []))
    out: list[QuestionName] = []
    seen: set[str] = set()
    start = 0
    for index, cell in enumerate(cells):
        if not is_graded(cell):
            continue
        gid = _meta(cell)["grade_id"]
        window = cells[start:index]
        start = index + 1
        if gid in seen:
            continue
        seen.add(gid)
        kind, number, rest, line = _heading(window)
        functions = _functions([cell] if _meta(cell).get("solution") else window)   # an answer names itself
        subject = " / ".join(functions) if functions else (_title(rest) if kind else "")
        out.append(QuestionName(gid, len(out) + 1, float(_meta(cell).get("points", 0) or 0), _by_hand(cell),
                                kind, number, line, subject))
    return out


def question_names(notebook) -> dict[str, str]:
    """grade_id -> the name people read, for every graded cell of ``notebook``."""
    return {q.grade_id: str(q) for q in describe(notebook)}
