"""nbgrader configuration of the LSTM course.

`make release` runs nbgrader from this folder: masters in source/<assignment_id>/,
student versions written to notebooks/<assignment_id>/ (the release directory).
The autograder (autograder/) loads this same file and only overrides the course root
and the gradebook location for its throwaway course directories.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from autograder.course import COURSE_ID, NBGRADER_CELL_TIMEOUT, STDERR_NOISE_PATTERN  # noqa: E402

c = get_config()  # noqa: F821  (injected by traitlets)

c.CourseDirectory.course_id = COURSE_ID
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.db_url = "sqlite:///build/gradebook.db"

# Student versions: a "how to work in this notebook" header, solutions stripped,
# hidden tests removed, outputs cleared, grade cells locked.
# (an absolute path: nbgrader opens it from the assignment's folder, not from the course root)
c.IncludeHeaderFooter.header = os.path.join(os.path.dirname(os.path.abspath(__file__)), "source", "header.ipynb")
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearHiddenTests.enforce_metadata = True
c.ClearOutput.enabled = True

# Autograding: the per-cell time limit.  Plain `nbgrader autograde` has one limit for every
# notebook, so it gets the largest of the course's per-assignment limits (autograder/course.py,
# LIMITS; measured on a busy 2-core machine with a margin of at least 4).  The course's own
# grader (make autograde) applies each assignment's limit, a whole-notebook limit and CPU and
# memory caps on top.  TensorFlow's start-up/log lines are stripped from stderr before
# scoring, so that log noise can never turn a passing grade cell into 0 points.
c.Execute.timeout = NBGRADER_CELL_TIMEOUT
c.Execute.interrupt_on_timeout = True
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = STDERR_NOISE_PATTERN
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100
