"""The masters in source/: output-free, valid nbgrader metadata, Keras 3 only."""
import nbformat
import pytest

from autograder import course
from autograder.authoring.metadata import check_all, check_master
from autograder.regions import split_regions


def test_all_masters_pass_the_metadata_check():
    problems = check_all()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_master_passes_the_lint(aid):
    """Output-free, seeded by rnnkit.setup first, every solution followed by its grade cell...:
    the rules live in the lint (authoring/metadata.py), which `make release` runs too."""
    assert check_master(course.notebook_path(course.SOURCE, aid), {}) == []


def test_metadata_check_catches_each_defect(tmp_path, cells, notebook):
    sol, grade = cells.solution("s"), cells.tests("t")
    path = tmp_path / "m.ipynb"

    def problems(*cs):
        nbformat.write(notebook(cells.setup(), *cs), path)
        return "\n".join(check_master(path, {}))

    assert problems(sol, grade) == ""
    assert problems(sol, cells.markdown("Why it works."), grade) == "", "markdown may sit between"
    assert "positive points" in problems(sol, cells.tests("t", points=0))
    assert "already used" in problems(sol, grade, cells.tests("t"))
    unbalanced = cells.solution("s")
    unbalanced.source = "def f():\n    ### BEGIN SOLUTION\n    return 1\n"
    assert "never closed" in problems(unbalanced, grade)
    with_output = cells.solution("s")
    with_output.outputs = [nbformat.v4.new_output("stream", text="hi")]
    assert "carries outputs" in problems(with_output, grade)
    assert "remote image" in problems(cells.markdown("![lstm](https://example.org/lstm.png)"), sol, grade)
    tf1 = cells.solution("s")
    tf1.source = "import tensorflow as tf\nsess = tf.compat.v1.Session()\n" + tf1.source
    assert "TF1-era API" in problems(tf1, grade)
    prose = cells.markdown("Seed 003 called `tf.compat.v1.disable_eager_execution()`; Keras 3 has no graph mode to switch to.")
    assert problems(prose, sol, grade) == "", "prose may name an obsolete API to explain it"
    assert "no ### BEGIN HIDDEN TESTS" in problems(sol, cells.tests("t", hidden=None))
    # the two rules that used to live only in this test file
    assert "not followed by its grade cell" in problems(sol, cells.solution("s2", name="g"), grade)
    assert "not followed by its grade cell" in problems(grade, sol)
    nbformat.write(notebook(cells.code("import tensorflow as tf"), cells.setup(), sol, grade), path)
    assert "must call rnnkit.setup" in "\n".join(check_master(path, {}))


def test_split_regions_balances_markers():
    outside, inside, errors = split_regions("a\n### BEGIN SOLUTION\nb\n### END SOLUTION\nc")
    assert outside == ["a", "c"] and inside["solution"] == ["b"] and not errors
    _, _, errors = split_regions("### END SOLUTION")
    assert errors


def _exercises_with_statements(nb):
    """(statement markdown, solution cell, grade cell) of every exercise."""
    out = []
    cells = nb.cells
    for i, cell in enumerate(cells):
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("solution") and not meta.get("grade") and cell.cell_type == "code"):
            continue
        statement = next((c.source for c in reversed(cells[:i]) if c.cell_type == "markdown"), "")
        grade = next((c for c in cells[i + 1:] if c.metadata.get("nbgrader", {}).get("grade")), None)
        out.append((statement, cell, grade))
    return out


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_every_numpy_only_rule_is_enforced_by_its_grade_cell(aid):
    """A statement that says "numpy only" has its rule enforced where the grade is decided:
    a hidden region in rnnkit.hidden's form judges that function with ``numpy_only=True`` (the
    restricted interpreter); a hidden region still run in the kernel checks every call through
    rnnkit.rules.numpy_only (visible and hidden parts)."""
    import ast
    import re

    from autograder.grader.judge import is_judged
    from autograder.regions import split_at_region

    nb = nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4)
    for statement, solution, grade in _exercises_with_statements(nb):
        if not re.search(r"numpy\s+only", statement, re.I):
            continue
        names = [n.name for n in ast.parse(solution.source).body if isinstance(n, ast.FunctionDef)]
        assert names, f"{aid}: a numpy-only exercise without a function"
        source = grade.source
        parts = split_at_region(source, "hidden")
        if parts is not None and is_judged(parts[1]):
            judged = {call.args[0].value: {k.arg: getattr(k.value, "value", None) for k in call.keywords}
                      for call in ast.walk(ast.parse(parts[1]))
                      if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "judged"
                      and call.args and isinstance(call.args[0], ast.Constant)}
            for name in names:
                assert judged.get(name, {}).get("numpy_only") is True, \
                    f"{aid}: the statement says numpy only, and the hidden tests do not judge {name} with numpy_only=True"
            continue
        assert "numpy_only" in source, f"{aid}: the statement says numpy only, the grade cell never checks it"
        tree = ast.parse(source)
        direct = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
                  and isinstance(node.func, ast.Name) and node.func.id in names]
        assert not direct, (f"{aid}: {names} is called directly (line {direct[0].lineno}) in its grade cell: "
                            "go through numpy_only so that the rule is checked")


