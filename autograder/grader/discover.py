"""Step: find the submissions, in a folder or a .zip, in one of the layouts instructors have
(``arrange`` recognises it and lays the others out as the first, in the batch's own folder):

* nbgrader's submitted layout (``nbgrader collect``, the exchange, ``classroom collect``)::

      <student_id>/<assignment_id>/<assignment_id>.ipynb

* a folder per student, for one assignment (``--assignment``)::

      <student_id>/<any name>.ipynb

* a flat LMS bulk download, for one assignment (``--assignment``), student ids mapped through a
  roster (``--roster roster.csv``, the roster of ``platforms/lms.py``):

  - Canvas: ``<lastfirst>_<canvas user id>_<submission id>_<file name>``, with ``late``
    after the name for a late submission (``<lastfirst>_late_<user id>_...``), and ``-1``,
    ``-2``... before the extension of a resubmitted file.  Roster: ``lms_id`` = the Canvas
    user id, else the name;
  - Moodle: ``<Full Name>_<participant id>_assignsubmission_file_<file name>``, or a folder
    ``<Full Name>_<participant id>_assignsubmission_file_`` holding the files ("download
    submissions in folders").  Roster: ``lms_id`` = the participant id, else the full name.

  Without a roster (or for a student it lacks, with a warning) the id is the Canvas user id,
  or the Moodle name and participant id.

Anything else is a ``SubmissionsError`` (exit 2): no submissions at all, notebooks in no known
layout, an LMS download or a folder per student without the one assignment it holds.

Every student × expected assignment becomes one ``Submission``, graded or not:

* the notebook under its own name, else the only (or best matching) other ``.ipynb`` in
  that folder, flagged ``renamed_notebook``;
* no ``.ipynb`` at all: ``missing_notebook`` (nothing there) or ``invalid_notebook`` (other
  files, e.g. a PDF or a .py);
* a file that does not parse as a notebook (corrupt JSON, another format): ``invalid_notebook``,
  with a message that names the file and never quotes its content;
* a link (a symlink, or a file hard-linked from outside the student's folder): ``refused_link``.
  A link is never followed: not to choose the notebook, not to read it, not to copy it.  The
  copies this module makes (a per-student or LMS layout, Gradescope's and Classroom's folders)
  keep a link a link (``copy_submission``), so the refusal reaches the student's row.

The expected assignments are those asked for, else every known assignment that appears
anywhere in the tree (so a student without that folder gets a ``missing_notebook`` row).
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .cells import grade_id

IGNORED = {"__MACOSX", "__pycache__", ".ipynb_checkpoints", ".git"}
REFUSED_LINK = "refused_link"
LINK_MARKER = ".refused-link"     # where the copy of a refused link points (never exists, never followed)
NBGRADER_FILES = {"timestamp.txt", "submission_secret.txt"}
MAX_NOTEBOOK_MB = 200
MAX_ZIP_MB = 8192

# A flat LMS download (see the module doc).  Moodle is tried first: its names never hold two
# numbers in a row, Canvas' always do.
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?:file|onlinetext)_(?P<file>.*)$")
CANVAS = re.compile(r"^(?P<name>[^_]+)_(?:(?P<late>late)_)?(?P<id>\d+)_(?P<submission>\d+)_(?P<file>.+)$",
                    re.IGNORECASE)
RESUBMITTED = re.compile(r"-\d+(?=\.ipynb$)", re.IGNORECASE)     # Canvas: lab-1.ipynb, a second attempt
LAYOUTS = ("nbgrader's <student>/<assignment>/<notebook>.ipynb; "
           "a folder per student <student>/<notebook>.ipynb (with --assignment); "
           "a Canvas bulk download <lastfirst>_<userid>_<submissionid>_<file> (with --assignment); "
           "a Moodle bulk download <Full Name>_<participantid>_assignsubmission_file_<file> (with --assignment); "
           "see docs/autograding.md, Layouts")


class SubmissionsError(ValueError):
    """The submissions cannot be read as a batch: what is wrong, and what is accepted."""


@dataclass
class Submission:
    student: str
    assignment: str
    path: Path | None = None          # the notebook to grade
    status: str | None = None         # set when it cannot be graded: missing_notebook | invalid_notebook | refused_link | error
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
            if any(dest.joinpath(*parts[:i]).is_symlink() for i in range(1, len(parts) + 1)):
                continue                              # at or below a link already refused
            if stat.S_ISLNK(info.external_attr >> 16):
                _mark_link(dest.joinpath(*parts))     # never its target: a marker the row refuses
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


# ----------------------------------------------------------------------------------------
# layouts: recognise one, lay the others out as nbgrader's
# ----------------------------------------------------------------------------------------

def arrange(folder: Path, known: set[str], assignments=None, roster=None, dest: Path | None = None,
            ) -> tuple[Path, list[str]]:
    """The nbgrader layout root of ``folder``: itself (or the folder below it that holds the
    layout), else a copy of a per-student or an LMS layout laid out under ``dest``.  Returns
    the root and warnings; a ``SubmissionsError`` when ``folder`` is none of the layouts."""
    folder = Path(folder)
    if _has_nbgrader_layout(folder, known):
        return layout_root(folder, known), []
    top = _unwrap(folder)
    lms = _lms_entries(top)
    if lms:
        aid = _one_assignment(assignments, known, [name for name, _ in lms], "an LMS bulk download")
        return _lay_out_lms(lms, aid, roster, _dest(dest, folder))
    students = [d for d in sorted(top.iterdir()) if d.is_dir() and _visible(d) and _notebooks(d)]
    loose = [p for p in sorted(top.iterdir()) if p.is_file() and _visible(p) and p.suffix.lower() == ".ipynb"]
    if students and not loose:
        names = [nb.name for d in students for nb in _notebooks(d)]
        aid = _one_assignment(assignments, known, names, "a folder per student")
        return _lay_out_students(students, aid, _dest(dest, folder)), []
    found = _notebooks(folder)
    if not found:
        raise SubmissionsError(f"no submissions found in {folder}: no notebook (.ipynb) anywhere in it. "
                               f"Accepted layouts: {LAYOUTS}")
    shown = ", ".join(str(p.relative_to(folder)) for p in found[:3]) + (", ..." if len(found) > 3 else "")
    raise SubmissionsError(f"{len(found)} notebook(s) in {folder} ({shown}), but in no known layout. "
                           f"Accepted layouts: {LAYOUTS}")


def _has_nbgrader_layout(folder: Path, known: set[str]) -> bool:
    """Some <student>/<assignment>/ folder of a known assignment, at any depth below ``folder``."""
    return any(p.is_dir() and p.name in known and len(p.relative_to(folder).parts) >= 2
               for p in folder.rglob("*"))


def _unwrap(folder: Path) -> Path:
    """Below the folders that hold nothing but one folder (a zip's wrapping folder)."""
    while True:
        entries = [p for p in folder.iterdir() if _visible(p)]
        if len(entries) != 1 or not entries[0].is_dir() or _lms_name(entries[0].name):
            return folder
        if any(p.is_file() for p in entries[0].iterdir() if _visible(p)) and not _lms_entries(entries[0]):
            return folder      # one student's folder, not a wrapper
        folder = entries[0]


def _notebooks(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.rglob("*.ipynb")) if p.is_file()
            and all(_visible(Path(part)) for part in p.relative_to(folder).parts)]


