"""`make release` builds one bundle per assignment (its notebook, its figures, the helper
package, the environment, its README) and the self-study bundle, and the answers leak check
passes on each assignment's bundle, yet fails on real answers planted where they must not be."""
from __future__ import annotations

import io
import keyword
import re
import shutil
import textwrap
import tokenize
import zipfile

import nbformat
import pytest

from autograder.authoring import bundle, leaks
from autograder import course
from autograder.regions import split_regions

LSTM, GRU, IMDB = "02_lstm_gates", "03_gru_vs_lstm", "06_imdb_lab"


@pytest.fixture(scope="module")
def bundles(fresh_release, tmp_path_factory):
    """What `make release` writes into dist/, built from the student versions generated now."""
    return bundle.build_all(tmp_path_factory.mktemp("dist"), release_dir=fresh_release)


@pytest.fixture(scope="module")
def exercises():
    return leaks.course_exercises()


def _inner(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist()}


def _figures_named(path) -> set[str]:
    """The assets/ files a notebook names anywhere (a plain search, independent of bundle.py):
    in a released notebook, relative to its own folder (the release copies them there)."""
    return set(re.findall(r"assets/[\w.-]+\.png", path.read_text()))


def _rezip(src, dst, changes: dict[str, bytes]):
    """A copy of bundle ``src`` with some entries (paths below the top folder) replaced."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        top = zin.namelist()[0].split("/", 1)[0]
        for name in zin.namelist():
            inner = name.split("/", 1)[1]
            zout.writestr(name, changes.get(inner, zin.read(name)))
    return dst


def _code_cell(nb, needle: str) -> int:
    """The index of the one non-solution code cell of ``nb`` that holds ``needle``."""
    found = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and needle in c.source
             and not c.metadata.get("nbgrader", {}).get("solution")]
    assert len(found) == 1, f"expected one cell with {needle!r}, found {found}"
    return found[0]


# --------------------------------------------------------------------------- the bundles
def test_release_builds_one_bundle_per_assignment_and_the_self_study_bundle(bundles):
    assert list(bundles) == [bundle.SELF_STUDY, *course.ASSIGNMENTS]
    for name, path in bundles.items():
        assert path.is_file() and path.name == f"{course.COURSE_ID}-{name}.zip"
    assert bundles[bundle.SELF_STUDY].name == "lstm-course-self-study.zip" == course.BUNDLE.name
    assert not list(bundles[LSTM].parent.glob("*student*")), "the old all-in-one name must be gone"


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_assignment_bundle_holds_its_notebook_its_figures_rnnkit_and_a_readme(aid, bundles, fresh_release):
    inner = _inner(bundles[aid])
    folder = fresh_release / aid
    assert {n for n in inner if n.startswith("notebooks/")} == \
        {f"notebooks/{aid}/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*") if p.is_file()}, \
        "the bundle must hold exactly its own released folder"
    assert {n for n in inner if n.startswith(f"notebooks/{aid}/assets/")} == \
        {f"notebooks/{aid}/{f}" for f in _figures_named(course.notebook_path(fresh_release, aid))}, \
        "the bundle must hold exactly the figures its notebook shows, in its released folder"
    assert not [n for n in inner if n.startswith("assets/")], "the released folder is self-contained"
    for name in _figures_named(course.notebook_path(fresh_release, aid)):
        assert inner[f"notebooks/{aid}/{name}"] == (course.ROOT / name).read_bytes()
        assert f"notebooks/{aid}/{name}" in inner["README.md"].decode()
    helper = {p.relative_to(course.ROOT).as_posix() for p in course.HELPER_PACKAGE.rglob("*.py")} - course.later_helpers(aid)
    assert helper <= set(inner), f"rnnkit incomplete: {sorted(helper - set(inner))}"
    for need in ("README.md", "requirements.txt", "environment.yml", "pyproject.toml",
                 "lab-config/jupyter_server_config.py"):
        assert need in inner, f"{need} missing from the bundle of {aid}"
    assert not [n for n in inner if n.startswith(leaks.INSTRUCTOR_ONLY) or "__pycache__" in n]
    readme = inner["README.md"].decode()
    assert f"notebooks/{aid}/{aid}.ipynb" in readme and "## Submit" in readme and "## Set up" in readme
    assert ("IMDB_DATA_DIR" in readme) == (aid in course.IMDB_ASSIGNMENTS)
    assert not [other for other in course.ALL_ASSIGNMENTS if other != aid and other in readme]
    assert "self-study" not in readme


@pytest.mark.parametrize("name", [bundle.SELF_STUDY, *course.ASSIGNMENTS])
def test_a_bundle_installs_what_students_need_and_nothing_of_the_instructors(name, bundles):
    """The student pins (no pytest, no playwright), a pyproject.toml that names only rnnkit, no
    pointer to files students do not have, and Validate's own config (the per-cell limits)."""
    import tomllib

    inner = _inner(bundles[name])
    pins = {line.split("==")[0].lower() for line in inner["requirements.txt"].decode().splitlines()
            if "==" in line and not line.startswith("#")}
    assert pins and not pins & {"pytest", "playwright", "pluggy", "iniconfig", "greenlet", "openpyxl"}, sorted(pins)
    assert "requirements-instructor.txt" not in inner
    assert inner["requirements.txt"] == (course.ROOT / "requirements.txt").read_bytes()
    project = tomllib.loads(inner["pyproject.toml"].decode())
    assert set(project) == {"build-system", "project", "tool"} and set(project["tool"]) == {"setuptools"}
    assert project["project"]["name"] == "rnnkit" and project["tool"]["setuptools"]["packages"] == ["rnnkit"]
    for arcname in ("requirements.txt", "environment.yml", "pyproject.toml"):
        text = inner[arcname].decode()
        assert not re.search(r"\b(autograder|tests/|pytest|provisioner)", text), f"{arcname}: {text[:300]}"
    assert inner["lab-config/nbgrader_config.py"] == (course.ROOT / "lab-config" / "nbgrader_config.py").read_bytes()


