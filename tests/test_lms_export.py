"""The LMS export, column by column, from a summary.csv as the grader writes it: wide,
Canvas and Moodle layouts, ids mapped through a roster, late marks from nbgrader's
timestamp.txt against due dates; and through the command line."""
from __future__ import annotations

import csv
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from autograder import course
from autograder.grader.report import SUMMARY_COLUMNS, _write_csv
from autograder.platforms import lms

A1, A2 = course.ALL_ASSIGNMENTS[0], course.ALL_ASSIGNMENTS[1]


@pytest.fixture()
def graded(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    _write_csv(out / "summary.csv", SUMMARY_COLUMNS, [
        ["alice", A1, "13", "13", "graded", ""],
        ["alice", A2, "8", "12", "needs_manual_grade", "", "3"],
        ["bob", A1, "0", "13", "invalid_notebook", ""],
        ["zed", A2, "12", "12", "graded", "renamed_notebook"],
    ])
    subs = tmp_path / "submitted"
    for student, aid, when in [("alice", A1, "2026-11-30 23:59:59.000000 UTC"),
                               ("alice", A2, "2026-12-08 09:00:00.000000 UTC"),
                               ("zed", A2, "2026-12-06T10:00:00+01:00")]:
        (subs / student / aid).mkdir(parents=True)
        (subs / student / aid / "timestamp.txt").write_text(when + "\n")
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name,lms_id,sis_id,login,section,email\n"
                      "alice,Alice A,101,S1,aa,L1,alice@uni.edu\n"
                      "bob,Bob B,102,S2,bb,L2,bob@uni.edu\n"
                      "carol,Carol C,103,S3,cc,L1,carol@uni.edu\n")
    due = tmp_path / "due.csv"
    due.write_text(f"assignment,due\n{A1},2026-12-01T00:00:00+00:00\n{A2},2026-12-07T23:59:00Z\n")
    return out, subs, roster, due


def test_wide_has_one_row_per_student_and_marks_late_work(graded):
    out, subs, roster, due = graded
    warnings = []
    rows = lms.table(out, "wide", due=lms.read_due(due), submissions=subs, warn=warnings.append)
    assert rows[0] == ["student_id", A1, f"{A1} late", f"{A1} pending", A2, f"{A2} late", f"{A2} pending", "total"]
    assert rows[1] == ["(points possible)", "13", "", "", "12", "", "", "25"]
    body = {r[0]: r[1:] for r in rows[2:]}
    assert body["alice"] == ["13", "no", "", "8", "yes", "3", "21"]    # A2 a day late, 3 points to grade by hand
    assert body["bob"] == ["0", "", "", "", "", "", "0"]               # no timestamp, no A2 submission
    assert body["zed"] == ["", "", "", "12", "no", "", "12"]           # 09:00 UTC on the 6th: on time
    assert warnings == ["1 submission(s) have points still to be graded by hand (pending_points in summary.csv): "
                        "their scores are not final"]


def test_canvas_maps_ids_through_the_roster(graded):
    out, _, roster, _ = graded
    warnings = []
    rows = lms.table(out, "canvas", roster=lms.read_csv(roster), warn=warnings.append)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       course.assignment(A1).title, course.assignment(A2).title]
    assert rows[1][0].strip() == "Points Possible" and rows[1][5:] == ["13", "12"]
    body = {r[0]: r for r in rows[2:]}
    assert body["Alice A"] == ["Alice A", "101", "S1", "aa", "L1", "13", "8"]
    assert body["Carol C"][5:] == ["", ""]                          # in the roster, no grades
    assert body["zed"][1:5] == ["", "", "zed", ""]                  # graded, not in the roster: kept
    assert sorted(warnings)[1:] == ["carol is in the roster but has no grades", "zed has grades but is not in the roster"]


def test_moodle_identifies_students_by_email(graded):
    out, _, roster, _ = graded
    rows = lms.table(out, "moodle", roster=lms.read_csv(roster), warn=lambda m: None)
    assert rows[0] == ["Email address", course.assignment(A1).title, course.assignment(A2).title]
    assert {r[0]: r[1:] for r in rows[1:]}["alice@uni.edu"] == ["13", "8"]


