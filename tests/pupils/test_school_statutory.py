"""The school's own statutory calendar, pure rules: the SENCO's qualification (reg 49 as amended by SI 2024/535),
the accessibility plan (3-year period) and the SEN information report (yearly). Dates worked by hand."""

from __future__ import annotations

from datetime import date as D

import pytest

from pupils.school_statutory import (
    SencoAward,
    accessibility_plan_due,
    award_problem,
    information_report_due,
    qualified_on,
    senco_qualification_due,
)


@pytest.mark.parametrize(
    ("took_up_on", "expected"),
    [
        # 1 Sep 2025 + 3 years: the third anniversary, 1 Sep 2028.
        pytest.param(D(2025, 9, 1), D(2028, 9, 1), id="ordinary"),
        # 29 Feb 2024 + 36 months = 29 Feb 2027, which does not exist: the month's last day, 28 Feb 2027.
        pytest.param(D(2024, 2, 29), D(2027, 2, 28), id="leap-day-start"),
        # 31 Jan 2025 + 36 months = 31 Jan 2028 (January has 31 days).
        pytest.param(D(2025, 1, 31), D(2028, 1, 31), id="month-end"),
        # 31 Dec 2026 + 36 months = 31 Dec 2029: the year end stays the year end.
        pytest.param(D(2026, 12, 31), D(2029, 12, 31), id="year-end"),
        # 29 Feb 2028 + 36 months = 28 Feb 2031 (2031 is not a leap year).
        pytest.param(D(2028, 2, 29), D(2031, 2, 28), id="leap-day-2028"),
    ],
)
def test_the_senco_qualification_is_due_on_the_third_anniversary(took_up_on, expected):
    assert senco_qualification_due(took_up_on) == expected


@pytest.mark.parametrize(
    ("award", "begun_on", "completed_on", "counts_on", "problem"),
    [
        # The NPQ for SENCOs counts once it is completed, whenever begun.
        pytest.param(SencoAward.NPQ, D(2025, 10, 1), D(2027, 7, 15), D(2027, 7, 15), None, id="npq-completed"),
        # An NPQ under way (no completion day): nothing met yet, nothing wrong either.
        pytest.param(SencoAward.NPQ, D(2025, 10, 1), None, None, None, id="npq-under-way"),
        # NASENCO begun 31 Aug 2024 (the last day before 1 Sep 2024), completed 31 Aug 2027 (the last day
        # before 1 Sep 2027): both limits just met.
        pytest.param(SencoAward.NASENCO, D(2024, 8, 31), D(2027, 8, 31), D(2027, 8, 31), None, id="nasenco-edges"),
        # NASENCO begun on 1 Sep 2024 itself: not "before 1 September 2024".
        pytest.param(SencoAward.NASENCO, D(2024, 9, 1), D(2025, 7, 1), None, "begun on or after", id="nasenco-late"),
        # NASENCO completed on 1 Sep 2027 itself: not "before 1 September 2027".
        pytest.param(
            SencoAward.NASENCO, D(2023, 9, 1), D(2027, 9, 1), None, "completed on or after", id="nasenco-done-late"
        ),
        # NASENCO with no begun day: cannot tell, so it does not count.
        pytest.param(SencoAward.NASENCO, None, D(2025, 7, 1), None, "Give the day", id="nasenco-no-start"),
        # Completed before begun: a typing slip.
        pytest.param(SencoAward.NPQ, D(2026, 3, 1), D(2026, 2, 28), None, "before it was begun", id="backwards"),
        # No award at all.
        pytest.param("", None, None, None, None, id="none"),
    ],
)
def test_which_awards_meet_reg_49(award, begun_on, completed_on, counts_on, problem):
    assert qualified_on(award, begun_on=begun_on, completed_on=completed_on) == counts_on
    found = award_problem(award, begun_on=begun_on, completed_on=completed_on)
    assert (found is None) if problem is None else (problem in found)


@pytest.mark.parametrize(
    ("plan_on", "expected"),
    [
        # 1 Sep 2025: the 3-year period runs to 31 Aug 2028 (the day before the third anniversary).
        pytest.param(D(2025, 9, 1), D(2028, 8, 31), id="ordinary"),
        # 29 Feb 2024 + 36 months -> 28 Feb 2027 (clamped), less a day: 27 Feb 2027.
        pytest.param(D(2024, 2, 29), D(2027, 2, 27), id="leap-day"),
        # 1 Jan 2026 -> 1 Jan 2029 less a day: 31 Dec 2028, across the year end.
        pytest.param(D(2026, 1, 1), D(2028, 12, 31), id="year-end"),
        # 31 Mar 2025 -> 31 Mar 2028 less a day: 30 Mar 2028.
        pytest.param(D(2025, 3, 31), D(2028, 3, 30), id="month-end"),
    ],
)
def test_the_next_accessibility_plan_is_due_by_the_last_day_of_the_period(plan_on, expected):
    assert accessibility_plan_due(plan_on) == expected


@pytest.mark.parametrize(
    ("published_on", "expected"),
    [
        # 14 Mar 2026 + 12 months = 14 Mar 2027.
        pytest.param(D(2026, 3, 14), D(2027, 3, 14), id="ordinary"),
        # 29 Feb 2028 + 12 months = 29 Feb 2029, which does not exist: 28 Feb 2029.
        pytest.param(D(2028, 2, 29), D(2029, 2, 28), id="leap-day"),
        # 31 Dec 2026 + 12 months = 31 Dec 2027.
        pytest.param(D(2026, 12, 31), D(2027, 12, 31), id="year-end"),
        # 31 Aug 2026 + 12 months = 31 Aug 2027.
        pytest.param(D(2026, 8, 31), D(2027, 8, 31), id="month-end"),
    ],
)
def test_the_sen_information_report_is_due_12_months_after_the_last_publication(published_on, expected):
    assert information_report_due(published_on) == expected
