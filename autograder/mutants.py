"""Step: the mutation bank.  Every plausible wrong answer must lose points.

`mutants/<assignment_id>.py` defines ``MUTANTS``: a list of dicts with
``name``, ``grade_id`` (the *solution* cell it replaces), ``why`` (the student mistake) and
``source`` (the full wrong source of that cell).  Each mutant is substituted into the
master and graded with the real autograding path (nbgrader, a real kernel).

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
*every* point of its exercise (``expect="keep"``; see ``autograder.alternatives``).
"""
from __future__ import annotations

import ast
import concurrent.futures as cf
import contextlib
import multiprocessing
import runpy
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import course
from .regions import MARKERS

MUTANTS_DIR = course.ROOT / "mutants"
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
        if self.expect == "keep":
            return self._text_keep()
        lines = [f"{'assignment':<24}{'exercise':<24}{'mutant':<34}{'mode':<8}lost"]
        for o in self.outcomes:
            m = o.mutant
            verdict = "killed" if o.killed else "SURVIVED"
            lines.append(f"{m.assignment:<24}{m.grade_id:<24}{m.name[:33]:<34}{o.mode:<8}"
                         f"{o.lost:g}/{o.max_score:g}  {verdict}{'  ' + o.note if o.note else ''}")
        by_nb: dict[str, list[Outcome]] = {}
        for o in self.outcomes:
            by_nb.setdefault(o.mutant.assignment, []).append(o)
        lines.append("")
        for aid, outs in by_nb.items():
            k = sum(o.killed for o in outs)
            lines.append(f"kill rate {aid}: {k}/{len(outs)} = {100 * k / len(outs):.0f} %")
        total = len(self.outcomes)
        killed = sum(o.killed for o in self.outcomes)
        lines.append(f"kill rate overall: {killed}/{total} = {100 * killed / max(total, 1):.0f} %")
        for o in self.outcomes:
            if not o.killed:
                lines.append(f"STRENGTHEN the tests of {o.mutant.assignment}:{o.mutant.grade_id}: "
                             f"mutant {o.mutant.name!r} ({o.mutant.why}) loses nothing")
        lines += [f"SKIPPED {s}" for s in self.skipped]
        lines += [f"PROBLEM {p}" for p in self.problems]
        return "\n".join(lines)

    def _text_keep(self) -> str:
        lines = [f"{'assignment':<24}{'exercise':<24}{'alternative':<34}{'mode':<8}scored"]
        for o in self.outcomes:
            m = o.mutant
            score = "-" if o.score is None else f"{o.score:g}"
            lines.append(f"{m.assignment:<24}{m.grade_id:<24}{m.name[:33]:<34}{o.mode:<8}"
                         f"{score}/{o.max_score:g}  {'kept' if o.kept else 'LOST POINTS'}"
                         f"{'  ' + o.note if o.note else ''}")
        by_nb: dict[str, list[Outcome]] = {}
        for o in self.outcomes:
            by_nb.setdefault(o.mutant.assignment, []).append(o)
        lines.append("")
        for aid, outs in by_nb.items():
            k = sum(o.kept for o in outs)
            lines.append(f"full marks {aid}: {k}/{len(outs)}")
        total = len(self.outcomes)
        kept = sum(o.kept for o in self.outcomes)
        lines.append(f"full marks overall: {kept}/{total}")
        for o in self.outcomes:
            if not o.kept:
                lines.append(f"TOO STRICT: the tests of {o.mutant.assignment}:{o.mutant.grade_id} take points from "
                             f"the correct alternative {o.mutant.name!r} ({o.mutant.why})")
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


def _nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def exercises(nb) -> dict[str, tuple[int, int]]:
    """solution grade_id -> (index of the solution cell, index of its grade cell)."""
    out = {}
    for i, cell in enumerate(nb.cells):
        meta = _nbg(cell)
        if meta.get("solution") and not meta.get("grade"):
            j = next((k for k in range(i + 1, len(nb.cells)) if _nbg(nb.cells[k]).get("grade")), None)
            if j is not None:
                out[meta["grade_id"]] = (i, j)
    return out


def _plain(source: str):
    return nbformat.v4.new_code_cell(_strip_markers(source))


def _grade_copy(cell, grade_id: str):
    new = nbformat.v4.new_code_cell(cell.source)
    meta = dict(_nbg(cell))
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
    i, j = exercises(master)[gid]
    cells = []
    for k, cell in enumerate(master.cells[: j + 1]):
        if cell.cell_type != "code":
            continue
        if k == i and mutant is not None:
            cells.append(_plain(mutant.source))
        elif _nbg(cell).get("grade") and k != j:
            continue                                  # other exercises' tests: not needed
        elif k == j:
            cells.append(_grade_copy(cell, f"{gid}__prefix"))
        else:
            cells.append(_plain(cell.source))
    return _notebook(cells, master)


def _grade_synthetic(nb, tag: str, aid: str | None = None) -> dict[str, tuple[float, float]]:
    """Grade a synthetic master with real nbgrader; grade_id -> (score, max).
    ``aid`` is the assignment it comes from, whose cell time limit applies."""
    from .nbgrade import grade_notebook

    with tempfile.TemporaryDirectory(prefix=f"mutants-{tag}-") as tmp:
        src = Path(tmp) / "src" / tag
        src.mkdir(parents=True)
        path = src / f"{tag}.ipynb"
        nbformat.write(nb, path)
        timeout = course.CELL_TIMEOUT.get(aid, course.CELL_TIMEOUT_DEFAULT) if aid else None
        grades = grade_notebook(path, tag, Path(tmp) / "course", source_root=Path(tmp) / "src", cell_timeout=timeout)
        if grades.error:
            raise RuntimeError(grades.error)
        return {c.grade_id: (c.score, c.max_score) for c in grades.cells}


