"""Shared fixtures.  Tests run real nbgrader and real kernels; nothing is mocked."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from nbcells import nbgrader_meta

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import course  # noqa: E402


def pytest_report_header(config):
    return f"course assignments present: {', '.join(course.ASSIGNMENTS)}"


@pytest.fixture(scope="session")
def assignments():
    return course.ASSIGNMENTS


@pytest.fixture(scope="session")
def fresh_release(tmp_path_factory):
    """The student versions as `make release` would generate them now, in a temp folder."""
    from autograder.authoring import release

    out = tmp_path_factory.mktemp("release") / "notebooks"
    release.generate(out)
    return out


# ---------------------------------------------------------------- in-memory notebook factories
# Shared by the unit tests of every step (lint, scan, tamper, feedback, leaks): a master is
# built cell by cell in memory, with nbgrader's metadata as the masters carry it.

@pytest.fixture
def cells():
    """Cell factories: ``cells.setup()``, ``cells.markdown(text)``, ``cells.code(src)``,
    ``cells.solution(grade_id, body)``, ``cells.tests(grade_id, visible, hidden, points)``."""
    import types

    import nbformat

    def setup(seed=0):
        return nbformat.v4.new_code_cell(f"from rnnkit import setup\nsetup(seed={seed})")

    def markdown(text):
        return nbformat.v4.new_markdown_cell(text)

    def code(source):
        return nbformat.v4.new_code_cell(source)

    def solution(grade_id, body="return 1", name="f"):
        cell = nbformat.v4.new_code_cell(
            f"def {name}():\n    ### BEGIN SOLUTION\n    {body}\n    ### END SOLUTION")
        cell.metadata["nbgrader"] = nbgrader_meta(grade_id, solution=True)
        return cell

    def tests(grade_id, visible="assert True", hidden="assert 1", points=1):
        source = f"{visible}\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS" if hidden is not None else visible
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = nbgrader_meta(grade_id, grade=True, locked=True, points=points)
        return cell

    return types.SimpleNamespace(setup=setup, markdown=markdown, code=code, solution=solution, tests=tests)


@pytest.fixture
def notebook():
    """``notebook(*cells)``: a valid nbformat 4 notebook holding those cells (fresh ids)."""
    import nbformat

    def make(*cells):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.from_dict(dict(c, id=f"c{i}")) for i, c in enumerate(cells)]
        return nb

    return make
