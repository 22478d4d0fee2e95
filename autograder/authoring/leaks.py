"""Step: the leak checks.

Two checks, both run by `make release` (and `python -m autograder leaks`):

* **Secrets** (every bundle, and notebooks/): no line of a solution or hidden-test region,
  no region marker, no cell output, and, in a bundle, no instructor-only file.
* **Answers** (each per-assignment bundle): a bundle released for assignment k must not
  answer an exercise of k or of a later assignment (course order, course.ALL_ASSIGNMENTS)
  anywhere outside the stub cells of its notebook.  Two rules:

  (a) *name*: a ``def`` of the exercise's function name, or an assignment to it, at any depth;
  (b) *code*: the exercise's solution code up to renaming (see ``statements`` and the
      thresholds below).

  The secrets check cannot see (a) or (b): it treats a line as public as soon as any master
  shows it outside a region, and it compares lines literally.  That is why notebook 03's
  ``lstm_param_count`` (02's Exercise 3) and notebook 06's LSTM step written out by hand
  (02's Exercise 1) pass it; the answers check finds both when it is run on the notebooks in
  the wrong order (``earlier_answers``).  With one bundle per assignment they are harmless:
  03 and 06 reach students after 02 is due.
"""
from __future__ import annotations

import ast
import io
import json
import keyword
import re
import tokenize
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .. import course
from ..grader.cells import grade_id, nbgrader
from ..regions import ANY_MARKER, normalise, region_lines, secrets_of, split_regions

# ".git" is a folder in a clone but a file in a git worktree: it is a folder prefix either way
# (as a file prefix it would flag a student template's own .gitignore).
INSTRUCTOR_ONLY = tuple(p if (course.ROOT / p).is_file() and p != ".git" else p + "/" for p in course.INSTRUCTOR_ONLY)


@dataclass(frozen=True)
class Leak:
    where: str
    what: str
    rule: str = ""          # answers check: "name" (rule a) or "code" (rule b)
    exercise: str = ""      # answers check: "<assignment> <function>"

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


# =========================================================================== secrets
def course_secrets(assignments=None) -> dict[str, str]:
    """secret line -> the master it comes from, over the whole course."""
    out: dict[str, str] = {}
    masters = [course.notebook_path(course.SOURCE, aid) for aid in assignments or course.ASSIGNMENTS]
    # A line shown to students in any notebook is public course-wide ("model = keras.Sequential([").
    public = set().union(*(region_lines(m)[0] for m in masters)) if masters else set()
    for aid, master in zip(assignments or course.ASSIGNMENTS, masters):
        s = secrets_of(master, public)
        for line in s.solution:
            out[line] = f"solution line of {aid}"
        for line in s.hidden:
            out[line] = f"hidden-test line of {aid}"
    return out


def scan_text(where: str, text: str, secrets: dict[str, str], min_run: int = 1) -> list[Leak]:
    """Secret lines and region markers in ``text``.

    ``min_run=1`` flags every secret line (a student notebook must hold none).  Other files
    (the helper package, READMEs) are ordinary code that may share a generic line with a
    solution ("X = np.asarray(X)"), so there ``min_run=2`` flags only runs of two or more
    consecutive secret lines, the shape of a pasted solution.
    """
    leaks = []
    run: list[tuple[int, str]] = []

    def flush():
        if len(run) >= min_run:
            leaks.extend(Leak(f"{where}:{n}", f"{secrets[l]}: {l[:80]!r}") for n, l in run)
        run.clear()

    for lineno, line in enumerate(text.splitlines(), 1):
        norm = normalise(line)
        if not norm:
            continue
        if norm in secrets:
            run.append((lineno, norm))
            continue
        flush()
        if ANY_MARKER.search(line):
            leaks.append(Leak(f"{where}:{lineno}", f"region marker {norm[:60]!r}"))
    flush()
    return leaks


def scan_notebook(where: str, raw: str, secrets: dict[str, str]) -> list[Leak]:
    try:
        nb = json.loads(raw)
    except json.JSONDecodeError as exc:
        return [Leak(where, f"not a readable notebook ({exc})")]
    leaks = []
    for index, cell in enumerate(nb.get("cells", [])):
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        leaks += scan_text(f"{where} cell {index}", src, secrets)
        if cell.get("outputs"):
            leaks.append(Leak(f"{where} cell {index}", "carries outputs"))
        if cell.get("execution_count") is not None:
            leaks.append(Leak(f"{where} cell {index}", "carries an execution count"))
    return leaks


