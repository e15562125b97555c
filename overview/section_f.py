"""Specified against delivered: pure arithmetic for an EHC plan's section F line over a term, no database and no
clock.

The provision specified is owed every school week (section F is "specified and quantified", CoP 9.69), so over
the part of the term that has passed it comes to minutes a week x school weeks elapsed, where school weeks are
weekdays in term up to and including the day looked at, divided by five. Delivered is the minutes of the sessions
the pupil attended in the provisions linked to the line. A line is short when delivery falls below SHORTFALL_SHARE
of what was owed: the margin allows for a pupil's own absence and a cancelled session or two; beyond it the school
owes an explanation at the annual review.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

SHORTFALL_SHARE = Decimal("0.90")


def school_weeks(terms: Iterable[tuple[date, date]], starts_on: date, up_to: date) -> Decimal:
    """Weekdays from `starts_on` to `up_to` (both included) that fall inside one of the (start, end) term rows,
    divided by five, to one decimal place."""
    rows = list(terms)
    days, day = 0, starts_on
    while day <= up_to:
        if day.weekday() < 5 and any(s <= day <= e for s, e in rows):
            days += 1
        day += timedelta(days=1)
    return (Decimal(days) / 5).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Delivery:
    owed_minutes: int
    delivered_minutes: int
    percent: int | None
    is_short: bool


def compare(*, minutes_per_week: int, weeks: Decimal, delivered_minutes: int) -> Delivery:
    """What was owed (minutes a week x school weeks, rounded to the minute), what was delivered, the percentage
    delivered, and whether it falls short (below SHORTFALL_SHARE of what was owed). Nothing owed is never short."""
    owed = int((Decimal(minutes_per_week) * weeks).to_integral_value(rounding=ROUND_HALF_UP))
    if owed == 0:
        return Delivery(0, delivered_minutes, None, False)
    percent = int((Decimal(delivered_minutes * 100) / owed).to_integral_value(rounding=ROUND_HALF_UP))
    return Delivery(owed, delivered_minutes, percent, Decimal(delivered_minutes) < SHORTFALL_SHARE * owed)
