"""Step: sanitise a submission, as steps of nbgrader's own ``Autograde.sanitize_preprocessors``.

nbgrader autogrades in two passes: *sanitize* (clear outputs, de-duplicate ids, put the
instructor's kernelspec and locked cells back) and *autograde* (execute, save the grades).
``worker`` runs nbgrader's sanitize pass with three changes (``sanitize_preprocessors``):

1. ``NormaliseMetadata`` first: nbgrader metadata comes from the release, never from the
   student (nbgrader's own steps crash on malformed values before they can restore them);
2. ``RestoreSolutionStubs``: a deleted answer cell gets its released stub back, so that
   ``OverwriteCells.add_missing_cells`` can put the grade cell after it;
3. ``RecordingOverwriteCells`` in place of ``OverwriteCells``: nbgrader's own restoration of
   locked cells (checksums, missing cells), with every change it reports through
   ``report_change`` recorded for the instructor and the student.

What the steps record (a flag, ``tests_modified`` or ``cells_deleted``, and a detail) goes
to ``TamperRecord.recorder``, the worker's ``recorder.Recorder``, in memory.
A locked cell counts as unchanged when its source is the release's or the master's (hidden
tests included).
"""
from __future__ import annotations

import copy

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells
from nbgrader.utils import is_solution
from traitlets import Instance, Unicode

from .cells import grade_id, locked_test, nbgrader
from .recorder import Recorder

EDITED, DELETED = "tests_modified", "cells_deleted"


class TamperRecord(NbGraderPreprocessor):
    """Base of the steps that compare a submission with its release and record changes."""

    release_notebook = Unicode("", help="The released student version of this notebook.").tag(config=True)
    recorder = Instance(Recorder, allow_none=True,
                        help="The worker's record of this submission; None: changes are only logged.").tag(config=True)

    _release = None

    @property
    def release(self):
        if self._release is None:
            self._release = nbformat.read(self.release_notebook, as_version=4)
        return self._release

    def record(self, flag: str, detail: str) -> None:
        self.log.warning("%s: %s", flag, detail)
        if self.recorder is not None:
            self.recorder.change(flag, detail)


def normalise_metadata(submitted, release, on_edit=None):
    """nbgrader metadata comes from the release: a cell whose grade_id the release knows
    gets the release's metadata back (points, locked...), and any other nbgrader metadata
    (a duplicated cell, an invented grade_id, garbage) is dropped.  ``on_edit(grade_id)``
    is called for a locked test cell whose metadata the student had changed."""
    known = {grade_id(c): c for c in release.cells if grade_id(c)}
    seen = set()
    for cell in submitted.cells:
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta is None:
            continue
        gid = grade_id(cell)
        if isinstance(gid, str) and gid in known and gid not in seen:
            mine = {k: v for k, v in meta.items() if k != "checksum"}
            theirs = {k: v for k, v in nbgrader(known[gid]).items() if k != "checksum"}
            if on_edit is not None and locked_test(known[gid]) and mine != theirs:
                on_edit(gid)
            cell.metadata["nbgrader"] = copy.deepcopy(nbgrader(known[gid]))
            seen.add(gid)
        else:
            del cell.metadata["nbgrader"]
    return submitted


def restore_missing_solution_cells(submitted, release):
    """Put the released stub back for any deleted solution cell.

    ``OverwriteCells.add_missing_cells`` re-inserts a deleted grade cell after the cell that
    precedes it in the master; when that cell (the exercise's solution cell) is gone too,
    nbgrader crashes with a KeyError.  The stub raises NotImplementedError, as a blank answer.
    """
    present = {grade_id(c) for c in submitted.cells} - {None}
    cells = list(submitted.cells)
    for pos, cell in enumerate(release.cells):
        gid = grade_id(cell)
        if not gid or gid in present or not is_solution(cell):
            continue
        # after the nearest earlier release cell that the submission still has (same
        # grade_id, or same cell id: a submission keeps the ids of the notebook it came from)
        at = 0
        for prev in reversed(release.cells[:pos]):
            pid, cid = grade_id(prev), prev.get("id")
            match = [i for i, c in enumerate(cells)
                     if (pid and grade_id(c) == pid) or (cid and c.get("id") == cid)]
            if match:
                at = match[0] + 1
                break
        cells.insert(at, nbformat.from_dict(dict(cell)))
        present.add(gid)
    submitted.cells = cells
    return submitted


class NormaliseMetadata(TamperRecord):
    def preprocess(self, nb, resources):
        nb = normalise_metadata(nb, self.release, on_edit=lambda gid: self.record(
            EDITED, f"locked cell {gid} was edited (restored from the master)"))
        return nb, resources


class RestoreSolutionStubs(TamperRecord):
    def preprocess(self, nb, resources):
        return restore_missing_solution_cells(nb, self.release), resources


class RecordingOverwriteCells(OverwriteCells, TamperRecord):
    """nbgrader's ``OverwriteCells``, recording what it reports.  nbgrader reports a checksum
    change for every grade cell with hidden tests (the student has the release's source,
    the gradebook the master's): that one is the restoration of the hidden tests, not an
    edit, and is not recorded."""

    def preprocess_cell(self, cell, resources, cell_index):
        self._submitted = (cell.cell_type, cell.source)
        return super().preprocess_cell(cell, resources, cell_index)

    def _locked_in_release(self, gid: str) -> dict | None:
        for cell in self.release.cells:
            if grade_id(cell) == gid:
                return cell if locked_test(cell) else None
        return None

    def report_change(self, name, attr, old, new):
        super().report_change(name, attr, old, new)
        released = self._locked_in_release(name)
        if released is None:
            return
        if attr == "checksum":
            master = self.gradebook.find_source_cell(name, self.notebook_id, self.assignment_id).source
            if self._submitted[1] in (released.source, master):
                return
        self.record(EDITED, f"locked cell {name} was edited (restored from the master)")

    def add_missing_grade_cells(self, nb, resources):
        present = {grade_id(c) for c in nb.cells}
        for cell in self.release.cells:
            gid = grade_id(cell)
            if gid and gid not in present and locked_test(cell):
                self.record(DELETED, f"locked cell {gid} was deleted (restored from the master)")
        return super().add_missing_grade_cells(nb, resources)


def sanitize_preprocessors(default: list) -> list:
    """nbgrader's sanitize pass (``default``, in its order) with this module's steps in."""
    steps = [RecordingOverwriteCells if p is OverwriteCells else p for p in default]
    return [NormaliseMetadata, RestoreSolutionStubs] + steps
