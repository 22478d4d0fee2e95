"""Step: find the submissions.  nbgrader's submitted layout, a folder or a .zip of it:

    <student_id>/<assignment_id>/<assignment_id>.ipynb

Every student × expected assignment becomes one ``Submission``, graded or not:

* the notebook under its own name, else the only (or best matching) other ``.ipynb`` in
  that folder, flagged ``renamed_notebook``;
* no ``.ipynb`` at all: ``missing_notebook`` (nothing there) or ``invalid_notebook`` (other
  files, e.g. a PDF or a .py);
* a file that does not parse as a notebook (corrupt JSON, another format): ``invalid_notebook``.

The expected assignments are those asked for, else every known assignment that appears
anywhere in the tree (so a student without that folder gets a ``missing_notebook`` row).
"""
from __future__ import annotations

import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

IGNORED = {"__MACOSX", "__pycache__", ".ipynb_checkpoints", ".git"}
NBGRADER_FILES = {"timestamp.txt", "submission_secret.txt"}
MAX_NOTEBOOK_MB = 200
MAX_ZIP_MB = 8192


@dataclass
class Submission:
    student: str
    assignment: str
    path: Path | None = None          # the notebook to grade
    status: str | None = None         # set when it cannot be graded: missing_notebook | invalid_notebook | error
    detail: str = ""                  # one sentence for the student about that
    flags: list[str] = field(default_factory=list)
    submitted_name: str = ""          # the file's name as submitted

    @property
    def key(self) -> tuple[str, str]:
        return (self.student, self.assignment)


def _visible(p: Path) -> bool:
    return not p.name.startswith(".") and p.name not in IGNORED


def extract_zip(archive: Path, dest: Path, known: set[str] | None = None) -> Path:
    """Extract safely (no absolute paths, no '..', no links, bounded size); return the
    folder that holds the submitted layout."""
    dest.mkdir(parents=True, exist_ok=True)
    total = 0
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            name = info.filename.replace("\\", "/")
            parts = [p for p in name.split("/") if p not in ("", ".")]
            if not parts or name.startswith("/") or ".." in parts:
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                continue
            total += info.file_size
            if total > MAX_ZIP_MB * 1024 * 1024:
                raise ValueError(f"{archive} unpacks to more than {MAX_ZIP_MB} MB")
            target = dest.joinpath(*parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
    return layout_root(dest, known)


def layout_root(folder: Path, known: set[str] | None = None) -> Path:
    """The folder D such that D/<student>/<assignment> exists, searched from the top (a zip
    often wraps the tree in a folder of its own, e.g. ``submitted/``)."""
    from .. import course

    known = known or set(course.ALL_ASSIGNMENTS)
    best: Path | None = None
    for path in sorted(folder.rglob("*")):
        if path.is_dir() and path.name in known and len(path.relative_to(folder).parts) >= 2:
            root = path.parent.parent
            if best is None or len(root.parts) < len(best.parts):
                best = root
    return best or folder


def check_notebook(path: Path) -> str | None:
    """None when ``path`` reads as a notebook, else why not (for the student)."""
    import nbformat

    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"cannot read {path.name}: {exc.strerror}"
    if size > MAX_NOTEBOOK_MB * 1024 * 1024:
        return f"{path.name} is {size // (1024 * 1024)} MB; a notebook must be under {MAX_NOTEBOOK_MB} MB"
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # not JSON, not a notebook, unknown version, bad encoding
        kind = type(exc).__name__
        text = str(exc).splitlines()[0][:200] if str(exc) else ""
        return f"{path.name} is not a valid Jupyter notebook ({kind}{': ' + text if text else ''})"
    if not isinstance(nb.get("cells"), list):
        return f"{path.name} is not a valid Jupyter notebook (no cells)"
    return None


def _grade_ids(path: Path) -> set[str]:
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            nb = json.load(fh)
        return {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.get("cells", [])} - {None}
    except Exception:
        return set()


def pick_notebook(folder: Path, assignment: str, expected_ids: set[str] | None = None) -> Submission:
    """The notebook of one student's assignment folder (student id filled in by the caller)."""
    sub = Submission("", assignment)
    canonical = folder / f"{assignment}.ipynb"
    if canonical.is_file():
        sub.path, sub.submitted_name = canonical, canonical.name
    else:
        files = [p for p in sorted(folder.rglob("*")) if p.is_file()
                 and all(_visible(Path(part)) for part in p.relative_to(folder).parts)
                 and p.name not in NBGRADER_FILES] if folder.is_dir() else []
        notebooks = [p for p in files if p.suffix.lower() == ".ipynb"]
        if not notebooks:
            if files:
                sub.status = "invalid_notebook"
                names = ", ".join(p.name for p in files[:5])
                sub.detail = f"No notebook found in your {assignment} folder, only: {names}. Submit the .ipynb file."
            else:
                sub.status = "missing_notebook"
                sub.detail = f"No notebook was submitted for {assignment}."
            return sub
        if len(notebooks) > 1 and expected_ids:
            notebooks.sort(key=lambda p: (-len(_grade_ids(p) & expected_ids), str(p)))
        chosen = notebooks[0]
        sub.path, sub.submitted_name = chosen, str(chosen.relative_to(folder))
        sub.flags.append("renamed_notebook")
        sub.detail = (f"Your notebook was named {sub.submitted_name!r} instead of {assignment + '.ipynb'!r}; "
                      f"it was graded anyway." + (f" ({len(notebooks)} notebooks were found; this one was graded.)"
                                                  if len(notebooks) > 1 else ""))
    problem = check_notebook(sub.path)
    if problem:
        sub.status, sub.detail = "invalid_notebook", problem + ". Download it again from Jupyter (File > Download) and resubmit."
    return sub


def discover(root: Path, known: set[str], assignments: list[str] | None = None,
             expected_ids: dict[str, set[str]] | None = None) -> tuple[list[Submission], list[str]]:
    """All submissions under ``root`` (the layout root), and warnings for the log."""
    warnings: list[str] = []
    students = sorted(p for p in root.iterdir() if p.is_dir() and _visible(p)) if root.is_dir() else []
    found: set[str] = set()
    for student in students:
        for sub in student.iterdir():
            if not sub.is_dir() or not _visible(sub):
                continue
            if sub.name in known:
                found.add(sub.name)
            else:
                warnings.append(f"ignored {student.name}/{sub.name}/: not an assignment of this course")
    wanted = list(assignments) if assignments else sorted(found)
    out: list[Submission] = []
    for student in students:
        for aid in wanted:
            if aid not in known:
                s = Submission(student.name, aid, status="error",
                               detail=f"The autograder has no master for {aid}.")
            else:
                s = pick_notebook(student / aid, aid, (expected_ids or {}).get(aid))
                s.student = student.name
            out.append(s)
    return out, warnings