@pytest.mark.parametrize("aid", course.ASSIGNMENTS)
def test_every_hidden_region_is_decided_outside_the_kernel(aid):
    """Every grade cell's hidden region is written in rnnkit.hidden's form (issue 31): the
    kernel only produces, the grader decides.  No hidden test of any exercise runs in the
    student's kernel."""
    from autograder.grader.judge import is_judged
    from autograder.regions import split_at_region

    nb = nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4)
    in_kernel = [cell.metadata["nbgrader"].get("grade_id") for cell in nb.cells
                 if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code"
                 and (parts := split_at_region(cell.source, "hidden")) is not None and not is_judged(parts[1])]
    assert not in_kernel, f"{aid}: hidden tests still run in the kernel: {in_kernel}"


def test_lint_checks_points_headings_and_the_stated_total(tmp_path, cells, notebook):
    """Each "### Exercise N (P points)" heading matches its grade cell, and the first cell
    states the notebook's total (and, where it lists them, each exercise's points)."""
    path = tmp_path / "m.ipynb"

    def problems(*cs):
        nbformat.write(notebook(*cs), path)
        return "\n".join(check_master(path, {}))

    intro = cells.markdown("# Lab\n\nExercise 1 (2 points): **2 points in all**.")
    ex = cells.markdown("### Exercise 1 (2 points): `f()`\n\nReturn 1.")
    sol, grade = cells.solution("s"), cells.tests("t", points=2)
    assert problems(intro, cells.setup(), ex, sol, grade) == ""
    assert "gives 3" in problems(intro, cells.setup(), ex, sol, cells.tests("t", points=3))
    assert "must state the total" in problems(cells.markdown("# Lab"), cells.setup(), ex, sol, grade)
    assert "says 5 points in all" in problems(cells.markdown("# Lab\n**5 points in all**"), cells.setup(), ex, sol, grade)
    listed_wrong = cells.markdown("# Lab\n\n1. **Exercise 1** (4 points): f.\n\n**2 points in all.**")
    assert "gives Exercise 1 4 points" in problems(listed_wrong, cells.setup(), ex, sol, grade)
    table_wrong = cells.markdown("# Lab\n\n| exercise | what | points |\n| --- | --- | --- |\n| 1 | `f` | 3 |\n\n**2 points in all.**")
    assert "gives Exercise 1 3 points" in problems(table_wrong, cells.setup(), ex, sol, grade)
    one = cells.markdown("### Exercise 1 (1 point): `f()`")
    assert problems(cells.markdown("# Lab\n**1 points in all**"), cells.setup(), one, sol, cells.tests("t", points=1)) == ""
    # an answer graded by hand (a markdown solution and grade cell): its points are in the total, its heading checked
    essay = cells.markdown("### Exercise 2 (3 points): why?")
    answer = cells.markdown("### BEGIN SOLUTION\nBecause.\n### END SOLUTION")
    answer.metadata["nbgrader"] = {"grade": True, "solution": True, "locked": False, "task": False,
                                   "grade_id": "why", "points": 3, "schema_version": 3}
    with_essay = cells.markdown("# Lab\n\nExercise 1 (2 points), Exercise 2 (3 points): **5 points in all**.")
    assert problems(with_essay, cells.setup(), ex, sol, grade, essay, answer) == ""
    assert "grade cells add up to 5" in problems(intro, cells.setup(), ex, sol, grade, essay, answer)
    answer.metadata["nbgrader"]["points"] = 1
    assert "answer graded by hand gives 1" in problems(with_essay, cells.setup(), ex, sol, grade, essay, answer)


