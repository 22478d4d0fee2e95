"""The autograder's small steps on their own (no kernels, fast): the tampering scan, the
locked-cell comparison, the feedback extraction, discovery and the merge of shards."""
from __future__ import annotations

import json
import zipfile

import nbformat
import pytest

from autograder.grader import feedback, tamper
from autograder.grader.discover import discover, extract_zip, pick_notebook
from autograder.grader.report import merge, read_csv
from autograder.grader.recorder import Recorder
from nbcells import code_cell as _cell

MODULES: set[str] = set()


def findings(source, protected=None):
    return tamper.scan_source(source, 0, MODULES, protected or {})


@pytest.mark.parametrize("source", [
    "import numpy as np\nnp.allclose = lambda *a, **k: True",
    "import numpy.testing as npt\nnpt.assert_allclose = lambda *a, **k: None",
    "from numpy import testing\ntesting.assert_allclose = print",
    "import numpy as np\nsetattr(np, 'isclose', lambda *a, **k: True)",
    "import builtins\nbuiltins.abs = lambda x: 0",
    "__builtins__.len = lambda x: 3",
    "import sys\nsys.modules['numpy'].allclose = None",
    "get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)",
    "ip = get_ipython()\nip.input_transformers_post.append(lambda lines: [])",
    "import sys\nsys.settrace(lambda *a: None)",
    "exec('import numpy as np\\nnp.allclose = lambda *a, **k: True')",
    "code = 'x'\nexec(code)",
    "from unittest import mock\nmock.patch('numpy.allclose')",
    "import ctypes",
    "%matplotlib inline\nimport numpy as np\nnp.isclose = None",
    "def f():\n    import numpy\n    numpy.testing.assert_array_equal = None",
    "vars(np)['allclose'] = None",
])
def test_the_scan_flags_monkeypatching(source):
    assert findings(source), source


@pytest.mark.parametrize("source", [
    "import numpy as np\nx = np.zeros(3)\nx[0] = 1\nnp.random.seed(0)",
    "import os\nos.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'",
    "import matplotlib.pyplot as plt\nplt.rcParams['figure.figsize'] = (8, 3)",
    "import pandas as pd\npd.options.display.max_rows = 10",
    "def dataset(data, look_back):\n    len = 3\n    return len",
    "%matplotlib inline\n!pip list",
    "class M:\n    def __init__(self):\n        self.allclose = 1",
    "model.trainable = False\nhistory = model.fit(X, y)",
    "from rnnkit import setup\nSEED = setup(seed=4)",
    "def broken(:\n    pass",          # a syntax error is the student's problem, not tampering
])
def test_the_scan_leaves_honest_code_alone(source):
    assert not findings(source), findings(source)


def test_rebinding_what_tests_use_is_flagged_only_at_module_level():
    protected = {"len": "a builtin the tests use", "_helper": "a helper"}
    assert findings("len = lambda x: 7", protected)
    assert findings("def _helper():\n    return 1", protected)
    assert findings("for len in range(3):\n    pass", protected)
    assert not findings("def f(x):\n    len = 3\n    return len", protected)


def _notebooks():
    from nbgrader.utils import compute_checksum

    tests = _cell("assert f(1) == 2", grade=True, solution=False, locked=True, grade_id="t", points=1)
    tests.metadata["nbgrader"]["checksum"] = compute_checksum(tests)
    sol = _cell("def f(x):\n    raise NotImplementedError()", grade=False, solution=True, locked=False, grade_id="s")
    release = nbformat.v4.new_notebook(cells=[_cell("import numpy as np"), sol, tests])
    master = nbformat.from_dict(json.loads(json.dumps(release)))
    master.cells[2].source = "assert f(1) == 2\n### BEGIN HIDDEN TESTS\nassert f(2) == 4\n### END HIDDEN TESTS"
    return release, master


def _copy(nb):
    return nbformat.from_dict(json.loads(json.dumps(nb)))


