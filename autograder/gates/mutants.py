"""Step: the mutation bank.  Every plausible wrong answer must lose points.

`mutants/<assignment_id>.py` defines ``MUTANTS``: a list of dicts with
``name``, ``grade_id`` (the *solution* cell it replaces), ``why`` (the student mistake) and
``source`` (the full wrong source of that cell).  Each mutant is substituted into the
master and graded on the one grading path that grades students (``gates.grading`` ->
``grader.grade.grade_batch``: nbgrader, the sandboxed kernel, the guards).

Two ways to grade, chosen per exercise and both exact:

* **batch** (fast): one notebook per assignment holds the master's set-up cells, every
  correct solution, then for each mutant: a cell that deletes what the solution defines,
  the mutant, a copy of the exercise's grade cell, and the correct solution again.  One
  kernel grades every mutant of the assignment.  An exercise is graded this way only when
  its *unmutated* copy scores full points in that same notebook (the baseline), i.e. when
  its tests need nothing but the set-up cells and the solutions.
* **prefix** (slow): for exercises whose tests need earlier given cells (a trained
  model, say), the master up to and including the exercise's grade cell, with the mutant
  in place.  ``--quick`` (used by `make test`) skips these and says so.

The report gives the points each mutant loses, the kill rate per notebook and overall,
and names the exercises whose tests need strengthening.  Exit status 1 when any mutant
survives or an exercise has fewer than 3 mutants.

The same runner grades the **alternatives bank** (`alternatives/<assignment_id>.py`,
``ALTERNATIVES``, same fields): correct answers written differently, each of which must keep
*every* point of its exercise (``expect="keep"``; see ``autograder.gates.alternatives``).
"""
from __future__ import annotations

import ast
import contextlib
import runpy
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .. import course
from ..grader.cells import grade_id, nbgrader
from ..regions import MARKERS

MIN_MUTANTS = 3
# the two banks: folder, the list's name in each file, what every entry must do
BANKS = {"mutants": ("MUTANTS", "lose"), "alternatives": ("ALTERNATIVES", "keep")}
MARKER_LINES = {m for pair in MARKERS.values() for m in pair if "SOLUTION" in m}


@dataclass
class Mutant:
    assignment: str
    name: str
    grade_id: str
    why: str
    source: str
    slow: bool = False          # its tests train a real model: left to `make mutants`


@dataclass
class Outcome:
    mutant: Mutant
    mode: str                    # "batch" or "prefix"
    score: float | None = None   # points the mutant scored on its exercise's grade cell(s)
    max_score: float = 0.0
    note: str = ""

    @property
    def lost(self) -> float:
        return self.max_score - (self.score or 0.0)

    @property
    def killed(self) -> bool:
        return self.score is not None and self.score < self.max_score

    @property
    def kept(self) -> bool:
        return self.score is not None and self.max_score > 0 and self.score == self.max_score


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    bank: str = "mutants"

    @property
    def expect(self) -> str:
        return BANKS[self.bank][1]

    def good(self, o: Outcome) -> bool:
        return o.killed if self.expect == "lose" else o.kept

    def text(self) -> str:
        """One line per entry, the rate per notebook and overall, then what needs a fix."""
        keep = self.expect == "keep"

        def verdict(o: Outcome) -> str:
            if keep:
                score = "-" if o.score is None else f"{o.score:g}"
                return f"{score}/{o.max_score:g}  {'kept' if o.kept else 'LOST POINTS'}"
            return f"{o.lost:g}/{o.max_score:g}  {'killed' if o.killed else 'SURVIVED'}"

        def rate(label: str, outs: list[Outcome]) -> str:
            k = sum(self.good(o) for o in outs)
            if keep:
                return f"full marks {label}: {k}/{len(outs)}"
            return f"kill rate {label}: {k}/{len(outs)} = {100 * k / max(len(outs), 1):.0f} %"

        lines = [f"{'assignment':<24}{'exercise':<24}{'alternative' if keep else 'mutant':<34}{'mode':<8}"
                 f"{'scored' if keep else 'lost'}"]
        for o in self.outcomes:
            m = o.mutant
            lines.append(f"{m.assignment:<24}{m.grade_id:<24}{m.name[:33]:<34}{o.mode:<8}"
                         f"{verdict(o)}{'  ' + o.note if o.note else ''}")
        by_nb: dict[str, list[Outcome]] = {}
        for o in self.outcomes:
            by_nb.setdefault(o.mutant.assignment, []).append(o)
        lines.append("")
        lines += [rate(aid, outs) for aid, outs in by_nb.items()]
        lines.append(rate("overall", self.outcomes))
        for o in self.outcomes:
            if self.good(o):
                continue
            m = o.mutant
            lines.append(f"TOO STRICT: the tests of {m.assignment}:{m.grade_id} take points from the correct "
                         f"alternative {m.name!r} ({m.why})" if keep else
                         f"STRENGTHEN the tests of {m.assignment}:{m.grade_id}: mutant {m.name!r} ({m.why}) loses nothing")
        lines += [f"SKIPPED {s}" for s in self.skipped]
        lines += [f"PROBLEM {p}" for p in self.problems]
        return "\n".join(lines)

    @property
    def ok(self) -> bool:
        return not self.problems and all(self.good(o) for o in self.outcomes)


