"""Statutory date arithmetic: table-driven, no database. Expected dates were worked out by hand."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, datetime

import pytest

from ehc import statutory
from ehc.statutory import (
    RULES,
    Closure,
    add_months,
    advice_circulation_latest,
    advice_due,
    annual_review_due,
    closure_exception_applies,
    draft_views_due,
    invitations_latest,
    la_amended_plan_due,
    la_assessment_decision_due,
    la_final_plan_due,
    la_no_plan_notice_due,
    la_reassessment_decision_due,
    la_review_decision_due,
    phase_transfer_deadline,
    reassessment_earliest,
    review_report_due,
)

D = date

# (function, start date, expected due date)
DUE_DATE_CASES: list[tuple[Callable[[date], date], date, date]] = [
    # reg 8(1): received + 42 days
    (advice_due, D(2026, 3, 2), D(2026, 4, 13)),
    (advice_due, D(2026, 1, 31), D(2026, 3, 14)),
    (advice_due, D(2027, 2, 1), D(2027, 3, 15)),
    (advice_due, D(2028, 2, 1), D(2028, 3, 14)),
    (advice_due, D(2026, 12, 1), D(2027, 1, 12)),
    # reg 13(1)(a): day of receipt is day 1 of 15
    (draft_views_due, D(2026, 3, 2), D(2026, 3, 16)),
    (draft_views_due, D(2027, 2, 20), D(2027, 3, 6)),
    (draft_views_due, D(2028, 2, 20), D(2028, 3, 5)),
    (draft_views_due, D(2026, 12, 25), D(2027, 1, 8)),
    # CFA s.44(1): "in the period of 12 months starting with" last_on: the anniversary (clamped to the
    # month end first), then one day back, since the period's first day is last_on itself.
    # 14 Mar 2025 -> anniversary 14 Mar 2026 -> 13 Mar 2026 (STATUTORY.md s.1's example)
    (annual_review_due, D(2025, 3, 14), D(2026, 3, 13)),
    # 15 Mar 2027 -> 15 Mar 2028 -> 14 Mar 2028 (a leap year: 29 Feb lies between, the day count is 366)
    (annual_review_due, D(2027, 3, 15), D(2028, 3, 14)),
    # 29 Feb 2028 -> no 29 Feb 2029, clamp to 28 Feb 2029 -> 27 Feb 2029
    (annual_review_due, D(2028, 2, 29), D(2029, 2, 27)),
    # 28 Feb 2027 -> 28 Feb 2028 (exists) -> 27 Feb 2028, not 28 Feb
    (annual_review_due, D(2027, 2, 28), D(2028, 2, 27)),
    # 1 Mar 2027 -> 1 Mar 2028 -> 29 Feb 2028 (the day before in a leap year)
    (annual_review_due, D(2027, 3, 1), D(2028, 2, 29)),
    # 31 Dec 2026 -> 31 Dec 2027 -> 30 Dec 2027
    (annual_review_due, D(2026, 12, 31), D(2027, 12, 30)),
    # 1 Jan 2027 -> 1 Jan 2028 -> 31 Dec 2027 (back across the year end)
    (annual_review_due, D(2027, 1, 1), D(2027, 12, 31)),
    # 31 Aug 2026 -> 31 Aug 2027 -> 30 Aug 2027 (month end that exists)
    (annual_review_due, D(2026, 8, 31), D(2027, 8, 30)),
    # reg 20(3): meeting - 14 days
    (invitations_latest, D(2026, 3, 16), D(2026, 3, 2)),
    (invitations_latest, D(2028, 3, 10), D(2028, 2, 25)),
    (invitations_latest, D(2027, 1, 5), D(2026, 12, 22)),
    # reg 20(4): meeting - 14 days
    (advice_circulation_latest, D(2026, 3, 16), D(2026, 3, 2)),
    (advice_circulation_latest, D(2027, 3, 1), D(2027, 2, 15)),
    (advice_circulation_latest, D(2027, 1, 5), D(2026, 12, 22)),
    # reg 20 (second-hand): meeting + 14 days
    (review_report_due, D(2026, 7, 20), D(2026, 8, 3)),
    (review_report_due, D(2028, 2, 20), D(2028, 3, 5)),
    (review_report_due, D(2026, 12, 21), D(2027, 1, 4)),
    # reg 24: + 6 months, else last day of the month
    (reassessment_earliest, D(2025, 8, 31), D(2026, 2, 28)),
    (reassessment_earliest, D(2027, 8, 31), D(2028, 2, 29)),
    (reassessment_earliest, D(2026, 3, 31), D(2026, 9, 30)),
    (reassessment_earliest, D(2026, 7, 15), D(2027, 1, 15)),
    # reg 5(1): request + 42 days
    (la_assessment_decision_due, D(2026, 3, 2), D(2026, 4, 13)),
    (la_assessment_decision_due, D(2026, 11, 30), D(2027, 1, 11)),
    # reg 10(1): request + 112 days
    (la_no_plan_notice_due, D(2026, 3, 2), D(2026, 6, 22)),
    (la_no_plan_notice_due, D(2027, 11, 15), D(2028, 3, 6)),
    # reg 13(2): request + 140 days
    (la_final_plan_due, D(2026, 3, 2), D(2026, 7, 20)),
    (la_final_plan_due, D(2026, 9, 1), D(2027, 1, 19)),
    # reg 20 (second-hand): meeting + 28 days
    (la_review_decision_due, D(2026, 12, 10), D(2027, 1, 7)),
    (la_review_decision_due, D(2028, 2, 10), D(2028, 3, 9)),
    # reg 22(3): notice + 56 days
    (la_amended_plan_due, D(2028, 1, 10), D(2028, 3, 6)),
    (la_amended_plan_due, D(2026, 11, 20), D(2027, 1, 15)),
    # reg 25(1) (second-hand): request + 15 days
    (la_reassessment_decision_due, D(2026, 2, 20), D(2026, 3, 7)),
    (la_reassessment_decision_due, D(2028, 2, 20), D(2028, 3, 6)),
    (la_reassessment_decision_due, D(2026, 12, 20), D(2027, 1, 4)),
]
DUE_DATE_IDS = [
    "advice-plain",
    "advice-month-end-31-january",
    "advice-across-february-2027",
    "advice-across-29-february-2028",
    "advice-year-end",
    "draft-views-day-of-receipt-is-day-1",
    "draft-views-across-february-2027",
    "draft-views-across-29-february-2028",
    "draft-views-year-end",
    "annual-review-statutory-example-14-march-to-13-march",
    "annual-review-plain-across-a-leap-day",
    "annual-review-29-february-2028-clamped-then-27-february-2029",
    "annual-review-28-february-2027-to-27-february-2028",
    "annual-review-1-march-2027-to-29-february-2028",
    "annual-review-31-december-to-30-december",
    "annual-review-1-january-back-across-year-end",
    "annual-review-31-august-month-end",
    "invitations-plain",
    "invitations-back-across-29-february-2028",
    "invitations-back-across-year-end",
    "advice-circulation-plain",
    "advice-circulation-back-across-month-start",
    "advice-circulation-back-across-year-end",
    "review-report-plain",
    "review-report-across-29-february-2028",
    "review-report-year-end",
    "reassessment-31-august-2025-to-28-february-2026",
    "reassessment-31-august-2027-to-29-february-2028",
    "reassessment-31-march-to-30-september",
    "reassessment-year-end",
    "la-assessment-decision-plain",
    "la-assessment-decision-year-end",
    "la-no-plan-notice-16-weeks",
    "la-no-plan-notice-across-29-february-2028",
    "la-final-plan-20-weeks",
    "la-final-plan-year-end",
    "la-review-decision-year-end",
    "la-review-decision-across-29-february-2028",
    "la-amended-plan-across-29-february-2028",
    "la-amended-plan-year-end",
    "la-reassessment-decision-month-end",
    "la-reassessment-decision-across-29-february-2028",
    "la-reassessment-decision-year-end",
]


@pytest.mark.parametrize(("rule", "start_on", "expected"), DUE_DATE_CASES, ids=DUE_DATE_IDS)
def test_due_date_follows_its_rule(rule: Callable[[date], date], start_on: date, expected: date) -> None:
    assert rule(start_on) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 5, 15), 0, D(2026, 5, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2028, 2, 29), 48, D(2032, 2, 29)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 12, 31), 12, D(2027, 12, 31)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -13, D(2024, 12, 15)),
    ],
    ids=[
        "add-months-zero",
        "add-months-31-january-to-28-february",
        "add-months-31-january-to-29-february-2028",
        "add-months-29-february-2028-to-28-february-2029",
        "add-months-29-february-2028-to-next-leap-day",
        "add-months-30-november-across-year-end-to-february",
        "add-months-31-december-year-end",
        "add-months-backwards-to-month-end",
        "add-months-backwards-across-year-end",
    ],
)
def test_add_months_clamps_to_last_day_of_month(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("transfer_year", "post16", "expected"),
    [
        (2027, False, D(2027, 2, 14)),
        (2028, False, D(2028, 2, 14)),
        # reg 18(1)(a): "before 31 March", so the last compliant day is the 30th, leap year or not
        (2027, True, D(2027, 3, 30)),
        (2028, True, D(2028, 3, 30)),
    ],
    ids=[
        "phase-transfer-before-15-february-last-day-14th",
        "phase-transfer-leap-year-still-14-february",
        "phase-transfer-post16-before-31-march-last-day-30th",
        "phase-transfer-post16-leap-year-30-march",
    ],
)
def test_phase_transfer_deadline_is_last_compliant_day(transfer_year: int, post16: bool, expected: date) -> None:
    assert phase_transfer_deadline(transfer_year, post16=post16) == expected


def test_phase_transfer_deadline_post16_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        phase_transfer_deadline(2027, True)  # type: ignore[misc]


SUMMER_2026: Closure = (D(2026, 7, 20), D(2026, 9, 1))


@pytest.mark.parametrize(
    ("requested_on", "closures", "expected"),
    [
        (D(2026, 7, 12), [SUMMER_2026], False),
        (D(2026, 7, 13), [SUMMER_2026], True),
        (D(2026, 7, 20), [SUMMER_2026], True),
        (D(2026, 8, 25), [SUMMER_2026], True),
        (D(2026, 8, 26), [SUMMER_2026], False),
        (D(2026, 9, 1), [SUMMER_2026], False),
        (D(2026, 10, 20), [(D(2026, 10, 26), D(2026, 11, 2))], False),
        (D(2026, 11, 24), [(D(2026, 12, 1), D(2026, 12, 29))], True),
        (D(2026, 11, 24), [(D(2026, 12, 1), D(2026, 12, 28))], False),
        (D(2027, 1, 11), [(D(2026, 12, 19), D(2027, 1, 18))], True),
        (D(2027, 1, 12), [(D(2026, 12, 19), D(2027, 1, 18))], False),
        (D(2026, 8, 20), [(D(2026, 8, 10), D(2026, 9, 1)), (D(2026, 7, 20), D(2026, 8, 10))], True),
        (D(2026, 8, 20), [(D(2026, 7, 20), D(2026, 8, 7)), (D(2026, 8, 10), D(2026, 9, 1))], False),
        (D(2026, 7, 15), [(D(2026, 10, 26), D(2026, 11, 2)), SUMMER_2026], True),
        (D(2026, 7, 15), [], False),
    ],
    ids=[
        "closure-worked-example-12-july-day-before-window",
        "closure-worked-example-13-july-first-day-of-window",
        "closure-worked-example-first-closed-day",
        "closure-worked-example-25-august-last-day-of-window",
        "closure-worked-example-26-august-day-after-window",
        "closure-worked-example-reopening-day",
        "closure-half-term-shorter-than-4-weeks-does-not-count",
        "closure-exactly-4-weeks-counts",
        "closure-27-days-does-not-count",
        "closure-across-year-end-last-day-of-window",
        "closure-across-year-end-day-after-window",
        "closure-touching-pieces-are-one-continuous-closure",
        "closure-pieces-with-a-gap-are-not-continuous",
        "closure-any-qualifying-closure-counts",
        "closure-none-recorded",
    ],
)
def test_closure_exception_window(requested_on: date, closures: list[Closure], expected: bool) -> None:
    assert closure_exception_applies(requested_on, closures) is expected


def test_closure_exception_accepts_a_generator() -> None:
    assert closure_exception_applies(D(2026, 8, 1), (c for c in [SUMMER_2026])) is True


def test_closure_exception_rejects_a_closure_that_reopens_before_it_closes() -> None:
    with pytest.raises(ValueError, match="not after its first closed day"):
        closure_exception_applies(D(2026, 7, 15), [(D(2026, 9, 1), D(2026, 7, 20))])


@pytest.mark.parametrize(
    "rule",
    [advice_due, annual_review_due, reassessment_earliest, la_final_plan_due],
    ids=["advice", "annual-review", "reassessment-earliest", "la-final-plan"],
)
def test_statutory_rules_refuse_a_datetime(rule: Callable[[date], date]) -> None:
    with pytest.raises(TypeError, match=r"datetime\.date"):
        rule(datetime(2026, 3, 2, 23, 30))


PUBLIC_RULES = [
    advice_due,
    draft_views_due,
    annual_review_due,
    invitations_latest,
    advice_circulation_latest,
    review_report_due,
    phase_transfer_deadline,
    reassessment_earliest,
    la_assessment_decision_due,
    la_no_plan_notice_due,
    la_final_plan_due,
    la_review_decision_due,
    la_amended_plan_due,
    la_reassessment_decision_due,
    closure_exception_applies,
    add_months,
]


@pytest.mark.parametrize("function", PUBLIC_RULES, ids=[f.__name__ for f in PUBLIC_RULES])
def test_every_public_function_documents_its_rule(function: Callable[..., object]) -> None:
    doc = inspect.getdoc(function) or ""
    assert "Rule" in doc or "STATUTORY.md" in doc
    assert "month" in doc or "day" in doc


def test_rule_texts_cover_every_due_date_and_cite_a_source() -> None:
    expected_keys = {
        "advice",
        "draft_views",
        "annual_review",
        "invitations",
        "advice_circulation",
        "review_report",
        "phase_transfer",
        "reassessment_earliest",
        "la_assessment_decision",
        "la_no_plan_notice",
        "la_final_plan",
        "la_review_decision",
        "la_amended_plan",
        "la_reassessment_decision",
    }
    assert expected_keys <= RULES.keys()
    for key, text in RULES.items():
        assert "reg" in text or "CFA" in text, key


def test_statutory_module_never_reads_the_clock() -> None:
    source = inspect.getsource(statutory)
    assert "today(" not in source
    assert "now(" not in source
    assert "from django" not in source
    assert "import django" not in source


def test_rule_texts_shown_to_staff_carry_no_internal_notes() -> None:
    for key, text in RULES.items():
        assert "second-hand" not in text, key
    assert "before 31 March" in RULES["phase_transfer"]
    assert "by 31 March" not in RULES["phase_transfer"]