def _sanitize(tmp_path, submitted, release, master):
    """nbgrader's own sanitize pass, as the worker configures it, on an in-memory
    submission, against a real gradebook filled from the master (nbgrader's ComputeChecksums
    and SaveCells, as generate_assignment does).  Returns (notebook, flags, details)."""
    from nbgrader.api import Gradebook
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import ComputeChecksums, OverwriteCells, SaveCells

    from autograder import course
    from autograder.grader import sanitize
    from autograder.nbgrader_speedups import install

    course.venv_on_path()       # nbgrader's Gradebook runs alembic from the venv
    install()                   # as the worker does: the gradebook's alembic head read once, in-process
    (tmp_path / "gradebook.db").unlink(missing_ok=True)
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db) as gb:
        gb.add_assignment("a")
    resources = {"nbgrader": {"notebook": "nb", "assignment": "a", "db_url": db}}
    saved, _ = ComputeChecksums().preprocess(_copy(master), {})
    SaveCells().preprocess(saved, resources)
    nbformat.write(release, tmp_path / "release.ipynb")
    recorder = Recorder()
    nb = _copy(submitted)
    for step in sanitize.sanitize_preprocessors(Autograde.class_traits()["sanitize_preprocessors"].default()):
        kw = {}
        if issubclass(step, sanitize.TamperRecord):
            kw = dict(release_notebook=str(tmp_path / "release.ipynb"), recorder=recorder)
        if issubclass(step, OverwriteCells):
            kw["add_missing_cells"] = True
        nb, _ = step(**kw).preprocess(nb, resources)
    return nb, recorder.flags, recorder.details


def test_locked_cells_edited_deleted_or_untouched(tmp_path):
    release, master = _notebooks()
    assert _sanitize(tmp_path, release, release, master)[1] == []
    nb, flags, _ = _sanitize(tmp_path, master, release, master)
    assert flags == [] and nb.cells[2].source == master.cells[2].source     # hidden tests back
    edited = _copy(release)
    edited.cells[2].source = "pass"
    nb, flags, details = _sanitize(tmp_path, edited, release, master)
    assert flags == ["tests_modified"] and details == ["locked cell t was edited (restored from the master)"]
    assert nb.cells[2].source == master.cells[2].source
    deleted = _copy(release)
    del deleted.cells[1:]
    nb, flags, _ = _sanitize(tmp_path, deleted, release, master)
    assert flags == ["cells_deleted"]
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    assert ids == [None, "s", "t"] and "raise NotImplementedError()" in nb.cells[1].source


def test_nbgrader_metadata_comes_from_the_release(tmp_path):
    release, master = _notebooks()
    sub = _copy(release)
    sub.cells[2].metadata["nbgrader"]["points"] = "lots"           # would crash nbgrader
    sub.cells[2].metadata["nbgrader"]["locked"] = False
    sub.cells.append(_copy(sub)["cells"][1])                        # a duplicated answer cell
    sub.cells.append(_cell("x = 1", grade=True, solution=False, locked=False, grade_id="mine", points=100))
    sub.cells.append(nbformat.v4.new_code_cell("y = 2", metadata={"nbgrader": "garbage"}))
    nb, flags, _ = _sanitize(tmp_path, sub, release, master)
    assert flags == ["tests_modified"]
    assert nb.cells[2].metadata["nbgrader"]["points"] == 1 and nb.cells[2].metadata["nbgrader"]["locked"]
    assert [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells] == [None, "s", "t", None, None, None]


def _error(line, ename="AssertionError", evalue="boom"):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                  traceback=["\x1b[31m---\x1b[39m", f"\x1b[36mCell\x1b[39m \x1b[32mIn[7]\x1b[39m\x1b[32m, line {line}\x1b[39m\n"
                                             "----> 4 assert f(2) == 4, 'SECRET 4'", f"{ename}: {evalue}"])


