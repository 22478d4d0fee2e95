"""The data an assignment reads (course.toml, ``data = [...]``), there before grading, or no grading.

Kernels have no network (by design) and a throwaway HOME, so a lab that reads a data set
can only find it where the grader points ``IMDB_DATA_DIR``.  The rule, in this order:

1. ``locate``: the folder ``IMDB_DATA_DIR`` names (it must hold both files: a folder that is
   named but lacks one is an error, never a reason to look elsewhere), else Keras' own cache
   folder (``$KERAS_HOME/datasets``, default ``~/.keras/datasets``) when it holds both files;
2. ``fetch``: else download both files once, here, outside the sandbox, into Keras' cache
   folder (from ``AUTOGRADER_IMDB_ORIGIN``, default Keras' own URL, checked against Keras'
   hashes when they come from there);
3. else ``DataError``: grading stops before any kernel starts.

``synthetic`` writes the small, clearly labelled stand-in (``rnnkit.imdb.write_synthetic_imdb``)
and is used only when asked for: ``grade --synthetic-data`` (each row of that assignment is
then flagged ``synthetic_data`` and says so), and the quality gates on a machine without the
data (``gates.validate.imdb_for``).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .. import course

log = logging.getLogger(__name__)

NPZ_NAME = "imdb.npz"
WORD_INDEX_NAME = "imdb_word_index.json"
FILES = (NPZ_NAME, WORD_INDEX_NAME)
ENV_VAR = course.IMDB_ENV                       # IMDB_DATA_DIR
ORIGIN_ENV = "AUTOGRADER_IMDB_ORIGIN"           # where ``fetch`` downloads from (a mirror, a test server)
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
# Keras' hashes of its own files (keras/src/datasets/imdb.py): sha256 of the npz, md5 of the index.
KERAS_HASHES = {NPZ_NAME: "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
                WORD_INDEX_NAME: "bfafd718b763782e994055a2d397834f"}
SYNTHETIC_MARK = "SYNTHETIC"                    # in the README.txt write_synthetic_imdb writes
FLAG = "synthetic_data"                         # the flag of a row graded on the stand-in
SYNTHETIC_TEXT = ("This notebook was graded on a small SYNTHETIC stand-in for the IMDB data, not on the "
                  "real reviews: the score is not a final grade.")
DOWNLOAD_TIMEOUT = 60


class DataError(RuntimeError):
    """The data an assignment needs is not there and cannot be fetched: grading must stop."""


@dataclass(frozen=True)
class DataSource:
    """Where a data set was found: its folder, said in words for the log, and whether it is
    the synthetic stand-in."""
    folder: Path
    origin: str
    synthetic: bool = False

    def describe(self) -> str:
        what = "SYNTHETIC stand-in" if self.synthetic else "data"
        return f"the IMDB {what} in {self.folder} ({self.origin})"


def needed(assignments) -> list[str]:
    """The assignments among ``assignments`` that read the IMDB data (course.toml's ``data``)."""
    return sorted(a for a in assignments if a in course.IMDB_ASSIGNMENTS)


def keras_cache() -> Path:
    """Keras' own download folder: ``$KERAS_HOME/datasets``, default ``~/.keras/datasets``."""
    home = os.environ.get("KERAS_HOME", "").strip() or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets"


def holds_data(folder: Path) -> bool:
    return all((Path(folder) / f).is_file() for f in FILES)


def is_synthetic(folder: Path) -> bool:
    """A folder ``write_synthetic_imdb`` wrote (its README.txt says SYNTHETIC)."""
    readme = Path(folder) / "README.txt"
    try:
        return SYNTHETIC_MARK in readme.read_text(errors="replace")[:2000].upper()
    except OSError:
        return False


def locate() -> DataSource | None:
    """The IMDB data on this machine: ``IMDB_DATA_DIR`` (must hold both files), else Keras'
    cache; None when neither has it."""
    named = os.environ.get(ENV_VAR, "").strip()
    if named:
        folder = Path(named).expanduser().resolve()
        missing = [f for f in FILES if not (folder / f).is_file()]
        if missing:
            raise DataError(f"{ENV_VAR} names {folder}, which holds no {' and no '.join(missing)}. "
                            f"Point {ENV_VAR} at a folder holding {NPZ_NAME} and {WORD_INDEX_NAME} (Keras' format), "
                            f"or unset it.")
        return DataSource(folder, f"from {ENV_VAR}", is_synthetic(folder))
    cache = keras_cache()
    if holds_data(cache):
        return DataSource(cache.resolve(), "Keras' cache folder")
    return None


def origin() -> str:
    """The base URL ``fetch`` downloads from."""
    base = os.environ.get(ORIGIN_ENV, "").strip() or KERAS_ORIGIN
    return base if base.endswith("/") else base + "/"


def _digest(path: Path, expected: str) -> str:
    algo = hashlib.md5 if len(expected) == 32 else hashlib.sha256
    h = algo()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check(path: Path, name: str, base: str) -> None:
    """A downloaded file is what it claims: Keras' hash when it comes from Keras' URL, and
    readable in Keras' format in any case."""
    if base == KERAS_ORIGIN and _digest(path, KERAS_HASHES[name]) != KERAS_HASHES[name]:
        raise DataError(f"{name} downloaded from {base} does not match Keras' hash (a corrupt download?)")
    try:
        if name == NPZ_NAME:
            from rnnkit.imdb import read_imdb_npz

            read_imdb_npz(path)
        else:
            json.loads(path.read_text(encoding="utf-8"))
    except Exception as exc:
        raise DataError(f"{name} downloaded from {base} is not in Keras' format: {exc}") from None


def _download(url: str, target: Path, timeout: float) -> None:
    part = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(part, "wb") as out:
            while block := response.read(1 << 20):
                out.write(block)
        os.chmod(part, 0o644)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)


