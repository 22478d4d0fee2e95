"""course.toml: the one description of the course, loaded into typed objects (fast tier)."""
from __future__ import annotations

import subprocess
import textwrap

import pytest

from autograder import course

GOOD = """
[course]
id = "c"
[defaults]
bench_budget_seconds = 45.0
[defaults.limits]
cell_seconds = 180
notebook_seconds = 600
[defaults.gradescope]
cpus = 2.0
memory_gb = 3.0
timeout_minutes = 20
[[assignment]]
id = "01_a"
roles = ["bench", "load"]
[[assignment]]
id = "02_b"
data = ["imdb"]
bench_budget_seconds = 150.0
limits = { cell_seconds = 900, memory_mb = 8192 }
gradescope = { memory_gb = 12.0 }
"""


def _load(tmp_path, text):
    p = tmp_path / "course.toml"
    p.write_text(textwrap.dedent(text))
    return course.load(p)


def test_the_course_file_loads_in_course_order():
    c = course.load()
    ids = [a.id for a in c.assignments]
    assert ids == sorted(ids) and len(ids) >= 6
    assert course.ALL_ASSIGNMENTS == tuple(ids)
    assert set(course.ASSIGNMENTS) <= set(ids)
    # every role the gates need is held by exactly one assignment
    for role in course.KNOWN_ROLES:
        assert c.with_role(role).id in ids
    assert course.NBGRADER_CELL_TIMEOUT == max(a.limits.cell_seconds for a in c.assignments)


def test_entries_override_the_defaults_field_by_field(tmp_path):
    c = _load(tmp_path, GOOD)
    a, b = c["01_a"], c["02_b"]
    assert (a.limits.cell_seconds, a.limits.memory_mb, a.bench_budget_seconds) == (180, 4096, 45.0)
    assert (b.limits.cell_seconds, b.limits.notebook_seconds, b.limits.memory_mb) == (900, 600, 8192)
    assert (b.gradescope.cpus, b.gradescope.memory_gb) == (2.0, 12.0)
    assert b.uses_imdb and not a.uses_imdb and b.bench_budget_seconds == 150.0
    assert c.with_role("load").id == "01_a"
    # RLIMIT_CPU: the whole notebook on every core plus a minute, unless set
    assert a.limits.cpu_cap(cores=2) == 600 * 2 + 60
    assert b.limits.cpu_cap(cores=8) == 600 * 8 + 60
    with pytest.raises(KeyError, match="not an assignment"):
        c["03_missing"]


@pytest.mark.parametrize("change, message", [
    (("01_a", "01_a\"\nfoo = \"1"), "unknown key"),
    (("id = \"02_b\"", "id = \"01_a\""), "listed twice"),
    (("id = \"02_b\"", "id = \"00_b\""), "course order"),
    (("id = \"02_b\"", "id = \"lab-b\""), "two digits"),
    (("data = [\"imdb\"]", "data = [\"mnist\"]"), "unknown data"),
    (("roles = [\"bench\", \"load\"]", "roles = [\"bench\"]"), "role 'load'"),
    (("memory_mb = 8192", "memory = 8192"), "unknown key"),
])
def test_a_mistake_in_the_file_is_a_clear_error(tmp_path, change, message):
    text = GOOD.replace(*change)
    assert text != GOOD
    with pytest.raises(ValueError, match=message):
        c = _load(tmp_path, text)
        for role in course.KNOWN_ROLES:
            c.with_role(role)


def test_no_code_names_an_assignment():
    """Adding a lab is one entry of course.toml plus its folder: no code names an assignment id
    (the masters, the student versions, the tests, the per-assignment banks, the docs and the
    recorded benchmark results may, and so may the files generated from course.toml, which
    tests/test_nbconfig.py holds to it)."""
    from autograder.authoring import nbconfig

    code = ["autograder", "rnnkit", "tools", "Makefile", "nbgrader_config.py", ".ci", "lab-config",
            "lab-config-hub", "pyproject.toml", "requirements.txt", "environment.yml", ".github"]
    generated = [f":(exclude){p.relative_to(course.ROOT)}" for p in nbconfig.expected()
                 if p.name == "nbgrader_config.py" and p.parent != course.ROOT]
    pattern = "|".join(course.ALL_ASSIGNMENTS)
    found = subprocess.run(["git", "grep", "--untracked", "-nE", pattern, "--", *code, *generated], cwd=course.ROOT,
                           capture_output=True, text=True)
    assert found.returncode in (0, 1), found.stderr
    assert found.stdout == "", f"assignment ids outside course.toml:\n{found.stdout}"


