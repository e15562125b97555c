"""Pure term arithmetic for the termly parent meetings: dates in, dates out (no ORM, no clock).

CoP 6.65 and policy section 10: schools should meet parents of pupils on SEN support at least three times a
year, one meeting a term. A school may store whole terms or half terms; either way its Term rows are grouped
into the three terms of the academic year by the month each starts in (September to December: autumn;
January to March: spring; April to August: summer). The meeting for a term is due on the last day of the
last Term row in that group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from send_mis.dates import academic_year_start

SEASONS = ("autumn", "spring", "summer")

# Used only when the school has stored no term dates for the year.
_FALLBACK = {"autumn": ((9, 1), (12, 31)), "spring": ((1, 1), (3, 31)), "summer": ((4, 1), (8, 31))}


@dataclass(frozen=True)
class SchoolTerm:
    academic_year: int  # the calendar year the academic year starts in
    season: str
    starts_on: date
    ends_on: date


def season_of(day: date) -> str:
    """The term a date (or a Term row's start) belongs to, by month."""
    if day.month >= 9:
        return "autumn"
    if day.month <= 3:
        return "spring"
    return "summer"


def school_terms(term_dates: Iterable[tuple[date, date]], academic_year: int) -> list[SchoolTerm]:
    """The three terms of `academic_year` from the school's (starts_on, ends_on) rows; a term with no rows
    falls back to the usual calendar (1 September to 31 December, and so on)."""
    first = date(academic_year, 9, 1)
    last = date(academic_year + 1, 8, 31)
    grouped: dict[str, list[tuple[date, date]]] = {season: [] for season in SEASONS}
    for starts_on, ends_on in term_dates:
        if first <= starts_on <= last:
            grouped[season_of(starts_on)].append((starts_on, ends_on))
    terms = []
    for season in SEASONS:
        rows = grouped[season]
        if rows:
            terms.append(SchoolTerm(academic_year, season, min(r[0] for r in rows), max(r[1] for r in rows)))
        else:
            (sm, sd), (em, ed) = _FALLBACK[season]
            year = academic_year if season == "autumn" else academic_year + 1
            terms.append(SchoolTerm(academic_year, season, date(year, sm, sd), date(year, em, ed)))
    return terms


def term_containing(term_dates: Iterable[tuple[date, date]], day: date) -> SchoolTerm:
    """The term of the academic year containing `day` whose dates cover it, or the next one to start (a day in
    a holiday belongs to the term after it; a day after the summer term to the summer term)."""
    terms = school_terms(list(term_dates), academic_year_start(day).year)
    for term in terms:
        if day <= term.ends_on:
            return term
    return terms[-1]


def meetings_expected(term_dates: Iterable[tuple[date, date]], day: date) -> int:
    """The pace: how many termly meetings should have been held this academic year by the end of the term
    containing `day` (1 in the autumn term, 2 in spring, 3 in summer)."""
    return SEASONS.index(term_containing(term_dates, day).season) + 1