def _notebooks_of(path, tmp_path):
    """The notebooks of a bundle, unpacked: arcname -> file."""
    out = {}
    for name, data in _inner(path).items():
        if name.endswith(".ipynb"):
            target = tmp_path / path.stem / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            out[name] = target
    return out


@pytest.mark.parametrize("name", [bundle.SELF_STUDY, *course.ASSIGNMENTS])
def test_every_file_a_student_notebook_names_is_in_its_bundle(name, bundles, tmp_path):
    """A guide, a figure, a helper module, a data file: what the notebook names, the bundle
    holds (or its README says where it comes from); the contributor guide is never in it."""
    inner = _inner(bundles[name])
    notebooks = _notebooks_of(bundles[name], tmp_path)
    assert notebooks
    assert bundle.unresolved_references(notebooks, set(inner), inner["README.md"].decode()) == []
    for arcname, path in notebooks.items():
        text = path.read_text()
        assert not re.search(r"contributor(?:'s)?\s+guide|CONTRIBUTING", text, re.I), f"{arcname} sends students to the contributor guide"
        for module in set(re.findall(r"\brnnkit\.(\w+)", text)):        # a plain search, independent of bundle.py
            assert f"rnnkit/{module}.py" in inner or f"rnnkit/{module}/__init__.py" in inner, f"{arcname}: rnnkit.{module}"


def test_a_name_the_bundle_does_not_hold_fails_the_build(fresh_release, tmp_path):
    release = tmp_path / "notebooks"
    shutil.copytree(fresh_release, release)
    path = course.notebook_path(release, LSTM)
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(
        "Notation: see the contributor guide, and `CONTRIBUTING.md`; the grading is in `docs/grading.md`. "
        "Helpers: `rnnkit.nothere` and `rnnkit/gone.py`; results in `results.csv`. "
        "Resolved: `rnnkit.sine`, `rnnkit/imdb.py`, the `README.md`, `../../assets/lstm_cell.png`, `imdb.npz`."))
    nb.cells.insert(2, nbformat.v4.new_code_cell("from rnnkit.missing_module import helper"))
    nbformat.write(nb, path)
    files = bundle.assignment_files(LSTM, release_dir=release)
    names = set(files) | {"README.md"}
    found = "\n".join(bundle.unresolved_references({a: p for a, p in files.items() if a.endswith(".ipynb")},
                                                    names, "offline, set IMDB_DATA_DIR to a folder holding `imdb.npz`"))
    for bad in ("'contributor guide'", "'CONTRIBUTING'", "'CONTRIBUTING.md'", "'docs/grading.md'", "rnnkit.nothere",
                "'rnnkit/gone.py'", "'results.csv'", "rnnkit.missing_module"):
        assert bad in found, (bad, found)
    for good in ("rnnkit.sine", "rnnkit/imdb.py", "'README.md'", "lstm_cell.png", "imdb.npz"):
        assert good not in found, (good, found)
    with pytest.raises(FileNotFoundError, match="names what its bundle does not hold"):
        bundle.build_assignment(LSTM, tmp_path / "x.zip", release_dir=release)


