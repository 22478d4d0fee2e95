"""The load test's harness is honest (autograder/gates/load.py; the full class runs in `make bench`).

A class of 8, built with the same mix logic as the 200 of `make bench` (3 correct, 2 wrong
from the mutation bank, 3 faulty: a missing notebook, an infinite loop, ``os._exit(1)``), is
graded twice with JOBS=2, 15 s per cell.  The assertions re-read the CSVs themselves rather
than trusting the harness's own verdicts, and then check that those verdicts agree.  No timing
is asserted.
"""
from __future__ import annotations

from collections import Counter

import pytest

from autograder.gates import load
from autograder.gates.mutants import load_bank
from autograder.grader.report import read_csv

AID = load.ASSIGNMENT
SIZE = 8
CELL_TIMEOUT = 15


def test_the_mix_is_fixed_and_has_every_kind():
    big = load.plan(200)
    assert Counter(s.category for s in big) == {"correct": 120, "wrong": 50, "faulty": 30}
    assert set(Counter(s.kind for s in big)) == {"correct", "blank", "mutant"} | set(load.FAULTS)
    assert [(s.id, s.kind, s.mutant) for s in load.plan(200)] == [(s.id, s.kind, s.mutant) for s in big]
    bank, slots = {m.name for m in load_bank(AID)}, [s.mutant for s in big if s.kind == "mutant"]
    assert set(slots) <= bank and len(set(slots)) == min(len(bank), len(slots))   # the whole bank, or as much as fits
    small = Counter(s.kind for s in load.plan(SIZE))
    assert small["correct"] >= 3 and small["mutant"] >= 2 and small["missing"] == 1
    assert sum(small[k] for k in load.FAULTS) >= 3
    with pytest.raises(ValueError):
        load.plan(load.MIN_SIZE - 1)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    work = tmp_path_factory.mktemp("load")
    # 15 s per cell (the class-size run of `make bench` uses 30): still 4 x 02's slowest cell on a
    # busy machine (3.7 s), and each of the two passes waits for the infinite loop half as long
    result = load.run_load(size=SIZE, jobs=2, workdir=work, cell_timeout=CELL_TIMEOUT)
    print(load.table(result))
    return result, work


def summary(out):
    return {r["student_id"]: r for r in read_csv(out / "summary.csv")}


def cells(out):
    rows: dict[str, list] = {}
    for r in read_csv(out / "grades.csv"):
        rows.setdefault(r["student_id"], []).append(r)
    return rows


@pytest.mark.slow
def test_every_submission_has_its_rows_with_its_expected_status(run):
    result, work = run
    students = load.plan(SIZE)
    questions = [g for g, _ in load.grade_cells(load.master(AID))]
    for k in (1, 2):
        out = work / f"pass{k}"
        rows, graded = summary(out), cells(out)
        assert len(read_csv(out / "summary.csv")) == SIZE
        assert sorted(rows) == sorted(s.id for s in students)
        for s in students:
            row = rows[s.id]
            assert row["assignment"] == AID
            assert row["status"] == s.status, (k, s, row)
            assert [g["question"] for g in graded[s.id]] == questions, (k, s.id)
            assert sum(float(g["score"]) for g in graded[s.id]) == float(row["score"])
            if s.score is not None:
                assert float(row["score"]) == s.score, (k, s, row)
        # the harness says the same
        p = result["passes"][k - 1]["rows"]
        assert p["summary_rows"] == SIZE and p["grades_rows"] == SIZE * len(questions)
        assert not (p["lost"] or p["duplicated"] or p["extra"] or p["grades_rows_wrong"] or p["mismatches"]), p
    assert result["rows_complete"] and result["statuses_as_expected"] and result["ok"]


@pytest.mark.slow
def test_wrong_answers_lose_points_and_correct_ones_get_full_marks(run):
    _, work = run
    rows, graded = summary(work / "pass1"), cells(work / "pass1")
    students = load.plan(SIZE)
    assert sum(s.kind == "correct" for s in students) >= 3 and sum(s.kind == "mutant" for s in students) >= 2
    for s in students:
        row = rows[s.id]
        if s.kind == "correct":
            assert float(row["score"]) == float(row["max_score"]) > 0 and row["flags"] == "", row
        elif s.kind == "mutant":
            assert float(row["score"]) < float(row["max_score"]), (s, row)
            mine = {g["question"]: g for g in graded[s.id]}
            assert float(mine[s.loses]["score"]) < float(mine[s.loses]["max_score"]), (s, mine[s.loses])


@pytest.mark.slow
def test_grading_twice_gives_identical_csvs(run):
    result, work = run
    for name in ("grades.csv", "summary.csv"):
        assert (work / "pass1" / name).read_bytes() == (work / "pass2" / name).read_bytes(), name
    assert result["identical_csvs"] is True


@pytest.mark.slow
def test_the_report_has_its_figures(run):
    result, _ = run
    ran = [s for s in load.plan(SIZE) if s.kind not in load.RAN_NO_KERNEL]
    assert result["submissions"] == SIZE and len(result["throughput_per_minute"]) == 2
    for p in result["passes"]:
        assert p["wall_seconds"] > 0 and p["throughput_per_minute"] > 0
        assert len(p["load_average_start"]) == len(p["load_average_end"]) == 3
        m = p["memory"]
        # the sampler saw every worker that ran a kernel, and a TensorFlow kernel is not small
        assert m["workers_sampled"] == len(ran) and not m["unsampled"], m
        assert m["peak_mb"]["median"] > 100, m
    assert result["limits"]["slowest_cell_seconds"] > 0
