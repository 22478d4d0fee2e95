"""The grading service's records, in one place, serialised one way (JSON of the dataclass).

* ``GradeOptions``: what a batch is asked to do (the command line fills it, the gates too);
* ``Job``: one submission to grade, handed to its worker process as ``job.json``;
* ``Question``: the result of one grade cell, as the student may see it (its grade id for
  machines, its name for people);
* ``Result``: one submission's row, written by its worker as ``result.json``: what the
  student sees (status, score, questions, messages) and what only the instructor sees
  (``review``, ``sandbox``, ``cell_seconds``, ``peak_memory_mb``).  ``Result.gradescope``
  (results.json) and ``feedback.feedback_html`` render the student part only.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .sandbox import SandboxSpec


class Record:
    """A dataclass that is saved as the JSON of its fields and read back into the same type;
    ``NESTED`` names the fields that hold another record, or a list of them."""

    NESTED: dict = {}

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict):
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        for name, kind in cls.NESTED.items():
            value = data.get(name)
            if isinstance(value, list):
                data[name] = [x if isinstance(x, kind) else kind.from_dict(x) for x in value]
            elif isinstance(value, dict):
                data[name] = kind.from_dict(value)
        return cls(**data)

    def save(self, path) -> None:
        Path(path).write_text(json.dumps(self.to_dict()))

    @classmethod
    def load(cls, path):
        return cls.from_dict(json.loads(Path(path).read_text()))


@dataclass(frozen=True)
class GradeOptions:
    """How to grade a batch.  Limits left at None come from course.toml (``course.limits``)."""
    jobs: int = 2                                   # submissions graded at once
    assignments: list[str] | None = None            # expected assignment ids (None: those found)
    source_root: str | None = None                  # folder of the masters (None: source/)
    cell_timeout: int | dict | None = None          # seconds per cell, or {assignment: seconds}
    notebook_timeout: int | dict | None = None      # seconds per notebook, or {assignment: seconds}
    memory_mb: int | None = None                    # resident memory per kernel
    cpu_seconds: int | None = None                  # CPU seconds per kernel
    sandbox: bool = True                            # False: plain kernels (debugging only)
    network: bool = False                           # True: keep the kernels' network
    shard: str | None = None                        # "i/n": the i-th of n shards of the students
    keep: bool = False                              # keep the throwaway course folders
    limits_from: dict | None = None                 # assignment -> the course assignment whose limits apply
    nbgrader_config: dict | None = None             # extra nbgrader configuration (tests only)
    course_root: str | None = None                  # an nbgrader course root: merge into its gradebook (platforms/nbgrader_course.py)
    synthetic_data: bool = False                    # grade data-reading labs on the SYNTHETIC stand-in, flagged (grader/data.py)
    roster: str | None = None                       # roster.csv: LMS file names -> student ids (grader/discover.py)
    threads: int | None = None                      # threads per kernel pool (None: a share of the cores, jobs.kernel_threads)

    def per_assignment(self, name: str, aid: str):
        """An option that is one value for every assignment, or a dict assignment -> value."""
        value = getattr(self, name)
        return value.get(aid) if isinstance(value, dict) else value

    def rules_of(self, aid: str) -> str:
        """The course assignment whose limits and rules apply to ``aid``."""
        return (self.limits_from or {}).get(aid, aid)


@dataclass
class Job(Record):
    index: int
    student: str
    assignment: str
    notebook: str
    template: str
    workdir: str
    cell_timeout: int
    notebook_timeout: int
    submitted_name: str = ""
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sandbox: SandboxSpec | None = None           # the kernel's whole sandbox (jobs.sandbox_spec); None: no sandbox
    kernel_env: dict = field(default_factory=dict)  # on top of the course's kernel environment: data folder, threads (jobs.kernel_settings)
    config: dict = field(default_factory=dict)  # extra nbgrader configuration (nested dict; tests only)
    limits_of: str = ""                          # the course assignment whose limits and rules apply
    keep_executed: bool = False                  # save the executed notebook (instructors only) as executed.ipynb
    worker_memory_mb: int = 0                    # the worker's own memory limit (0: supervise.WORKER_MEMORY_MB)

    NESTED = {"sandbox": SandboxSpec}

    @property
    def folder(self):
        """The layout of this job's folder (``jobs.JobFolder``)."""
        from .jobs import JobFolder

        return JobFolder(Path(self.workdir))


@dataclass
class Question(Record):
    question: str                 # grade_id
    score: float
    max_score: float
    outcome: str = "passed"       # passed | failed | not_run | pending (graded by hand, not yet)
    visible: str = "passed"       # passed | failed | not_run
    hidden: str | None = None     # passed | failed | not_run | None (no hidden tests)
    message: str = ""             # for the student
    name: str = ""                # what people read: "Exercise 3 · steps_to_vanish, 2 points" (rnnkit.questions)

    @property
    def label(self) -> str:
        """The question as people read it; the grade id when the name is unknown."""
        return self.name or self.question


