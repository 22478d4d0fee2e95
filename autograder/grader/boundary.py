"""Step: the student-facing output boundary.  Everything a student receives passes here.

The grader writes for students only through ``report.write_outputs`` (results.json,
feedback.html; the platform outputs are built from the same rows), and that function runs
every student-facing text through one ``Boundary`` first.  Student code controls part of
that text (the message of an exception it raises, the repr of a value a visible test
prints), so the text is treated as hostile.  The boundary removes:

* every line, and every fragment of ``FRAGMENT`` characters or more, of the hidden-test
  regions of the graded assignments (whitespace folded), unless the same text is also
  shown to students (the released notebook: a visible test line, an import);
* every value of the grading process's environment that is not on the kernels' allowlist
  (``course.KERNEL_ENV_ALLOWED``): tokens, credentials, other instructors' settings;
* every absolute path of the grading machine (the job folders, the checkout, the
  interpreter, home folders): only the last component is kept;

and bounds every message (``MAX_MESSAGE`` characters, at most ``MAX_MESSAGES`` per
submission).  What it removed is reported for the instructor (``Cleaned.removed``), never
for the student.

This is the last of three layers (see docs/autograding.md, "What a student can see"):
the kernels never get the grader's environment, and the hidden part of a grade cell is
sent to the kernel only after its visible part has run (``execution.GuardedExecute``).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace

from ..regions import split_regions

# A run of this many characters (whitespace folded) of a hidden-test region is removed
# wherever it appears: long enough that generic code ("np.testing.assert_allclose(") is
# also in the visible tests and so stays; short enough to catch an expected value.
FRAGMENT = 20
# Hidden-test lines shorter than FRAGMENT but at least this long are removed whole.
MIN_LINE = 8
# Environment values shorter than this are not secrets ("1", "C.UTF-8", "root").
MIN_ENV_VALUE = 6
MAX_MESSAGE = 600
MAX_MESSAGES = 12
# A message longer than this is cut before it is scanned (a student can raise a 100 MB message).
MAX_SCANNED = 20_000
HIDDEN = "[hidden]"
SECRET = "[redacted]"

_PATH = re.compile(r"(?<![\w)\]}.~/…])/(?:[\w.@+-]+/)+[\w.@+-]*")
_SPACE = re.compile(r"\s+")


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` with each run of whitespace folded to one space, and for each character of
    the folded text its index in ``text``."""
    out, where = [], []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            out.append(" ")
            where.append(i)
            i = j
        else:
            out.append(text[i])
            where.append(i)
            i += 1
    return "".join(out), where