def bank_dir(bank: str) -> Path:
    return course.ROOT / bank


def load_bank(aid: str, bank: str = "mutants") -> list[Mutant]:
    path = bank_dir(bank) / f"{aid}.py"
    if not path.exists():
        return []
    spec = runpy.run_path(str(path))
    return [Mutant(aid, m["name"], m["grade_id"], m.get("why", ""), m["source"], bool(m.get("slow")))
            for m in spec[BANKS[bank][0]]]


def load_mutants(aid: str) -> list[Mutant]:
    return load_bank(aid, "mutants")


def _strip_markers(source: str) -> str:
    return "\n".join(l for l in source.splitlines() if l.strip() not in MARKER_LINES)


def _defined_names(source: str) -> list[str]:
    names: list[str] = []
    for node in ast.parse(_strip_markers(source)).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return names


def exercises(nb) -> dict[str, tuple[int, int]]:
    """solution grade_id -> (index of the solution cell, index of its grade cell)."""
    from nbgrader.utils import is_grade, is_solution

    out = {}
    for i, cell in enumerate(nb.cells):
        if is_solution(cell) and not is_grade(cell):
            # its tests: the next autograded test cell (not a manually graded answer)
            j = next((k for k in range(i + 1, len(nb.cells))
                      if is_grade(nb.cells[k]) and not is_solution(nb.cells[k])), None)
            if j is not None:
                out[grade_id(cell)] = (i, j)
    return out


def _plain(source: str):
    return nbformat.v4.new_code_cell(_strip_markers(source))


def _grade_copy(cell, grade_id: str):
    new = nbformat.v4.new_code_cell(cell.source)
    meta = dict(nbgrader(cell))
    meta.update(grade_id=grade_id, locked=True, grade=True, solution=False)
    meta.pop("checksum", None)
    new.metadata["nbgrader"] = meta
    return new


def _notebook(cells, like):
    nb = nbformat.v4.new_notebook(cells=cells, metadata=like.metadata)
    for i, c in enumerate(nb.cells):
        c["id"] = f"m{i}"
    return nb


def batch_notebook(master, mutants: list[Mutant], include_slow: bool = True):
    """The one-kernel notebook for all mutants of an assignment (see the module doc)."""
    ex = exercises(master)
    first = min((i for i, _ in ex.values()), default=len(master.cells))
    cells = [_plain(c.source) for c in master.cells[:first] if c.cell_type == "code"]
    cells += [_plain(master.cells[i].source) for i, _ in ex.values()]
    for gid, (i, j) in ex.items():
        correct = master.cells[i].source
        forget = "for _name in %r:\n    globals().pop(_name, None)" % (_defined_names(correct),)
        ours = [(k, m) for k, m in enumerate(mutants) if m.grade_id == gid]
        if not include_slow and any(m.slow for _, m in ours):
            continue                      # a trained-model exercise: not even its baseline runs
        variants = [("base", correct)] + [(f"m{k}", m.source) for k, m in ours]
        for tag, source in variants:
            cells += [nbformat.v4.new_code_cell(forget), _plain(source),
                      _grade_copy(master.cells[j], f"{gid}__{tag}"), _plain(correct)]
    return _notebook(cells, master)