def scan_file(where: str, data: bytes, secrets: dict[str, str]) -> list[Leak]:
    if where.endswith(".ipynb"):
        return scan_notebook(where, data.decode("utf-8", "replace"), secrets)
    if where.endswith((".py", ".md", ".txt", ".yml", ".yaml", ".toml", ".json", ".cfg")):
        return scan_text(where, data.decode("utf-8", "replace"), secrets, min_run=2)
    return []


def check_release(release_dir: Path = course.RELEASE, secrets=None) -> list[Leak]:
    secrets = course_secrets() if secrets is None else secrets
    leaks = []
    for path in sorted(Path(release_dir).rglob("*")):
        if path.is_file():
            leaks += scan_file(str(path.relative_to(release_dir.parent)), path.read_bytes(), secrets)
    return leaks


def _inner(name: str) -> str:
    """A bundle entry's path below the bundle's top folder."""
    return name.split("/", 1)[1] if "/" in name else name


def check_bundle(bundle: Path = course.BUNDLE, secrets=None) -> list[Leak]:
    """The secrets check on one bundle (any bundle: self-study or per assignment)."""
    secrets = course_secrets() if secrets is None else secrets
    leaks = []
    with zipfile.ZipFile(bundle) as zf:
        for name in zf.namelist():
            if _inner(name).startswith(INSTRUCTOR_ONLY):
                leaks.append(Leak(f"{bundle.name}:{name}", "instructor-only file in the student bundle"))
            leaks += scan_file(f"{bundle.name}:{name}", zf.read(name), secrets)
    return leaks


# =========================================================================== answers
# Solution code "up to renaming" is compared as sequences of normalised statements.
#
# Normalising one logical statement (``statements``): every identifier (names, attributes,
# soft keywords) becomes ID; keywords, operators and brackets stay; numbers stay, in canonical
# form (1. and 1.0 agree); every string becomes STR; comments, blank lines and indentation
# go.  Then three rewrites that change nothing a renaming could not: a one-line compound
# statement is split after its header (``if a: b`` is ``if a:`` then ``b``), a parallel
# assignment of n names is n assignments (``a, b = x, y`` is ``a = x`` then ``b = y``), and
# a slice from 0 drops the 0 (``z[:, 0:n]`` is ``z[:, :n]``).
#
# "Long enough", measured on the course (every exercise against every released notebook and
# the helper package, in every order):
#
# * a statement of fewer than MIN_STATEMENT_TOKENS tokens is trivial and is skipped on both
#   sides, so that it neither makes nor breaks a match: ``return x`` (2 tokens),
#   ``return h, c`` (4), ``out = []`` (4), ``for t in steps:`` (5), ``n = int(n)`` (5);
# * a match is a run of at least MIN_RUN_STATEMENTS consecutive non-trivial solution
#   statements found consecutively in the scanned code, adding up to at least MIN_RUN_TOKENS
#   tokens.  Unrelated code in the course matches at most one 21-token statement (a
#   ``model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")``) or
#   a two-statement, 19-token run (``c = f * c + i * g`` then ``h = o * np.tanh(c)``, the
#   equations 02 itself works through by hand), while notebook 06's LSTM written out by hand
#   matches 02's Exercise 1 with a 46-token run (the three gate slices).  30 sits between,
#   with a margin both ways.  A solution shorter than that (a one-line formula such as
#   ``return 4 * (d * u + u * u + u)``) is too generic to find this way: rule (a), its name,
#   is what catches it.
MIN_STATEMENT_TOKENS = 6
MIN_RUN_STATEMENTS = 2
MIN_RUN_TOKENS = 30

_SKIP_TOKENS = {tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING,
                tokenize.ENDMARKER}
_OPEN, _CLOSE = "([{", ")]}"
_COMPOUND = {"if", "elif", "else", "for", "while", "with", "def", "class", "try", "except", "finally", "async"}


@dataclass(frozen=True)
class Statement:
    line: int                  # line of its first token, 1-based, in the source it came from
    tokens: tuple[str, ...]

    def __str__(self) -> str:
        return " ".join(self.tokens)