def run_batch(aid: str, include_slow: bool = True, bank: str = "mutants") -> tuple[dict[str, tuple[float, float]], str]:
    master = nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4)
    nb = batch_notebook(master, load_bank(aid, bank), include_slow)
    return _grade_synthetic(nb, f"{bank[:3]}_{aid}", aid), aid


def run_prefix(aid: str, gid: str, index: int | None, bank: str = "mutants") -> tuple[tuple[float, float], str, str, int | None]:
    master = nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4)
    mutant = load_bank(aid, bank)[index] if index is not None else None
    scores = _grade_synthetic(prefix_notebook(master, mutant, gid), f"pre_{bank[:3]}_{aid}_{index}", aid)
    return scores[f"{gid}__prefix"], aid, gid, index


def mutation_test(assignments=None, jobs: int = 2, quick: bool = False, bank: str = "mutants") -> Report:
    """Grade the bank (see the module doc).  Where the IMDB lab is in the run and the full data
    is absent, it is graded on the same SYNTHETIC file as `make validate` uses."""
    from .validate import imdb_for

    assignments = list(assignments or course.ASSIGNMENTS)
    with tempfile.TemporaryDirectory(prefix=f"{bank}-data-") as tmp, \
            imdb_for("06_imdb_lab", Path(tmp)) if "06_imdb_lab" in assignments else contextlib.nullcontext():
        return _mutation_test(assignments, jobs, quick, bank)


def _mutation_test(assignments, jobs: int, quick: bool, bank: str = "mutants") -> Report:
    report = Report(bank=bank)
    what = bank[:-1] if bank.endswith("s") else bank
    banks = {aid: load_bank(aid, bank) for aid in assignments}
    for aid in assignments:
        master = nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4)
        for gid in exercises(master):
            n = sum(m.grade_id == gid for m in banks[aid])
            if n < MIN_MUTANTS:
                report.problems.append(f"{aid}:{gid} has {n} {what}(s); keep at least {MIN_MUTANTS}")
        for m in banks[aid]:
            if m.grade_id not in exercises(master):
                report.problems.append(f"{aid}: {what} {m.name!r} names unknown solution cell {m.grade_id!r}")
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        batch = {}
        for fut in cf.as_completed([pool.submit(run_batch, aid, not quick, bank) for aid in assignments if banks[aid]]):
            try:
                scores, aid = fut.result()
                batch[aid] = scores
            except Exception as exc:  # the grader itself failed: say so, do not hide it
                report.problems.append(f"batch grading failed: {exc}")
        prefix_jobs = []
        for aid in assignments:
            if aid not in batch:
                continue
            for k, m in enumerate(banks[aid]):
                tag = f"m{k}"
                base = batch[aid].get(f"{m.grade_id}__base")
                if quick and m.slow:
                    report.skipped.append(f"{aid}:{m.grade_id} {m.name!r}: trains a model (slow); run make {bank}")
                elif base and base[0] == base[1]:
                    score, mx = batch[aid][f"{m.grade_id}__{tag}"]
                    report.outcomes.append(Outcome(m, "batch", score, mx))
                elif quick:
                    report.skipped.append(f"{aid}:{m.grade_id} {m.name!r}: its tests need earlier given cells "
                                          f"(prefix mode); run make {bank}")
                else:
                    prefix_jobs.append((aid, m.grade_id, k))
        if prefix_jobs:
            baselines = {(a, g) for a, g, _ in prefix_jobs}
            futs = [pool.submit(run_prefix, a, g, None, bank) for a, g in sorted(baselines)]
            futs += [pool.submit(run_prefix, a, g, k, bank) for a, g, k in prefix_jobs]
            base_ok, results = {}, []
            for fut in cf.as_completed(futs):
                try:
                    (score, mx), aid, gid, k = fut.result()
                except Exception as exc:
                    report.problems.append(f"prefix grading failed: {exc}")
                    continue
                if k is None:
                    base_ok[(aid, gid)] = score == mx
                else:
                    results.append((aid, gid, k, score, mx))
            for aid, gid, k, score, mx in sorted(results):
                out = Outcome(banks[aid][k], "prefix", score, mx)
                if not base_ok.get((aid, gid)):
                    out.score, out.note = None, "the unmutated prefix does not score full points"
                    report.problems.append(f"{aid}:{gid}: unmutated prefix is not full marks")
                report.outcomes.append(out)
    order = {aid: i for i, aid in enumerate(course.ALL_ASSIGNMENTS)}
    report.outcomes.sort(key=lambda o: (order.get(o.mutant.assignment, 99), o.mutant.grade_id, o.mutant.name))
    return report


def add_arguments(parser) -> None:
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="batch mode only (what make test runs)")


def run(args) -> int:
    report = mutation_test(args.assignments or None, jobs=args.jobs, quick=args.quick, bank="mutants")
    print(report.text())
    return 0 if report.ok else 1
