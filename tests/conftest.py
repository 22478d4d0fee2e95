"""Shared fixtures.  Tests run real nbgrader and real kernels; nothing is mocked."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

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