def _lex(source: str) -> list[tokenize.TokenInfo]:
    # Indentation carries nothing here (INDENT/DEDENT are dropped) and only breaks the
    # tokenizer on fragments (a solution region cut out of a function), so it goes first.
    text = "\n".join(line.lstrip() for line in source.splitlines()) + "\n"
    try:
        return list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        # An unterminated bracket or string: line by line, keeping the lines that lex.
        tokens = []
        for lineno, line in enumerate(text.splitlines(), 1):
            try:
                tokens += [t._replace(start=(lineno, t.start[1]))
                           for t in tokenize.generate_tokens(io.StringIO(line + "\n").readline)]
            except (tokenize.TokenError, SyntaxError):
                pass
        return tokens


def _canonical(tok: tokenize.TokenInfo) -> str | None:
    if tok.type == tokenize.NAME:
        return tok.string if keyword.iskeyword(tok.string) else "ID"
    if tok.type == tokenize.NUMBER:
        try:
            return repr(ast.literal_eval(tok.string))
        except (ValueError, SyntaxError):
            return tok.string
    if tok.type == tokenize.STRING:
        return "STR"
    if tok.type == tokenize.ERRORTOKEN and not tok.string.strip():
        return None
    return tok.string


def _split_top(tokens: list[str], sep: str) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    depth = 0
    for t in tokens:
        if t in _OPEN:
            depth += 1
        elif t in _CLOSE:
            depth -= 1
        if depth == 0 and t == sep:
            parts.append([])
        else:
            parts[-1].append(t)
    return parts


def _rewrite(tokens: list[str]) -> list[list[str]]:
    """The three rewrites of a normalised statement (see above)."""
    if tokens and tokens[0] in _COMPOUND:
        head = _split_top(tokens, ":")
        if len(head) > 1 and any(head[1:]):
            body = tokens[len(head[0]) + 1:]
            return [head[0] + [":"]] + _rewrite(body)
        return [tokens]
    sides = _split_top(tokens, "=")
    if len(sides) == 2 and tokens and not keyword.iskeyword(tokens[0]):
        lhs, rhs = _split_top(sides[0], ","), _split_top(sides[1], ",")
        if len(lhs) >= 2 and len(lhs) == len(rhs) and all(lhs) and all(rhs):
            return [l + ["="] + r for l, r in zip(lhs, rhs)]
    return [tokens]


def statements(source: str) -> list[Statement]:
    """The normalised statements of Python ``source``, in order (see above)."""
    out: list[Statement] = []
    current: list[str] = []
    start = 0
    brackets: list[str] = []

    def flush():
        if current:
            out.extend(Statement(start, tuple(s)) for s in _rewrite(current) if s)
        current.clear()
        brackets.clear()

    for tok in _lex(source):
        if tok.type in _SKIP_TOKENS:
            continue
        if tok.type == tokenize.NEWLINE or (tok.string == ";" and not brackets):
            flush()
            continue
        t = _canonical(tok)
        if t is None:
            continue
        if not current:
            start = tok.start[0]
        if t == "STR" and current and current[-1] == "STR":
            continue                                   # "a" "b" is one string
        if t in _OPEN:
            brackets.append(t)
        elif t in _CLOSE and brackets:
            brackets.pop()
        if (t == ":" and brackets and brackets[-1] == "[" and len(current) >= 2
                and current[-1] == "0" and current[-2] in ("[", ",")):
            current.pop()                              # z[:, 0:n] is z[:, :n]
        current.append(t)
    flush()
    return out


def _non_trivial(stmts) -> list[Statement]:
    return [s for s in stmts if len(s.tokens) >= MIN_STATEMENT_TOKENS]


@dataclass(frozen=True)
class Exercise:
    assignment: str
    grade_id: str
    names: tuple[str, ...]               # the functions its solution cell defines (top-level def)
    solution: tuple[Statement, ...]      # normalised, between BEGIN and END SOLUTION

    def __str__(self) -> str:
        return f"{self.assignment} {'/'.join(self.names) or self.grade_id}"

    @property
    def findable(self) -> bool:
        """Whether rule (b) can find this solution at all (it is long enough)."""
        body = _non_trivial(self.solution)
        return len(body) >= MIN_RUN_STATEMENTS and sum(len(s.tokens) for s in body) >= MIN_RUN_TOKENS


def _top_level_defs(source: str) -> tuple[str, ...]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return tuple(re.findall(r"^(?:async\s+)?def\s+(\w+)", source, re.M))
    return tuple(n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))


def exercises_of(master: Path, assignment: str) -> list[Exercise]:
    """Every exercise of a master: each code cell nbgrader marks as a solution."""
    from nbgrader.utils import is_solution

    nb = nbformat.read(master, as_version=4)
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not is_solution(cell):
            continue
        solution = "\n".join(split_regions(cell.source)[1]["solution"])
        out.append(Exercise(assignment, grade_id(cell) or "?", _top_level_defs(cell.source),
                            tuple(statements(solution))))
    return out


