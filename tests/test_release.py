"""`make release`: notebooks/ is fresh, the self-study bundle is complete, and nothing secret leaks.

The per-assignment bundles and the answers leak check: tests/test_bundles.py."""
import json
import zipfile

import nbformat
import pytest

from autograder.authoring import bundle, leaks
from autograder import course


def _normalised(path):
    return json.loads(path.read_text())


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_committed_student_version_is_what_release_generates_now(aid, fresh_release):
    committed = course.notebook_path(course.RELEASE, aid)
    assert committed.exists(), f"notebooks/{aid} is missing: run make release and commit it"
    assert _normalised(committed) == _normalised(course.notebook_path(fresh_release, aid)), \
        f"notebooks/{aid} is stale: run make release and commit it"
    files = lambda folder: {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
                            if p.is_file() and "__pycache__" not in p.parts}
    assert files(committed.parent) == files(fresh_release / aid), \
        f"notebooks/{aid}/ (its figures) is stale: run make release and commit it"


def test_release_has_no_stray_assignments():
    present = {p.name for p in course.RELEASE.iterdir() if p.is_dir()}
    assert present <= set(course.ASSIGNMENTS), f"student versions without a master: {present - set(course.ASSIGNMENTS)}"


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_student_version_is_stripped(aid):
    nb = nbformat.read(course.notebook_path(course.RELEASE, aid), as_version=4)
    text = json.dumps(nb)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    assert "raise NotImplementedError()" in text
    assert "How to work in this notebook" in nb.cells[0].source, "the student header comes first"
    grade_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    tests = [c for c in grade_cells if not c.metadata["nbgrader"].get("solution")]   # not an answer graded by hand
    assert tests and all(c.metadata["nbgrader"]["locked"] for c in tests)
    for answer in (c for c in grade_cells if c.metadata["nbgrader"].get("solution")):
        assert not answer.metadata["nbgrader"]["locked"], "a student must be able to write a hand-graded answer"


@pytest.fixture(scope="module")
def built_bundle(tmp_path_factory):
    """The self-study bundle (every notebook at once)."""
    return bundle.build(tmp_path_factory.mktemp("dist") / course.BUNDLE.name)


def test_bundle_holds_what_students_need_and_nothing_else(built_bundle):
    names = zipfile.ZipFile(built_bundle).namelist()
    inner = {n.split("/", 1)[1] for n in names}
    for need in ("README.md", "requirements.txt", "environment.yml", "pyproject.toml", "rnnkit/__init__.py"):
        assert need in inner, f"{need} missing from the bundle"
    for aid in course.ASSIGNMENTS:
        assert f"notebooks/{aid}/{aid}.ipynb" in inner
    assert not [n for n in inner if n.startswith(leaks.INSTRUCTOR_ONLY)]
    assert not [n for n in inner if "__pycache__" in n or n.endswith(".pyc")]


def test_bundle_is_reproducible(built_bundle, tmp_path):
    again = bundle.build(tmp_path / "again.zip")
    assert again.read_bytes() == built_bundle.read_bytes()


def test_leak_check_is_clean_on_the_release_and_the_bundle(built_bundle):
    secrets = leaks.course_secrets()
    assert len(secrets) > 10 * len(course.ASSIGNMENTS), "suspiciously few secret lines were found"
    found = leaks.check_release(course.RELEASE, secrets) + leaks.check_bundle(built_bundle, secrets)
    assert not found, "\n".join(map(str, found))


def _copy_release(tmp_path):
    import shutil

    dst = tmp_path / "notebooks"
    shutil.copytree(course.RELEASE, dst)
    return dst


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_leak_check_fails_on_a_planted_solution_line(aid, tmp_path):
    secrets = leaks.course_secrets()
    solution_line = next(l for l, kind in sorted(secrets.items()) if kind == f"solution line of {aid}")
    hidden_line = next(l for l, kind in sorted(secrets.items()) if kind == f"hidden-test line of {aid}")
    for planted in (solution_line, hidden_line):
        rel = _copy_release(tmp_path / planted[:8].replace("/", "_").replace(" ", "_"))
        path = course.notebook_path(rel, aid)
        nb = nbformat.read(path, as_version=4)
        nb.cells[-1].source += "\n    " + planted          # indented, as if pasted into a function
        nbformat.write(nb, path)
        found = leaks.check_release(rel, secrets)
        # (the report quotes the line with repr: a quote in it comes back escaped)
        assert found and repr(planted[:40])[1:-1] in str(found[0]), f"planted line not caught: {planted!r}"


def test_leak_check_fails_on_outputs_and_markers(tmp_path):
    aid = course.ASSIGNMENTS[0]
    rel = _copy_release(tmp_path)
    path = course.notebook_path(rel, aid)
    nb = nbformat.read(path, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", text="42\n")]
    nb.cells.append(nbformat.v4.new_code_cell("### BEGIN SOLUTION"))
    nbformat.write(nb, path)
    found = "\n".join(map(str, leaks.check_release(rel)))
    assert "carries outputs" in found and "region marker" in found


def test_leak_check_scans_the_bundle_helper_package(tmp_path):
    """A solution pasted into the helper package must be caught in the bundle."""
    import shutil

    from autograder.regions import normalise, split_regions

    secrets = leaks.course_secrets()
    master = nbformat.read(course.notebook_path(course.SOURCE, course.ASSIGNMENTS[0]), as_version=4)
    solution = next(split_regions(c.source)[1]["solution"] for c in master.cells
                    if c.metadata.get("nbgrader", {}).get("solution"))
    pasted = [l for l in solution if normalise(l) in secrets]
    assert len(pasted) >= 2
    root = tmp_path / "repo"
    for name in bundle.CONTENTS:
        src = course.ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            root.mkdir(exist_ok=True)
            shutil.copy(src, root / name)
    (root / "rnnkit" / "cheat.py").write_text("def f(data, look_back):\n" + "\n".join(pasted) + "\n")
    found = leaks.check_bundle(bundle.build(tmp_path / "b.zip", root), secrets)
    assert any("cheat.py" in l.where for l in found)
