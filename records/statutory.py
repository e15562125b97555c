"""Pure date rules of the records layer: dates in, dates out; no database and no clock."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta


def school_days_after(start: date, days: int, *, terms: Iterable[tuple[date, date]], holidays: Iterable[date]) -> date:
    """The `days`-th school day after `start` (start itself not counted): Education (Pupil Information)
    (England) Regulations 2005, reg 9, "within 15 school days". A school day is a weekday inside one of the
    school's terms that is not a bank holiday. Beyond the last term the school has entered, and for a school
    with no terms at all, every weekday that is not a bank holiday counts, so the date is never later than
    the rule allows (the earlier reading, STATUTORY.md section 1)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    spans = sorted(terms)
    last_known = spans[-1][1] if spans else date.min
    closed = set(holidays)
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() >= 5 or day in closed:
            continue
        if day > last_known or any(first <= day <= last for first, last in spans):
            counted += 1
    return day
