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
def test_master_is_output_free_and_follows_the_pattern(aid):
    nb = nbformat.read(course.notebook_path(course.SOURCE, aid), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "store masters without outputs"
    assert "setup(" in code[0].source and "from rnnkit import setup" in code[0].source, \
        "the first code cell must call rnnkit.setup() before TensorFlow is imported"
    # every solution cell is followed (after any markdown) by a grade cell
    metas = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    for i, meta in enumerate(metas):
        if meta.get("solution") and not meta.get("grade"):
            nxt = next((m for m in metas[i + 1:] if m.get("grade") or m.get("solution")), {})
            assert nxt.get("grade"), f"solution cell {meta['grade_id']} has no grade cell after it"


def _copy(cell, new_id):
    cell = nbformat.from_dict(cell)
    cell["id"] = new_id
    return cell


def _nb_with(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return nb


def test_metadata_check_catches_each_defect(tmp_path):
    grade = nbformat.v4.new_code_cell("assert True\n### BEGIN HIDDEN TESTS\nassert 1\n### END HIDDEN TESTS")
    grade.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": "t", "points": 1, "schema_version": 3}
    sol = nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION")
    sol.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "grade_id": "s", "schema_version": 3}
    path = tmp_path / "m.ipynb"

    def problems(nb):
        nbformat.write(nb, path)
        return "\n".join(check_master(path, {}))

    assert problems(_nb_with([sol, grade])) == ""
    no_points = _copy(grade, 'c1')
    no_points.metadata["nbgrader"]["points"] = 0
    assert "positive points" in problems(_nb_with([sol, no_points]))
    dup = _copy(grade, 'c2')
    assert "already used" in problems(_nb_with([sol, grade, dup]))
    unbalanced = _copy(sol, 'c3')
    unbalanced.source = "def f():\n    ### BEGIN SOLUTION\n    return 1\n"
    assert "never closed" in problems(_nb_with([unbalanced, grade]))
    with_output = _copy(sol, 'c4')
    with_output.outputs = [nbformat.v4.new_output("stream", text="hi")]
    assert "carries outputs" in problems(_nb_with([with_output, grade]))
    remote = nbformat.v4.new_markdown_cell("![lstm](https://example.org/lstm.png)")
    assert "remote image" in problems(_nb_with([remote, sol, grade]))
    tf1 = _copy(sol, 'c5')
    tf1.source = "import tensorflow as tf\nsess = tf.compat.v1.Session()\n" + sol.source
    assert "TF1-era API" in problems(_nb_with([tf1, grade]))
    prose = nbformat.v4.new_markdown_cell("Seed 003 called `tf.compat.v1.disable_eager_execution()`; Keras 3 has no graph mode to switch to.")
    assert problems(_nb_with([prose, sol, grade])) == "", "prose may name an obsolete API to explain it"
    no_hidden = _copy(grade, 'c6')
    no_hidden.source = "assert True"
    assert "no ### BEGIN HIDDEN TESTS" in problems(_nb_with([sol, no_hidden]))


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