def _lms_name(name: str):
    return MOODLE.match(name) or CANVAS.match(name)


def _lms_entries(folder: Path) -> list[tuple[str, Path]]:
    """(name, path) of every top-level entry named as Canvas or Moodle name them, when all
    visible entries with a notebook are (else [])."""
    entries = [p for p in sorted(folder.iterdir()) if _visible(p)]
    named = [(p.name, p) for p in entries if _lms_name(p.name)]
    rest = [p for p in entries if not _lms_name(p.name) and (p.suffix.lower() == ".ipynb" or
                                                               (p.is_dir() and _notebooks(p)))]
    return named if named and not rest else []


def _one_assignment(assignments, known: set[str], names: list[str], layout: str) -> str:
    """The one assignment a per-student or LMS layout holds: ``--assignment``, else the one
    every notebook is named after."""
    if assignments:
        if len(assignments) != 1:
            raise SubmissionsError(f"{layout} holds one assignment; name exactly one with --assignment "
                                   f"(got {', '.join(assignments)})")
        return assignments[0]
    stems = {RESUBMITTED.sub("", n)[: -len(".ipynb")] for n in names if n.lower().endswith(".ipynb")}
    inferred = {a for a in known if any(stem == a or stem.endswith("_" + a) for stem in stems)}
    if len(inferred) == 1:
        return inferred.pop()
    raise SubmissionsError(f"the submissions are {layout}, which holds one assignment: name it with "
                           f"--assignment <id> (known: {', '.join(sorted(known))})")