def test_lint_counts_answers_graded_by_hand_in_the_total(tmp_path, cells, notebook):
    """A written answer graded by hand (a markdown solution cell with points) counts in the total,
    and its heading states its points."""
    from nbcells import nbgrader_meta

    path = tmp_path / "m.ipynb"

    def problems(*cs):
        nbformat.write(notebook(*cs), path)
        return "\n".join(check_master(path, {}))

    def essay(points):
        cell = cells.markdown("### BEGIN SOLUTION\nBecause.\n### END SOLUTION")
        cell.metadata["nbgrader"] = nbgrader_meta("why", solution=True, grade=True, points=points)
        return cell

    ex = cells.markdown("### Exercise 1 (2 points): `f()`")
    why = cells.markdown("### Exercise 2 (3 points): why?")
    body = (cells.setup(), ex, cells.solution("s"), cells.tests("t", points=2), why)
    assert problems(cells.markdown("# Lab\n**5 points in all**"), *body, essay(3)) == ""
    assert "add up to 5" in problems(cells.markdown("# Lab\n**2 points in all**"), *body, essay(3))
    assert "by hand gives 1" in problems(cells.markdown("# Lab\n**3 points in all**"), *body, essay(1))


def test_lint_wants_the_statement_to_say_what_the_grade_cell_checks(tmp_path, cells, notebook):
    path = tmp_path / "m.ipynb"

    def problems(statement, visible, *extra):
        nbformat.write(notebook(cells.setup(), cells.markdown(statement), cells.solution("s"),
                                cells.tests("t", visible=visible), *extra), path)
        return "\n".join(check_master(path, {}))

    checks = [("from rnnkit.rules import numpy_only\nnumpy_only(f)", "Return 1, **numpy only**.", "numpy only"),
              ("import warnings\nwith warnings.catch_warnings(record=True) as w:\n    f()", "Return 1; it must not warn.", "must not warn"),
              ("import numpy as np\nassert np.asarray(f()).dtype == np.float32", "Return a float32 array.", "float32"),
              ("import keras\nassert isinstance(f(), keras.Sequential)", "Return a `keras.Sequential`.", "keras.Sequential"),
              ("import numpy as np\nnp.testing.assert_allclose(f(), 1, rtol=1e-5)", "Compared to a tolerance of 1e-5.", "tolerance")]
    for visible, said, rule in checks:
        assert problems(said, visible) == "", (rule, problems(said, visible))
        assert rule in problems("Return 1.", visible), rule
    reads = cells.code('hist = model.fit(x, y).history\nplt.plot(hist["accuracy"])')
    assert 'metrics=["accuracy"]' in problems("Return 1.", "assert True", reads)
    assert problems('Compile with `metrics=["accuracy"]`.', "assert True", reads) == ""


def test_lint_catches_a_symbol_with_two_meanings(cells, notebook):
    """One letter, one meaning (CONTRIBUTING.md): issue 17's slips, `k` for the outputs and for
    the features (01) and `k` for the forecast step and for the example (05), are caught; a
    synonym (row k of X is example k) is not."""
    from autograder.authoring.metadata import check_notation

    def problems(*texts):
        return "\n".join(check_notation(notebook(*map(cells.markdown, texts)), "m"))

    assert "`k` names two kinds" in problems("Return the `k` outputs.", "Each of the `k` features is scaled.")
    found = problems("The forecast at step `k`.", "The RMSE over all examples `k` and all steps.")
    assert "`k`" in found and "cell(s) 0" in found and "cell(s) 1" in found
    assert "`T`" in problems("A window of $T$ steps.", "Each of the `T` examples.")
    assert problems("Row `k` of `X` is example `k`.", "The error of example `k`.") == ""
    assert problems("After step `t` the state is `h_t`.", "The word `t` of the review.") == ""
    assert problems("`u` units", "step `t`", "`d` features") == ""
