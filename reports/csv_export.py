"""CSV exports that a spreadsheet cannot be tricked into running (pure: no Django).

A cell that starts with =, +, -, @, a tab or a carriage return is read by Excel and LibreOffice as a formula
(CSV injection, OWASP). Such cells are written with a leading apostrophe, so they open as text. Plain numbers
("-1.5", "12") are left alone so they stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?%?$")


def safe_cell(value: object) -> str:
    """The cell's text, prefixed with an apostrophe where a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def rows_to_csv(rows: Iterable[Sequence[object]]) -> str:
    """Rows of cells as CSV text, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
