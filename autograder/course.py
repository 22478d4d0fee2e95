"""Facts about the course that every pipeline step shares: ids, paths, limits."""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
RELEASE = ROOT / "notebooks"
ASSETS = ROOT / "assets"
HELPER_PACKAGE = ROOT / "rnnkit"
DIST = ROOT / "dist"
# The course description: course.toml at the root, the one place that names an assignment
# or sets a per-assignment number.  Loaded once, into the typed objects below.
COURSE_FILE = ROOT / "course.toml"


@dataclass(frozen=True)
class Limits:
    """What grading one notebook of an assignment may use (course.toml, ``limits``)."""
    cell_seconds: int          # one cell (nbgrader's Execute.timeout)
    notebook_seconds: int      # the whole notebook (a backstop for many slow cells)
    memory_mb: int = 4096      # resident memory of the kernel: TensorFlow plus the data
    disk_mb: int = 1024        # everything the kernel writes (a private tmpfs; RAM, counted apart)
    cpu_seconds: int | None = None   # RLIMIT_CPU; unset: notebook_seconds x cores + 60

    def cpu_cap(self, cores: int | None = None) -> int:
        """RLIMIT_CPU for one kernel: as set, or the whole notebook on every core, plus a minute."""
        if self.cpu_seconds is not None:
            return self.cpu_seconds
        return self.notebook_seconds * max(2, cores or os.cpu_count() or 2) + 60


@dataclass(frozen=True)
class Gradescope:
    """The Gradescope machine an assignment needs (course.toml, ``gradescope``)."""
    cpus: float
    memory_gb: float
    timeout_minutes: int


@dataclass(frozen=True)
class Executor:
    """nbgrader's executor settings for every notebook (course.toml, ``[executor]``)."""
    iopub_seconds: int = 60           # Execute.iopub_timeout
    kernel_start_seconds: int = 120   # Execute.startup_timeout


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    limits: Limits
    gradescope: Gradescope
    bench_budget_seconds: float     # `make bench`: one bare run of the solved master
    data: tuple[str, ...] = ()      # data sets it reads ("imdb")
    roles: tuple[str, ...] = ()     # what the gates measure on it ("bench", "load")
    helpers: tuple[str, ...] = ()   # rnnkit modules of this lab alone: never in an earlier lab's bundle

    @property
    def uses_imdb(self) -> bool:
        return "imdb" in self.data


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    assignments: tuple[Assignment, ...]
    default_limits: Limits
    executor: Executor = Executor()

    def __getitem__(self, aid: str) -> Assignment:
        for a in self.assignments:
            if a.id == aid:
                return a
        raise KeyError(f"{aid!r} is not an assignment of course.toml")

    def with_role(self, role: str) -> Assignment:
        found = [a for a in self.assignments if role in a.roles]
        if len(found) != 1:
            raise ValueError(f"course.toml: exactly one assignment must have role {role!r}, found {len(found)}")
        return found[0]


KNOWN_DATA = ("imdb",)
KNOWN_ROLES = ("bench", "load")


def load(path: Path = COURSE_FILE) -> Course:
    """Read course.toml into a ``Course``; a mistake in the file is a clear ValueError."""
    import tomllib

    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    where = Path(path).name

    def check_keys(table: dict, allowed: set, what: str) -> None:
        unknown = set(table) - allowed
        if unknown:
            raise ValueError(f"{where}: {what} has unknown key(s) {sorted(unknown)}")

    check_keys(raw, {"course", "defaults", "assignment", "executor"}, "the file")
    check_keys(raw.get("executor", {}), set(Executor.__dataclass_fields__), "[executor]")
    defaults = raw.get("defaults", {})
    check_keys(defaults, {"limits", "gradescope", "bench_budget_seconds"}, "[defaults]")
    limit_keys = {f for f in Limits.__dataclass_fields__}
    check_keys(defaults.get("limits", {}), limit_keys, "[defaults.limits]")
    base_limits = Limits(**defaults["limits"])
    base_gs = defaults["gradescope"]
    seen: set[str] = set()
    assignments = []
    for entry in raw.get("assignment", []):
        aid = entry.get("id", "")
        if not re.fullmatch(r"\d\d[a-z]?_[a-z0-9_]+", aid):
            raise ValueError(f"{where}: assignment id {aid!r} must be two digits, an optional letter, then snake_case (e.g. 07_text_lab)")
        if aid in seen:
            raise ValueError(f"{where}: assignment {aid!r} is listed twice")
        seen.add(aid)
        check_keys(entry, {"id", "title", "limits", "gradescope", "bench_budget_seconds", "data", "roles", "helpers"},
                   f"assignment {aid}")
        check_keys(entry.get("limits", {}), limit_keys, f"assignment {aid}'s limits")
        for key, known in (("data", KNOWN_DATA), ("roles", KNOWN_ROLES)):
            bad = set(entry.get(key, ())) - set(known)
            if bad:
                raise ValueError(f"{where}: assignment {aid}: unknown {key} {sorted(bad)} (known: {list(known)})")
        assignments.append(Assignment(
            id=aid, title=entry.get("title", aid),
            limits=replace(base_limits, **entry.get("limits", {})),
            gradescope=Gradescope(**{**base_gs, **entry.get("gradescope", {})}),
            bench_budget_seconds=float(entry.get("bench_budget_seconds", defaults["bench_budget_seconds"])),
            data=tuple(entry.get("data", ())), roles=tuple(entry.get("roles", ())),
            helpers=tuple(entry.get("helpers", ()))))
    if sorted(seen) != [a.id for a in assignments]:
        raise ValueError(f"{where}: the assignments must be listed in course order (sorted by id)")
    info = raw["course"]
    return Course(id=info["id"], title=info.get("title", info["id"]), assignments=tuple(assignments),
                  default_limits=base_limits, executor=Executor(**raw.get("executor", {})))


