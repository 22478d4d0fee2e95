"""Spreadsheet-safe CSV cells: what a student or a roster wrote never becomes a formula.

A spreadsheet (Excel, LibreOffice, Google Sheets) that opens a CSV runs a cell beginning with
``=``, ``+``, ``-`` or ``@`` as a formula, and a tab or a carriage return can start one
(OWASP, "CSV Injection").  ``safe_cell`` puts a leading apostrophe before such a cell, as
OWASP recommends, and leaves numbers as they are (``-1.5`` stays a number); ``safe_row``
does it to a row.  A cell that already begins with an apostrophe gets one more, so that
``unsafe_cell`` gives back exactly what was escaped when the grader reads its own CSVs again
(``summary.csv`` for the LMS export, the shards' CSVs for a merge).

``write_rows`` writes CSV rows that way (``safe_row`` on every row, and a row with a carriage
return in a cell fully quoted: Python 3.11's ``csv`` leaves a lone ``\r`` unquoted when lines
end with ``\n``, which splits the row in any reader).  The LMS export (``platforms/lms.py``)
writes through it and reads ``summary.csv`` back through ``unsafe_row``; the batch's
``grades.csv`` and ``summary.csv`` (``report._write_csv``) are written the same way, and read
back by ``report.merge`` through ``unsafe_row``.
"""
from __future__ import annotations

import csv

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower().lstrip("+-") not in ("inf", "infinity", "nan")


def safe_cell(value) -> str:
    """``value`` as text a spreadsheet shows and never runs: a leading apostrophe before a
    cell beginning with a formula trigger (or an apostrophe), numbers left as they are."""
    text = "" if value is None else str(value)
    if text.startswith(QUOTE) or (text.startswith(TRIGGERS) and not _is_number(text)):
        return QUOTE + text
    return text


def safe_row(row) -> list[str]:
    return [safe_cell(cell) for cell in row]


def unsafe_cell(text: str) -> str:
    """What ``safe_cell`` escaped, given back (a cell it did not escape is unchanged)."""
    if text.startswith(QUOTE) and text[1:2] and (text[1] == QUOTE or text[1:].startswith(TRIGGERS)):
        return text[1:]
    return text


def unsafe_row(row: dict) -> dict:
    """A ``csv.DictReader`` row of a CSV written through ``safe_row``, as it was before."""
    return {k: unsafe_cell(v) if isinstance(v, str) else v for k, v in row.items()}


def write_rows(fh, rows) -> None:
    """``rows`` as CSV into the open file ``fh`` (opened with ``newline=""``), one row a line
    (``\n``), every cell through ``safe_cell``."""
    plain = csv.writer(fh, lineterminator="\n")
    quoted = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        cells = safe_row(row)
        (quoted if any("\r" in c for c in cells) else plain).writerow(cells)
