from autograder.nbgrader_speedups import NBGRADER_GET_ALEMBIC_VERSION, alembic_head


def test_cached_alembic_head_equals_what_nbgrader_computes():
    assert NBGRADER_GET_ALEMBIC_VERSION.__module__ == "nbgrader.api"
    assert NBGRADER_GET_ALEMBIC_VERSION() == alembic_head()