def _folded(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _grams(text: str, n: int) -> set[str]:
    return {text[i:i + n] for i in range(len(text) - n + 1)}


@dataclass
class Cleaned:
    text: str
    removed: list[str] = field(default_factory=list)    # what kinds were removed (instructor only)


class Boundary:
    """What must never reach a student, and the filter that removes it."""

    def __init__(self, hidden: list[str] = (), public: list[str] = (), environment: dict | None = None,
                 allowed_env=(), paths=()):
        public_folded = [_folded(p) for p in public]
        public_grams: set[str] = set()
        for text in public_folded:
            public_grams |= _grams(text, FRAGMENT)
        public_text = "\n".join(public_folded)
        self._grams: set[str] = set()
        self._lines: set[str] = set()
        for region in hidden:
            folded = _folded(region)
            self._grams |= _grams(folded, FRAGMENT) - public_grams
            for line in region.splitlines():
                line = _folded(line)
                if MIN_LINE <= len(line) < FRAGMENT and line not in public_text:
                    self._lines.add(line)
        env = dict(os.environ if environment is None else environment)
        allowed = set(allowed_env)
        self._env = sorted({v for k, v in env.items() if k not in allowed and len(v.strip()) >= MIN_ENV_VALUE},
                           key=len, reverse=True)
        # known folders (they may hold spaces, which the generic pattern stops at); "/tmp" or
        # "/root" alone say nothing, and replacing them would garble ordinary text
        known = {str(p) for p in paths if p} | {os.path.realpath(p) for p in paths if p}
        self._paths = sorted((p for p in known if p.count("/") >= 2), key=len, reverse=True)

    # -- building ------------------------------------------------------------------------
    @classmethod
    def for_notebooks(cls, pairs, environment: dict | None = None, paths=()) -> "Boundary":
        """From (master, release) notebook pairs: the masters' hidden-test regions, minus
        what the released notebooks show."""
        from .. import course

        from .judge import student_sentences

        hidden, public = [], []
        for master, release in pairs:
            for cell in master.cells:
                _, inside, _ = split_regions(cell.get("source", ""))
                if inside["hidden"]:
                    hidden.append("\n".join(inside["hidden"]))
                    public += student_sentences("\n".join(inside["hidden"]))    # the judged checks' reasons
            public += [c.get("source", "") for c in release.cells]
        return cls(hidden, public, environment, course.KERNEL_ENV_ALLOWED, paths)

    # -- filtering -----------------------------------------------------------------------
    def clean(self, text: str, limit: int = MAX_MESSAGE) -> Cleaned:
        text = str(text or "")[:MAX_SCANNED]
        removed: list[str] = []
        for value in self._env:
            if value in text:
                text = text.replace(value, SECRET)
                removed.append("an environment value of the grader")
        text, hit = self._remove_hidden(text)
        if hit:
            removed.append("hidden-test text")
        for path in self._paths:
            if path in text:
                text = text.replace(path, "…")
        text = _PATH.sub(lambda m: "…/" + m.group(0).rstrip("/").rsplit("/", 1)[-1], text)
        text = text.strip()
        if len(text) > limit:
            text = text[: limit - 16].rstrip() + " … (truncated)"
        return Cleaned(text, sorted(set(removed)))

    def _remove_hidden(self, text: str) -> tuple[str, bool]:
        if not (self._grams or self._lines) or not text:
            return text, False
        folded, where = _fold(text)
        marked = [False] * len(folded)
        hit = False
        for i in range(len(folded) - FRAGMENT + 1):
            if folded[i:i + FRAGMENT] in self._grams:
                marked[i:i + FRAGMENT] = [True] * FRAGMENT
                hit = True
        for line in self._lines:
            start = folded.find(line)
            while start >= 0:
                marked[start:start + len(line)] = [True] * len(line)
                hit = True
                start = folded.find(line, start + 1)
        if not hit:
            return text, False
        out, i, n = [], 0, len(folded)
        while i < n:
            if marked[i]:
                j = i
                while j < n and marked[j]:
                    j += 1
                out.append(HIDDEN)
                i = j
            else:
                end = where[i + 1] if i + 1 < n else len(text)    # a folded space: its whole run
                out.append(text[where[i]:end])
                i += 1
        return "".join(out), True

    def apply(self, result):
        """A copy of a ``schema.Result`` whose student-facing texts went through ``clean``;
        what was removed is added to its review (and flags it for review)."""
        removed: list[str] = []

        def clean(text):
            c = self.clean(text)
            removed.extend(c.removed)
            return c.text

        questions = [replace(q, message=clean(q.message), name=clean(q.name)) for q in result.questions]
        messages = [clean(m) for m in result.messages[:MAX_MESSAGES]]
        if len(result.messages) > MAX_MESSAGES:
            messages.append(f"({len(result.messages) - MAX_MESSAGES} more messages not shown)")
        review = list(result.review)
        flags = list(result.flags)
        if removed:
            review.append("removed from the student's feedback: " + ", ".join(sorted(set(removed)))
                          + " (the submission's output quoted them)")
            if "needs_review" not in flags:
                flags.append("needs_review")
        return replace(result, questions=questions, messages=messages, review=review, flags=flags)
