"""The LMS gradebook: one row per student, one column per assignment, ready to import.

    python -m autograder export OUT [--course-root DIR] --format wide|canvas|moodle
                                    [--roster roster.csv] [--due due.csv --submissions SUBMITTED] [--to FILE]

``OUT`` is a grading output folder (its ``summary.csv``, long format: one row per student
× assignment).  With ``--course-root DIR`` (an nbgrader course, graded with `grade
--course-root`) the scores come from DIR's gradebook instead, so that what the instructor
graded by hand in formgrader reaches the LMS: every submission in the gradebook, its
nbgrader score (manual scores included) and the points still to grade by hand, in place of
OUT's; OUT keeps its students without a submission and its flags.  The export pivots it:

* ``wide``: ``student_id``, then per assignment its score, a ``<id> late`` column
  (``yes``/``no``/empty) and a ``<id> pending`` column (points still to be graded by hand),
  then ``total``; the second row holds the points possible;
* ``canvas``: Canvas' gradebook import layout: ``Student, ID, SIS User ID, SIS Login ID,
  Section``, one column per assignment named by its title, and the "Points Possible" row;
* ``moodle``: Moodle's grade import layout: ``Email address`` (the identifier Moodle maps
  on), one column per assignment.

``roster.csv`` maps the ids the grader saw (GitHub logins, nbgrader ids) to the LMS's:
columns ``student_id, name, lms_id, sis_id, login, section, email`` (only ``student_id`` is
required).  A graded student missing from the roster, or a roster student with no grades,
is reported on stderr (and kept, with empty cells).

Lateness: ``due.csv`` (``assignment, due`` in ISO 8601, with a time zone) and the
submissions folder in nbgrader's layout, whose ``<student>/<assignment>/timestamp.txt``
(nbgrader's format, e.g. ``2026-11-30 23:59:59.000000 UTC``) says when each was submitted.
A late submission keeps its score (the policy is the instructor's); the export marks it.  A
``timestamp.txt`` that is not a timestamp is named in a warning and its row left unmarked.

Every cell is spreadsheet-safe (``grader.csvsafe``): an id, a name or an email that begins
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so that
a spreadsheet never runs it as a formula; numbers stay numbers.
"""
from __future__ import annotations

import argparse
import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from .. import course
from ..grader.csvsafe import unsafe_row, write_rows
from ..grader.report import read_csv

FORMATS = ("wide", "canvas", "moodle")
ROSTER_COLUMNS = ("student_id", "name", "lms_id", "sis_id", "login", "section", "email")


def parse_timestamp(text: str) -> datetime:
    """nbgrader's timestamp.txt (``2026-11-30 23:59:59.000000 UTC``, or ISO 8601) as an aware datetime."""
    text = text.strip()
    for suffix in (" UTC", "Z"):
        if text.endswith(suffix):
            text = text[: -len(suffix)] + "+00:00"
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def read_timestamp(path: Path) -> datetime | None:
    """A timestamp.txt's time; None when it is not one (unreadable, not text, not a date)."""
    try:
        if path.is_symlink() or path.stat().st_size > 1024:
            return None
        return parse_timestamp(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):      # UnicodeDecodeError is a ValueError
        return None


def lateness(submissions: Path | None, due: dict[str, datetime],
             warn=lambda msg: print("WARNING", msg, file=sys.stderr)) -> dict[tuple[str, str], bool]:
    """(student, assignment) -> late, for every submission with a timestamp.txt and a due date.
    A timestamp.txt that is not one is named in a warning and its row left unmarked."""
    out = {}
    if submissions is None or not due:
        return out
    for ts in sorted(Path(submissions).glob("*/*/timestamp.txt")):
        student, aid = ts.parent.parent.name, ts.parent.name
        if aid not in due:
            continue
        when = read_timestamp(ts)
        if when is None:
            warn(f"{ts}: not a timestamp in nbgrader's format (e.g. 2026-11-30 23:59:59.000000 UTC): "
                 f"{student}'s {aid} is not marked late or on time")
            continue
        out[(student, aid)] = when > due[aid]
    return out


def with_gradebook(summary: list[dict], gradebook: list[dict]) -> list[dict]:
    """summary.csv's rows with the gradebook's score, maximum and pending points in place of
    the batch's (the gradebook has the hand grades); the gradebook's other submissions added."""
    book = {(r["student_id"], r["assignment"]): r for r in gradebook}
    rows = []
    for row in summary:
        g = book.pop((row["student_id"], row["assignment"]), None)
        rows.append(row if g is None else dict(row, score=g["score"], max_score=g["max_score"],
                                               pending_points=g["pending_points"],
                                               status=g["status"] if row.get("status") in ("graded", "needs_manual_grade")
                                               else row.get("status", "")))
    return rows + list(book.values())


def summary_rows(out_dir: Path | None, course_root: Path | None = None) -> list[dict]:
    """The long rows the export pivots: OUT's summary.csv, the course gradebook's scores, or both."""
    summary = [unsafe_row(r) for r in read_csv(Path(out_dir) / "summary.csv")] if out_dir is not None else []
    if course_root is None:
        return summary
    from .nbgrader_course import gradebook_summary

    return with_gradebook(summary, gradebook_summary(course_root))


