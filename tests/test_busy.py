"""The busy-machine proof (`make busy` runs it for every master, idle, busy and one-thread).

Here: the CPU hog really loads the cores and really stops, and one master (the fast 02)
keeps full marks on both grading paths, the course's grader and plain `nbgrader
autograde` run from the repo with nbgrader_config.py, while both cores are hogged.
"""
import json
import os
import time

import pytest

from autograder.gates import busy
from autograder import course


def _cpu_seconds(pids):
    total = 0.0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def _state(pid) -> str:
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().rsplit(")", 1)[1].split()[0]


def test_cpu_hog_spins_one_process_per_core_and_stops():
    """Each hog process is always runnable (state R: it never sleeps) and burns CPU.  How
    much CPU it gets depends on what else the shared machine runs, so no amount is asserted."""
    with busy.cpu_hog() as procs:
        assert len(procs) == busy.cores()
        time.sleep(1.5)
        states = [[_state(p.pid) for p in procs] for _ in range(5)]
        used = [_cpu_seconds([p.pid]) for p in procs]
        assert all(p.poll() is None for p in procs)
    assert all(s == "R" for sample in states for s in sample), f"a hog process slept: {states}"
    assert all(u > 0 for u in used), f"CPU seconds per hog process: {used}"
    assert all(p.poll() is not None for p in procs), "the hog must stop when the block ends"


def test_one_thread_mode_sets_and_restores_the_thread_variables(monkeypatch):
    monkeypatch.delenv("TF_NUM_INTRAOP_THREADS", raising=False)
    with busy.mode_context("one-thread"):
        assert os.environ["TF_NUM_INTRAOP_THREADS"] == "1" and os.environ["TF_NUM_INTEROP_THREADS"] == "1"
    assert "TF_NUM_INTRAOP_THREADS" not in os.environ


def test_a_limit_under_four_times_the_slowest_cell_is_a_problem():
    aid = course.ASSIGNMENTS[0]
    lim = course.limits(aid).cell_seconds
    ok = busy.Run(aid, "idle", "autograde", 5, 5, 3, lim / 4.0)
    tight = busy.Run(aid, "idle", "autograde", 5, 5, 3, lim / 3.0)
    lost = busy.Run(aid, "busy", "nbgrader", 4, 5, 3, 1.0)
    assert busy.problems([ok]) == []
    assert "less than 4" in busy.problems([tight])[0]
    assert "4/5" in busy.problems([lost])[0]


@pytest.mark.slow
def test_fast_master_keeps_full_marks_on_both_paths_while_the_cores_are_hogged():
    runs = busy.prove(["02_lstm_gates"], modes=("busy",), paths=busy.PATHS)
    for r in runs:
        print(busy.line(r))
    assert {r.path for r in runs} == set(busy.PATHS)
    assert all(r.full for r in runs), busy.problems(runs)


def test_the_kernels_thread_counts_are_an_explicit_option_of_the_batch(monkeypatch):
    """The one-thread mode reaches the course path's kernels as ``GradeOptions.threads``, not
    through the grader's environment (a worker forks from a forkserver whose environment can
    be older than the batch); a count the grader's environment sets wins over the share."""
    from autograder.grader import jobs

    assert set(jobs.kernel_threads(jobs=2, threads=1).values()) == {"1"}
    assert set(jobs.kernel_threads(jobs=2, threads=1)) == set(course.THREAD_VARIABLES)
    assert jobs.kernel_threads(jobs=1) == {}, "one kernel at a time keeps TensorFlow's defaults"
    monkeypatch.setenv("TF_NUM_INTRAOP_THREADS", "3")
    shared = jobs.kernel_threads(jobs=2)
    assert "TF_NUM_INTRAOP_THREADS" not in shared and "TF_NUM_INTEROP_THREADS" in shared
    assert jobs.kernel_settings("/data/imdb", {"OMP_NUM_THREADS": "1"}) == {
        "OMP_NUM_THREADS": "1", "IMDB_DATA_DIR": "/data/imdb"}


def test_the_record_keeps_the_newest_run_of_each_assignment_mode_and_path(tmp_path):
    """``make busy`` merges into bench/busy.json: a partial run (ASSIGNMENTS=...) replaces its
    own entries and keeps the others; a kernel-start problem row is not an assignment."""
    path = tmp_path / "busy.json"
    first = [busy.Run("01_vanishing_gradients", m, p, 7, 7, 3, 2.0, when="2026-12-01")
             for m in busy.MODES for p in busy.PATHS]
    busy.record(path, first, {"idle": {"seconds": 1.5, "load": "0.1", "when": "2026-12-01"}})
    again = [busy.Run("01_vanishing_gradients", "busy", "nbgrader", 7, 7, 3, 4.5, when="2026-12-06"),
             busy.Run("08_seq2seq_attention", "idle", "autograde", 16, 18, 9, 30.0, pending=2, when="2026-12-06"),
             busy.Run("(kernel start)", "busy", "nbgrader", problem="slow")]
    out = busy.record(path, again, {"busy": {"seconds": 2.5, "load": "2.0", "when": "2026-12-06"}})
    keys = [(r["assignment"], r["mode"], r["path"]) for r in out["runs"]]
    assert len(keys) == len(set(keys)) == 7
    one = {(r["mode"], r["path"]): r for r in out["runs"] if r["assignment"] == "01_vanishing_gradients"}
    assert one[("busy", "nbgrader")]["slowest_seconds"] == 4.5 and one[("idle", "autograde")]["slowest_seconds"] == 2.0
    assert set(out["kernel_start"]) == {"idle", "busy"}
    assert json.loads(path.read_text()) == out
