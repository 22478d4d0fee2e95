"""Step: find the secret parts of a master: solution regions and hidden-test regions."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

MARKERS = {                       # as the masters write them
    "solution": ("### BEGIN SOLUTION", "### END SOLUTION"),
    "hidden": ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
}


@functools.cache
def delimiters() -> dict[str, tuple[str, str]]:
    """What nbgrader itself looks for (``ClearSolutions`` and ``ClearHiddenTests``: a line that
    CONTAINS the delimiter opens or closes a region, wherever it stands in the line).  The
    course's nbgrader_config.py leaves them at nbgrader's defaults.  Read once, when first
    needed: importing this module does not import nbgrader."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    return {"solution": (ClearSolutions.begin_solution_delimeter.default_value,
                         ClearSolutions.end_solution_delimeter.default_value),
            "hidden": (ClearHiddenTests.begin_test_delimeter.default_value,
                       ClearHiddenTests.end_test_delimeter.default_value)}


ANY_MARKER = re.compile(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS)")
# Lines too generic to identify a solution ("return model", "else:", ")"): a line must have
# at least this many characters, once whitespace is folded, to count as a secret.
MIN_SECRET_CHARS = 12


def normalise(line: str) -> str:
    return " ".join(line.split())


@dataclass
class Secrets:
    """The lines of a master that students must never see."""
    solution: set[str]
    hidden: set[str]

    @property
    def all(self) -> set[str]:
        return self.solution | self.hidden


def scan(source: str):
    """The one reading of the region markers: for each line of ``source``, (1-based number,
    line, the kind of region it belongs to or None, whether it is a marker, an error or "").
    A marker line belongs to its region."""
    current: str | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        opened = [k for k, (b, _) in delimiters().items() if b in line]
        closed = [k for k, (_, e) in delimiters().items() if e in line]
        if opened:
            error = f"'{stripped}' inside an open {current} region" if current else ""
            current = opened[0]
            yield number, line, current, True, error
        elif closed:
            error = f"'{stripped}' without a matching BEGIN" if current != closed[0] else ""
            yield number, line, closed[0], True, error
            current = None
        else:
            yield number, line, current, False, ""
    if current:
        yield None, "", current, False, f"{current} region never closed"


def split_regions(source: str) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Lines outside any region, lines inside each kind of region, and marker errors."""
    outside: list[str] = []
    inside: dict[str, list[str]] = {k: [] for k in MARKERS}
    errors: list[str] = []
    for number, line, kind, marker, error in scan(source):
        if error:
            errors.append(error)
        if number is None or marker:
            continue
        (inside[kind] if kind else outside).append(line)
    return outside, inside, errors


def region_line_numbers(source: str, kind: str = "hidden") -> set[int]:
    """1-based numbers of the lines of ``source`` in ``kind`` regions, markers included."""
    return {number for number, _, k, _, _ in scan(source) if number is not None and k == kind}


def split_at_region(source: str, kind: str = "hidden") -> tuple[str, str] | None:
    """(the lines before the first ``kind`` region, the rest), or None without one.  The
    first part keeps the cell's line numbers."""
    lines = source.splitlines(keepends=True)
    for number, _, k, marker, _ in scan(source):
        if marker and k == kind and number is not None:
            return "".join(lines[:number - 1]), "".join(lines[number - 1:])
    return None


def region_lines(master: Path) -> tuple[set[str], dict[str, set[str]]]:
    """Normalised lines of a master outside any region, and inside each kind of region."""
    import nbformat

    nb = nbformat.read(master, as_version=4)
    public: set[str] = set()
    secret = {k: set() for k in MARKERS}
    for cell in nb.cells:
        outside, inside, _ = split_regions(cell.source)
        public.update(normalise(l) for l in outside)
        for kind, lines in inside.items():
            secret[kind].update(normalise(l) for l in lines)
    return public, secret


def secrets_of(master: Path, public: set[str] | None = None) -> Secrets:
    """Secret lines of a master, minus lines that legitimately reach students: those that
    also appear outside the regions (of this master, or of ``public``, e.g. the whole
    course), such as an import repeated in a visible cell."""
    own_public, secret = region_lines(master)
    public = own_public | (public or set())
    keep = lambda lines: {l for l in lines if len(l) >= MIN_SECRET_CHARS and l not in public and not l.startswith("#")}
    return Secrets(keep(secret["solution"]), keep(secret["hidden"]))
