"""Report periods and census days: dates in, dates out (pure: no Django, no clock).

A governors' report covers a term or a whole academic year. Register figures are a snapshot, like the DfE's
school census: who was on the register on the census day of each term. The census days follow the DfE's
pattern: the first Thursday of October (autumn), the third Thursday of January (spring) and the third
Thursday of May (summer). A period still running is counted on `today` when its census day has not come yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

SEASONS = ("autumn", "spring", "summer")
SEASON_LABELS = {"autumn": "Autumn term", "spring": "Spring term", "summer": "Summer term"}


def _nth_thursday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + timedelta(weeks=n - 1)


def census_day(academic_year: int, season: str) -> date:
    """The census day of a term of the academic year starting in September of `academic_year`."""
    if season == "autumn":
        return _nth_thursday(academic_year, 10, 1)
    if season == "spring":
        return _nth_thursday(academic_year + 1, 1, 3)
    if season == "summer":
        return _nth_thursday(academic_year + 1, 5, 3)
    raise ValueError(f"no such term: {season!r}")


def year_label(academic_year: int) -> str:
    return f"{academic_year} to {academic_year + 1}"


@dataclass(frozen=True)
class Period:
    """A term (season set) or a whole academic year (season None)."""

    academic_year: int
    season: str | None = None

    @property
    def starts_on(self) -> date:
        return date(self.academic_year, 9, 1) if self.season in (None, "autumn") else self._bounds()[0]

    @property
    def ends_on(self) -> date:
        return date(self.academic_year + 1, 8, 31) if self.season in (None, "summer") else self._bounds()[1]

    def _bounds(self) -> tuple[date, date]:
        y = self.academic_year
        return {
            "autumn": (date(y, 9, 1), date(y, 12, 31)),
            "spring": (date(y + 1, 1, 1), date(y + 1, 3, 31)),
            "summer": (date(y + 1, 4, 1), date(y + 1, 8, 31)),
        }[self.season]

    @property
    def label(self) -> str:
        if self.season is None:
            return f"Academic year {year_label(self.academic_year)}"
        return f"{SEASON_LABELS[self.season]} {year_label(self.academic_year)}"

    @property
    def slug(self) -> str:
        return f"{self.academic_year}-{self.season or 'year'}"

    def last_term(self, today: date) -> Period:
        """The term whose census day the period's register figures use: the term itself, or for a year the
        last term whose census day has come (the autumn term before then)."""
        if self.season is not None:
            return self
        passed = [s for s in SEASONS if census_day(self.academic_year, s) <= today]
        return Period(self.academic_year, passed[-1] if passed else "autumn")

    def snapshot_day(self, today: date) -> date:
        """The day register figures are counted on: the term's census day (for a year, the last census day of
        the year that has come), or today while that day is still ahead."""
        if self.season is None:
            days = [census_day(self.academic_year, season) for season in SEASONS]
            passed = [day for day in days if day <= today]
            return passed[-1] if passed else min(today, days[0])
        return min(census_day(self.academic_year, self.season), today)


def parse_period(value: str | None, *, today: date) -> Period:
    """A period from its slug (`2025-spring`, `2025-year`); anything else gives the current term."""
    if value:
        year_text, _, season = value.partition("-")
        if year_text.isdigit() and 2000 <= int(year_text) <= 2100 and (season in SEASONS or season == "year"):
            period = Period(int(year_text), None if season == "year" else season)
            if period.starts_on <= today:
                return period
    return current_term(today)


def current_term(today: date) -> Period:
    """The term containing `today`, by month (September to December: autumn; January to March: spring)."""
    academic_year = today.year if today.month >= 9 else today.year - 1
    season = "autumn" if today.month >= 9 else "spring" if today.month <= 3 else "summer"
    return Period(academic_year, season)


def terms_up_to(period: Period, count: int) -> list[Period]:
    """The `count` terms ending with the period's last term, oldest first: the trend's columns."""
    last = Period(period.academic_year, period.season or "summer")
    terms = []
    year, index = last.academic_year, SEASONS.index(last.season)
    for _ in range(count):
        terms.append(Period(year, SEASONS[index]))
        index -= 1
        if index < 0:
            year, index = year - 1, len(SEASONS) - 1
    return list(reversed(terms))


def periods_to_choose(today: date, *, years: int = 3) -> list[Period]:
    """The periods a reader may pick, newest first: each term and whole year of the last `years` years, up to
    the current term."""
    current = current_term(today)
    choices = []
    for academic_year in range(current.academic_year, current.academic_year - years, -1):
        choices.append(Period(academic_year))
        for season in reversed(SEASONS):
            term = Period(academic_year, season)
            if (academic_year, SEASONS.index(season)) <= (current.academic_year, SEASONS.index(current.season)):
                choices.append(term)
    return choices
