"""Nothing a student writes crashes or crowds the batch (issue 31): comm and widget traffic is
not grading's business.  A malformed widget message (a ``jupyter.widget`` comm_open without
``_model_module``, which fails nbclient's own handler) no longer fails the whole grade; what
the executor handles of the rest is bounded in count and bytes, the rest dropped and flagged;
the worker's own memory has a limit, whose breach ends that one submission with status
``worker_memory``."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import course
from autograder.grader.execution import ExecutionRecord, GuardedExecute

MALFORMED = {"msg_type": "comm_open", "header": {"msg_type": "comm_open"}, "buffers": [],
             "content": {"comm_id": "c0", "target_name": "jupyter.widget", "data": {"state": {}}}}


def _executor(**traits) -> GuardedExecute:
    ex = GuardedExecute(**traits)
    ex.rec = ExecutionRecord()
    ex._comm_count = ex._comm_bytes = 0
    return ex


def _widget(i: int, size: int = 0) -> dict:
    state = {"_model_module": "some-module", "_model_name": "SomeModel", "blob": "x" * size}
    return {"msg_type": "comm_open", "header": {"msg_type": "comm_open"}, "buffers": [],
            "content": {"comm_id": f"c{i}", "target_name": "jupyter.widget", "data": {"state": state}}}


def test_nbclient_alone_fails_on_a_widget_without_its_module():
    """What the grader used to do: the whole grade failed on this one message."""
    client = NotebookClient(nbformat.v4.new_notebook())
    with pytest.raises(KeyError, match="_model_module"):
        client.handle_comm_msg([], MALFORMED, 0)


def test_a_malformed_comm_is_dropped_and_counted_never_fatal():
    ex = _executor()
    ex.handle_comm_msg([], MALFORMED, 0)
    broken = {"msg_type": "comm_msg", "header": {"msg_type": "comm_msg"}, "content": {"comm_id": "c0"}}
    ex.handle_comm_msg([], broken, 0)                   # no data at all
    assert (ex.rec.comms_malformed, ex.rec.comms_dropped) == (2, 0)


def test_comms_are_bounded_in_count_and_bytes_and_no_widget_state_is_kept():
    ex = _executor(max_comms=50, max_comm_mb=1)
    for i in range(80):
        ex.handle_comm_msg([], _widget(i), 0)
    assert ex.rec.comms_dropped == 30 and ex.widget_state == {}, "nothing is stored for the notebook"
    ex = _executor(max_comm_mb=1)
    for i in range(10):
        ex.handle_comm_msg([], _widget(i, 300_000), 0)
    assert ex.rec.comms_dropped == 7, "1 MB holds 3 messages of 300 kB"


COMM_CELL = r'''
from comm import create_comm
create_comm(target_name="jupyter.widget", data={"state": {}})          # no _model_module
big = "x" * (1024 * 1024)
for i in range(15):                                                     # 15 MB of widget state
    create_comm(target_name="jupyter.widget",
                data={"state": {"_model_module": "m", "_model_name": "n", "blob": big}})
for i in range(100):
    create_comm(target_name="jupyter.widget", data={"state": {"_model_module": "m", "_model_name": "n"}})
'''


def _master(folder):
    folder.mkdir(parents=True)
    sol = nbformat.v4.new_code_cell("def answer():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION")
    sol.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "task": False,
                                "grade_id": "answer", "schema_version": 3}
    comms = nbformat.v4.new_code_cell(COMM_CELL.strip())
    tests = nbformat.v4.new_code_cell("assert answer() == 42")
    tests.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "task": False,
                                  "grade_id": "answer_tests", "points": 1, "schema_version": 3}
    nb = nbformat.v4.new_notebook(cells=[sol, comms, tests])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "comms.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_widget_traffic_neither_fails_the_grade_nor_counts(tmp_path):
    from autograder.gates.grading import grade_notebooks

    master = _master(tmp_path / "src" / "comms")
    bounds = {"GuardedExecute": {"max_comms": 60}}      # 1,000 by default: fewer messages, a quicker test
    graded = grade_notebooks({"s": (master, "comms")}, source_root=tmp_path / "src", nbgrader_config=bounds)["s"]
    assert graded.status == "graded", (graded.status, graded.review, graded.messages)
    assert (graded.score, graded.max_score) == (1.0, 1.0)
    assert "comms_dropped" in graded.flags
    dropped = next(line for line in graded.review if line.startswith("comm messages dropped"))
    # 10 MB hold 9 of the 1 MB states (6 dropped); 60 messages hold 1 + 9 + 50 (50 small ones dropped)
    assert dropped == "comm messages dropped: 56 over the bounds, 1 malformed", dropped
    assert any("widget (comm) messages" in m for m in graded.messages)


def test_the_worker_watchdog_ends_the_worker_past_its_own_limit():
    code = textwrap.dedent("""
        import os, psutil, time
        from autograder.grader.supervise import WorkerMemoryWatchdog
        start = psutil.Process().memory_info().rss / 2**20
        WorkerMemoryWatchdog(start + 100, lambda mb: (print(f"breach {mb:.0f}", flush=True), os._exit(3)),
                             interval=0.05).start()
        hog = []
        for _ in range(40):
            hog.append(bytearray(10 * 2**20))
            time.sleep(0.05)
        print("never stopped", flush=True)
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=course.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3 and proc.stdout.startswith("breach"), (proc.stdout, proc.stderr)


