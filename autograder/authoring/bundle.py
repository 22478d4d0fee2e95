"""Step: pack the student bundles into dist/.

* one bundle per assignment, ``dist/<course>-<id>.zip``, released one at a time like
  nbgrader's exchange releases an assignment: that assignment's student folder (with the
  figures it shows, in notebooks/<id>/assets/), the helper package, the environment files
  and a README for that one assignment;
* the self-study bundle ``dist/<course>-self-study.zip``: every notebook at once.  Later
  notebooks show answers to earlier exercises (its README names them), so it is for
  self-study, never for a graded course.

Nothing from source/, mutants/ or autograder/ goes in.  The zips are reproducible: sorted
entries, fixed timestamps and permissions.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import course

SELF_STUDY = "self-study"

SETUP = """## Set up (once)

    python3.11 -m venv .venv
    .venv/bin/pip install -r requirements.txt
    .venv/bin/pip install -e .          # the course's helper package, rnnkit

or, with conda/mamba: `conda env create -f environment.yml && conda activate {course_id} && pip install -e .`
"""

IMDB_NOTE = """Lab 06 needs the IMDB data: with internet access Keras downloads it; offline, set
`IMDB_DATA_DIR` to a folder holding `imdb.npz` and `imdb_word_index.json`.
"""

SELF_STUDY_README = """# {course_id}: self-study bundle

Interactive notebooks on recurrent networks: vanishing gradients, LSTM and GRU gates,
and three Keras labs (sine wave, damped sine, IMDB sentiment).

**For self-study only, not for a graded course.** This bundle holds all the notebooks at
once, and later notebooks show answers to earlier exercises:

{earlier}
A graded course hands out one bundle per assignment (`{course_id}-<assignment>.zip`), each
once the previous assignment is due.

{setup}
## Work

    JUPYTER_CONFIG_PATH=lab-config .venv/bin/jupyter lab --notebook-dir=notebooks

(`lab-config/` keeps the student-facing Validate button and hides the instructor tools.)

Open the notebooks in order ({first} ... {last}), and finish each one before you open the
next. Run the cells top to bottom, replace each `raise NotImplementedError()` with your
answer, and run the locked test cell right after it: those are the visible tests. Press
**Validate** (or restart and run all) to check a whole notebook.

{imdb}"""

ASSIGNMENT_README = """# {course_id}: {title}

This bundle holds one assignment of the course, `{aid}`:

* `notebooks/{aid}/{aid}.ipynb`: the notebook;
{figures}* `rnnkit/`: the course's helper package;
* `requirements.txt`, `environment.yml`, `pyproject.toml`, `lab-config/`: the environment.

The other assignments come as bundles of their own, when they are released.

{setup}
If you set up for an earlier assignment, you can reuse that environment: activate it and
run `pip install -e .` in this folder.

## Work

    JUPYTER_CONFIG_PATH=lab-config .venv/bin/jupyter lab --notebook-dir=notebooks

(`lab-config/` keeps the student-facing Validate button and hides the instructor tools.)

Open `{aid}/{aid}.ipynb`. Run the cells top to bottom: the first code cell seeds
everything, so your numbers repeat. An exercise is a cell with `# YOUR CODE HERE` and
`raise NotImplementedError()`: replace those two lines with your answer, keeping the
function's name and signature. The locked cell right after each exercise holds the visible
tests: run it. Hidden tests on other inputs are run when your work is graded, so solve the
general problem, not just the visible examples.
{imdb}
## Submit

1. Press **Validate** in the notebook toolbar (or *Kernel → Restart Kernel and Run All
   Cells*): it reruns the notebook from a fresh kernel and lists any test cell that fails.
