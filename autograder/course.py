"""Facts about the course that every pipeline step shares: ids, paths, limits."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_ID = "lstm-course"
SOURCE = ROOT / "source"
RELEASE = ROOT / "notebooks"
ASSETS = ROOT / "assets"
HELPER_PACKAGE = ROOT / "rnnkit"
DIST = ROOT / "dist"
BUNDLE = DIST / f"{COURSE_ID}-student.zip"

# The assignment ids, in course order.  A master lives at source/<id>/<id>.ipynb.
ALL_ASSIGNMENTS = (
    "01_vanishing_gradients",
    "02_lstm_gates",
    "03_gru_vs_lstm",
    "04_sine_lab",
    "05_damped_sine_lab",
    "06_imdb_lab",
)
# Those that exist in this checkout (others are still being written).
ASSIGNMENTS = tuple(a for a in ALL_ASSIGNMENTS if (SOURCE / a / f"{a}.ipynb").exists())

# Per-cell time limits (seconds) for grading, sized to each notebook's slowest cell
# measured on 2 CPU cores, with a wide margin for a noisy machine.
CELL_TIMEOUT_DEFAULT = 120
CELL_TIMEOUT = {"06_imdb_lab": 600}
# Whole-notebook limit, a backstop for many slow cells.
NOTEBOOK_TIMEOUT_DEFAULT = 600
NOTEBOOK_TIMEOUT = {"06_imdb_lab": 1200}

# stderr chunks that are TensorFlow / absl / Keras log noise, not the student's doing.
# nbgrader's IgnorePattern drops a stderr output that matches before scoring.
STDERR_NOISE_PATTERN = (
    r"(^|\n)("
    r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] \S+"           # TF C++ logging, old format
    r"|[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ \S+:\d+\]"          # absl C++ logging
    r"|WARNING: All log messages before absl::InitializeLog"     # absl banner
    r"|WARNING:(tensorflow|absl):"                               # Python logging of TF
    r"|\S*(keras|tensorflow|absl)\S*\.py:\d+: \w*Warning: "      # warnings raised inside TF/Keras
    r")"
)


def notebook_path(directory: Path, assignment: str) -> Path:
    return directory / assignment / f"{assignment}.ipynb"


def kernel_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment kernels are started with: quiet TensorFlow, helper package importable."""
    sys.path.insert(0, str(ROOT))
    from rnnkit.env import QUIET_ENV

    env = dict(os.environ if base is None else base)
    env.update(QUIET_ENV)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def _venv_on_path() -> None:
    """nbgrader runs `alembic` (and kernels) by name: the interpreter's bin folder must be on PATH."""
    bindir = os.path.dirname(sys.executable)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


_venv_on_path()