def course_exercises(assignments=None) -> dict[str, list[Exercise]]:
    """assignment -> its exercises, in course order."""
    return {aid: exercises_of(course.notebook_path(course.SOURCE, aid), aid)
            for aid in assignments or course.ASSIGNMENTS}


def exercises_due(assignment: str, exercises: dict[str, list[Exercise]] | None = None,
                  order=course.ALL_ASSIGNMENTS) -> list[Exercise]:
    """The exercises a bundle of ``assignment`` must not answer: its own and every later one's."""
    exercises = course_exercises() if exercises is None else exercises
    k = order.index(assignment)
    return [ex for aid in order[k:] for ex in exercises.get(aid, [])]


def exercises_before(assignment: str, exercises: dict[str, list[Exercise]] | None = None,
                     order=course.ALL_ASSIGNMENTS) -> list[Exercise]:
    exercises = course_exercises() if exercises is None else exercises
    k = order.index(assignment)
    return [ex for aid in order[:k] for ex in exercises.get(aid, [])]


# --------------------------------------------------------------------------- rule (a)
_MAGIC = re.compile(r"^(\s*)(?:[%!].*|.*\?\s*)$")


def defined_names(source: str) -> list[tuple[str, int, str]]:
    """(name, line, how) for every name the code defines or assigns, at any depth: ``def``
    (also ``async def``), ``name = ...`` (also in a tuple), ``x: T = ...``, ``+=`` and
    friends, ``:=``.  Not attributes (``self.dataset = ...``), loop variables or imports."""
    tree = None
    for text in (source, "\n".join(_MAGIC.sub(r"\1pass", l) for l in source.splitlines())):
        try:
            tree = ast.parse(text)
            break
        except SyntaxError:
            continue
    if tree is None:                                  # not Python: the plain shapes, by line
        out = []
        for n, line in enumerate(source.splitlines(), 1):
            if m := re.match(r"\s*(?:async\s+)?def\s+(\w+)", line):
                out.append((m.group(1), n, "def"))
            elif m := re.match(r"\s*(\w+)\s*(?::[^=]*)?[-+*/@%&|^]?=(?!=)", line):
                out.append((m.group(1), n, "assignment"))
        return out

    out = []

    def targets(node, line):
        if isinstance(node, ast.Name):
            out.append((node.id, line, "assignment"))
        elif isinstance(node, (ast.Tuple, ast.List)):
            for elt in node.elts:
                targets(elt, line)
        elif isinstance(node, ast.Starred):
            targets(node.value, line)

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.append((node.name, node.lineno, "def"))
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                targets(t, node.lineno)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets(node.target, node.lineno)
    return sorted(out, key=lambda x: x[1])


# --------------------------------------------------------------------------- rule (b)
@dataclass(frozen=True)
class Match:
    """A run of an exercise's solution statements found in some code."""
    exercise: Exercise
    code: tuple[Statement, ...]          # the matching statements of the scanned code
    solution: tuple[Statement, ...]      # the statements of the solution they match

    @property
    def tokens(self) -> int:
        return sum(len(s.tokens) for s in self.code)

    @property
    def long_enough(self) -> bool:
        return len(self.code) >= MIN_RUN_STATEMENTS and self.tokens >= MIN_RUN_TOKENS


def matches(exercise: Exercise, code: list[Statement]) -> list[Match]:
    """Every maximal run of consecutive non-trivial solution statements that appears
    consecutively (trivial statements skipped) in ``code``, longest first; also the ones
    too short to count (``Match.long_enough`` says which count)."""
    sol, body = _non_trivial(exercise.solution), _non_trivial(code)
    where: dict[tuple[str, ...], list[int]] = {}
    for i, s in enumerate(sol):
        where.setdefault(s.tokens, []).append(i)
    found = []
    for j, c in enumerate(body):
        for i in where.get(c.tokens, ()):
            if i and j and sol[i - 1].tokens == body[j - 1].tokens:
                continue                              # not the start of a maximal run
            n = 0
            while i + n < len(sol) and j + n < len(body) and sol[i + n].tokens == body[j + n].tokens:
                n += 1
            found.append(Match(exercise, tuple(body[j:j + n]), tuple(sol[i:i + n])))
    return sorted(found, key=lambda m: (-m.tokens, m.code[0].line))