def table(out_dir: Path | None, fmt: str, roster: list[dict] | None = None, due: dict[str, datetime] | None = None,
          submissions: Path | None = None, warn=lambda msg: print("WARNING", msg, file=sys.stderr),
          course_root: Path | None = None) -> list[list[str]]:
    """The export's rows (header first)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    summary = summary_rows(out_dir, course_root)
    graded_ids = {r["assignment"] for r in summary}
    aids = [a.id for a in course.COURSE.assignments if a.id in graded_ids] + sorted(graded_ids - set(course.ALL_ASSIGNMENTS))
    scores = {(r["student_id"], r["assignment"]): r for r in summary}
    possible = {}
    for r in summary:
        possible[r["assignment"]] = max(possible.get(r["assignment"], 0.0), float(r["max_score"] or 0))
    late = lateness(submissions, due or {}, warn)
    people = {r["student_id"]: r for r in (roster or [])}
    students = sorted({r["student_id"] for r in summary})
    if roster is not None:
        for s in students:
            if s not in people:
                warn(f"{s} has grades but is not in the roster")
        for s in people:
            if s not in students:
                warn(f"{s} is in the roster but has no grades")
        students = [s for s in people] + [s for s in students if s not in people]

    def score(s, a):
        row = scores.get((s, a))
        return "" if row is None else f"{float(row['score']):g}"

    def title(a):
        try:
            return course.assignment(a).title
        except KeyError:
            return a

    def person(s, key):
        return (people.get(s) or {}).get(key, "") or ""

    def fmt_total(s):
        return f"{sum(float(scores[(s, a)]['score']) for a in aids if (s, a) in scores):g}"

    def pending(s, a):
        row = scores.get((s, a))
        return (row or {}).get("pending_points") or ""

    waiting = sorted(k for k in scores if pending(*k))
    if waiting:
        warn(f"{len(waiting)} submission(s) have points still to be graded by hand (pending_points in "
             f"summary.csv): their scores are not final")
    if fmt == "wide":
        header = ["student_id"] + [c for a in aids for c in (a, f"{a} late", f"{a} pending")] + ["total"]
        rows = [header, ["(points possible)"] + [c for a in aids for c in (f"{possible[a]:g}", "", "")]
                + [f"{sum(possible.values()):g}"]]
        for s in students:
            rows.append([person(s, "lms_id") or s] + [c for a in aids for c in (
                score(s, a), "" if (s, a) not in late else ("yes" if late[(s, a)] else "no"), pending(s, a))]
                + [fmt_total(s)])
        return rows
    if fmt == "canvas":
        header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [title(a) for a in aids]
        rows = [header, ["    Points Possible", "", "", "", ""] + [f"{possible[a]:g}" for a in aids]]
        for s in students:
            rows.append([person(s, "name") or s, person(s, "lms_id"), person(s, "sis_id"),
                         person(s, "login") or s, person(s, "section")] + [score(s, a) for a in aids])
        return rows
    header = ["Email address"] + [title(a) for a in aids]
    rows = [header]
    for s in students:
        email = person(s, "email")
        if not email:
            warn(f"{s} has no email in the roster: Moodle cannot match the row")
        rows.append([email or s] + [score(s, a) for a in aids])
    return rows


def write(rows: list[list[str]], target: Path | None) -> str:
    """The rows as CSV, every cell spreadsheet-safe (``grader.csvsafe``: no formula)."""
    buf = io.StringIO()
    write_rows(buf, rows)
    if target is not None:
        Path(target).write_text(buf.getvalue())
    return buf.getvalue()


def read_due(path: Path) -> dict[str, datetime]:
    """due.csv: assignment -> due date; a ``ValueError`` naming the file and the row when
    one is not an ISO 8601 date with a time zone."""
    out = {}
    rows = read_csv(path)
    if rows and not {"assignment", "due"} <= set(rows[0]):
        raise ValueError(f"{path}: the due dates need the columns assignment, due")
    for row in rows:
        try:
            when = datetime.fromisoformat((row.get("due") or "").strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{path}: the due date of {row.get('assignment')} is not an ISO 8601 date "
                             f"(e.g. 2026-12-01T23:59:00+00:00)") from None
        if when.tzinfo is None:
            raise ValueError(f"{path}: the due date of {row['assignment']} needs a time zone ({row['due']})")
        out[row["assignment"].strip()] = when
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, help="a grading output folder (summary.csv)")
    parser.add_argument("--course-root", type=Path, help="an nbgrader course root: the scores from its gradebook "
                        "(hand grades from formgrader included)")
    parser.add_argument("--format", choices=FORMATS, default="wide")
    parser.add_argument("--roster", type=Path, help="CSV: " + ", ".join(ROSTER_COLUMNS) + " (student_id required)")
    parser.add_argument("--due", type=Path, help="CSV: assignment, due (ISO 8601 with a time zone)")
    parser.add_argument("--submissions", type=Path, help="the submitted layout, for <student>/<assignment>/timestamp.txt")
    parser.add_argument("--to", type=Path, help="write the CSV here (default: standard output)")


def run(args) -> int:
    roster = read_csv(args.roster) if args.roster else None
    if roster is not None and roster and "student_id" not in roster[0]:
        print(f"ERROR: {args.roster} has no student_id column", file=sys.stderr)
        return 2
    try:
        due = read_due(args.due) if args.due else None
    except ValueError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"ERROR: cannot read the due dates {args.due}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    rows = table(args.out, args.format, roster, due, args.submissions, course_root=args.course_root)
    if len(rows) <= (1 if args.format == "moodle" else 2):
        print(f"ERROR: nothing to export: no student has a row in {args.out}", file=sys.stderr)
        return 2
    text = write(rows, args.to)
    if args.to is None:
        sys.stdout.write(text)
    else:
        print(f"export: {args.format}, {text.count(chr(10)) - 1} row(s) -> {args.to}", file=sys.stderr)
    return 0
