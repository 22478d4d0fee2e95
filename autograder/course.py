"""Facts about the course that every pipeline step shares: ids, paths, limits."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_ID = "lstm-course"
SOURCE = ROOT / "source"
RELEASE = ROOT / "notebooks"
ASSETS = ROOT / "assets"
HELPER_PACKAGE = ROOT / "rnnkit"
DIST = ROOT / "dist"
BUNDLE = DIST / f"{COURSE_ID}-self-study.zip"   # all notebooks at once: self-study only (bundle.py)

# The assignment ids, in course order.  A master lives at source/<id>/<id>.ipynb.
ALL_ASSIGNMENTS = (
    "01_vanishing_gradients",
    "02_lstm_gates",
    "03_gru_vs_lstm",
    "04_sine_lab",
    "05_damped_sine_lab",
    "06_imdb_lab",
)
# The assignments that read the IMDB data (graded on a synthetic stand-in where it is absent).
IMDB_ASSIGNMENTS = ("06_imdb_lab",)
# Those that exist in this checkout (others are still being written).
ASSIGNMENTS = tuple(a for a in ALL_ASSIGNMENTS if (SOURCE / a / f"{a}.ipynb").exists())

# Grading limits per assignment: the one place they are set.  Both grading paths read them:
# this course's grader (per assignment, with CPU and memory caps) and plain nbgrader run
# from the repo with nbgrader_config.py (which takes the largest per-cell limit, see
# NBGRADER_CELL_TIMEOUT).  Sized from the slowest cell of each master, measured on 2 CPU
# cores idle and busy (`make timings`), times a margin of at least 4: see docs/autograding.md.


@dataclass(frozen=True)
class Limits:
    cell_seconds: int          # one cell (nbgrader's Execute.timeout)
    notebook_seconds: int      # the whole notebook (a backstop for many slow cells)
    memory_mb: int = 4096      # resident memory of the kernel: TensorFlow plus the data
    disk_mb: int = 1024        # everything the kernel writes (a private tmpfs; RAM, counted apart)


# Slowest cell of each solution on 2 cores, the worst of idle, busy (both cores hogged) and
# one TensorFlow thread, on both grading paths (make busy, 2026-12-01): 01 6.3 s, 02 3.7 s,
# 03 31.5 s, 04 20.9 s, 05 15.3 s, 06 132.2 s.  The default (180 s) is 5.7 x 03's; 06's
# (900 s, 6.8 x) also covers a student model that uses the whole 180 CPU-second training
# cap its statement allows, on a busy machine.
LIMITS_DEFAULT = Limits(cell_seconds=180, notebook_seconds=600)
LIMITS = {
    "06_imdb_lab": Limits(cell_seconds=900, notebook_seconds=1800, memory_mb=8192),
}


def limits(assignment: str) -> Limits:
    return LIMITS.get(assignment, LIMITS_DEFAULT)


# Plain nbgrader has one Execute.timeout for every notebook: the largest per-cell limit.
NBGRADER_CELL_TIMEOUT = max([LIMITS_DEFAULT.cell_seconds] + [lim.cell_seconds for lim in LIMITS.values()])

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


# The kernels' environment: these variables of the grader's environment, and nothing else
# (sandbox.launch builds it; HOME, TMPDIR and the caches point into the job's own folder).
# Everything else the grader has (CI tokens, cloud credentials, other settings) stays out of
# reach of student code; the output boundary removes those values from feedback too.
THREAD_VARIABLES = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS",
                    "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
KERNEL_ENV_ALLOWED = (
    "PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_MESSAGES", "TZ",
    "PYTHONPATH", "PYTHONHASHSEED", "PYTHONNOUSERSITE", "MPLBACKEND", "RNNKIT_THREADS",
    "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "ABSL_MIN_LOG_LEVEL", "GRPC_VERBOSITY", "KERAS_BACKEND",
    "JPY_PARENT_PID", "JPY_SESSION_NAME",     # set by jupyter_client for the kernel it starts
) + THREAD_VARIABLES
# ... and, for the assignments that read it, where the IMDB data is.
IMDB_ENV = "IMDB_DATA_DIR"


def kernel_env_names(assignment: str) -> tuple[str, ...]:
    """The grader's variables a kernel of ``assignment`` gets."""
    return KERNEL_ENV_ALLOWED + ((IMDB_ENV,) if assignment in IMDB_ASSIGNMENTS else ())


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