COURSE = load()
COURSE_ID = COURSE.id
BUNDLE = DIST / f"{COURSE_ID}-self-study.zip"   # all notebooks at once: self-study only (bundle.py)
# The assignment ids, in course order.  A master lives at source/<id>/<id>.ipynb.
ALL_ASSIGNMENTS = tuple(a.id for a in COURSE.assignments)
# The assignments that read the IMDB data (graded on a synthetic stand-in where it is absent).
IMDB_ASSIGNMENTS = tuple(a.id for a in COURSE.assignments if a.uses_imdb)
# Those that exist in this checkout (others are still being written).
ASSIGNMENTS = tuple(a for a in ALL_ASSIGNMENTS if (SOURCE / a / f"{a}.ipynb").exists())
LIMITS_DEFAULT = COURSE.default_limits


def assignment(aid: str) -> Assignment:
    return COURSE[aid]


def limits(aid: str) -> Limits:
    """The limits of ``aid``; the defaults for a notebook that is no assignment of the course."""
    return COURSE[aid].limits if aid in ALL_ASSIGNMENTS else LIMITS_DEFAULT


# Plain nbgrader has one Execute.timeout for every notebook: the largest per-cell limit.
NBGRADER_CELL_TIMEOUT = max(a.limits.cell_seconds for a in COURSE.assignments)


# Who may see which part of the repository: the one list, read by the bundle (what students
# get), the leak check (what must never be in a bundle) and the sandbox (what a kernel being
# graded cannot see: covered by empty mounts).
def later_helpers(aid: str) -> set[str]:
    """The rnnkit modules (paths from the root) that belong to labs after ``aid``: a bundle of
    ``aid`` leaves them out, so that a later lab's given code never answers an earlier lab's
    exercise (08's character vocabularies against 07's, say)."""
    ids = [a.id for a in COURSE.assignments]
    later = ids[ids.index(aid) + 1:] if aid in ids else []
    return {h for a in COURSE.assignments if a.id in later for h in a.helpers}


STUDENT_FILES = ("rnnkit", "lab-config", "requirements.txt", "environment.yml", "pyproject.toml")
# Secrets: solutions, hidden tests, banks, test fixtures, measured results, gradebooks, history;
# and, when this checkout is the nbgrader course root on a Hub, its gradebook (it holds the
# hidden tests' source) and the students' work folders.
SECRET_PATHS = ("source", "mutants", "alternatives", "tests", "bench", "build", ".git",
                "gradebook.db", "submitted", "autograded", "feedback")
# Instructor tools: never in a bundle, but no secret (the grader's own code is open; a kernel
# may read it, and its launcher runs from it).
INSTRUCTOR_TOOLS = ("autograder", ".ci", ".github", "course.toml", "Makefile", "nbgrader_config.py")
INSTRUCTOR_ONLY = SECRET_PATHS + INSTRUCTOR_TOOLS


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


def manual_questions(aid: str, source_root: Path | None = None) -> dict[str, float]:
    """grade_id -> points of the master's answers graded by hand (nbgrader's "manually graded
    answer": solution and grade, code or markdown).  Their points stay in the maximum and are
    pending until a person grades them."""
    import nbformat

    nb = nbformat.read(notebook_path(Path(source_root or SOURCE), aid), as_version=4)
    return {m["grade_id"]: float(m.get("points", 0)) for m in (c.metadata.get("nbgrader", {}) for c in nb.cells)
            if m.get("solution") and m.get("grade")}


def kernel_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment kernels are started with: quiet TensorFlow, helper package importable."""
    sys.path.insert(0, str(ROOT))
    from rnnkit.env import QUIET_ENV

    env = dict(os.environ if base is None else base)
    env.update(QUIET_ENV)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def venv_on_path() -> None:
    """nbgrader runs `alembic` (and kernels) by name: the interpreter's bin folder must be on PATH.
    Called by the steps that start nbgrader (release, grade_batch), never on import."""
    bindir = os.path.dirname(sys.executable)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def nbgrader_config(root: Path, release_directory: str, gradebook: Path):
    """The one builder of nbgrader's configuration: the course's nbgrader_config.py, with
    the course folder at ``root``, the student versions in ``release_directory`` (relative
    to ``root``, or absolute), the gradebook at ``gradebook`` and the course's header cell.
    The release, every grading job and its template start from it."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    cfg.CourseDirectory.root = str(root)
    cfg.CourseDirectory.release_directory = str(release_directory)
    cfg.CourseDirectory.db_url = f"sqlite:///{gradebook}"
    cfg.IncludeHeaderFooter.header = str(SOURCE / "header.ipynb")
    return cfg
