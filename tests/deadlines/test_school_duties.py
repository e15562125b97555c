"""The school's own duty to tell parents that SEN provision is being made (CFA s.68; CoP 6.48): a deadline from
the day a pupil goes onto SEN support, in school days (a school setting, default 10), opened by the daily sweep
and closed when the support plan records the parents told. Dates worked by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from deadlines import school_duties
from deadlines.models import Deadline, DeadlineState, DeadlineStatus
from deadlines.tasks import school_duties_sweep_task
from provision import services as provision
from pupils import services as pupil_services
from pupils.models import RegisterStatus, Term
from send_mis.dates import add_school_days

D = date
CHRISTMAS_2026 = (D(2026, 12, 19), D(2027, 1, 4))  # closed 19 Dec 2026, reopening Monday 4 Jan 2027


@pytest.mark.parametrize(
    ("day", "days", "closures", "expected"),
    [
        # Monday 2 Mar 2026 + 10 school days = Monday 16 Mar 2026 (two weekends skipped)
        (D(2026, 3, 2), 10, [], D(2026, 3, 16)),
        # month end: Friday 30 Jan 2026 + 10 = Friday 13 Feb 2026
        (D(2026, 1, 30), 10, [], D(2026, 2, 13)),
        # across 29 Feb 2028 (a Tuesday, an ordinary school day): Monday 21 Feb 2028 + 10 = Monday 6 Mar 2028
        (D(2028, 2, 21), 10, [], D(2028, 3, 6)),
        # year end with the Christmas closure: Friday 18 Dec 2026 + 1 = Monday 4 Jan 2027
        (D(2026, 12, 18), 1, [CHRISTMAS_2026], D(2027, 1, 4)),
        # Thursday 17 Dec 2026 + 10: Fri 18 Dec, then 4 to 8 Jan (5), 11 to 14 Jan (4) = Thursday 14 Jan 2027
        (D(2026, 12, 17), 10, [CHRISTMAS_2026], D(2027, 1, 14)),
        # bank holidays: Thursday 2 Apr 2026 + 1 skips Good Friday 3 Apr and Easter Monday 6 Apr = Tue 7 Apr
        (D(2026, 4, 2), 1, [], D(2026, 4, 7)),
        (D(2026, 3, 2), 0, [], D(2026, 3, 2)),
    ],
    ids=[
        "ten-school-days-two-weekends",
        "month-end",
        "across-29-february-2028",
        "year-end-christmas-closure",
        "ten-days-across-christmas",
        "easter-bank-holidays",
        "zero-days",
    ],
)
def test_add_school_days(day, days, closures, expected):
    assert add_school_days(day, days, closures=closures) == expected


def deadline_of(entry) -> Deadline:
    return Deadline.objects.get(
        source_type=ContentType.objects.get_for_model(entry), source_id=str(entry.pk), kind="pupils.parents_told"
    )


def test_the_sweep_opens_the_parents_told_deadline_and_repeating_changes_nothing(oak_entry, school_a):
    # SEN support from Monday 2 Sep 2024 + 10 school days (no terms recorded) = Monday 16 Sep 2024
    assert school_duties.parents_told_deadlines_open(school=school_a, today=D(2024, 9, 3)) == 1
    school_duties.parents_told_deadlines_open(school=school_a, today=D(2024, 9, 4))
    deadline = deadline_of(oak_entry)
    assert (deadline.due_on, deadline.status, deadline.pupil_id) == (
        D(2024, 9, 16),
        DeadlineStatus.OPEN,
        oak_entry.pupil_id,
    )
    assert Deadline.objects.filter(kind="pupils.parents_told").count() == 1
    assert "CFA 2014 s.68" in deadline.rule


def test_the_school_setting_and_closures_re_date_it(oak_entry, school_a):
    school_duties.parents_told_deadlines_open(school=school_a, today=D(2024, 9, 3))
    school_a.parents_told_school_days = 5
    school_a.save()
    # closed 9 to 13 Sep 2024 (reopening Monday 16 Sep): Mon 2 Sep + 5 school days = Tue 3 to Fri 6 Sep (4),
    # then Mon 16 Sep
    Term.objects.create(school=school_a, name="First", starts_on=D(2024, 9, 2), ends_on=D(2024, 9, 6))
    Term.objects.create(school=school_a, name="Second", starts_on=D(2024, 9, 16), ends_on=D(2024, 10, 25))
    school_duties.parents_told_deadlines_open(school=school_a, today=D(2024, 9, 4))
    assert deadline_of(oak_entry).due_on == D(2024, 9, 16)


def test_recording_the_parents_told_on_the_support_plan_closes_it(oak_entry, pupil_oak, senco_a):
    plan = provision.support_plan_start(pupil=pupil_oak, started_on=D(2024, 9, 2), actor=senco_a)
    # recorded before the sweep reached it: opened and closed at once
    provision.plan_parents_told(plan=plan, told_on=D(2024, 9, 12), how="Meeting with mum", actor=senco_a)
    deadline = deadline_of(oak_entry)
    assert (deadline.status, deadline.met_on, deadline.state(D(2024, 10, 1))) == (
        DeadlineStatus.MET,
        D(2024, 9, 12),
        DeadlineState.MET,
    )
    # a corrected, later day: met late (due 16 Sep 2024)
    provision.plan_parents_told(plan=plan, told_on=D(2024, 9, 20), how="Phone call", actor=senco_a)
    assert deadline_of(oak_entry).state(D(2024, 10, 1)) == DeadlineState.MET_LATE


def test_a_pupil_not_on_sen_support_gets_no_parents_told_deadline(pupil_oak, senco_a, needs, school_a):
    pupil_services.register_entry_add(
        pupil=pupil_oak,
        status=RegisterStatus.MONITORING,
        primary_need=None,
        started_on=D(2024, 9, 2),
        start_reason="Teacher concern",
        actor=senco_a,
    )
    assert school_duties.parents_told_deadlines_open(school=school_a, today=D(2024, 9, 3)) == 0
    assert not Deadline.objects.filter(kind="pupils.parents_told").exists()


def test_the_beat_entry_and_the_task_open_it(oak_entry):
    from send_mis.celery import app

    assert app.conf.beat_schedule["school-duties"]["task"] == "deadlines.tasks.school_duties_sweep_task"
    assert school_duties_sweep_task.delay().get() == 1
    assert deadline_of(oak_entry).due_on == D(2024, 9, 16)


def test_parents_not_told_lists_entries_whose_deadline_is_open_or_unopened_with_the_sweeps_due_date(
    oak_entry, school_a, pupil_oak
):
    """The panel's rows: an entry with no deadline yet (its due date worked out), or with an open one (the
    deadline's own due date, however it was set); one whose deadline is met has left the list."""
    from deadlines.selectors import parents_not_told

    today = D(2024, 9, 4)
    unopened = parents_not_told(school_a, today=today, limit=10)
    assert [(row.entry, row.due_on) for row in unopened.rows] == [(oak_entry, D(2024, 9, 16))]
    assert unopened.total == 1

    school_duties.parents_told_deadlines_open(school=school_a, today=today)
    Deadline.objects.filter(pk=deadline_of(oak_entry).pk).update(due_on=D(2024, 9, 20))
    opened = parents_not_told(school_a, today=today, pupil=pupil_oak)
    assert [(row.entry, row.due_on) for row in opened.rows] == [(oak_entry, D(2024, 9, 20))]

    Deadline.objects.filter(pk=deadline_of(oak_entry).pk).update(status=DeadlineStatus.MET, met_on=today)
    met = parents_not_told(school_a, today=today, limit=10)
    assert (met.rows, met.total) == ([], 0)