def test_one_list_says_who_sees_what():
    """The bundle's contents and the instructor-only paths are disjoint, and every secret path
    is both kept out of bundles (leak check) and covered for kernels (sandbox)."""
    from autograder.authoring import bundle, leaks

    assert not set(course.STUDENT_FILES) & set(course.INSTRUCTOR_ONLY)
    assert bundle.COMMON == course.STUDENT_FILES
    assert set(course.SECRET_PATHS) <= set(course.INSTRUCTOR_ONLY)
    assert {p.rstrip("/") for p in leaks.INSTRUCTOR_ONLY} == set(course.INSTRUCTOR_ONLY)
    for p in course.STUDENT_FILES:
        assert (course.ROOT / p).exists(), p


def test_no_machine_paths_in_committed_files():
    """Committed files hold no absolute path of this (or any grading) machine."""
    found = subprocess.run(["git", "grep", "-nE", r"(/work/|/root/|/home/[a-z]+/|/tmp/[A-Za-z0-9_.-]+/)",
                            "--", "bench", "course.toml", "notebooks", "source", "assets"],
                           cwd=course.ROOT, capture_output=True, text=True)
    assert found.returncode in (0, 1), found.stderr
    assert found.stdout == "", f"machine paths in committed files:\n{found.stdout}"


def test_the_limits_hold_against_the_last_bench():
    """course.toml's budgets and limits are sized from bench/results.json (make bench: one bare
    run of each solved master on 2 cores): every assignment is measured there, its bare run is
    within its bench budget, and its notebook limit is at least 4 times the bare run."""
    import json

    measured = json.loads((course.ROOT / "bench" / "results.json").read_text())["notebooks"]
    assert sorted(measured) == sorted(course.ASSIGNMENTS), "make bench --notebooks <id> for a new assignment"
    for aid, seconds in measured.items():
        assert seconds <= course.assignment(aid).bench_budget_seconds, (aid, seconds)
        assert course.limits(aid).notebook_seconds >= 4 * seconds, (aid, seconds, course.limits(aid))


def test_the_cell_limits_and_waits_hold_against_the_last_busy_run():
    """course.toml's per-cell limits and nbgrader's waits are sized from bench/busy.json (make
    busy: each solved master graded idle, with both cores hogged and with one TensorFlow
    thread, through the course's path and plain nbgrader): every assignment is measured in
    every mode on both paths, every run kept full marks, each cell limit is at least
    busy.MARGIN times the idle slowest cell and above the slowest cell of every mode, and
    each of nbgrader's waits is busy.WAIT_MARGIN times the longest kernel start and IOPub lag."""
    import json

    from autograder.gates import busy

    record = json.loads((course.ROOT / "bench" / "busy.json").read_text())
    runs = [busy.Run(**r) for r in record["runs"]]
    seen = {(r.assignment, r.mode, r.path) for r in runs}
    missing = sorted({(a, m, p) for a in course.ASSIGNMENTS for m in busy.MODES for p in busy.PATHS} - seen)
    assert not missing, f"make busy ASSIGNMENTS=... for {missing}"
    assert not busy.problems(runs)
    for r in runs:
        assert busy.limit_for(r) > r.slowest_seconds, (r.assignment, r.mode, r.path, r.slowest_seconds)
    assert set(record["kernel_start"]) == set(busy.MODES)
    for mode, start in record["kernel_start"].items():
        assert course.COURSE.executor.kernel_start_seconds >= busy.WAIT_MARGIN * start["seconds"], (mode, start)
