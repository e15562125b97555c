"""Month grids for the term calendar: pure, dates and deadlines in (no database, no clock)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from send_mis.dates import MONTH_NAMES, Closure, date_warnings


@dataclass
class Day:
    day: date
    in_month: bool
    is_today: bool
    warnings: list[str]
    deadlines: list = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        """Short day labels for the grid: "Bank holiday: Christmas Day", "School closed" (weekends go without)."""
        notes = []
        for warning in self.warnings:
            if warning.startswith("falls on a bank holiday ("):
                notes.append("Bank holiday: " + warning.removeprefix("falls on a bank holiday (").removesuffix(")"))
            elif warning.startswith("falls in a school closure"):
                notes.append("School closed")
        return notes


@dataclass
class Month:
    first: date
    label: str
    weeks: list[list[Day]]

    @property
    def param(self) -> str:
        return f"{self.first:%Y-%m}"


def month_first_days(start: date, end: date) -> list[date]:
    """The first day of each month from `start`'s month to `end`'s, in order."""
    months = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def month_last_day(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def shift_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_grids(firsts: list[date], deadlines: Iterable, *, today: date, closures: Iterable[Closure]) -> list[Month]:
    """Monday-first grids of whole weeks for each month, each day with its deadlines and date warnings
    (weekend, bank holiday, school closure)."""
    closures = list(closures)
    by_day: dict[date, list] = defaultdict(list)
    for deadline in deadlines:
        by_day[deadline.due_on].append(deadline)
    grids = []
    for first in firsts:
        weeks = [
            [
                Day(
                    day=day,
                    in_month=day.month == first.month,
                    is_today=day == today,
                    warnings=date_warnings(day, closures=closures),
                    deadlines=by_day.get(day, []) if day.month == first.month else [],
                )
                for day in week
            ]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        ]
        grids.append(Month(first=first, label=f"{MONTH_NAMES[first.month - 1]} {first.year}", weeks=weeks))
    return grids
