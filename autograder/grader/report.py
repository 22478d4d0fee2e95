"""Step: write the batch's outputs, and merge the outputs of several shards.

OUT/
  grades.csv      student_id,assignment,question,score,max_score,pending,question_name
                  (one row per graded cell: ``question`` is its grade id, for machines;
                  ``question_name`` is how the notebook names it, for people)
  summary.csv     student_id,assignment,score,max_score,status,flags (one row per submission)
  students/<student_id>/<assignment>/results.json   Gradescope's schema (for the student)
  students/<student_id>/<assignment>/feedback.html  (for the student)
      both through the output boundary (boundary.py): no hidden test, secret or path; under
      students/, apart from the batch's own files, so that no student id (``grades.csv``,
      ``manual``...) can collide with them
  details.jsonl   for the instructor only: why a status, what was flagged, seconds, sandbox
  manual/<assignment>.html   for the instructor only: the answers to grade by hand

Merging shards (CI runs one batch per runner, see .github/workflows/autograde.yml):

    python -m autograder merge shard-0 shard-1 ... --out grades
"""
from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

from . import csvsafe
from .feedback import feedback_html

# question_name comes last: the columns before it keep their places for existing readers
GRADES_COLUMNS = ["student_id", "assignment", "question", "score", "max_score", "pending", "question_name"]
SUMMARY_COLUMNS = ["student_id", "assignment", "score", "max_score", "status", "flags", "pending_points"]
DETAILS = "details.jsonl"
STUDENTS = "students"        # OUT/students/<student_id>/<assignment>/: what each student receives
MANUAL = "manual"            # OUT/manual/<assignment>.html: the instructors' pages of answers to grade by hand


def fmt(x: float) -> str:
    return f"{float(x):g}"


def _order(results):
    # assignment ids start with their number: lexicographic order is course order
    return sorted(results, key=lambda r: (r.student, r.assignment))


def grade_rows(result) -> list[list[str]]:
    return [[result.student, result.assignment, q.question, fmt(q.score), fmt(q.max_score),
             "yes" if q.outcome == "pending" else "", q.label] for q in result.questions]


def summary_row(result) -> list[str]:
    return [result.student, result.assignment, fmt(result.score), fmt(result.max_score), result.status,
            ";".join(result.flags), fmt(result.pending_points) if result.pending_points else ""]


def student_folder(out: Path, student: str, assignment: str) -> Path:
    """Where one submission's results.json and feedback.html are: OUT/students/<student>/<assignment>/."""
    return Path(out) / STUDENTS / student / assignment


def write_submission(result, out: Path) -> None:
    """results.json and feedback.html of one submission (student-facing facts only)."""
    folder = student_folder(out, result.student, result.assignment)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(result.gradescope(), indent=2) + "\n")
    (folder / "feedback.html").write_text(feedback_html(result))


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="") as fh:
        csvsafe.write_rows(fh, [header, *rows])       # spreadsheet-safe: no cell runs as a formula
    tmp.replace(path)


def write_outputs(results, out: Path, boundary) -> list:
    """Write a batch's outputs.  Every student-facing text goes through ``boundary`` (a
    ``boundary.Boundary``: there is no way to write for students without one); returns the
    results as written."""
    out.mkdir(parents=True, exist_ok=True)
    ordered = _order([boundary.apply(r) for r in results])
    for r in ordered:
        write_submission(r, out)
    _write_csv(out / "grades.csv", GRADES_COLUMNS, [row for r in ordered for row in grade_rows(r)])
    _write_csv(out / "summary.csv", SUMMARY_COLUMNS, [summary_row(r) for r in ordered])
    with open(out / DETAILS, "w") as fh:
        for r in ordered:
            fh.write(json.dumps(details_row(r)) + "\n")
    write_manual(ordered, out)
    return ordered


def details_row(result) -> dict:
    """One line of details.jsonl (instructor only): why the status, what was flagged, the
    file graded, and the answers to grade by hand (a merge rebuilds the manual pages from them)."""
    r = result
    return {"student_id": r.student, "assignment": r.assignment, "status": r.status,
            "flags": r.flags, "score": r.score, "max_score": r.max_score,
            "seconds": round(r.seconds, 2), "review": r.review, "sandbox": r.sandbox,
            "messages": r.messages, "notebook": r.notebook, "answers": r.answers}


