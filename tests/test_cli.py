"""The command line: every step of `python -m autograder` answers --help (fast tier)."""
from __future__ import annotations

import pytest

from autograder.__main__ import main

STEPS = ["seq2seq-study", "lint", "check", "release", "leaks", "validate", "grade", "merge", "mutants", "alternatives", "bench",
         "imdb-study", "determinism", "busy", "load", "gradescope", "classroom", "export", "feedback", "assets",
         "nbtext"]


def test_every_subcommand_is_listed_once_in_one_style():
    """One table (``SUBCOMMANDS``) names every subcommand and where its add_arguments and run
    live; the tests above ask each for its help."""
    from autograder.__main__ import SUBCOMMANDS

    names = [name for name, _, _ in SUBCOMMANDS]
    assert sorted(names) == sorted(STEPS) and len(set(names)) == len(names)


def test_a_subcommand_that_cannot_load_stops_the_command_line_loudly(monkeypatch, capsys):
    """A module of a subcommand that fails to import is an error naming it when the
    subcommand is asked for, not a subcommand that silently disappears; the others, which
    load only when asked for, still run."""
    import autograder.__main__ as cli

    monkeypatch.setattr(cli, "SUBCOMMANDS", cli.SUBCOMMANDS + [("ghost", "gates.no_such_module", "x")])
    with pytest.raises(SystemExit) as exit_:
        cli.main(["ghost"])
    assert "the subcommand 'ghost' cannot load (autograder.gates.no_such_module)" in str(exit_.value.code)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["lint", "--help"])
    assert exit_.value.code == 0 and "ghost" not in capsys.readouterr().err


def test_every_subcommand_module_loads():
    """Each subcommand's module imports, with its add_arguments and run: the command line loads
    only the one asked for, so a broken one is caught here."""
    import autograder.__main__ as cli

    for name, where, _ in cli.SUBCOMMANDS:
        add_arguments, run = cli._entry(name, where)
        assert callable(add_arguments) and callable(run), name


@pytest.mark.parametrize("step", [None] + STEPS)
def test_every_step_has_a_working_help(step, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(([step] if step else []) + ["--help"])
    assert exit_.value.code == 0
    assert "usage: python -m autograder" in capsys.readouterr().out


def test_grade_help_names_the_layouts_the_roster_and_the_synthetic_data(capsys):
    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--roster" in text and "--synthetic-data" in text and "Canvas or Moodle" in text


def test_unknown_assignment_ids_are_a_usage_error_of_every_command(capsys):
    """Unknown ids: exit 2 and the valid ones, before anything runs (tests/test_cli_errors.py
    runs the same through a subprocess, command by command)."""
    from autograder import course

    assert main(["validate", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown assignment id(s): nope" in err and all(a in err for a in course.ASSIGNMENTS)