@dataclass
class Result(Record):
    student: str
    assignment: str
    status: str
    score: float = 0.0
    max_score: float = 0.0
    flags: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)   # for the student
    review: list[str] = field(default_factory=list)     # for the instructor only
    seconds: float = 0.0
    sandbox: str = ""
    cell_seconds: dict = field(default_factory=dict)    # cell index -> seconds (instructor only)
    cell_cpu_seconds: dict = field(default_factory=dict)  # cell index -> CPU seconds, for a budget (instructor only)
    answers: dict = field(default_factory=dict)         # grade_id -> the answer to grade by hand (instructor only)
    notebook: str = ""                                  # the file graded, as submitted (one of several: the matching one)
    cell_errors: list[int] = field(default_factory=list)  # code cells, not graded, whose run raised (instructor only)
    peak_memory_mb: float = 0.0                         # the kernel's peak RSS, its children in (MemoryWatchdog; 0: unwatched)

    @property
    def pending_points(self) -> float:
        return sum(q.max_score for q in self.questions if q.outcome == "pending")

    NESTED = {"questions": Question}

    def gradescope(self, hidden_visibility: str | None = None) -> dict:
        """Gradescope's results.json of this result, from its student-facing fields (status,
        score, questions, messages, seconds; never review, sandbox or cell_seconds).

        ``hidden_visibility`` None: one entry per question, as the batch writes it into
        students/<id>/<assignment>/.  A Gradescope visibility: as ``run_autograder`` hands it to
        Gradescope (platforms/gradescope.py): a question with hidden tests in two entries, the
        hidden one with that visibility and the points; an answer graded by hand with no points
        of its own (Gradescope's outline carries them); an instructors-only entry when the
        submission needs review; the status and flags in ``extra_data``."""
        from .feedback import STATUS_TEXT

        out = {"score": self.score, "execution_time": round(self.seconds, 1),
               "output": "\n".join([STATUS_TEXT.get(self.status, self.status)] + list(self.messages)),
               "visibility": "visible", "stdout_visibility": "hidden"}
        if hidden_visibility is None:
            out["tests"] = [{"name": q.label, "score": q.score, "max_score": q.max_score,
                             "status": "passed" if q.outcome == "passed" else "failed", "output": q.message,
                             "visibility": "visible", "extra_data": {"grade_id": q.question}}
                            for q in self.questions]
            return out
        tests = []
        for n, q in enumerate(self.questions, start=1):
            if q.outcome == "pending":
                tests.append({"name": _entry_name(q, "graded by hand"), "number": f"{n}.1", "score": 0.0,
                              "max_score": 0.0, "output": GRADESCOPE_MANUAL.format(points=q.max_score),
                              "visibility": "visible", "extra_data": {"grade_id": q.question}})
                continue
            has_hidden = q.hidden is not None
            tests.append({
                "name": _entry_name(q, "visible tests"),
                "number": f"{n}.1",
                "score": 0.0 if has_hidden else q.score,
                "max_score": 0.0 if has_hidden else q.max_score,
                "status": "passed" if q.visible == "passed" else "failed",
                "output": q.message if (q.visible != "passed" or not has_hidden) else "The visible tests passed.",
                "visibility": "visible",
                "extra_data": {"grade_id": q.question},
            })
            if has_hidden:
                why = {"passed": "The hidden tests passed.",
                       "not_run": "Not run: " + ("the visible tests failed first." if q.visible == "failed"
                                                 else "the cell did not run.")}.get(q.hidden, q.message)
                tests.append({
                    "name": _entry_name(q, "hidden tests"),
                    "number": f"{n}.2",
                    "score": q.score,
                    "max_score": q.max_score,
                    "status": "passed" if q.outcome == "passed" else "failed",
                    "output": why,
                    "visibility": hidden_visibility,
                    "extra_data": {"grade_id": q.question},
                })
        review = "needs_review" in self.flags or self.status == "error"
        if review:
            tests.append({
                "name": "Instructors only: why this submission needs review",
                "number": f"{len(self.questions) + 1}",
                "score": 0.0, "max_score": 0.0, "status": "failed",
                "output": "\n".join(["flags: " + ", ".join(self.flags)] + list(self.review))[:20000],
                "visibility": "hidden",
            })
        pending = self.pending_points
        out["extra_data"] = {"status": self.status, "flags": list(self.flags), "needs_review": review,
                             "max_score": self.max_score - pending, "pending_points": pending}
        out["tests"] = tests
        return out


GRADESCOPE_MANUAL = ("Graded by hand: your instructor scores this answer in Gradescope ({points:g} points, "
                     "not part of the autograder's score).")


def _entry_name(q: Question, part: str) -> str:
    """"<the question as the notebook names it>: <part>"; the name of an answer graded by
    hand already ends with "graded by hand"."""
    return q.label if q.label.endswith(part) else f"{q.label}: {part}"
