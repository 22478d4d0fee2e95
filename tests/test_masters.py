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
    """A statement that says "numpy only" has every call of its function checked by
    rnnkit.rules.numpy_only in the grade cell (visible and hidden parts)."""
    import ast
    import re

    nb = nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4)
    for statement, solution, grade in _exercises_with_statements(nb):
        if not re.search(r"numpy\s+only", statement, re.I):
            continue
        names = [n.name for n in ast.parse(solution.source).body if isinstance(n, ast.FunctionDef)]
        assert names, f"{aid}: a numpy-only exercise without a function"
        source = grade.source
        assert "numpy_only" in source, f"{aid}: the statement says numpy only, the grade cell never checks it"
        tree = ast.parse(source)
        direct = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
                  and isinstance(node.func, ast.Name) and node.func.id in names]
        assert not direct, (f"{aid}: {names} is called directly (line {direct[0].lineno}) in its grade cell: "
                            "go through numpy_only so that the rule is checked")
