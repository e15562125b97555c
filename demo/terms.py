"""Term dates for the demo school: six terms a year around Easter and the late-May bank holiday, weekdays only."""

from datetime import date, timedelta


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _monday_on_or_before(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def easter_sunday(year: int) -> date:
    """Easter Day in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def term_dates(academic_year: int) -> list[tuple[str, date, date]]:
    """English-style half terms of the academic year starting in September `academic_year`: a week off at
    the end of October, two weeks at Christmas, a week in mid-February, two weeks at Easter (Holy Week and
    Easter week), the late-May bank holiday week, and the summer from late July."""
    y1, y2 = academic_year, academic_year + 1
    october = _monday_on_or_before(date(y1, 10, 31))
    february = _monday_on_or_after(date(y2, 2, 12))
    easter = easter_sunday(y2)
    late_may = _monday_on_or_before(date(y2, 5, 31))
    christmas_end = date(y1, 12, 20) - timedelta(days=(date(y1, 12, 20).weekday() - 4) % 7)
    return [
        ("Autumn 1", _weekday_on_or_after(date(y1, 9, 2)), october - timedelta(days=3)),
        ("Autumn 2", october + timedelta(days=7), christmas_end),
        ("Spring 1", _weekday_on_or_after(date(y2, 1, 5)), february - timedelta(days=3)),
        ("Spring 2", february + timedelta(days=7), easter - timedelta(days=9)),
        ("Summer 1", easter + timedelta(days=8), late_may - timedelta(days=3)),
        ("Summer 2", late_may + timedelta(days=7), _weekday_on_or_before(date(y2, 7, 22))),
    ]