def test_a_breach_writes_that_submissions_row_and_ends_only_its_worker(tmp_path):
    from autograder.grader.schema import Job, Result

    template = tmp_path / "template"
    template.mkdir()
    (template / "template.json").write_text(json.dumps({"assignment": "a1", "questions": [["q1", 2.0]],
                                                        "names": {"q1": "Exercise 1"}}))
    job = Job(0, "ann", "a1", "", str(template), str(tmp_path), 10, 60)
    job.save(tmp_path / "job.json")
    code = ("import sys; from pathlib import Path; from autograder.grader import worker; "
            "from autograder.grader.schema import Job; job = Job.load(sys.argv[1]); "
            "worker._memory_breach(job, Path(job.workdir) / 'result.json', 2500.0)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "job.json")], cwd=course.ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = Result.load(tmp_path / "result.json")
    assert (result.status, result.score, result.max_score) == ("worker_memory", 0.0, 2.0)
    assert "more than it can hold" in result.messages[0] and "2500 MB" in result.review[-1]


FLOOD_CELL = r'''
from comm import create_comm
big = "x" * (1024 * 1024)
for i in range(1000):                                                   # 1 GB of widget state
    create_comm(target_name="jupyter.widget",
                data={"state": {"_model_module": "m", "_model_name": "n", "blob": big}})
'''


@pytest.mark.slow
def test_a_worker_past_its_own_memory_limit_ends_that_submission_only(tmp_path):
    """With the bounds lifted and widget state kept (nbclient's defaults: what the grader did
    before), 1 GB of comms from one student fills the worker; its watchdog ends that one
    submission with status worker_memory, and the other student of the batch is graded."""
    from autograder.gates.grading import grade_notebooks

    master = _master(tmp_path / "src" / "comms")
    nb = nbformat.read(master, as_version=4)
    nb.cells[1].source = FLOOD_CELL.strip()
    flood = tmp_path / "flood.ipynb"
    nbformat.write(nb, flood)
    nb.cells[1].source = "pass"
    quiet = tmp_path / "quiet.ipynb"
    nbformat.write(nb, quiet)
    unbounded = {"GuardedExecute": {"store_widget_state": True, "max_comms": 10**9, "max_comm_mb": 10**9}}
    graded = grade_notebooks({"flood": (flood, "comms"), "quiet": (quiet, "comms")}, source_root=tmp_path / "src",
                             nbgrader_config=unbounded, jobs=2)
    assert graded["flood"].status == "worker_memory" and graded["flood"].score == 0, graded["flood"].review
    assert "more than it can hold" in graded["flood"].messages[0]
    assert (graded["quiet"].status, graded["quiet"].score) == ("graded", 1.0), graded["quiet"].review