def test_a_bundle_lacks_the_figures_of_other_notebooks(bundles):
    assert f"notebooks/{GRU}/assets/gru_cell.png" in _inner(bundles[GRU])
    assert not [n for n in _inner(bundles[LSTM]) if n.endswith("gru_cell.png")], "02's bundle ships 03's figure"
    assert not [n for n in _inner(bundles[GRU]) if n.endswith("lstm_cell.png")], "03's bundle ships 02's figure"
    assert not [n for n in _inner(bundles[IMDB]) if n.endswith(".png")], "06 shows no figure"
    assert {n for n in _inner(bundles[bundle.SELF_STUDY]) if n.startswith("assets/")} == \
        {p.relative_to(course.ROOT).as_posix() for p in course.ASSETS.glob("*.png")}


def test_a_bundle_lacks_the_helper_modules_of_later_labs(bundles):
    """A lab's own rnnkit modules (course.toml's ``helpers``) ship with it and the labs after
    it, never before: 08's character vocabularies would answer 07's exercise."""
    owned = {h: a.id for a in course.COURSE.assignments if a.id in course.ASSIGNMENTS for h in a.helpers}
    for aid in course.ASSIGNMENTS:
        inner = set(_inner(bundles[aid]))
        for helper, owner in owned.items():
            shipped = helper in inner
            assert shipped == (course.ASSIGNMENTS.index(aid) >= course.ASSIGNMENTS.index(owner)), (aid, helper)
    assert course.later_helpers(course.ASSIGNMENTS[-1]) == set()


def test_the_bundles_are_reproducible(bundles, fresh_release, tmp_path):
    again = bundle.build_all(tmp_path, release_dir=fresh_release)
    assert [p.name for p in again.values()] == [p.name for p in bundles.values()]
    for name in bundles:
        assert again[name].read_bytes() == bundles[name].read_bytes(), f"{name}: two builds differ"
    with zipfile.ZipFile(bundles[LSTM]) as zf:
        assert zf.namelist() == sorted(zf.namelist())
        assert {i.date_time for i in zf.infolist()} == {bundle.TIMESTAMP}


def test_a_stale_bundle_is_removed(fresh_release, tmp_path):
    (tmp_path / f"{course.COURSE_ID}-student.zip").write_bytes(b"old")
    bundle.build_all(tmp_path, release_dir=fresh_release, assignments=[LSTM])
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{course.COURSE_ID}-{LSTM}.zip",
                                                         f"{course.COURSE_ID}-self-study.zip"]


def test_self_study_readme_says_later_notebooks_show_earlier_answers(bundles):
    readme = _inner(bundles[bundle.SELF_STUDY])["README.md"].decode()
    assert "For self-study only, not for a graded course." in readme
    assert "later notebooks show answers to earlier exercises" in readme
    assert re.search(rf"`{GRU}` \(cell \d+\) defines `lstm_param_count`, the answer to an exercise of `{LSTM}`", readme)
    assert re.search(rf"`{IMDB}` \(cell \d+\) writes out the code .* of `lstm_cell_forward`, the answer to an exercise of `{LSTM}`", readme)
    assert "one bundle per assignment" in readme


