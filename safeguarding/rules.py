"""Pure safeguarding rules: due dates and the suppression of small numbers. No ORM, no clock.

`today` and the school's terms are always passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from send_mis.suppression import suppress_table

TRANSFER_DAYS = 5

TRANSFER_RULE = (
    "KCSIE Annex C: the child protection file goes to the new school separately from the main pupil file, "
    "within 5 days of an in-year move, or within the first 5 days of the new term."
)
REFERRAL_RULE = (
    "Working Together to Safeguard Children: children's social care acknowledge a referral and decide what to do "
    "within one working day; chase the response if none has come."
)


def next_working_day(day: date, *, holidays: Iterable[date] = ()) -> date:
    """The first weekday after `day` that is not a bank holiday in `holidays`."""
    closed = set(holidays)
    candidate = day + timedelta(days=1)
    while candidate.weekday() >= 5 or candidate in closed:
        candidate += timedelta(days=1)
    return candidate


def referral_chase_due(referred_on: date, *, holidays: Iterable[date] = ()) -> date:
    """When to chase a referral's response: one working day after the referral (weekends and the given bank
    holidays do not count)."""
    return next_working_day(referred_on, holidays=holidays)


def transfer_due(left_on: date, *, terms: Sequence[tuple[date, date]]) -> date:
    """The last day to hand the file to the new school (KCSIE Annex C): 5 calendar days after the child's
    last day when they leave in term time; when they leave on the last day of a term or in a holiday, 5 days
    after the first day of the next term (`terms` are (first day, last day) pairs in any order). With no next
    term known the in-year rule applies."""
    ordered = sorted(terms)
    in_term = next((start for start, end in ordered if start <= left_on < end), None)
    if in_term is not None:
        return left_on + timedelta(days=TRANSFER_DAYS)
    next_start = next((start for start, _end in ordered if start > left_on), None)
    if next_start is None:
        return left_on + timedelta(days=TRANSFER_DAYS)
    return next_start + timedelta(days=TRANSFER_DAYS - 1)


def suppress_small_counts(
    counts: Mapping[str, Mapping[str, int]], *, rows: Sequence[str], columns: Sequence[str]
) -> dict[str, dict[str, str]]:
    """Counts by row (category) and column (term) fit to publish, with a "Total" row and column added: the
    school's one rule (send_mis.suppression), so a count from 1 to 4 shows as "fewer than 5" and where a total
    would give it back another cell shows as "hidden". Zeros stay: they identify no one."""
    table = suppress_table([[counts.get(row, {}).get(column, 0) for column in columns] for row in rows])
    result: dict[str, dict[str, str]] = {}
    for r, row in enumerate(rows):
        result[row] = {column: table.cells[r][c].text for c, column in enumerate(columns)}
        result[row]["Total"] = table.row_totals[r].text
    result["Total"] = {column: table.column_totals[c].text for c, column in enumerate(columns)}
    result["Total"]["Total"] = table.total.text
    return result
