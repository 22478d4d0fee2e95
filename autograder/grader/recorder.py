"""What nbgrader's steps tell the worker about one submission, in memory.

The worker makes one ``Recorder`` per submission and hands the same object to the steps
through nbgrader's configuration (``TamperRecord.recorder`` for the sanitize steps,
``GuardedExecute.recorder`` for the execution); after ``autograde`` it reads what they
recorded.  Nothing is written to disk for the same process to read back.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Recorder:
    changes: list[tuple[str, str]] = field(default_factory=list)   # (flag, detail) of the sanitize steps
    execution: object | None = None        # the executor's execution.ExecutionRecord, once it has run

    def __deepcopy__(self, memo):
        # traitlets deep-copies a configuration value as it loads it: every step must get
        # this same object (as supervise.MemoryWatchdog)
        return self

    def change(self, flag: str, detail: str) -> None:
        self.changes.append((flag, detail))

    @property
    def flags(self) -> list[str]:
        return sorted({flag for flag, _ in self.changes})

    @property
    def details(self) -> list[str]:
        return list(dict.fromkeys(detail for _, detail in self.changes))
