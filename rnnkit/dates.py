"""Notebook 08: the data of the sequence-to-sequence lab, made here, nothing downloaded.

Two tasks.

* **Dates.**  Human-readable dates (``"Tuesday, March 3, 1998"``, ``"3 mars 1998"``,
  ``"03.03.98"``) to ISO 8601 (``"1998-03-03"``).  Each date is drawn from 1 January 1950 to
  31 December 2049 and written with Python's ``datetime`` and Babel's locale data (Babel
  2.18, pinned in the course's environment) in one of four languages and one of several
  formats.  Every numeric format writes the **day first**: ``03/04/98`` would be ambiguous
  between the US order (month first, English's Babel "short" format, left out) and the
  European one.  Two-digit years are unambiguous because the dates span exactly 100 years
  (``yy >= 50`` is 19yy, ``yy < 50`` is 20yy).  The splits (training, validation, test) hold
  **disjoint dates**: no day is in two sets, so a held-out date is one the model never read,
  in any language or format.
* **Digit strings of a chosen length**: a string of ``L`` random digits and its reverse (or
  a copy), the task that measures the encoder-decoder's bottleneck against the length.

Plain Python and NumPy (Babel for the dates): 10,000 dates take well under a second.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

LOCALES = ("en", "fr", "de", "es")
# Babel's four locale formats, then two day-first numeric ones (03/03/98 and 3.3.1998).
FORMATS = ("short", "medium", "long", "full", "dd/MM/yy", "d.M.y")
# English's Babel "short" is "M/d/yy" (month first): the one (language, format) left out.
EXCLUDED = (("en", "short"),)
FIRST = datetime.date(1950, 1, 1)
LAST = datetime.date(2049, 12, 31)
N_DAYS = (LAST - FIRST).days + 1            # 36,525 days


def styles() -> list[tuple[str, str]]:
    """Every (language, format) a date can be written in: 4 x 6 - 1 = 23."""
    return [(loc, fmt) for loc in LOCALES for fmt in FORMATS if (loc, fmt) not in EXCLUDED]


@lru_cache(maxsize=None)
def _locale(code: str):
    from babel import Locale

    return Locale.parse(code)


@lru_cache(maxsize=None)
def _pattern(code: str, fmt: str):
    import babel.dates

    if fmt in ("short", "medium", "long", "full"):
        return babel.dates.get_date_format(fmt, locale=_locale(code))
    return babel.dates.parse_pattern(fmt)


def write_date(day: datetime.date, locale: str = "en", fmt: str = "long") -> str:
    """``day`` written in ``locale`` (en, fr, de, es) and ``fmt`` (one of ``FORMATS``)."""
    import babel.dates

    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {FORMATS}")
    return babel.dates.format_date(day, format=_pattern(locale, fmt), locale=_locale(locale))


def iso(day: datetime.date) -> str:
    """The target: ISO 8601, ``"YYYY-MM-DD"``."""
    return day.isoformat()


def parse_iso(text: str) -> datetime.date:
    """The date of an ISO 8601 string (raises ValueError on anything else)."""
    return datetime.date.fromisoformat(text)


def source_alphabet() -> str:
    """Every character a written date can hold, sorted, as one string: the dates of one
    leap year (every month, every weekday, 1 to 2 digit days) in every (language, format),
    and the ten digits.  A vocabulary built from it covers any date of any split."""
    chars = set("0123456789")
    day = datetime.date(2000, 1, 1)
    while day.year == 2000:
        for loc, fmt in styles():
            chars.update(write_date(day, loc, fmt))
        day += datetime.timedelta(days=1)
    return "".join(sorted(chars))


@dataclass
class DateSet:
    """Dates written by people (``source``) and their ISO forms (``target``), one example a row."""
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    days: list[datetime.date] = field(default_factory=list)
    style: list[tuple[str, str]] = field(default_factory=list)    # (language, format) of each

    def __len__(self) -> int:
        return len(self.source)

    def __getitem__(self, k):
        return self.source[k], self.target[k]


def _written(days: np.ndarray, rng: np.random.Generator) -> DateSet:
    all_styles = styles()
    picks = rng.integers(0, len(all_styles), size=len(days))
    out = DateSet()
    for offset, pick in zip(days.tolist(), picks.tolist()):
        day = FIRST + datetime.timedelta(days=int(offset))
        loc, fmt = all_styles[pick]
        out.source.append(write_date(day, loc, fmt))
        out.target.append(iso(day))
        out.days.append(day)
        out.style.append((loc, fmt))
    return out


def date_splits(train: int = 10_000, validation: int = 1_000, test: int = 1_000,
                seed: int = 8) -> dict[str, DateSet]:
    """Training, validation and test dates, disjoint: ``{"train": ..., "validation": ..., "test": ...}``.

    ``train + validation + test`` distinct days are drawn without replacement from the 36,525
    days of 1950 to 2049 and dealt out in that order; each is written in a (language, format)
    drawn uniformly from ``styles()``.  The same ``seed`` gives the same sets."""
    sizes = {"train": train, "validation": validation, "test": test}
    total = sum(sizes.values())
    if min(sizes.values()) < 0 or total > N_DAYS:
        raise ValueError(f"the sets need {total} distinct days; there are {N_DAYS}")
    rng = np.random.default_rng(seed)
    days = rng.choice(N_DAYS, size=total, replace=False)
    out, start = {}, 0
    for name, size in sizes.items():
        out[name] = _written(days[start:start + size], rng)
        start += size
    return out


def random_dates(n: int, seed: int = 0, exclude: set[datetime.date] | None = None) -> DateSet:
    """``n`` distinct dates (none of ``exclude``), each in a random (language, format)."""
    rng = np.random.default_rng(seed)
    pool = np.arange(N_DAYS)
    if exclude:
        banned = np.array(sorted((d - FIRST).days for d in exclude))
        pool = np.setdiff1d(pool, banned)
    if n > len(pool):
        raise ValueError(f"{n} distinct dates asked, {len(pool)} available")
    return _written(rng.choice(pool, size=n, replace=False), rng)


# ------------------------------------------------------------------------------------------
# the length-controlled task
# ------------------------------------------------------------------------------------------

def digit_task(n: int, length, seed: int = 0, task: str = "reverse") -> tuple[list[str], list[str]]:
    """``n`` strings of random digits and their targets: ``(sources, targets)``.

    ``length`` is one length ``L`` or a pair ``(lo, hi)``: each string's length is then drawn
    uniformly from ``lo`` to ``hi`` inclusive.  ``task`` is ``"reverse"`` (the target is the
    string backwards: ``"12345" -> "54321"``) or ``"copy"`` (the string itself)."""
    if task not in ("reverse", "copy"):
        raise ValueError("task is 'reverse' or 'copy'")
    rng = np.random.default_rng(seed)
    lo, hi = (length, length) if np.ndim(length) == 0 else (int(length[0]), int(length[1]))
    if lo < 1 or hi < lo:
        raise ValueError("lengths must satisfy 1 <= lo <= hi")
    lengths = rng.integers(lo, hi + 1, size=n)
    digits = rng.integers(0, 10, size=int(lengths.sum()))
    text = "".join(map(str, digits.tolist()))
    sources, start = [], 0
    for size in lengths.tolist():
        sources.append(text[start:start + size])
        start += size
    targets = [s[::-1] for s in sources] if task == "reverse" else list(sources)
    return sources, targets