# --------------------------------------------------------------------------- the check passes
def test_every_bundle_passes_its_leak_checks(bundles, exercises):
    """Also the proof that generic code is not flagged: the real notebooks and rnnkit pass."""
    from autograder.__main__ import _check_bundles

    found = _check_bundles(bundles)
    assert not found, "\n".join(map(str, found))
    assert len([e for exs in exercises.values() for e in exs]) >= 4 * len(course.ASSIGNMENTS)


def test_each_bundle_is_checked_against_its_own_and_every_later_exercise(exercises):
    due = leaks.exercises_due(LSTM, exercises)
    assert {e.assignment for e in due} == set(course.ASSIGNMENTS[1:])
    later = set(course.ASSIGNMENTS[course.ASSIGNMENTS.index(IMDB):])
    assert {e.assignment for e in leaks.exercises_due(IMDB, exercises)} == later
    last = course.ASSIGNMENTS[-1]
    assert {e.assignment for e in leaks.exercises_due(last, exercises)} == {last}
    assert "lstm_param_count" in {n for e in due for n in e.names}


def test_generic_code_is_not_flagged(fresh_release, exercises):
    """The closest real content: 02's worked example computes c_t and h_t exactly as the
    solution of lstm_cell_forward does (two statements, 19 tokens), below the threshold."""
    nb = nbformat.read(course.notebook_path(fresh_release, LSTM), as_version=4)
    cell = nb.cells[_code_cell(nb, "c_after = gate * c_before + gate * cand")]
    step = next(e for e in exercises[LSTM] if e.names == ("lstm_cell_forward",))
    best = leaks.matches(step, leaks.statements(cell.source))[0]
    assert len(best.code) == 2 and best.tokens < leaks.MIN_RUN_TOKENS and not best.long_enough
    generic = textwrap.dedent("""\
        import numpy as np
        outputs = []
        for t in range(n_steps):
            outputs.append(h)
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")
        return x
    """)
    every = [e for exs in exercises.values() for e in exs]
    assert not leaks.scan_code("generic.py", cell.source + "\n" + generic, every)


def test_statements_are_normalised_up_to_renaming():
    same = lambda a, b: [s.tokens for s in leaks.statements(a)] == [s.tokens for s in leaks.statements(b)]
    assert same("i, f = sig(z[:, 0:n]), sig(z[:, n:2*n])  # two gates",
                "a = logistic(pre[:, :u])\nb = logistic(pre[:, u:2 * u])")
    assert same('x = "a" "b"  # comment', "y = 'c'")
    assert same("if a: b = c + d", "if x:\n    y = z + w")
    assert same("x = 1.", "x = 1.0") and not same("x = 1.0", "x = 2.0")
    assert not same("x = a if b else c", "x = a and b or c")
    assert leaks.statements("return h_t, c_t")[0].tokens == ("return", "ID", ",", "ID")


# --------------------------------------------------------------------------- the check fails
def test_03s_lstm_param_count_in_02s_bundle_is_caught(bundles, fresh_release, tmp_path):
    """(i) 03's real cell that defines lstm_param_count, put into 02's bundle."""
    nb03 = nbformat.read(course.notebook_path(fresh_release, GRU), as_version=4)
    cell = nb03.cells[_code_cell(nb03, "def lstm_param_count")]
    arc = f"notebooks/{LSTM}/{LSTM}.ipynb"
    nb02 = nbformat.reads(_inner(bundles[LSTM])[arc].decode(), as_version=4)
    nb02.cells.append(nbformat.v4.new_code_cell(cell.source))
    planted = _rezip(bundles[LSTM], tmp_path / bundles[LSTM].name, {arc: nbformat.writes(nb02).encode()})
    found = leaks.check_assignment_bundle(planted, LSTM)
    hits = [l for l in found if l.exercise == f"{LSTM} lstm_param_count" and l.rule == "name"]
    assert hits, "\n".join(map(str, found)) or "nothing found"
    assert f"{arc} cell {len(nb02.cells) - 1} line 1" in hits[0].where and "rule a" in hits[0].what
    assert "answer to 02_lstm_gates lstm_param_count" in str(hits[0])


