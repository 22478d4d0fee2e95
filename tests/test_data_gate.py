"""The data a lab reads is there before grading, or grading stops (autograder/grader/data.py).

The rule: IMDB_DATA_DIR, else Keras' cache folder, else one download outside the sandbox,
else a clear error and exit 4 before any kernel starts; the synthetic stand-in only when
asked for (`grade --synthetic-data`: every row flagged `synthetic_data`, and told so).
Downloads are served from this machine (http.server in a thread, the URL made configurable
with AUTOGRADER_IMDB_ORIGIN), never from the internet; the data files are small synthetic
ones, placed as Keras places them.
"""
from __future__ import annotations

import csv
import functools
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from nbcells import code_cell

from autograder import course
from autograder.grader import data
from rnnkit.imdb import write_synthetic_imdb

AID = course.IMDB_ASSIGNMENTS[0]


@pytest.fixture
def no_data(tmp_path, monkeypatch):
    """A machine without the data: no IMDB_DATA_DIR, an empty Keras home, no reachable origin."""
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv(data.ORIGIN_ENV, closed_origin())
    return tmp_path / "keras" / "datasets"


def closed_origin() -> str:
    """A localhost URL where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path):
    """A folder served over http on localhost: (folder, base URL)."""
    folder = write_synthetic_imdb(tmp_path / "www", n_train=20, n_test=10)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


# ------------------------------------------------------------------------------ locate / fetch

def test_locate_reads_imdb_data_dir_first_and_refuses_a_folder_that_lacks_a_file(tmp_path, no_data, monkeypatch):
    folder = write_synthetic_imdb(tmp_path / "named", n_train=20, n_test=10)
    monkeypatch.setenv(data.ENV_VAR, str(folder))
    found = data.locate()
    assert found.folder == folder.resolve() and "IMDB_DATA_DIR" in found.origin and found.synthetic
    (folder / data.WORD_INDEX_NAME).unlink()
    with pytest.raises(data.DataError, match="imdb_word_index.json"):
        data.locate()


def test_locate_finds_keras_cache_folder_and_nothing_else(no_data):
    assert data.locate() is None
    write_synthetic_imdb(no_data, n_train=20, n_test=10)          # as Keras places its downloads
    found = data.locate()
    assert found.folder == no_data.resolve() and found.origin == "Keras' cache folder"


def test_fetch_downloads_once_into_keras_cache(no_data, served, monkeypatch):
    folder, url = served
    monkeypatch.setenv(data.ORIGIN_ENV, url)
    got = data.fetch()
    assert got.folder == no_data.resolve() and url in got.origin
    for name in data.FILES:
        assert (no_data / name).read_bytes() == (folder / name).read_bytes()
    assert not list(no_data.glob("*.part"))
    assert data.locate().folder == no_data.resolve(), "the next batch finds it without downloading"


def test_fetch_offline_or_a_wrong_file_is_a_clear_error_and_leaves_nothing(no_data, served, monkeypatch):
    with pytest.raises(data.DataError, match="could not be downloaded.*IMDB_DATA_DIR.*--synthetic-data"):
        data.fetch()
    folder, url = served
    (folder / data.NPZ_NAME).write_text("not an npz")
    monkeypatch.setenv(data.ORIGIN_ENV, url)
    with pytest.raises(data.DataError, match="not in Keras' format"):
        data.fetch()
    assert not (no_data / data.NPZ_NAME).exists()


def test_prepare_synthetic_only_when_asked(no_data, tmp_path):
    with pytest.raises(data.DataError, match=AID):
        data.prepare([AID], tmp_path)
    source = data.prepare([AID], tmp_path, use_synthetic=True)
    assert source.synthetic and data.holds_data(source.folder) and data.is_synthetic(source.folder)
    assert data.prepare(["02_lstm_gates"], tmp_path) is None, "02 reads no data"


def test_the_gates_ask_for_the_synthetic_data_explicitly(no_data):
    from autograder.gates.validate import imdb_data_available, imdb_for

    assert not imdb_data_available()
    with imdb_for(AID) as folder:
        assert folder is not None and data.is_synthetic(folder)
        assert os.environ[data.ENV_VAR] == str(folder)
    assert data.ENV_VAR not in os.environ, "the gate puts the environment back"


# ------------------------------------------------------------------------------ Gradescope

def test_gradescope_setup_fetches_the_data_into_the_image_or_fails_the_build(no_data, served, monkeypatch):
    from autograder.platforms.gradescope import setup_sh

    assert "autograder.grader.data fetch" in setup_sh(AID)
    assert "autograder.grader.data" not in setup_sh("02_lstm_gates")
    env = {k: v for k, v in os.environ.items() if k != data.ENV_VAR}
    cmd = [sys.executable, "-m", "autograder.grader.data", "fetch"]
    failed = subprocess.run(cmd, cwd=course.ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 4 and "could not be downloaded" in failed.stderr
    env[data.ORIGIN_ENV] = served[1]
    ok = subprocess.run(cmd, cwd=course.ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert data.holds_data(no_data)


# ------------------------------------------------------------------------------ the batch

def _master(folder: Path) -> Path:
    """A one-question stand-in for the lab, under the lab's id: its grade cell reads the data
    the batch points IMDB_DATA_DIR at."""
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[
        code_cell("def answer():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION", "answer", solution=True),
        code_cell("import os, pathlib\nfolder = pathlib.Path(os.environ['IMDB_DATA_DIR'])\n"
                  "assert (folder / 'imdb.npz').stat().st_size > 0, 'no data'\n"
                  "assert (folder / 'imdb_word_index.json').stat().st_size > 0, 'no index'\nassert answer() == 42",
                  "answer_tests", grade=True, locked=True, points=1)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{AID}.ipynb"
    nbformat.write(nb, path)
    return path


def _grade(tmp_path, name, *extra, env):
    out = tmp_path / name
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(tmp_path / "subs"), "--out", str(out),
                           "--source", str(tmp_path / "src"), "--jobs", "1", *extra],
                          cwd=course.ROOT, env=env, capture_output=True, text=True, timeout=600)
    return proc, out


@pytest.mark.slow
def test_batch_downloads_once_then_grades_and_flags_synthetic_only_when_asked(tmp_path, no_data, served):
    master = _master(tmp_path / "src" / AID)
    (tmp_path / "subs" / "ann" / AID).mkdir(parents=True)
    (tmp_path / "subs" / "ann" / AID / f"{AID}.ipynb").write_bytes(master.read_bytes())
    env = {k: v for k, v in os.environ.items() if k != data.ENV_VAR}
    env[data.ORIGIN_ENV] = served[1]

    proc, out = _grade(tmp_path, "real", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "downloading it once" in proc.stdout and data.holds_data(no_data)
    row = next(csv.DictReader(open(out / "summary.csv")))
    assert (row["status"], row["score"]) == ("graded", "1") and data.FLAG not in row["flags"], row

    proc, out = _grade(tmp_path, "synthetic", "--synthetic-data", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SYNTHETIC" in proc.stdout
    row = next(csv.DictReader(open(out / "summary.csv")))
    assert (row["status"], row["score"]) == ("graded", "1") and data.FLAG in row["flags"].split(";"), row
    said = json.loads((out / "students" / "ann" / AID / "results.json").read_text())["output"]
    assert "SYNTHETIC" in said and "SYNTHETIC" in (out / "students" / "ann" / AID / "feedback.html").read_text()
