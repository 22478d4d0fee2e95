"""Step: pack the student bundle dist/<course>-student.zip.

It holds the student notebooks, the figures, the helper package, the environment
files and a student README; nothing from source/, mutants/ or autograder/.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from . import course

STUDENT_README = """# {course_id}: student bundle

Interactive notebooks on recurrent networks: vanishing gradients, LSTM and GRU gates,
and three Keras labs (sine wave, damped sine, IMDB sentiment).

## Set up (once)

    python3.11 -m venv .venv
    .venv/bin/pip install -r requirements.txt
    .venv/bin/pip install -e .          # the course's helper package, rnnkit

or, with conda/mamba: `conda env create -f environment.yml && conda activate {course_id} && pip install -e .`

## Work

    JUPYTER_CONFIG_PATH=lab-config .venv/bin/jupyter lab --notebook-dir=notebooks

(`lab-config/` keeps the student-facing Validate button and hides the instructor tools.)

Open the notebooks in order ({first} ... {last}). Run the cells top to bottom, replace each
`raise NotImplementedError()` with your answer, and run the locked test cell right after
it: those are the visible tests. Hidden tests on other inputs are run when your work is
graded, so solve the general problem. Press **Validate** (or restart and run all) before
you submit.

Lab 06 needs the IMDB data: with internet access Keras downloads it; offline, set
`IMDB_DATA_DIR` to a folder holding `imdb.npz` and `imdb_word_index.json`.
"""

# What goes in, relative to the repo root.  Directories are walked; caches are skipped.
CONTENTS = ("notebooks", "assets", "rnnkit", "lab-config", "requirements.txt", "environment.yml", "pyproject.toml")
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints"}


def bundle_files(root: Path = course.ROOT) -> list[Path]:
    files: list[Path] = []
    for name in CONTENTS:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in sorted(path.rglob("*"))
                         if p.is_file() and not SKIP_PARTS.intersection(p.relative_to(root).parts)
                         and p.suffix != ".pyc")
    return files


def build(target: Path = course.BUNDLE, root: Path = course.ROOT) -> Path:
    """Write the bundle reproducibly (sorted entries, fixed timestamps)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f"{course.COURSE_ID}-student"
    readme = STUDENT_README.format(course_id=course.COURSE_ID, first=course.ALL_ASSIGNMENTS[0],
                                   last=course.ALL_ASSIGNMENTS[-1])
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        def add(arcname: str, data: bytes):
            info = zipfile.ZipInfo(f"{prefix}/{arcname}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)

        add("README.md", readme.encode())
        for path in bundle_files(root):
            add(path.relative_to(root).as_posix(), path.read_bytes())
    return target