def prefix_notebook(master, mutant: Mutant | None, gid: str):
    from nbgrader.utils import is_grade

    i, j = exercises(master)[gid]
    cells = []
    for k, cell in enumerate(master.cells[: j + 1]):
        if cell.cell_type != "code":
            continue
        if k == i and mutant is not None:
            cells.append(_plain(mutant.source))
        elif is_grade(cell) and k != j:
            continue                                  # other exercises' tests: not needed
        elif k == j:
            cells.append(_grade_copy(cell, f"{gid}__prefix"))
        else:
            cells.append(_plain(cell.source))
    return _notebook(cells, master)


def grade_synthetic(notebooks: dict[str, tuple[object, str]], jobs: int = 2) -> dict[str, dict[str, tuple[float, float]]]:
    """Grade synthetic masters on the one grading path (``autograder.gates.grading``), in one batch.

    ``notebooks``: tag -> (notebook, the course assignment it comes from, whose limits apply).
    Each synthetic master is its own assignment and is handed in as its own submission.  A
    bank notebook holds many copies of a grade cell, so its whole-notebook limit is the
    assignment's times the ratio of code cells; the per-cell limit is the assignment's.
    Returns tag -> {grade_id: (score, max)}."""
    from .grading import grade_notebooks, scores

    with tempfile.TemporaryDirectory(prefix="bank-") as tmp:
        src = Path(tmp) / "src"
        items, notebook_limit = {}, {}
        for tag, (nb, aid) in notebooks.items():
            path = src / tag / f"{tag}.ipynb"
            path.parent.mkdir(parents=True)
            nbformat.write(nb, path)
            items[tag] = (path, tag)
            lim = course.limits(aid)
            n_master = _code_cells(course.notebook_path(course.SOURCE, aid)) if aid in course.ASSIGNMENTS else 0
            factor = max(1.0, _code_cells(path) / max(n_master, 1))
            notebook_limit[tag] = int(lim.notebook_seconds * factor)
        results = grade_notebooks(items, source_root=src, jobs=jobs, notebook_timeout=notebook_limit,
                                  limits_from={tag: aid for tag, (_, aid) in notebooks.items()})
    out = {}
    for tag, r in results.items():
        # a cell over its time limit (a mutant's infinite loop) scores 0 and the rest runs on;
        # anything that stops the notebook would score later entries 0 for the wrong reason
        stopped = any(q.outcome == "not_run" for q in r.questions)
        if r.status not in ("graded", "needs_manual_grade", "timeout") or stopped:
            raise RuntimeError(f"{tag}: {r.status}: {' '.join(r.messages)} {' '.join(r.review)[-2000:]}")
        out[tag] = scores(r)
    return out


def _code_cells(path) -> int:
    return sum(c.cell_type == "code" for c in nbformat.read(path, as_version=4).cells)


def _grade_synthetic(nb, tag: str, aid: str | None = None) -> dict[str, tuple[float, float]]:
    """One synthetic master (see ``grade_synthetic``)."""
    return grade_synthetic({tag: (nb, aid or tag)}, jobs=1)[tag]


def mutation_test(assignments=None, jobs: int = 2, quick: bool = False, bank: str = "mutants") -> Report:
    """Grade the bank (see the module doc).  Where the IMDB lab is in the run and the full data
    is absent, it is graded on the same SYNTHETIC file as `make validate` uses."""
    from .validate import imdb_for

    assignments = list(assignments or course.ASSIGNMENTS)
    imdb = [a for a in assignments if a in course.IMDB_ASSIGNMENTS]
    with imdb_for(imdb[0]) if imdb else contextlib.nullcontext():
        return _mutation_test(assignments, jobs, quick, bank)


