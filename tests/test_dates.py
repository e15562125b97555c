"""Date warnings, long dates and academic years: table-driven, no database."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from send_mis.dates import (
    Closure,
    academic_year_label,
    academic_year_start,
    bank_holidays_england,
    date_warnings,
    format_long,
)

D = date
SUMMER_2026: Closure = (D(2026, 7, 20), D(2026, 9, 1))
SUMMER_2026_TEXT = "falls in a school closure (20 July 2026 to 31 August 2026)"


@pytest.mark.parametrize(
    ("day", "closures", "expected"),
    [
        (D(2026, 3, 16), (), []),
        (D(2026, 3, 14), (), ["falls on a Saturday"]),
        (D(2026, 3, 15), (), ["falls on a Sunday"]),
        (D(2027, 3, 26), (), ["falls on a bank holiday (Good Friday)"]),
        (D(2027, 3, 29), (), ["falls on a bank holiday (Easter Monday)"]),
        (D(2026, 12, 25), (), ["falls on a bank holiday (Christmas Day)"]),
        (D(2026, 12, 26), (), ["falls on a Saturday", "falls on a bank holiday (Boxing Day)"]),
        (D(2026, 12, 28), (), ["falls on a bank holiday (Boxing Day (substitute day))"]),
        (D(2027, 1, 1), (), ["falls on a bank holiday (New Year's Day)"]),
        (D(2022, 9, 19), (), ["falls on a bank holiday (State Funeral of Queen Elizabeth II)"]),
        (D(2026, 7, 19), [SUMMER_2026], ["falls on a Sunday"]),
        (D(2026, 7, 20), [SUMMER_2026], [SUMMER_2026_TEXT]),
        (
            D(2026, 8, 31),
            [SUMMER_2026],
            ["falls on a bank holiday (Late Summer Bank Holiday)", SUMMER_2026_TEXT],
        ),
        (D(2026, 9, 1), [SUMMER_2026], []),
        (D(2026, 8, 1), [SUMMER_2026], ["falls on a Saturday", SUMMER_2026_TEXT]),
        (D(2026, 8, 4), [SUMMER_2026, SUMMER_2026], [SUMMER_2026_TEXT]),
        (
            D(2026, 12, 31),
            [(D(2026, 12, 19), D(2027, 1, 5))],
            ["falls in a school closure (19 December 2026 to 4 January 2027)"],
        ),
    ],
    ids=[
        "ordinary-monday-no-warning",
        "saturday",
        "sunday",
        "bank-holiday-good-friday",
        "bank-holiday-easter-monday",
        "bank-holiday-christmas-day",
        "boxing-day-on-a-saturday",
        "bank-holiday-substitute-day",
        "bank-holiday-new-year-after-year-end",
        "one-off-bank-holiday",
        "closure-day-before-first-closed-day",
        "closure-first-closed-day",
        "closure-last-closed-day-is-also-a-bank-holiday",
        "closure-reopening-day-is-open",
        "closure-weekend-inside-closure",
        "closure-listed-twice-warns-once",
        "closure-across-year-end",
    ],
)
def test_date_warnings(day: date, closures: list[Closure], expected: list[str]) -> None:
    assert date_warnings(day, closures=closures) == expected


def test_date_warnings_closures_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        date_warnings(D(2026, 8, 4), [SUMMER_2026])  # type: ignore[misc]


def test_date_warnings_refuse_a_datetime() -> None:
    with pytest.raises(TypeError, match=r"datetime\.date"):
        date_warnings(datetime(2026, 12, 25, 9, 0))


@pytest.mark.parametrize(
    ("years", "holiday", "expected"),
    [
        ([2026], D(2026, 8, 31), True),
        ([2026], D(2026, 12, 28), True),
        ([2026], D(2027, 1, 1), False),
        ([2026, 2027], D(2027, 1, 1), True),
        (range(2028, 2029), D(2028, 4, 14), True),
        ([2026], D(2026, 3, 17), False),
    ],
    ids=[
        "late-summer-bank-holiday",
        "substitute-day",
        "year-not-asked-for-is-absent",
        "several-years",
        "good-friday-2028-from-a-range",
        "st-patricks-day-is-not-an-english-bank-holiday",
    ],
)
def test_bank_holidays_england(years: list[int], holiday: date, expected: bool) -> None:
    assert (holiday in bank_holidays_england(years)) is expected


def test_bank_holidays_england_cannot_be_changed_by_a_caller() -> None:
    holidays_2026 = bank_holidays_england([2026])
    assert isinstance(holidays_2026, frozenset)
    assert bank_holidays_england({2026}) == holidays_2026


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2027, 3, 14), "14 March 2027"),
        (D(2026, 9, 1), "1 September 2026"),
        (D(2028, 2, 29), "29 February 2028"),
        (D(2026, 12, 31), "31 December 2026"),
    ],
    ids=["worked-example", "no-leading-zero", "leap-day", "year-end"],
)
def test_format_long(day: date, expected: str) -> None:
    assert format_long(day) == expected


@pytest.mark.parametrize(
    ("day", "start", "label"),
    [
        (D(2026, 9, 1), D(2026, 9, 1), "2026/27"),
        (D(2026, 8, 31), D(2025, 9, 1), "2025/26"),
        (D(2026, 12, 31), D(2026, 9, 1), "2026/27"),
        (D(2027, 1, 1), D(2026, 9, 1), "2026/27"),
        (D(2028, 2, 29), D(2027, 9, 1), "2027/28"),
        (D(2099, 10, 1), D(2099, 9, 1), "2099/00"),
    ],
    ids=[
        "first-day-of-year",
        "last-day-of-previous-year",
        "year-end-in-autumn-term",
        "new-year-in-spring-term",
        "leap-day",
        "century-wrap",
    ],
)
def test_academic_year(day: date, start: date, label: str) -> None:
    assert academic_year_start(day) == start
    assert academic_year_label(day) == label
