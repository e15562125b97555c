"""The demo's "today": a school day, so its dashboards show a working day (nothing due on a Sunday)."""

from __future__ import annotations

from datetime import date, timedelta

from send_mis.dates import bank_holidays_england


def last_school_day(day: date) -> date:
    """`day` itself if it is a weekday and not an England and Wales bank holiday, else the one before."""
    holidays = bank_holidays_england({day.year - 1, day.year})
    while day.weekday() >= 5 or day in holidays:
        day -= timedelta(days=1)
    return day
