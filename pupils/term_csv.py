"""Term dates pasted or uploaded as CSV: pure parsing, no database and no clock.

One term a line: `name, first day, last day`. Dates are written `2026-09-02`, `02/09/2026` or `2 September 2026`.
A header line (one whose date columns are not dates) is skipped. Every bad line is reported, with its number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y")


@dataclass(frozen=True)
class TermLine:
    line: int
    name: str
    starts_on: date
    ends_on: date


def parse_date(value: str) -> date | None:
    """A date in one of the DATE_FORMATS, or None."""
    value = " ".join(value.split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def parse_terms(text: str) -> tuple[list[TermLine], list[str]]:
    """The terms in `text` and a message for every line that is not one. A term must end on or after the day
    it starts; terms may not overlap one another."""
    terms: list[TermLine] = []
    errors: list[str] = []
    for number, row in enumerate(csv.reader(io.StringIO(text.strip())), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) != 3:
            errors.append(f"Line {number}: give three values, the term's name, first day and last day.")
            continue
        name, first, last = cells
        starts_on, ends_on = parse_date(first), parse_date(last)
        if number == 1 and starts_on is None and ends_on is None:
            continue  # a header
        if not name:
            errors.append(f"Line {number}: the term has no name.")
        elif starts_on is None or ends_on is None:
            bad = first if starts_on is None else last
            errors.append(f"Line {number}: '{bad}' is not a date (write it as 2026-09-02 or 02/09/2026).")
        elif ends_on < starts_on:
            errors.append(f"Line {number}: {name} ends before it starts.")
        else:
            terms.append(TermLine(number, name, starts_on, ends_on))
    errors.extend(overlaps(terms))
    return terms, errors


def overlaps(terms: list[TermLine]) -> list[str]:
    """A message for each term that starts before an earlier-starting term has ended."""
    messages = []
    latest: TermLine | None = None
    for term in sorted(terms, key=lambda t: t.starts_on):
        if latest is not None and term.starts_on <= latest.ends_on:
            messages.append(
                f"{term.name} starts on {term.starts_on:%-d %B %Y}, "
                f"before {latest.name} ends on {latest.ends_on:%-d %B %Y}."
            )
        if latest is None or term.ends_on > latest.ends_on:
            latest = term
    return messages