def test_feedback_tells_visible_failures_and_hides_hidden_ones():
    source = "import numpy as np\nassert f(1) == 2, 'f(1) should be 2'\n### BEGIN HIDDEN TESTS\nassert f(2) == 4, 'SECRET 4'\n### END HIDDEN TESTS"
    cell = _cell(source, grade=True, solution=False, locked=True, grade_id="t", points=1)
    cell.outputs = [_error(2, evalue="f(1) should be 2")]
    outcome, visible, hidden, message = feedback.grade_cell_outcome(cell)
    assert (outcome, visible, hidden) == ("failed", "failed", "not_run")
    assert "f(1) should be 2" in message and "assert f(1) == 2" in message
    cell.outputs = [_error(4, evalue="SECRET 4")]
    assert feedback.grade_cell_outcome(cell) == ("failed", "passed", "failed", feedback.HIDDEN_FAILED)
    cell.outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue="SECRET 4", traceback=["no frame"])]
    assert "SECRET" not in feedback.grade_cell_outcome(cell)[3]
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="SECRET 4")]
    assert "SECRET" not in feedback.grade_cell_outcome(cell)[3]
    cell.outputs = []
    assert feedback.grade_cell_outcome(cell)[0] == "passed"


def test_discovery_of_renamed_invalid_and_missing(tmp_path):
    root = tmp_path / "subs"
    (root / "ann" / "a1").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), root / "ann" / "a1" / "Untitled.ipynb")
    (root / "bob" / "a1").mkdir(parents=True)
    (root / "bob" / "a1" / "a1.ipynb").write_text('{"cells": [')
    (root / "cat" / "a2").mkdir(parents=True)
    (root / "cat" / "__MACOSX").mkdir()
    subs, warnings = discover(root, {"a1", "a2"})
    got = {(s.student, s.assignment): (s.status, s.flags) for s in subs}
    assert got == {("ann", "a1"): (None, ["renamed_notebook"]), ("ann", "a2"): ("missing_notebook", []),
                   ("bob", "a1"): ("invalid_notebook", []), ("bob", "a2"): ("missing_notebook", []),
                   ("cat", "a1"): ("missing_notebook", []), ("cat", "a2"): ("missing_notebook", [])}
    assert pick_notebook(root / "ann" / "a1", "a1").submitted_name == "Untitled.ipynb"


def test_zip_extraction_is_safe_and_finds_the_layout(tmp_path):
    archive = tmp_path / "subs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("submitted/ann/04_sine_lab/04_sine_lab.ipynb", "{}")
        zf.writestr("../evil.txt", "x")
        zf.writestr("/abs.txt", "x")
    root = extract_zip(archive, tmp_path / "x")
    assert root == tmp_path / "x" / "submitted"
    assert not (tmp_path / "evil.txt").exists()
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["submitted"]


def test_merging_shards(tmp_path):
    for shard, student in ((0, "ann"), (1, "bob")):
        out = tmp_path / f"s{shard}"
        (out / "students" / student / "a1").mkdir(parents=True)
        (out / "students" / student / "a1" / "results.json").write_text("{}")
        (out / "summary.csv").write_text(f"student_id,assignment,score,max_score,status,flags\n{student},a1,1,2,graded,\n")
        (out / "grades.csv").write_text(f"student_id,assignment,question,score,max_score\n{student},a1,q,1,2\n")
    assert merge([tmp_path / "s1", tmp_path / "s0"], tmp_path / "all") == []
    assert [r["student_id"] for r in read_csv(tmp_path / "all" / "summary.csv")] == ["ann", "bob"]
    merged = read_csv(tmp_path / "all" / "grades.csv")
    assert len(merged) == 2 and [r["question_name"] for r in merged] == ["", ""]   # shards from before the column
    assert (tmp_path / "all" / "students" / "bob" / "a1" / "results.json").exists()


