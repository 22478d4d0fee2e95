"""The command line: every step of `python -m autograder` answers --help (fast tier)."""
from __future__ import annotations

import pytest

from autograder.__main__ import main

STEPS = ["lint", "check", "release", "leaks", "validate", "grade", "mutants", "alternatives", "bench",
         "determinism", "busy", "load", "gradescope", "classroom", "export"]


@pytest.mark.parametrize("step", [None] + STEPS)
def test_every_step_has_a_working_help(step, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(([step] if step else []) + ["--help"])
    assert exit_.value.code == 0
    assert "usage: python -m autograder" in capsys.readouterr().out
