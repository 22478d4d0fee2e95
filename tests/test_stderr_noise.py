"""TensorFlow's log noise on stderr must never zero a correct grade cell.

nbgrader gives 0 to a grade cell with any stderr output.  The grade cell below produces
real noise: it starts TensorFlow in a child process with all logging on (its C++ and absl
lines reach the cell's stderr through the kernel's captured file descriptor) and builds a
Keras layer the deprecated way (a real Keras UserWarning).  Graded on the one grading path
(the worker, GuardedExecute, the sandboxed kernel) with the course's configuration it
keeps its points; with the IgnorePattern switched off the same cell scores 0, which shows
that the test can fail.
"""
import nbformat
import pytest

from autograder.gates.grading import grade_notebooks, scores

NOISY_TESTS = r'''
import os, subprocess, sys, warnings
env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="0", TF_ENABLE_ONEDNN_OPTS="1", ABSL_MIN_LOG_LEVEL="0")
subprocess.run([sys.executable, "-c", "import tensorflow as tf; print(tf.constant(1.0) + 1)"], env=env, check=True)
warnings.simplefilter("always")
import keras
keras.layers.Dense(2, input_shape=(3,))
assert answer() == 42
### BEGIN HIDDEN TESTS
assert answer() + 1 == 43
### END HIDDEN TESTS
'''


def _master(folder):
    folder.mkdir(parents=True)
    sol = nbformat.v4.new_code_cell("def answer():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION")
    sol.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "task": False,
                                "grade_id": "answer", "schema_version": 3}
    tests = nbformat.v4.new_code_cell(NOISY_TESTS.strip())
    tests.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "task": False,
                                  "grade_id": "answer_tests", "points": 1, "schema_version": 3}
    nb = nbformat.v4.new_notebook(cells=[sol, tests])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "noise.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_tensorflow_log_noise_cannot_zero_a_correct_cell(tmp_path):
    master = _master(tmp_path / "src" / "noise")
    graded = grade_notebooks({"s": (master, "noise")}, source_root=tmp_path / "src")["s"]
    assert graded.status == "graded", (graded.status, graded.review)
    assert scores(graded) == {"answer_tests": (1.0, 1.0)}, f"log noise zeroed a correct cell: {graded.questions}"

    off = {"IgnorePattern": {"enabled": False}}
    control = grade_notebooks({"s": (master, "noise")}, source_root=tmp_path / "src", nbgrader_config=off)["s"]
    assert scores(control) == {"answer_tests": (0.0, 1.0)}, "without the filter nbgrader should have scored 0"
    assert "standard error" in control.questions[0].message, control.questions[0].message