def test_two_graders_on_one_machine_never_share_a_kernel_uid(tmp_path):
    """Batches that run at once lease disjoint uids (a batch's clean-up kills every process of
    its jobs' uids: shared uids let one batch kill the other's kernels)."""
    from autograder.grader.sandbox import KERNEL_UID_BASE
    from autograder.grader.supervise import UidLease

    first = UidLease(3, folder=str(tmp_path))
    second = UidLease(2, folder=str(tmp_path))
    assert len(set(first.uids) | set(second.uids)) == 5 and min(first.uids) >= KERNEL_UID_BASE
    first.release()
    third = UidLease(3, folder=str(tmp_path))
    assert set(third.uids) == set(first.uids), "released uids are free again"
    assert not set(third.uids) & set(second.uids)
    second.release()
    third.release()


def test_a_grade_cell_splits_into_its_visible_lines_and_its_hidden_region():
    from autograder.grader.execution import split_hidden

    src = "assert f(1) == 2\nprint('ok')\n### BEGIN HIDDEN TESTS\nassert f(5) == 99\n### END HIDDEN TESTS"
    visible, hidden = split_hidden(src)
    assert visible == "assert f(1) == 2\nprint('ok')\n"          # same line numbers as the cell's
    assert hidden.startswith("### BEGIN HIDDEN TESTS") and "f(5) == 99" in hidden and "f(5)" not in visible
    assert split_hidden("assert f(1) == 2") is None


def test_of_the_hidden_part_only_what_scores_it_is_kept():
    from nbformat.notebooknode import NotebookNode

    from autograder.course import STDERR_NOISE_PATTERN
    from autograder.grader.execution import HIDDEN_STDERR, HIDDEN_TESTS_FAILED, hidden_part_outputs

    outs = [NotebookNode(output_type="stream", name="stdout", text="expected 99 (secret)\n"),
            NotebookNode(output_type="stream", name="stderr", text="debug: expected 99\n"),
            NotebookNode(output_type="error", ename="AssertionError", evalue="f(5) should be 99",
                         traceback=["assert f(5) == 99"])]
    kept = hidden_part_outputs(outs, STDERR_NOISE_PATTERN)
    assert "99" not in repr(kept) and "secret" not in repr(kept)
    assert [o.get("ename") or o.get("text") for o in kept] == [HIDDEN_STDERR, HIDDEN_TESTS_FAILED]
    noise = [NotebookNode(output_type="stream", name="stderr", text="WARNING:tensorflow: retracing\n")]
    assert hidden_part_outputs(noise, STDERR_NOISE_PATTERN) == noise          # IgnorePattern drops it next
    # a late line of noise (a child process of the visible part) joins the visible part's
    # stderr, as in one piece, so that IgnorePattern drops the two together
    shown = [NotebookNode(output_type="stream", name="stderr", text="2024-05-01 12:00:00.000001: W tensorflow/x.cc:1] a\n")]
    late = [NotebookNode(output_type="stream", name="stderr", text="ed in the C++ log\n")]
    assert hidden_part_outputs(late, STDERR_NOISE_PATTERN, shown) == []
    assert shown[0]["text"].endswith("ed in the C++ log\n")
    result = NotebookNode(output_type="execute_result", execution_count=3, metadata={}, data={"text/plain": "0.5"})
    assert hidden_part_outputs([result], "")[0]["data"] == {"text/plain": "0.5"}      # partial credit stays