def _dest(dest: Path | None, folder: Path) -> Path:
    if dest is None:
        raise SubmissionsError(f"{folder} is not in nbgrader's layout and there is no folder to lay it out in")
    Path(dest).mkdir(parents=True, exist_ok=True)
    return Path(dest)


def _copy_into(src: Path, target: Path, name: str | None = None) -> None:
    target.mkdir(parents=True, exist_ok=True)
    if src.is_dir() and not src.is_symlink():
        copy_submission(src, target)
    else:
        copy_submission(src, target / (name or src.name), link_counts(src.parent))


# ----------------------------------------------------------------------------------------
# links: refused wherever a submission enters, never followed
# ----------------------------------------------------------------------------------------

def link_counts(tree: Path) -> dict[tuple[int, int], int]:
    """(device, inode) -> how many names the regular files under ``tree`` have inside it
    (symlinks not followed)."""
    counts: dict[tuple[int, int], int] = {}
    for dirpath, _dirs, files in os.walk(tree):
        for name in files:
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                counts[(st.st_dev, st.st_ino)] = counts.get((st.st_dev, st.st_ino), 0) + 1
    return counts


def is_link(path: Path, counts: dict[tuple[int, int], int] | None = None) -> bool:
    """A symlink, or a regular file with a name outside the tree ``counts`` describes (a
    hard link: ``st_nlink`` greater than its names inside; without ``counts``, any second name)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(st.st_mode):
        return True
    inside = (counts or {}).get((st.st_dev, st.st_ino), 1)
    return stat.S_ISREG(st.st_mode) and st.st_nlink > inside


def link_message(name: str) -> str:
    """What the student is told about a refused link."""
    return f"{name} is a link; hand in the notebook file itself."


def _mark_link(target: Path) -> None:
    """A copy of a refused link: a link to a name that never exists, so that discovery
    refuses it by name and nothing can read through it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(target):
        os.unlink(target)
    os.symlink(LINK_MARKER, target)


def copy_submission(src: Path, dest: Path, counts: dict[tuple[int, int], int] | None = None) -> None:
    """Copy a submitted file or folder, keeping every link a link: a symlink, or a file
    hard-linked from outside ``src`` (its tree), becomes a marker link (``_mark_link``);
    regular files and folders are copied; anything else (a FIFO, a device) is left out."""
    src, dest = Path(src), Path(dest)
    if counts is None:
        counts = link_counts(src if src.is_dir() and not src.is_symlink() else src.parent)
    if is_link(src, counts):
        _mark_link(dest)
    elif src.is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        for child in sorted(src.iterdir()):
            copy_submission(child, dest / child.name, counts)
    elif stat.S_ISREG(os.lstat(src).st_mode):
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest, follow_symlinks=False)


def _lay_out_students(students: list[Path], aid: str, dest: Path) -> Path:
    for d in students:
        _copy_into(d, dest / d.name / aid)
    return dest


def _lay_out_lms(entries: list[tuple[str, Path]], aid: str, roster, dest: Path) -> tuple[Path, list[str]]:
    """Canvas' and Moodle's file names -> dest/<student>/<aid>/<file>."""
    people = Roster(roster or [])
    warnings: list[str] = []
    for name, path in entries:
        m = MOODLE.match(name)
        if m:
            student = people.moodle(m["name"], m["id"])
            fallback = re.sub(r"\W+", "_", m["name"]).strip("_") + "_" + m["id"]
        else:
            m = CANVAS.match(name)
            student = people.canvas(m["name"], m["id"])
            fallback = m["id"]
            if m["late"]:
                warnings.append(f"{m['name']} ({m['id']}): submitted late (Canvas)")
        if student is None:
            if roster:
                warnings.append(f"{name}: no roster row for {m['name']} ({m['id']}): graded as {fallback}")
            student = fallback
        file = RESUBMITTED.sub("", m["file"]) if path.is_file() else None
        _copy_into(path, dest / _safe(student) / aid, file or None)
    return dest, warnings


