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