def _mutation_test(assignments, jobs: int, quick: bool, bank: str = "mutants") -> Report:
    report = Report(bank=bank)
    what = bank[:-1] if bank.endswith("s") else bank
    banks = {aid: load_bank(aid, bank) for aid in assignments}
    masters = {aid: nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4) for aid in assignments}
    for aid, master in masters.items():
        for gid in exercises(master):
            n = sum(m.grade_id == gid for m in banks[aid])
            if n < MIN_MUTANTS:
                report.problems.append(f"{aid}:{gid} has {n} {what}(s); keep at least {MIN_MUTANTS}")
        for m in banks[aid]:
            if m.grade_id not in exercises(master):
                report.problems.append(f"{aid}: {what} {m.name!r} names unknown solution cell {m.grade_id!r}")

    # 1. batch mode: one notebook per assignment, every entry whose tests stand alone
    tags = {aid: f"{bank[:3]}_{aid}" for aid in assignments if banks[aid]}
    try:
        graded = grade_synthetic({tags[aid]: (batch_notebook(masters[aid], banks[aid], not quick), aid)
                                  for aid in tags}, jobs)
    except Exception as exc:  # the grader itself failed: say so, do not hide it
        report.problems.append(f"batch grading failed: {exc}")
        graded = {}
    batch = {aid: graded[tag] for aid, tag in tags.items() if tag in graded}

    # 2. prefix mode: the master up to the exercise, for exercises whose tests need given cells
    prefix_jobs = []
    for aid in assignments:
        if aid not in batch:
            continue
        for k, m in enumerate(banks[aid]):
            base = batch[aid].get(f"{m.grade_id}__base")
            if quick and m.slow:
                report.skipped.append(f"{aid}:{m.grade_id} {m.name!r}: trains a model (slow); run make {bank}")
            elif base and base[0] == base[1]:
                score, mx = batch[aid][f"{m.grade_id}__m{k}"]
                report.outcomes.append(Outcome(m, "batch", score, mx))
            elif quick:
                report.skipped.append(f"{aid}:{m.grade_id} {m.name!r}: its tests need earlier given cells "
                                      f"(prefix mode); run make {bank}")
            else:
                prefix_jobs.append((aid, m.grade_id, k))
    if prefix_jobs:
        notebooks = {}
        for aid, gid in sorted({(a, g) for a, g, _ in prefix_jobs}):
            notebooks[f"pre_{bank[:3]}_{aid}_{gid}_base"] = (prefix_notebook(masters[aid], None, gid), aid)
        for aid, gid, k in prefix_jobs:
            notebooks[f"pre_{bank[:3]}_{aid}_{gid}_{k}"] = (prefix_notebook(masters[aid], banks[aid][k], gid), aid)
        try:
            graded = grade_synthetic(notebooks, jobs)
        except Exception as exc:
            report.problems.append(f"prefix grading failed: {exc}")
            graded = {}
        for aid, gid, k in sorted(prefix_jobs):
            base = graded.get(f"pre_{bank[:3]}_{aid}_{gid}_base", {}).get(f"{gid}__prefix")
            got = graded.get(f"pre_{bank[:3]}_{aid}_{gid}_{k}", {}).get(f"{gid}__prefix")
            out = Outcome(banks[aid][k], "prefix", *(got if got else (None, 0.0)))
            if not base or base[0] != base[1]:
                out.score, out.note = None, "the unmutated prefix does not score full points"
                problem = f"{aid}:{gid}: unmutated prefix is not full marks"
                if problem not in report.problems:
                    report.problems.append(problem)
            report.outcomes.append(out)
    order = {aid: i for i, aid in enumerate(course.ALL_ASSIGNMENTS)}
    report.outcomes.sort(key=lambda o: (order.get(o.mutant.assignment, 99), o.mutant.grade_id, o.mutant.name))
    return report


def add_arguments(parser) -> None:
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="batch mode only (what make test runs)")


def run_bank(args, bank: str) -> int:
    report = mutation_test(args.assignments or None, jobs=args.jobs, quick=args.quick, bank=bank)
    print(report.text())
    return 0 if report.ok else 1


def run(args) -> int:
    return run_bank(args, "mutants")