def test_nbgraders_timestamps_are_read_in_utc_and_due_dates_need_a_zone(tmp_path):
    assert lms.parse_timestamp("2026-11-30 23:59:59.000000 UTC") == datetime(2026, 11, 30, 23, 59, 59, tzinfo=timezone.utc)
    naive = tmp_path / "due.csv"
    naive.write_text(f"assignment,due\n{A1},2026-12-01 00:00\n")
    with pytest.raises(ValueError, match="time zone"):
        lms.read_due(naive)


def test_the_command_writes_the_csv(graded, tmp_path):
    out, subs, roster, due = graded
    target = tmp_path / "canvas.csv"
    proc = subprocess.run([sys.executable, "-m", "autograder", "export", str(out), "--format", "canvas",
                           "--roster", str(roster), "--due", str(due), "--submissions", str(subs),
                           "--to", str(target)], cwd=course.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(target.open()))
    assert rows[0][0] == "Student" and len(rows) == 2 + 4          # header, points, 3 roster + zed
    assert "zed has grades but is not in the roster" in proc.stderr


def test_a_course_gradebook_replaces_the_batch_scores(graded, monkeypatch):
    """With --course-root, the gradebook's scores (hand grades from formgrader included) take
    the place of summary.csv's; summary.csv keeps its students without a submission, its flags
    and its statuses other than graded/pending; a submission only the gradebook has is added."""
    from autograder.platforms import nbgrader_course

    out, _, _, _ = graded
    book = [{"student_id": "alice", "assignment": A2, "score": "10.5", "max_score": "12", "status": "graded",
             "flags": "", "pending_points": ""},
            {"student_id": "bob", "assignment": A1, "score": "2", "max_score": "13", "status": "graded",
             "flags": "", "pending_points": ""},
            {"student_id": "dora", "assignment": A1, "score": "7", "max_score": "13", "status": "needs_manual_grade",
             "flags": "", "pending_points": "2"}]
    monkeypatch.setattr(nbgrader_course, "gradebook_summary", lambda root: book)
    rows = {(r["student_id"], r["assignment"]): r for r in lms.summary_rows(out, "course-root")}
    assert (rows[("alice", A2)]["score"], rows[("alice", A2)]["status"], rows[("alice", A2)]["pending_points"]) \
        == ("10.5", "graded", "")
    assert (rows[("bob", A1)]["score"], rows[("bob", A1)]["status"]) == ("2", "invalid_notebook")
    assert rows[("zed", A2)]["flags"] == "renamed_notebook" and rows[("dora", A1)]["pending_points"] == "2"
    wide = {r[0]: r[1:] for r in lms.table(out, "wide", warn=lambda m: None, course_root="course-root")[2:]}
    assert wide["alice"] == ["13", "", "", "10.5", "", "", "23.5"]
    assert lms.summary_rows(out) == lms.read_csv(out / "summary.csv"), "without a course root: summary.csv alone"


# ----------------------------------------------------------------------------------------
# spreadsheet-safe cells (issue 31): no id, name or email becomes a formula
# ----------------------------------------------------------------------------------------

from autograder.grader import csvsafe  # noqa: E402

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EVIL = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1",
        "'=already quoted"]


def test_safe_cell_follows_owasp_and_keeps_numbers():
    for text in EVIL:
        safe = csvsafe.safe_cell(text)
        assert safe == "'" + text and csvsafe.unsafe_cell(safe) == text
    for number in ("-1", "-0.5", "+3", "13", "1e-3", "0"):
        assert csvsafe.safe_cell(number) == number, "a number stays a number"
    for text in ("-inf", "-nan", "- 1", "-1 ", "alice", "", "    Points Possible"):
        assert csvsafe.unsafe_cell(csvsafe.safe_cell(text)) == text
    assert csvsafe.safe_cell("-inf").startswith("'") and csvsafe.safe_cell("alice") == "alice"