2. Save, and hand in the one file `notebooks/{aid}/{aid}.ipynb`, under that name,
   the way your course collects work (upload, shared folder, nbgrader's exchange).

Only that notebook is graded, with the course's own copy of `rnnkit`: changes anywhere else
in this folder do not count. Do not edit or delete the locked test cells: the grader puts
them back and flags the change.
"""

# The self-study bundle, relative to the repo root.  Directories are walked; caches are skipped.
COMMON = course.STUDENT_FILES
CONTENTS = ("notebooks", "assets") + COMMON
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints"}
TIMESTAMP = (2026, 1, 1, 0, 0, 0)

# Images in markdown (![alt](target "title")), in HTML (<img src="target">), and any path
# string naming a file in assets/ (code cells: Image("../../assets/x.png"), open(...)).
MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.I)
ASSET_PATH = re.compile(r"(?<![\w.-])(?<!\w/)assets/([\w.-]+(?:/[\w.-]+)*)")


def bundle_path(name: str, dist: Path = course.DIST) -> Path:
    """dist/<course>-<name>.zip, for an assignment id or SELF_STUDY."""
    return Path(dist) / f"{course.COURSE_ID}-{name}.zip"


def _walk(root: Path, path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return [p for p in sorted(path.rglob("*"))
            if p.is_file() and not SKIP_PARTS.intersection(p.relative_to(root).parts) and p.suffix != ".pyc"]


def bundle_files(root: Path = course.ROOT) -> list[Path]:
    """The files of the self-study bundle (README aside)."""
    return [p for name in CONTENTS for p in _walk(root, root / name)]


def _text_sources(folder: Path) -> list[tuple[str, str]]:
    """(kind, text) of everything in a released folder that can name a figure."""
    import nbformat

    out = []
    for path in _walk(folder, folder):
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            out += [(cell.cell_type, cell.source) for cell in nb.cells]
        elif path.suffix in (".py", ".md", ".txt", ".html", ".json", ".yml", ".yaml", ".csv"):
            out.append(("text", path.read_text(errors="replace")))
    return out


def referenced_assets(aid: str, release_dir: Path | None = None, root: Path = course.ROOT) -> list[str]:
    """The files of the course's assets/ (as "assets/<name>") that the released folder of
    ``aid`` names and does not ship itself (the release copies the figures a notebook shows
    into notebooks/<aid>/assets/: normally none are left).

    A markdown or HTML image is resolved from the notebook's folder (notebooks/<aid>/), as
    Jupyter does; any other string naming assets/<file> counts too.  A reference to a figure
    that does not exist is an error: the notebook would show a broken image.
    """
    folder = (Path(release_dir) if release_dir else root / "notebooks") / aid
    found: set[str] = set()
    for kind, text in _text_sources(folder):
        links = MD_IMAGE.findall(text) + HTML_IMAGE.findall(text) if kind == "markdown" else HTML_IMAGE.findall(text)
        for link in links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue                               # remote or attachment: tests/test_assets.py
            target = posixpath.normpath(posixpath.join("notebooks", aid, unquote(parts.path)))
            if target.startswith("assets/"):
                found.add(target)
        # a released folder ships its own figures (release.bundle_figures): assets/<m> there
        found.update(f"assets/{m}" for m in ASSET_PATH.findall(text) if not (folder / "assets" / m).is_file())
    missing = sorted(a for a in found if not (root / a).is_file())
    if missing:
        raise FileNotFoundError(f"notebooks/{aid} references figures that assets/ does not have: {missing}")
    return sorted(found)


# What a student notebook can name: a file (by its extension), a module of the helper package,
# or the course's contributor documents, which stay in the repository.
FILE_NAME = re.compile(r"(?<![\w/.-])((?:\.\.?/)*[\w-]+(?:/[\w.-]+)*\.(?:md|png|svg|jpe?g|gif|ipynb|py|json|txt|csv"
                       r"|toml|ya?ml|npz|npy|zip|html|pdf))(?![\w-])")
HELPER_MODULE = re.compile(r"\brnnkit\.([A-Za-z_]\w*)")
REPO_DOCUMENT = re.compile(r"(?i:contributor(?:'s)?\s+guide)|\bCONTRIBUTING\b")


def unresolved_references(notebooks: dict[str, Path], names: set[str], readme: str) -> list[str]:
    """What the student notebooks (arcname -> file) name that the bundle (its arcnames) does not hold.

    A file name is resolved from the notebook's folder (``../../assets/x.png``), from the bundle's
    top (``rnnkit/imdb.py``), or by its base name; a file the bundle's README names counts too
    (data the student fetches, such as ``imdb.npz``: the README says where from).  ``rnnkit.<m>``
    needs ``rnnkit/<m>.py`` or ``rnnkit/<m>/__init__.py``; the contributor guide is never shipped.
    """
    import nbformat

    basenames = {posixpath.basename(n) for n in names}
    out = []
    for arcname, path in sorted(notebooks.items()):
        folder = posixpath.dirname(arcname)
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            here = f"{arcname} cell {index}"
            for found in REPO_DOCUMENT.findall(cell.source):
                out.append(f"{here}: names the course's {found!r}, which stays in the repository")
            for ref in FILE_NAME.findall(cell.source):
                target = posixpath.normpath(posixpath.join(folder, ref))
                if not ({target, posixpath.normpath(ref)} & names or posixpath.basename(ref) in basenames
                        or posixpath.basename(ref) in readme):
                    out.append(f"{here}: names {ref!r}, which the bundle does not hold")
            for module in HELPER_MODULE.findall(cell.source):
                if not {f"rnnkit/{module}.py", f"rnnkit/{module}/__init__.py"} & names:
                    out.append(f"{here}: names rnnkit.{module}, which the bundle's rnnkit/ does not hold")
    return list(dict.fromkeys(out))


def _check_references(entries: dict[str, bytes], files: dict[str, Path], readme: str) -> None:
    notebooks = {a: p for a, p in files.items() if a.endswith(".ipynb")}
    missing = unresolved_references(notebooks, set(entries), readme)
    if missing:
        raise FileNotFoundError("a student notebook names what its bundle does not hold:\n" + "\n".join(missing))


def assignment_files(aid: str, root: Path = course.ROOT, release_dir: Path | None = None) -> dict[str, Path]:
    """arcname -> file, for the bundle of one assignment (README aside)."""
    release_dir = Path(release_dir) if release_dir else root / "notebooks"
    folder = release_dir / aid
    if not course.notebook_path(release_dir, aid).exists():
        raise FileNotFoundError(f"no student version of {aid} in {release_dir}: run the release first")
    files = {f"notebooks/{aid}/{p.relative_to(folder).as_posix()}": p for p in _walk(folder, folder)}
    files.update({a: root / a for a in referenced_assets(aid, release_dir, root)})
    for name in COMMON:
        files.update({p.relative_to(root).as_posix(): p for p in _walk(root, root / name)})
    return files


def _write(target: Path, prefix: str, entries: dict[str, bytes]) -> Path:
    """A reproducible zip: sorted entries, fixed timestamps and permissions, one top folder."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname in sorted(entries):
            info = zipfile.ZipInfo(f"{prefix}/{arcname}", date_time=TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[arcname])
    return target


def _title(aid: str) -> str:
    """The master's first heading ("02 · The LSTM cell, gate by gate"), else the id."""
    import nbformat

    master = course.notebook_path(course.SOURCE, aid)
    if master.exists():
        for cell in nbformat.read(master, as_version=4).cells:
            if cell.cell_type == "markdown":
                for line in cell.source.splitlines():
                    if line.startswith("# "):
                        return line[2:].strip()
    return aid


def assignment_readme(aid: str, figures: list[str]) -> str:
    shown = "".join(f"* `{f}`: a figure the notebook shows;\n" for f in figures)
    imdb = f"\n{IMDB_NOTE}" if aid in course.IMDB_ASSIGNMENTS else ""
    return ASSIGNMENT_README.format(course_id=course.COURSE_ID, aid=aid, title=_title(aid), figures=shown,
                                    setup=SETUP.format(course_id=course.COURSE_ID), imdb=imdb)


def self_study_readme(release_dir: Path) -> str:
    """The self-study README; its list of answers shown early comes from the leak check."""
    from .leaks import earlier_answers

    lines = []
    for leak in earlier_answers(release_dir):
        notebook = leak.where.split("/")[1]
        cell = re.search(r"cell \d+", leak.where).group(0)
        assignment, function = leak.exercise.split(" ", 1)
        how = "defines" if leak.rule == "name" else "writes out the code (variables renamed) of"
        lines.append(f"* `{notebook}` ({cell}) {how} `{function}`, the answer to an exercise of `{assignment}`.")
    earlier = "\n".join(dict.fromkeys(lines)) + "\n" if lines else "* (none found by the leak check today)\n"
    return SELF_STUDY_README.format(course_id=course.COURSE_ID, earlier=earlier,
                                    setup=SETUP.format(course_id=course.COURSE_ID),
                                    first=course.ALL_ASSIGNMENTS[0], last=course.ALL_ASSIGNMENTS[-1],
                                    imdb=IMDB_NOTE)


def build(target: Path = course.BUNDLE, root: Path = course.ROOT, release_dir: Path | None = None) -> Path:
    """The self-study bundle: every notebook, every figure, the helper package, the environment."""
    release_dir = Path(release_dir) if release_dir else root / "notebooks"
    entries = {p.relative_to(root).as_posix(): p.read_bytes() for p in bundle_files(root)
               if not p.is_relative_to(root / "notebooks")}
    entries.update({f"notebooks/{p.relative_to(release_dir).as_posix()}": p.read_bytes()
                    for p in _walk(release_dir, release_dir)})
    entries["README.md"] = self_study_readme(release_dir).encode()
    _check_references(entries, {f"notebooks/{p.relative_to(release_dir).as_posix()}": p
                                for p in _walk(release_dir, release_dir)}, entries["README.md"].decode())
    return _write(target, f"{course.COURSE_ID}-{SELF_STUDY}", entries)


def build_assignment(aid: str, target: Path | None = None, root: Path = course.ROOT,
                     release_dir: Path | None = None) -> Path:
    """The bundle of one assignment: dist/<course>-<aid>.zip unless ``target`` says otherwise."""
    files = assignment_files(aid, root, release_dir)
    entries = {arc: p.read_bytes() for arc, p in files.items()}
    figures = sorted(a for a in files if a.startswith(("assets/", f"notebooks/{aid}/assets/")))
    entries["README.md"] = assignment_readme(aid, figures).encode()
    _check_references(entries, files, entries["README.md"].decode())
    return _write(target or bundle_path(aid), f"{course.COURSE_ID}-{aid}", entries)


def build_all(dist: Path = course.DIST, root: Path = course.ROOT, release_dir: Path | None = None,
              assignments=None) -> dict[str, Path]:
    """Every bundle: {SELF_STUDY: path, <aid>: path, ...}.  Zips of this course in ``dist``
    that are no longer built (an old name, a removed assignment) are deleted, so that
    nothing stale gets published."""
    dist = Path(dist)
    out = {SELF_STUDY: build(bundle_path(SELF_STUDY, dist), root, release_dir)}
    for aid in assignments or course.ASSIGNMENTS:
        out[aid] = build_assignment(aid, bundle_path(aid, dist), root, release_dir)
    for stale in sorted(dist.glob(f"{course.COURSE_ID}-*.zip")):
        if stale not in out.values():
            stale.unlink()
    return out
