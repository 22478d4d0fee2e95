"""Notebook cells with nbgrader's metadata, for tests that build masters and submissions in
memory (the `cells` and `notebook` fixtures of conftest.py use the same metadata)."""
import nbformat


def nbgrader_meta(grade_id, *, solution=False, grade=False, locked=False, points=None, task=False):
    """nbgrader's cell metadata, as the masters carry it."""
    meta = {"grade": grade, "solution": solution, "locked": locked, "task": task, "grade_id": grade_id,
            "schema_version": 3}
    if points is not None:
        meta["points"] = points
    return meta


def code_cell(source, grade_id=None, **nbg):
    """A code cell; with a ``grade_id``, an nbgrader cell (``solution=``, ``grade=``, ``locked=``, ``points=``)."""
    cell = nbformat.v4.new_code_cell(source)
    if grade_id is not None:
        cell.metadata["nbgrader"] = nbgrader_meta(grade_id, **nbg)
    return cell


# ----------------------------------------------------------------------------------------
# a synthetic master graded through the one grading path (the CLI, real nbgrader, sandboxed kernels)
# ----------------------------------------------------------------------------------------

def synthetic_release(tmp, aid: str, master):
    """``master`` written as ``tmp/src/<aid>/<aid>.ipynb``, its nbgrader template built in
    ``tmp/tpl`` (the hidden checks recorded there); returns (the source folder, the student version)."""
    from autograder.grader.worker import build_template

    src = tmp / "src"
    (src / aid).mkdir(parents=True)
    nbformat.write(master, src / aid / f"{aid}.ipynb")
    build_template(aid, tmp / "tpl", src)
    return src, nbformat.read(tmp / "tpl" / "release" / aid / f"{aid}.ipynb", as_version=4)


def answered(release, grade_id: str, source: str):
    """A copy of the student version with ``source`` as the answer in cell ``grade_id``."""
    import json

    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id).source = source
    return nb


def hand_in(subs, student: str, aid: str, nb):
    """``nb`` as ``subs/<student>/<aid>/<aid>.ipynb`` (nbgrader's submitted layout); returns its path."""
    path = subs / student / aid / f"{aid}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    return path


def grade_cli(subs, out, src, cell_timeout: int, timeout: int):
    """``python -m autograder grade`` on ``subs`` (2 jobs), as an instructor runs it; prints the
    end of its output (shown when a test fails) and returns the finished process."""
    import subprocess
    import sys

    from autograder import course

    cli = subprocess.run([sys.executable, "-m", "autograder", "grade", str(subs), "--out", str(out), "--jobs", "2",
                          "--source", str(src), "--cell-timeout", str(cell_timeout)],
                         cwd=course.ROOT, capture_output=True, text=True, timeout=timeout)
    print(cli.stdout[-4000:], cli.stderr[-3000:])
    return cli
