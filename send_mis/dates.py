"""Pure date helpers: warnings about awkward due dates, long dates and academic years.

No Django and no clock. Statutory periods run in calendar days and never move (STATUTORY.md s.1);
these helpers only tell staff when a due date lands on a weekend, an England and Wales bank holiday
or a school closure day, so they act before it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType

import holidays

Closure = tuple[date, date]
"""A school closure as ``(first_closed_day, reopening_day)``; the reopening day is open."""

MONTH_NAMES: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DAY_NAMES: tuple[str, ...] = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)  # fmt: skip
ACADEMIC_YEAR_START_MONTH = 9


@lru_cache(maxsize=32)
def _bank_holiday_names(years: frozenset[int]) -> Mapping[date, str]:
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=sorted(years))
    # GOV.UK calls a bank holiday moved off a weekend a "substitute day"; the library says "observed".
    names = {day: name.replace("(observed)", "(substitute day)") for day, name in calendar.items()}
    return MappingProxyType(names)


def bank_holidays_england(years: Iterable[int]) -> frozenset[date]:
    """England and Wales bank holidays in ``years``, from the ``holidays`` library (GB, ENG).

    Includes substitute days and one-off bank holidays (jubilees, state funerals). The result is
    cached per set of years and immutable, so a caller cannot corrupt the cache.
    """
    return frozenset(_bank_holiday_names(frozenset(years)))


def date_warnings(day: date, *, closures: Iterable[Closure] = ()) -> list[str]:
    """Short warnings about ``day`` as a due date, in British English; empty when there are none.

    Warns when the day is a Saturday or Sunday, an England and Wales bank holiday (named), or inside a
    school closure. ``closures`` are ``(first_closed_day, reopening_day)`` pairs, and a day is closed
    when first_closed_day <= day < reopening_day; the warning names the first and last closed days.
    The date itself never moves.
    """
    _require_date(day, "day")
    warnings: list[str] = []
    if day.weekday() >= 5:
        warnings.append(f"falls on a {DAY_NAMES[day.weekday()]}")
    holiday_name = _bank_holiday_names(frozenset({day.year})).get(day)
    if holiday_name is not None:
        warnings.append(f"falls on a bank holiday ({holiday_name})")
    for first_closed_on, reopening_on in closures:
        _require_date(first_closed_on, "first_closed_day")
        _require_date(reopening_on, "reopening_day")
        if first_closed_on <= day < reopening_on:
            last_closed_on = reopening_on - timedelta(days=1)
            warning = f"falls in a school closure ({format_long(first_closed_on)} to {format_long(last_closed_on)})"
            if warning not in warnings:
                warnings.append(warning)
    return warnings


def format_long(day: date) -> str:
    """The day as "14 March 2027": no leading zero, English month names whatever the locale."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def academic_year_start(day: date) -> date:
    """The 1 September on or before ``day``; English academic years run 1 September to 31 August."""
    _require_date(day, "day")
    year = day.year if day.month >= ACADEMIC_YEAR_START_MONTH else day.year - 1
    return date(year, ACADEMIC_YEAR_START_MONTH, 1)


def academic_year_label(day: date) -> str:
    """The academic year containing ``day``, as "2026/27"."""
    start_year = academic_year_start(day).year
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def add_school_days(day: date, days: int, *, closures: Iterable[Closure] = ()) -> date:
    """The ``days``-th school day after ``day`` (``day`` itself not counted).

    A school day is a Monday to Friday that is not an England and Wales bank holiday and not inside a school
    closure (``(first_closed_day, reopening_day)`` pairs; the reopening day is open). Used only for the
    school's own settings counted in school days (telling parents about SEN support, default 10): the
    statutory periods are calendar days. Started Friday 18 December 2026 with the school closed from
    19 December to 4 January 2027: 1 school day later is Monday 4 January 2027.
    """
    _require_date(day, "day")
    if days < 0:
        raise ValueError("days must not be negative")
    closed = list(closures)
    current, counted = day, 0
    while counted < days:
        current += timedelta(days=1)
        if current.weekday() >= 5 or current in bank_holidays_england({current.year}):
            continue
        if any(first <= current < reopening for first, reopening in closed):
            continue
        counted += 1
    return current


def _require_date(value: date, name: str) -> None:
    # A datetime is a date subclass; refusing it keeps the UTC-midnight trap out of date logic.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")


def add_months(day: date, months: int) -> date:
    """Return the same day number ``months`` calendar months after ``day``.

    Where that day does not exist in the target month, return the last day of that month:
    29 February 2028 + 12 months = 28 February 2029; 31 August 2025 + 6 months = 28 February 2026.
    This is how STATUTORY.md s.1 reads "within 12 months" and "six months". ``months`` may be
    negative or zero.
    """
    _require_date(day, "day")
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def not_in_future(value: date | None, *, today: date, what: str) -> str | None:
    """The message for an event date after ``today`` ("The request date cannot be in the future."), else None.

    The one check that a recorded event has happened: services and forms call it with the ``today`` their
    caller read from the clock, so nothing below the view or task reads the clock itself."""
    if value is not None and value > today:
        return f"The {what} cannot be in the future."
    return None
