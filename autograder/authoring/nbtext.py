"""Author nbgrader masters as plain text, and turn them back.

The masters in ``source/<assignment>/<assignment>.ipynb`` are the single source of
truth.  Editing JSON by hand is error-prone, so this tool converts a master to a
readable text form and back, losslessly for everything nbgrader cares about:

    python -m autograder nbtext dump  source/<id>/<id>.ipynb  > /tmp/lab.nbtxt
    # ... edit /tmp/lab.nbtxt ...
    python -m autograder nbtext build /tmp/lab.nbtxt -o source/<id>/<id>.ipynb

Text format: a cell starts with a header line ``#%% <kind> [key=value ...]``; its body
runs to the next header.  Kinds:

* ``md``                     a markdown cell (read-only for students when ``locked=1``)
* ``code``                   an ordinary code cell (given code; students may edit it)
* ``solution id=<grade_id>`` an autograded-answer cell (``### BEGIN SOLUTION`` inside)
* ``tests id=<grade_id> points=<n>``  a locked grade cell (visible checks, then hidden tests)
* ``answer id=<grade_id> points=<n>`` a markdown answer graded by hand (nbgrader's "manually
                             graded answer": the model answer between the solution markers)

Every cell written gets an ``id``; the output notebook carries no outputs.
"""
from __future__ import annotations

import re
import sys

import nbformat

from ..grader.cells import grade_id, nbgrader

HEADER = re.compile(r"^#%%\s+(md|code|solution|tests|answer)\b(.*)$")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _parse_attrs(text: str) -> dict[str, str]:
    attrs = {}
    for token in text.split():
        if "=" not in token:
            raise ValueError(f"cell attribute {token!r} is not key=value")
        key, value = token.split("=", 1)
        attrs[key] = value
    return attrs


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:60] or "cell"


def text_to_notebook(text: str) -> nbformat.NotebookNode:
    """Parse the text form into an output-free nbformat v4 notebook."""
    cells: list[tuple[str, dict[str, str], list[str]]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        match = HEADER.match(line)
        if match:
            cells.append((match.group(1), _parse_attrs(match.group(2)), []))
        elif cells:
            cells[-1][2].append(line)
        elif line.strip():
            raise ValueError(f"line {lineno}: text before the first '#%%' cell header")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    used_ids: set[str] = set()
    for index, (kind, attrs, body_lines) in enumerate(cells):
        body = "\n".join(body_lines).strip("\n")
        if kind in ("md", "answer"):
            cell = nbformat.v4.new_markdown_cell(body)
        else:
            cell = nbformat.v4.new_code_cell(body)
        nbg = None
        if kind == "md" and attrs.get("locked") == "1":
            nbg = {"grade": False, "solution": False, "locked": True, "task": False,
                   "grade_id": attrs.get("id", f"md-{index}")}
        elif kind == "solution":
            nbg = {"grade": False, "solution": True, "locked": False, "task": False,
                   "grade_id": attrs["id"]}
        elif kind in ("tests", "answer"):
            nbg = {"grade": True, "solution": kind == "answer", "locked": kind == "tests", "task": False,
                   "grade_id": attrs["id"], "points": float(attrs["points"])}
            if nbg["points"].is_integer():
                nbg["points"] = int(nbg["points"])
        if nbg is not None:
            nbg["schema_version"] = 3
            cell.metadata["nbgrader"] = nbg
        base = _slug(attrs.get("id", f"{kind}-{index}"))
        cell_id, n = base, 1
        while cell_id in used_ids:
            n += 1
            cell_id = f"{base}-{n}"
        used_ids.add(cell_id)
        cell["id"] = cell_id
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def notebook_to_text(nb: nbformat.NotebookNode) -> str:
    """Render a notebook in the text form (outputs are dropped)."""
    from nbgrader.utils import is_grade, is_locked, is_solution

    chunks = []
    for cell in nb.cells:
        gid, shown = grade_id(cell), nbgrader(cell).get("points", 0)     # the points as stored: 2, not 2.0
        if is_grade(cell) and is_solution(cell) and cell.cell_type == "markdown":
            head = f"#%% answer id={gid} points={shown}"
        elif is_grade(cell) and not is_solution(cell):
            head = f"#%% tests id={gid} points={shown}"
        elif is_solution(cell):
            head = f"#%% solution id={gid}"
        elif cell.cell_type == "markdown":
            head = "#%% md" + (f" locked=1 id={gid}" if is_locked(cell) else "")
        else:
            head = "#%% code"
        chunks.append(head + "\n" + cell.source.rstrip("\n") + "\n")
    return "\n".join(chunks)


def add_arguments(parser) -> None:
    """`python -m autograder nbtext build TEXT -o NB` / `nbtext dump NB`."""
    sub = parser.add_subparsers(dest="action", required=True)
    build = sub.add_parser("build", help="text -> ipynb")
    build.add_argument("text")
    build.add_argument("-o", "--output", required=True)
    dump = sub.add_parser("dump", help="ipynb -> text (stdout)")
    dump.add_argument("notebook")


def run(args) -> int:
    if args.action == "build":
        with open(args.text, encoding="utf-8") as fh:
            nb = text_to_notebook(fh.read())
        nbformat.write(nb, args.output)
    else:
        sys.stdout.write(notebook_to_text(nbformat.read(args.notebook, as_version=4)))
    return 0