def test_06s_forward_pass_is_caught_as_02s_answer_if_06_came_first(bundles, fresh_release, exercises):
    """(ii) 06 writes out the LSTM forward loop; released before 02, its bundle would answer
    02's Exercise 1 (the gate slices, renamed and unpacked in one line) by rule (b)."""
    ids = [a.id for a in course.COURSE.assignments if a.id != IMDB]
    order = tuple(ids[:ids.index(LSTM)] + [IMDB] + ids[ids.index(LSTM):])   # 06 moved before 02
    due = leaks.exercises_due(IMDB, exercises, order=order)
    found = leaks.check_answers(bundles[IMDB], exercises=due)
    nb06 = nbformat.read(course.notebook_path(fresh_release, IMDB), as_version=4)
    loop = _code_cell(nb06, "h = o_t * np.tanh(c)")
    hits = [l for l in found if l.rule == "code" and l.exercise == f"{LSTM} lstm_cell_forward"]
    assert hits, "\n".join(map(str, found)) or "nothing found"
    assert all(f"cell {loop} " in l.where for l in hits) and "rule b" in hits[0].what
    step = next(e for e in exercises[LSTM] if e.names == ("lstm_cell_forward",))
    best = leaks.matches(step, leaks.statements(nb06.cells[loop].source))[0]
    assert len(best.code) >= 3 and best.tokens >= leaks.MIN_RUN_TOKENS
    # in course order 06 comes after 02, and its bundle passes
    assert not leaks.check_answers(bundles[IMDB], IMDB)


def _renamed(source: str) -> str:
    """``source`` with every identifier renamed (v0, v1, ...: one new name per old name),
    strings and comments changed, laid out anew: a copy 'up to renaming'."""
    names: dict[str, str] = {}
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME and not keyword.iskeyword(tok.string):
            out.append((tok.type, names.setdefault(tok.string, f"v{len(names)}")))
        elif tok.type == tokenize.STRING:
            out.append((tok.type, repr("s")))
        elif tok.type == tokenize.COMMENT:
            continue
        else:
            out.append((tok.type, tok.string))
    return tokenize.untokenize(out)


def test_a_renamed_solution_in_the_helper_package_is_caught(fresh_release, exercises, tmp_path):
    """(iii) every solution long enough to be found, all identifiers renamed, pasted into a
    module of rnnkit: the bundle of the first assignment (checked against every exercise)
    reports each one, at its line."""
    root = tmp_path / "repo"
    for name in bundle.COMMON + ("assets",):
        src = course.ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            root.mkdir(exist_ok=True)
            shutil.copy(src, root / name)
    every = [e for aid in course.ASSIGNMENTS for e in exercises[aid]]
    findable = [e for e in every if e.findable]
    assert len(findable) >= len(every) // 2, f"only {len(findable)} of {len(every)} solutions are long enough"
    module, starts = [], {}
    for k, ex in enumerate(findable):
        master = nbformat.read(course.notebook_path(course.SOURCE, ex.assignment), as_version=4)
        cell = next(c for c in master.cells if c.metadata.get("nbgrader", {}).get("grade_id") == ex.grade_id)
        solution = textwrap.dedent("\n".join(split_regions(cell.source)[1]["solution"]))
        copy = _renamed(solution)
        assert not set(re.findall(r"[A-Za-z_]\w{2,}", copy)) - set(keyword.kwlist) - {f"v{i}" for i in range(99)}, \
            "the copy still holds an original name"
        body = [f"def helper_{k}(*args):"] + textwrap.indent(copy, "    ").splitlines() + [""]
        starts[str(ex)] = (len(module) + 2, len(module) + len(body) + 1)      # its lines in the module
        module += body
    (root / "rnnkit" / "extras.py").write_text("\n".join(module) + "\n")
    first = course.ASSIGNMENTS[0]
    built = bundle.build_assignment(first, tmp_path / "b.zip", root=root, release_dir=fresh_release)
    found = [l for l in leaks.check_answers(built, first) if l.rule == "code" and "rnnkit/extras.py" in l.where]
    for ex in findable:
        lines = [int(re.search(r"lines? (\d+)", l.where).group(1)) for l in found if l.exercise == str(ex)]
        assert lines, f"renamed copy of {ex} not caught"
        assert any(starts[str(ex)][0] <= n < starts[str(ex)][1] for n in lines), f"{ex}: reported at {lines}"
