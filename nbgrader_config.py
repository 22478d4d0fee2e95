"""nbgrader configuration of the LSTM course.

`make release` runs nbgrader from this folder: masters in source/<assignment_id>/,
student versions written to notebooks/<assignment_id>/ (the release directory).
The autograder (autograder/) loads this same file and only overrides the course root
and the gradebook location for its throwaway course directories.  On JupyterHub this folder is
the course root (submitted/, autograded/, feedback/ and gradebook.db live here, all gitignored):
see docs/autograding.md, "nbgrader on JupyterHub".
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))     # the course root
sys.path.insert(0, HERE)
from autograder.course import COURSE_ID, NBGRADER_CELL_TIMEOUT, STDERR_NOISE_PATTERN  # noqa: E402

c = get_config()  # noqa: F821  (injected by traitlets)

c.CourseDirectory.course_id = COURSE_ID
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "notebooks"
# The course's gradebook: an absolute path, next to this file (gitignored), outside build/ so that
# `make clean` never deletes grades, and found by formgrader and `nbgrader export` whatever
# folder they run from (formgrader runs from the Jupyter root, not from the course).
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# Student versions: a "how to work in this notebook" header, solutions stripped,
# hidden tests removed, outputs cleared, grade cells locked.
# (an absolute path: nbgrader opens it from the assignment's folder, not from the course root)
c.IncludeHeaderFooter.header = os.path.join(HERE, "source", "header.ipynb")
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearHiddenTests.enforce_metadata = True
c.ClearOutput.enabled = True

# Autograding: the per-cell time limit, from course.toml.  Plain `nbgrader autograde` (and
# formgrader's autograde button) has one limit for every notebook, so it gets the largest of
# course.toml's per-assignment `cell_seconds` (NBGRADER_CELL_TIMEOUT in autograder/course.py;
# measured on a busy 2-core machine with a margin of at least 4), never nbgrader's 30 s or 120 s.  The course's own
# grader (make autograde) applies each assignment's limit, a whole-notebook limit and CPU and
# memory caps on top.  TensorFlow's start-up/log lines are stripped from stderr before
# scoring, so that log noise can never turn a passing grade cell into 0 points.
c.Execute.timeout = NBGRADER_CELL_TIMEOUT
c.Execute.interrupt_on_timeout = True
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = STDERR_NOISE_PATTERN
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