def fetch(dest: Path | None = None, timeout: float = DOWNLOAD_TIMEOUT) -> DataSource:
    """Download the files ``dest`` (default: Keras' cache folder) lacks, once, outside any
    sandbox; a ``DataError`` that says what to do when this machine cannot."""
    dest = Path(dest or keras_cache())
    base = origin()
    try:
        dest.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            target = dest / name
            if target.is_file():
                continue
            _download(base + name, target, timeout)
            try:
                _check(target, name, base)
            except DataError:
                target.unlink(missing_ok=True)
                raise
    except DataError:
        raise
    except Exception as exc:    # offline, refused, a full disk: say what to do
        raise DataError(f"the IMDB data is not on this machine and could not be downloaded from {base} "
                        f"({type(exc).__name__}: {exc}). {HOW_TO}") from None
    return DataSource(dest.resolve(), f"downloaded from {base}")


HOW_TO = (f"Set {ENV_VAR} to a folder holding {NPZ_NAME} and {WORD_INDEX_NAME} (Keras' format), or put them in "
          f"Keras' cache folder (~/.keras/datasets, or $KERAS_HOME/datasets), or run once on a machine with "
          f"internet access; or grade on the synthetic stand-in, flagged, with --synthetic-data.")


def synthetic(folder: Path) -> DataSource:
    """The SYNTHETIC stand-in, written into ``folder`` (readable by the kernels' own uids)."""
    from rnnkit.imdb import write_synthetic_imdb

    folder = Path(folder)
    write_synthetic_imdb(folder)
    for path in [folder, *folder.iterdir()]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return DataSource(folder.resolve(), "written for this run, as asked", synthetic=True)


def prepare(assignments, scratch: Path, use_synthetic: bool = False, download: bool = True) -> DataSource | None:
    """The data ``assignments`` need, before grading: the synthetic stand-in when asked for
    (written into ``scratch``), else ``locate``, else ``fetch``; a ``DataError`` when none
    works.  None when no assignment needs data."""
    aids = needed(assignments)
    if not aids:
        return None
    if use_synthetic:
        source = synthetic(Path(scratch) / "imdb-synthetic")
    else:
        try:
            source = locate()
            if source is None and download:
                log.info(f"{', '.join(aids)}: the IMDB data is not on this machine: downloading it once from {origin()}")
                source = fetch()
        except DataError as exc:
            raise DataError(f"{', '.join(aids)} cannot be graded, nothing was: {exc}") from None
        if source is None:
            raise DataError(f"{', '.join(aids)} cannot be graded, nothing was: the IMDB data is not on this "
                            f"machine. {HOW_TO}")
    log.info(f"{', '.join(aids)}: grading with {source.describe()}")
    if source.synthetic:
        log.warning(f"{', '.join(aids)} graded on SYNTHETIC data: not final grades")
    return source


def main(argv=None) -> int:
    """``python -m autograder.grader.data locate|fetch``: where the IMDB data is, or fetch it
    into Keras' cache folder (Gradescope's setup.sh; an instructor's machine once online)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m autograder.grader.data", description=main.__doc__.splitlines()[0])
    parser.add_argument("action", choices=("locate", "fetch"))
    args = parser.parse_args(argv)
    try:
        source = locate()
        if source is None and args.action == "fetch":
            source = fetch()
    except DataError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 4
    if source is None:
        print(f"ERROR: the IMDB data is not on this machine. {HOW_TO}", file=sys.stderr)
        return 4
    print(source.describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
