"""Progress and diagnostics go through ``logging`` (issue 29, item 7), fast tier.

Each module that reports progress has its own logger (``logging.getLogger(__name__)``); the
command line (``autograder/__main__.py``) is the one place that gives them a handler: stdout,
on the "autograder" logger only (TensorFlow's and the root logger stay as they were), INFO as
the bare message, WARNING and ERROR with their level in front, once.  No function takes a
``log`` callback any more.
"""
from __future__ import annotations

import ast
import importlib
import io
import logging
from pathlib import Path

import pytest

import autograder
import autograder.__main__ as cli

PACKAGE = Path(autograder.__file__).parent
# the modules that report progress or diagnostics, each through its own logger
REPORTING = ["autograder.grader.grade", "autograder.grader.data", "autograder.platforms.gradescope",
             "autograder.platforms.nbgrader_course", "autograder.gates.bench_imdb", "autograder.gates.busy",
             "autograder.gates.load", "autograder.gates.study_seq2seq"]
CALLBACKS = {"log", "batch_log"}


def _state(logger: logging.Logger):
    return list(logger.handlers), logger.level, logger.propagate


def test_the_command_line_sets_one_handler_on_the_autograder_logger_only(monkeypatch, capsys):
    root, ours = logging.getLogger(), logging.getLogger("autograder")
    before_root, before_ours = _state(root), _state(ours)
    seen = {}

    def fake_lint(args):
        seen["root"], seen["ours"] = _state(root), _state(ours)
        logging.getLogger("autograder.grader.data").info("a progress line")
        logging.getLogger("autograder.grader.grade").warning("a diagnostic")
        logging.getLogger("autograder.platforms.nbgrader_course").error("a failure")
        logging.getLogger("autograder.gates.load").debug("not shown")
        logging.getLogger("tensorflow").warning("not ours")
        return 0

    monkeypatch.setattr(cli, "cmd_lint", fake_lint)
    assert cli.main(["lint"]) == 0
    assert seen["root"] == before_root, "the root logger got no handler and kept its level"
    handlers, level, propagate = seen["ours"]
    new = [h for h in handlers if h not in before_ours[0]]
    assert len(new) == 1 and isinstance(new[0], logging.StreamHandler), "one handler, on the 'autograder' logger"
    assert level == logging.INFO and propagate is False
    out = capsys.readouterr().out
    assert out.splitlines() == ["a progress line", "WARNING: a diagnostic", "ERROR: a failure"], out
    assert _state(ours) == before_ours, "main leaves the 'autograder' logger as it found it"


def test_a_warning_that_said_warning_itself_says_it_once(tmp_path):
    """data.prepare's SYNTHETIC warning, as the command line shows it: the prefix comes from the
    level, not from the text."""
    from autograder import course
    from autograder.grader import data

    if not course.IMDB_ASSIGNMENTS:
        pytest.skip("no assignment reads the IMDB data")
    aid = course.IMDB_ASSIGNMENTS[0]
    ours = logging.getLogger("autograder")
    before = _state(ours)
    stream = io.StringIO()
    handler = cli.setup_logging(stream)
    try:
        data.prepare([aid], tmp_path, use_synthetic=True)
    finally:
        ours.removeHandler(handler)
        ours.setLevel(before[1])
        ours.propagate = before[2]
    lines = stream.getvalue().splitlines()
    assert f"WARNING: {aid} graded on SYNTHETIC data: not final grades" in lines, lines
    assert any(line.startswith(f"{aid}: grading with ") for line in lines), lines
    assert not any("WARNING: WARNING" in line for line in lines)


def test_the_formatter():
    fmt = cli.LogFormat("%(message)s")

    def line(level, text):
        return fmt.format(logging.LogRecord("autograder.x", level, __file__, 1, text, None, None))

    assert line(logging.INFO, "graded in 3.0 s") == "graded in 3.0 s"
    assert line(logging.WARNING, "ann: renamed") == "WARNING: ann: renamed"
    assert line(logging.ERROR, "could not prepare 02") == "ERROR: could not prepare 02"


@pytest.mark.parametrize("name", REPORTING)
def test_each_reporting_module_has_its_own_logger(name):
    mod = importlib.import_module(name)
    assert isinstance(mod.log, logging.Logger) and mod.log.name == name


def test_no_function_takes_a_log_callback():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                a = node.args
                params = [*a.posonlyargs, *a.args, *a.kwonlyargs, *filter(None, (a.vararg, a.kwarg))]
                found += [f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {getattr(node, 'name', 'lambda')}({p.arg})"
                          for p in params if p.arg in CALLBACKS]
    assert not found, "log callbacks left (use the module's logger):\n" + "\n".join(found)