def write_manual(results, out: Path) -> list[Path]:
    """OUT/manual/<assignment>.html: every answer graded by hand, student by student, with
    its points, for the instructor (the student's own text; nothing of the tests)."""
    import html

    by_aid: dict[str, list] = {}
    for r in results:
        if r.answers:
            by_aid.setdefault(r.assignment, []).append(r)
    written = []
    for aid, rs in sorted(by_aid.items()):
        e = html.escape
        parts = [f"<!doctype html><meta charset='utf-8'><title>Answers to grade by hand: {e(aid)}</title>",
                 "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}"
                 "pre{white-space:pre-wrap;background:#f6f8fa;padding:.8rem;border-radius:6px}</style>",
                 f"<h1>{e(aid)}: answers to grade by hand</h1>",
                 "<p>Enter the scores in formgrader (an nbgrader course root, <code>--course-root</code>) "
                 "or in your gradebook; <code>summary.csv</code> lists these points as pending.</p>"]
        for r in sorted(rs, key=lambda r: r.student):
            parts.append(f"<h2>{e(r.student)}</h2>")
            for q in r.questions:
                if q.question in r.answers:
                    parts.append(_manual_answer(q, r.answers[q.question]))
        target = out / MANUAL / f"{aid}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(parts) + "\n")
        written.append(target)
    return written


def _manual_answer(question, answer: str) -> str:
    """One answer of the manual page: the question as the notebook names it (its points
    included), its grade id for formgrader, and the student's text."""
    import html

    e = html.escape
    gid = f"<code>{e(question.question)}</code>"
    title = f"{e(question.name)} <small>{gid}</small>" if question.name else f"{gid} ({fmt(question.max_score)} points)"
    return f"<h3 data-grade-id='{e(question.question)}'>{title}</h3><pre>{e(answer)}</pre>"


def read_csv(path: Path) -> list[dict]:
    """The rows of a CSV file (the batch's, or an instructor's roster: a spreadsheet's
    byte-order mark is skipped)."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def merge(shards: list[Path], out: Path) -> list[str]:
    """Merge shard outputs into ``out``; returns problems (duplicates, missing files)."""
    problems: list[str] = []
    grades, summary, details = {}, {}, {}
    out.mkdir(parents=True, exist_ok=True)
    for shard in shards:
        shard = Path(shard)
        if not (shard / "summary.csv").exists():
            problems.append(f"{shard}: no summary.csv")
            continue
        for row in map(csvsafe.unsafe_row, read_csv(shard / "summary.csv")):
            key = (row["student_id"], row["assignment"])
            if key in summary:
                problems.append(f"{key[0]}/{key[1]} graded by more than one shard; keeping {shard}")
            summary[key] = [row.get(c) or "" for c in SUMMARY_COLUMNS]
            grades[key] = []
        for row in map(csvsafe.unsafe_row, read_csv(shard / "grades.csv")):
            grades.setdefault((row["student_id"], row["assignment"]), []).append([row.get(c) or "" for c in GRADES_COLUMNS])
        if (shard / DETAILS).exists():
            for line in (shard / DETAILS).read_text().splitlines():
                if line.strip():
                    d = json.loads(line)
                    details[(d["student_id"], d["assignment"])] = line
        if shard.resolve() != out.resolve() and (shard / STUDENTS).is_dir():
            shutil.copytree(shard / STUDENTS, out / STUDENTS, dirs_exist_ok=True)
    keys = sorted(summary)
    _write_csv(out / "summary.csv", SUMMARY_COLUMNS, [summary[k] for k in keys])
    _write_csv(out / "grades.csv", GRADES_COLUMNS, [row for k in keys for row in grades.get(k, [])])
    (out / DETAILS).write_text("".join(details[k] + "\n" for k in keys if k in details))
    write_manual(manual_results(keys, grades, details), out)
    return problems


def manual_results(keys, grades: dict, details: dict) -> list:
    """The merged rows that hold answers to grade by hand, as ``schema.Result``s for
    ``write_manual``: the answers from details.jsonl, the questions from grades.csv."""
    from .schema import Question, Result

    out = []
    for key in keys:
        d = json.loads(details[key]) if key in details else {}
        if not d.get("answers"):
            continue
        questions = [Question(row[2], float(row[3] or 0), float(row[4] or 0),
                              "pending" if row[5] == "yes" else "passed", name=row[6] if row[6] != row[2] else "")
                     for row in grades.get(key, [])]
        out.append(Result(key[0], key[1], d.get("status", ""), questions=questions, answers=d["answers"]))
    return out


def add_arguments(parser) -> None:
    """`python -m autograder merge SHARD... --out OUT`."""
    parser.add_argument("shards", nargs="+", type=Path, help="the output folders of the shards")
    parser.add_argument("--out", required=True, type=Path, help="the merged output folder")


def run(args) -> int:
    problems = merge(args.shards, args.out)
    for p in problems:
        print("WARNING", p, file=sys.stderr)
    n = len(read_csv(args.out / "summary.csv"))
    print(f"merged {len(args.shards)} shard(s): {n} submission(s) in {args.out}/summary.csv")
    return 1 if any("no summary.csv" in p for p in problems) else 0