def test_one_marker_parser_gives_regions_line_numbers_and_the_split():
    from autograder.regions import region_line_numbers, split_at_region, split_regions

    src = ("x = 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION\nassert y\n"
           "### BEGIN HIDDEN TESTS\nassert y == 2\n### END HIDDEN TESTS\nprint('after')")
    outside, inside, errors = split_regions(src)
    assert outside == ["x = 1", "assert y", "print('after')"] and not errors
    assert inside == {"solution": ["y = 2"], "hidden": ["assert y == 2"]}
    assert region_line_numbers(src, "hidden") == {6, 7, 8} and region_line_numbers(src, "solution") == {2, 3, 4}
    before, rest = split_at_region(src, "hidden")
    assert before.endswith("assert y\n") and rest.startswith("### BEGIN HIDDEN TESTS")
    assert split_regions("### BEGIN SOLUTION\nx")[2] == ["solution region never closed"]
    assert "without a matching BEGIN" in split_regions("### END HIDDEN TESTS")[2][0]


def test_a_marker_is_what_nbgrader_takes_for_one_anywhere_in_a_line():
    """nbgrader (ClearSolutions, ClearHiddenTests) opens a region at any line that contains its
    delimiter; the course's parser, which the leak checks and the grader's split rest on, reads
    the same lines as markers: a region nbgrader would strip is never missed here."""
    from nbgrader.preprocessors import ClearSolutions
    from nbgrader.preprocessors import ClearHiddenTests

    from autograder.regions import split_regions

    src = ("x = 1\n    #### BEGIN SOLUTION (yours)\ny = 2\n## END SOLUTION here\nz = 3\n"
           "# BEGIN HIDDEN TESTS\nh = 4\n# END HIDDEN TESTS")
    outside, inside, errors = split_regions(src)
    assert inside == {"solution": ["y = 2"], "hidden": ["h = 4"]} and outside == ["x = 1", "z = 3"] and not errors
    cleared = ClearSolutions()._replace_solution_region(nbformat.v4.new_code_cell(src), "python")
    assert cleared            # nbgrader finds the same solution region
    assert ClearHiddenTests()._remove_hidden_test_region(nbformat.v4.new_code_cell(src))


def test_jobs_auto_follows_the_machines_cores_and_memory(monkeypatch):
    import io

    from autograder.grader import cli

    real_open = open
    meminfo = "MemTotal:       24000000 kB\nMemAvailable:   {} kB\n"

    def fake(mb):
        def _open(path, *a, **k):
            return io.StringIO(meminfo.format(mb * 1024)) if path == "/proc/meminfo" else real_open(path, *a, **k)
        return _open

    monkeypatch.setattr(cli.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr("builtins.open", fake(20000))
    assert cli.jobs_for_machine(["02_lstm_gates"]) == 4           # 4 cores, memory for 4 x 4.3 GB
    assert cli.jobs_for_machine(["06_imdb_lab"]) == 2             # 8.5 GB kernels: memory decides
    monkeypatch.setattr("builtins.open", fake(1000))
    assert cli.jobs_for_machine() == 1                            # never 0
    assert cli._jobs("auto") == "auto" and cli._jobs("3") == 3
    with pytest.raises(ValueError):
        cli._jobs("0")


def test_merging_shards_keeps_every_shards_answers_to_grade_by_hand(tmp_path):
    """Each shard writes manual/<assignment>.html for its own students; the merge rebuilds
    the page from every shard's rows (a copy of the shards' pages kept only the last)."""
    from autograder.grader.boundary import Boundary
    from autograder.grader.report import write_outputs
    from autograder.grader.schema import Question, Result

    for shard, student in ((0, "ann"), (1, "bob")):
        q = Question("essay", 0.0, 2.0, "pending", "not_run", None, "", "Question 1 · essay, 2 points")
        r = Result(student, "a1", "needs_manual_grade", 0.0, 2.0, questions=[q],
                   answers={"essay": f"{student} explains the highway"})
        write_outputs([r], tmp_path / f"s{shard}", Boundary())
    assert merge([tmp_path / "s0", tmp_path / "s1"], tmp_path / "all") == []
    page = (tmp_path / "all" / "manual" / "a1.html").read_text()
    assert "ann explains the highway" in page and "bob explains the highway" in page
    assert "Question 1 · essay, 2 points" in page and page.index("<h2>ann") < page.index("<h2>bob")
