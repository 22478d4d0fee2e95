"""The busy-machine proof (`make busy` runs it for every master, idle, busy and one-thread).

Here: the CPU hog really loads the cores and really stops, and one master (the fast 02)
keeps full marks on both grading paths, the course's grader and plain `nbgrader
autograde` run from the repo with nbgrader_config.py, while both cores are hogged.
"""
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


def test_workers_get_the_graders_environment_as_it_is_when_the_batch_starts(monkeypatch):
    """Workers fork from a forkserver started at the first batch: its environment can be
    older than the grader's (the synthetic IMDB folder, the one-thread mode)."""
    from autograder.grader.grade import batch_environment

    monkeypatch.setenv("IMDB_DATA_DIR", "/somewhere/imdb")
    monkeypatch.setenv("TF_NUM_INTRAOP_THREADS", "1")
    env = batch_environment()
    assert env["IMDB_DATA_DIR"] == "/somewhere/imdb" and env["TF_NUM_INTRAOP_THREADS"] == "1"
    monkeypatch.delenv("IMDB_DATA_DIR")
    assert "IMDB_DATA_DIR" not in batch_environment()