def _numeric(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def assert_no_formula(path):
    """Read back as a spreadsheet would: no cell begins with a formula trigger unless it is a
    number; and a workbook openpyxl makes from the CSV holds no formula cell (openpyxl takes a
    string beginning with "=" for a formula, as a spreadsheet does)."""
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    cells = [c for row in rows for c in row]
    assert cells
    bad = [c for c in cells if c.startswith(TRIGGERS) and not _numeric(c)]
    assert bad == [], bad
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append([float(c) if _numeric(c) else c for c in row])
    saved = path.with_suffix(".xlsx")
    wb.save(saved)
    formulas = [c.value for row in openpyxl.load_workbook(saved).active.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    return rows


@pytest.mark.parametrize("fmt", lms.FORMATS)
def test_the_export_writes_no_formula_from_a_hostile_roster(tmp_path, fmt):
    out = tmp_path / "out"
    out.mkdir()
    ids = ["=cmd|' /C calc'!A0", "+alice", "-bob", "@carol", "\tdan", "\reve"]
    with (out / "summary.csv").open("w", newline="") as fh:     # as report.py writes it once it escapes
        csvsafe.write_rows(fh, [SUMMARY_COLUMNS] + [[s, A1, "-1" if i == 0 else "5", "13", "graded", "", ""]
                                                    for i, s in enumerate(ids)])
    roster = tmp_path / "roster.csv"
    with roster.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(lms.ROSTER_COLUMNS)
        for i, s in enumerate(ids):
            w.writerow([s, f"=name{i}()", f"@lms{i}", f"-sis{i}", f"+login{i}", f"=section{i}", f"=mail{i}@x.org"])
    target = tmp_path / f"{fmt}.csv"
    lms.write(lms.table(out, fmt, roster=lms.read_csv(roster), warn=lambda m: None), target)
    rows = assert_no_formula(target)
    body = rows[1:] if fmt == "moodle" else rows[2:]
    first = body[0]
    assert [csvsafe.unsafe_cell(c) for c in first][0] in {ids[0], "@lms0", "=name0()", "=mail0@x.org"}
    assert "-1" in first, "a negative score stays a number"


def test_the_batch_csvs_read_back_with_no_formula(tmp_path):
    """grades.csv and summary.csv as report.py writes them, once it escapes through
    csvsafe.safe_row (see the report): skipped until then."""
    from autograder.grader import report
    from autograder.grader.schema import Question, Result

    if "csvsafe" not in open(report.__file__).read():
        pytest.skip("report.py does not call csvsafe.safe_row yet")
    from autograder.grader.boundary import Boundary

    r = Result("=HYPERLINK(\"x\")", A1, "graded", 1, 2, [], [Question("q", 1, 2, "failed", "failed", None, "",
                                                                        "@name")])
    report.write_outputs([r], tmp_path, Boundary())
    for name in ("grades.csv", "summary.csv"):
        assert_no_formula(tmp_path / name)


def test_a_malformed_timestamp_is_named_and_its_row_left_unmarked(graded, tmp_path):
    out, subs, roster, due = graded
    (subs / "alice" / A1 / "timestamp.txt").write_text("yesterday-ish, TOPSECRET\n")
    (subs / "zed" / A2 / "timestamp.txt").write_bytes(b"\xff\xfe\x00garbage")
    warnings = []
    rows = lms.table(out, "wide", due=lms.read_due(due), submissions=subs, warn=warnings.append)
    body = {r[0]: r[1:] for r in rows[2:]}
    assert body["alice"][1] == "" and body["alice"][4] == "yes", "only the malformed one is unmarked"
    assert body["zed"][4] == ""
    named = [w for w in warnings if "timestamp.txt" in w]
    assert len(named) == 2 and all("not a timestamp" in w and "TOPSECRET" not in w for w in named), warnings
    proc = subprocess.run([sys.executable, "-m", "autograder", "export", str(out), "--due", str(due),
                           "--submissions", str(subs)], cwd=course.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert f"{subs / 'alice' / A1 / 'timestamp.txt'}: not a timestamp" in proc.stderr


def test_an_export_with_nothing_to_export_fails_clearly(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    _write_csv(out / "summary.csv", SUMMARY_COLUMNS, [])
    proc = subprocess.run([sys.executable, "-m", "autograder", "export", str(out)], cwd=course.ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "nothing to export" in proc.stderr and "Traceback" not in proc.stderr
    bad_due = tmp_path / "due.csv"
    bad_due.write_text(f"assignment,due\n{A1},next tuesday\n")
    proc = subprocess.run([sys.executable, "-m", "autograder", "export", str(out), "--due", str(bad_due),
                           "--submissions", str(tmp_path)], cwd=course.ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2 and str(bad_due) in proc.stderr and "Traceback" not in proc.stderr