def _safe(student: str) -> str:
    """A student id usable as a folder name."""
    cleaned = re.sub(r"[/\\\0]", "_", student).strip(". ")
    return cleaned or "unnamed"


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


class Roster:
    """The LMS roster (``platforms/lms.py``: student_id, name, lms_id, ...): Canvas' and
    Moodle's names and ids -> the course's student ids."""

    def __init__(self, rows: list[dict]):
        self.by_id = {r["lms_id"].strip(): r["student_id"] for r in rows if (r.get("lms_id") or "").strip()}
        self.by_name: dict[str, str] = {}
        for r in rows:
            for key in self._name_keys(r.get("name") or ""):
                self.by_name.setdefault(key, r["student_id"])

    @staticmethod
    def _name_keys(name: str) -> set[str]:
        """"Jane Doe" and "Doe, Jane" -> {"janedoe", "doejane"}."""
        if "," in name:
            last, first = name.split(",", 1)
        else:
            words = name.split()
            first, last = " ".join(words[:-1]), (words[-1] if words else "")
        return {k for k in (_letters(first + last), _letters(last + first)) if k}

    def canvas(self, lastfirst: str, user_id: str) -> str | None:
        return self.by_id.get(user_id) or self.by_name.get(_letters(lastfirst))

    def moodle(self, full_name: str, participant: str) -> str | None:
        return self.by_id.get(participant) or self.by_name.get(_letters(full_name))


def read_roster(path) -> list[dict]:
    """roster.csv (the format of ``platforms/lms.py``); a ``SubmissionsError`` when unusable."""
    from .report import read_csv

    try:
        rows = read_csv(Path(path))
    except OSError as exc:
        raise SubmissionsError(f"cannot read the roster {path}: {exc.strerror or exc}") from None
    if rows and "student_id" not in rows[0]:
        raise SubmissionsError(f"the roster {path} has no student_id column")
    return rows


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
        return not_a_notebook(path.name, exc)
    if not isinstance(nb.get("cells"), list):
        return f"{path.name} is not a Jupyter notebook (it has no cells)"
    return None


def not_a_notebook(name: str, exc: BaseException) -> str:
    """Why ``name`` is not a notebook, in words that never quote the file (nbformat's and
    json's messages can hold its first bytes)."""
    import json

    if isinstance(exc, UnicodeDecodeError):
        why = "it is not text (a PDF, an image, a zip...?)"
    elif isinstance(exc, json.JSONDecodeError) or type(exc).__name__ == "NotJSONError":
        why = "it is not JSON, which a notebook is"
    else:
        why = "it is not in the notebook format"
    return f"{name} is not a Jupyter notebook: {why}"


def _grade_ids(path: Path) -> set[str]:
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            nb = json.load(fh)
        return {grade_id(c) for c in nb.get("cells", [])} - {None}
    except Exception:
        return set()


def pick_notebook(folder: Path, assignment: str, expected_ids: set[str] | None = None) -> Submission:
    """The notebook of one student's assignment folder (student id filled in by the caller)."""
    sub = Submission("", assignment)
    canonical = folder / f"{assignment}.ipynb"
    if _linked_folder(folder):
        return _refused(sub, folder.name + "/")
    counts = link_counts(folder)
    if is_link(canonical, counts):
        return _refused(sub, canonical.name)
    if canonical.is_file():
        sub.path, sub.submitted_name = canonical, canonical.name
    else:
        files = [p for p in sorted(folder.rglob("*")) if (p.is_file() or p.is_symlink())
                 and all(_visible(Path(part)) for part in p.relative_to(folder).parts)
                 and p.name not in NBGRADER_FILES] if folder.is_dir() else []
        links = [p for p in files if is_link(p, counts)]
        files = [p for p in files if p not in links]
        notebooks = [p for p in files if p.suffix.lower() == ".ipynb"]
        if not notebooks and any(p.suffix.lower() == ".ipynb" for p in links):
            return _refused(sub, str(next(p for p in links if p.suffix.lower() == ".ipynb").relative_to(folder)))
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


def _linked_folder(folder: Path) -> bool:
    """The assignment folder, or the student's folder holding it, is a symlink."""
    return folder.is_symlink() or folder.parent.is_symlink()


def _refused(sub: Submission, name: str) -> Submission:
    sub.status, sub.detail = REFUSED_LINK, link_message(name)
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