# --------------------------------------------------------------------------- scanning
def scan_code(where: str, source: str, exercises: list[Exercise], line_offset: int = 0) -> list[Leak]:
    """Rules (a) and (b) on one piece of code: a .py file, a notebook cell, a code block.
    ``where`` names it; a line number is appended."""
    by_name: dict[str, list[Exercise]] = {}
    for ex in exercises:
        for name in ex.names:
            by_name.setdefault(name, []).append(ex)
    leaks = []
    for name, line, how in defined_names(source):
        for ex in by_name.get(name, ()):
            leaks.append(Leak(f"{where} line {line + line_offset}",
                              f"answer to {ex} (exercise {ex.grade_id}): {how} of `{name}` "
                              f"[rule a: the exercise's function name]", "name", str(ex)))
    code = statements(source)
    for ex in exercises:
        for m in matches(ex, code):
            if not m.long_enough:
                continue
            first, last = m.code[0].line + line_offset, m.code[-1].line + line_offset
            lines = f"line {first}" if first == last else f"lines {first}-{last}"
            leaks.append(Leak(f"{where} {lines}",
                              f"answer to {ex} (exercise {ex.grade_id}): {len(m.code)} statements "
                              f"({m.tokens} tokens) of its solution code, up to renaming "
                              f"[rule b: the solution code]", "code", str(ex)))
    return leaks


FENCED_PYTHON = re.compile(r"^```(?:python|py|ipython3?)?[ \t]*\n(.*?)^```", re.M | re.S)


def scan_notebook_answers(where: str, raw: str, exercises: list[Exercise], skip_stubs: bool = True) -> list[Leak]:
    """Rules (a) and (b) on every code cell of a notebook (and every fenced Python block of
    its markdown cells), except its stub cells (nbgrader solution cells: in a released
    notebook they hold the stub)."""
    try:
        nb = json.loads(raw)
    except json.JSONDecodeError:
        return []                                     # the secrets check reports it
    leaks = []
    for index, cell in enumerate(nb.get("cells", [])):
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        if cell.get("cell_type") == "code":
            if skip_stubs and nbgrader(cell).get("solution"):
                continue
            leaks += scan_code(f"{where} cell {index}", src, exercises)
        elif cell.get("cell_type") == "markdown":
            for block in FENCED_PYTHON.finditer(src):
                offset = src.count("\n", 0, block.start(1))
                leaks += scan_code(f"{where} cell {index}", block.group(1), exercises, offset)
    return leaks


def check_answers(bundle: Path, assignment: str | None = None, exercises: list[Exercise] | None = None) -> list[Leak]:
    """The answers check on one per-assignment bundle: nothing in it, outside the stub cells
    of its released notebook, answers an exercise of ``assignment`` or of a later one (or
    the ``exercises`` given).  Scans .py files and notebooks."""
    if exercises is None:
        exercises = exercises_due(assignment)
    leaks = []
    with zipfile.ZipFile(bundle) as zf:
        for name in sorted(zf.namelist()):
            inner, where = _inner(name), f"{bundle.name}:{name}"
            if name.endswith(".py"):
                leaks += scan_code(where, zf.read(name).decode("utf-8", "replace"), exercises)
            elif name.endswith(".ipynb"):
                leaks += scan_notebook_answers(where, zf.read(name).decode("utf-8", "replace"), exercises,
                                               skip_stubs=inner.startswith("notebooks/"))
    return leaks


def check_assignment_bundle(bundle: Path, assignment: str, secrets=None, exercises=None) -> list[Leak]:
    """Both checks on the bundle of one assignment."""
    due = exercises_due(assignment, exercises)
    return check_bundle(bundle, secrets) + check_answers(bundle, exercises=due)


def earlier_answers(release_dir: Path = course.RELEASE, exercises=None) -> list[Leak]:
    """What each released notebook shows of the answers of *earlier* assignments (rules a
    and b): harmless when assignments are released one at a time, each after the previous
    one is due; the reason the all-in-one bundle is for self-study only."""
    exercises = course_exercises() if exercises is None else exercises
    leaks = []
    for aid in course.ASSIGNMENTS:
        path = course.notebook_path(Path(release_dir), aid)
        if path.exists():
            leaks += scan_notebook_answers(f"notebooks/{aid}/{path.name}", path.read_text(),
                                           exercises_before(aid, exercises))
    return leaks
