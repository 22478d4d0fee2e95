"""Step support: make nbgrader's gradebook cheap to open.

Every time nbgrader creates a gradebook it runs the `alembic heads` command in a
subprocess (nbgrader.api.get_alembic_version) only to read the newest migration id, which
is a fixed fact of the installed nbgrader.  On 2 busy cores that subprocess alone costs
1-9 s per gradebook.  We read the same id once, in-process, with alembic's own API, and
hand nbgrader the cached answer.  Behaviour is unchanged: the value is identical (a test
checks it against the real command).
"""
from __future__ import annotations

import functools
import os

import nbgrader.api

# nbgrader's own (subprocess) implementation, kept for the test that compares the two.
NBGRADER_GET_ALEMBIC_VERSION = nbgrader.api.get_alembic_version


@functools.lru_cache(maxsize=1)
def alembic_head() -> str:
    import nbgrader
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", os.path.join(os.path.dirname(nbgrader.__file__), "alembic"))
    return ScriptDirectory.from_config(cfg).get_current_head()


def install() -> None:
    nbgrader.api.get_alembic_version = alembic_head
