"""Reminders and digests on school days: the pure rules against hand-worked dates (weekends, Christmas, Easter,
half term), then the sweep and the digest on the real database, and escalations naming whose deadline it is."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from deadlines import rules, services
from deadlines.models import DigestSent, Reminder
from deadlines.rules import DueReminder, ReminderKind

# School A's 2026/27 calendar (tests/fixtures/deadlines.py autumn_terms): half term closed 24 October to
# 1 November 2026, Christmas closed 19 December 2026 to 4 January 2027.
CLOSURES = [(date(2026, 10, 24), date(2026, 11, 2)), (date(2026, 12, 19), date(2027, 1, 5))]
WITH_TERMS = rules.school_day_rule(closures=CLOSURES)
NO_TERMS = rules.school_day_rule()  # weekends and bank holidays only


@pytest.mark.parametrize(
    ("day", "rule", "expected"),
    [
        pytest.param(date(2026, 11, 18), WITH_TERMS, True, id="a Wednesday in term"),
        pytest.param(date(2026, 11, 21), WITH_TERMS, False, id="a Saturday"),
        pytest.param(date(2026, 10, 26), WITH_TERMS, False, id="Monday of half term"),
        pytest.param(date(2026, 10, 26), NO_TERMS, True, id="the same Monday with no terms known"),
        pytest.param(date(2026, 11, 2), WITH_TERMS, True, id="the reopening day after half term"),
        pytest.param(date(2026, 12, 25), NO_TERMS, False, id="Christmas Day"),
        pytest.param(date(2026, 12, 28), NO_TERMS, False, id="Boxing Day's substitute Monday"),
        pytest.param(date(2026, 12, 29), NO_TERMS, True, id="29 December with no terms known"),
        pytest.param(date(2027, 1, 4), WITH_TERMS, False, id="the last day of the Christmas closure"),
        pytest.param(date(2027, 3, 26), NO_TERMS, False, id="Good Friday 2027"),
        pytest.param(date(2027, 3, 29), NO_TERMS, False, id="Easter Monday 2027"),
        pytest.param(date(2027, 3, 25), NO_TERMS, True, id="Maundy Thursday 2027"),
        pytest.param(date(2026, 5, 4), NO_TERMS, False, id="the early May bank holiday 2026"),
    ],
)
def test_school_days(day, rule, expected):
    assert rule(day) is expected


@pytest.mark.parametrize(
    ("due_on", "today", "rule", "party", "expected"),
    [
        # Due on the reopening day after half term: the 2- and 7-day reminders' days (31 Oct, 26 Oct) are in
        # the closure, so the nearest, the 2-day one, goes on the last school day before it.
        pytest.param(
            date(2026, 11, 2), date(2026, 10, 22), WITH_TERMS, "school",
            [DueReminder(ReminderKind.BEFORE_14, date(2026, 10, 19))], id="half term: 14 days before, in term",
        ),
        pytest.param(
            date(2026, 11, 2), date(2026, 10, 23), WITH_TERMS, "school",
            [DueReminder(ReminderKind.BEFORE_2, date(2026, 10, 31))], id="half term: 2-day warning the Friday before",
        ),
        pytest.param(date(2026, 11, 2), date(2026, 10, 24), WITH_TERMS, "school", [], id="half term: closed"),
        pytest.param(
            date(2026, 11, 2), date(2026, 11, 2), WITH_TERMS, "school",
            [DueReminder(ReminderKind.DUE, date(2026, 11, 2))], id="half term: on the reopening day",
        ),
        # Due on Christmas Day: the on-the-day reminder goes on the last day of term, Friday 18 December.
        pytest.param(
            date(2026, 12, 25), date(2026, 12, 17), WITH_TERMS, "school",
            [DueReminder(ReminderKind.BEFORE_14, date(2026, 12, 11))], id="Christmas: the day before term ends",
        ),
        pytest.param(
            date(2026, 12, 25), date(2026, 12, 18), WITH_TERMS, "school",
            [DueReminder(ReminderKind.DUE, date(2026, 12, 25))], id="Christmas: on the last day of term",
        ),
        pytest.param(date(2026, 12, 25), date(2026, 12, 28), WITH_TERMS, "school", [], id="Christmas: closed"),
        pytest.param(
            date(2026, 12, 25), date(2027, 1, 5), WITH_TERMS, "school",
            [
                DueReminder(ReminderKind.OVERDUE, date(2027, 1, 5)),
                DueReminder(ReminderKind.ESCALATION, date(2026, 12, 28)),
            ],
            id="Christmas: overdue and escalated on the first day back",
        ),
        # Due on Easter Monday 2027: on the day goes on Maundy Thursday (Good Friday is a bank holiday).
        pytest.param(
            date(2027, 3, 29), date(2027, 3, 24), NO_TERMS, "school",
            [DueReminder(ReminderKind.BEFORE_7, date(2027, 3, 22))], id="Easter: 7 days before",
        ),
        pytest.param(
            date(2027, 3, 29), date(2027, 3, 25), NO_TERMS, "school",
            [DueReminder(ReminderKind.DUE, date(2027, 3, 29))], id="Easter: on Maundy Thursday",
        ),
        pytest.param(date(2027, 3, 29), date(2027, 3, 26), NO_TERMS, "school", [], id="Easter: Good Friday"),
        pytest.param(
            date(2027, 3, 29), date(2027, 3, 30), NO_TERMS, "school",
            [DueReminder(ReminderKind.OVERDUE, date(2027, 3, 30))], id="Easter: a day late, no escalation yet",
        ),
        # A weekend: the 2-day warning for a Tuesday goes on the Friday (and Monday repeats the same key).
        pytest.param(
            date(2026, 11, 24), date(2026, 11, 20), NO_TERMS, "school",
            [DueReminder(ReminderKind.BEFORE_2, date(2026, 11, 22))], id="weekend: 2 days before on the Friday",
        ),
        pytest.param(
            date(2026, 11, 24), date(2026, 11, 23), NO_TERMS, "school",
            [DueReminder(ReminderKind.BEFORE_2, date(2026, 11, 22))], id="weekend: Monday, the same key",
        ),
        # An escalation due on a Saturday waits for Monday: it never goes before 3 days overdue.
        pytest.param(
            date(2026, 11, 18), date(2026, 11, 20), NO_TERMS, "school",
            [DueReminder(ReminderKind.OVERDUE, date(2026, 11, 20))], id="escalation: 2 days late on Friday",
        ),
        pytest.param(
            date(2026, 11, 18), date(2026, 11, 23), NO_TERMS, "school",
            [
                DueReminder(ReminderKind.OVERDUE, date(2026, 11, 23)),
                DueReminder(ReminderKind.ESCALATION, date(2026, 11, 21)),
            ],
            id="escalation: on the Monday",
        ),
        pytest.param(
            date(2026, 11, 18), date(2026, 11, 23), NO_TERMS, "la",
            [DueReminder(ReminderKind.OVERDUE, date(2026, 11, 23))], id="an LA duty never escalates",
        ),
    ],
)  # fmt: skip
def test_reminders_on_school_days(due_on, today, rule, party, expected):
    assert rules.reminders_due(due_on=due_on, today=today, party=party, is_school_day=rule) == expected


@pytest.mark.parametrize(
    ("today", "rule", "expected"),
    [
        pytest.param(date(2026, 11, 18), WITH_TERMS, date(2026, 12, 2), id="midweek: 14 days"),
        pytest.param(date(2026, 11, 20), WITH_TERMS, date(2026, 12, 6), id="a Friday: past the weekend"),
        pytest.param(date(2026, 12, 18), WITH_TERMS, date(2027, 1, 18), id="the end of the autumn term"),
    ],
)
def test_the_sweep_looks_further_ahead_before_a_closure(today, rule, expected):
    assert rules.lookahead_horizon(today, rule) == expected
    # The furthest due date looked at calls for its 14-day reminder today, and the day after it does not.
    assert rules.reminders_due(due_on=expected, today=today, party="school", is_school_day=rule)
    assert not rules.reminders_due(due_on=expected + timedelta(days=1), today=today, party="school", is_school_day=rule)


# --- the sweep and the digest on the database -------------------------------------------------------------


def _at_noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


@pytest.mark.django_db
def test_before_christmas_the_sweep_sends_the_holidays_reminders_on_the_last_day_of_term(
    autumn_terms, pupil_oak, senco_a, make_deadline, django_capture_on_commit_callbacks
):
    christmas = make_deadline(pupil_oak, date(2026, 12, 25))
    back = make_deadline(pupil_oak, date(2027, 1, 15))  # its 14-day reminder's day, 1 January, is closed
    with django_capture_on_commit_callbacks(execute=False):
        assert services.reminders_record(now=_at_noon(date(2026, 12, 19))) == []  # a Saturday in the closure
        services.reminders_record(now=_at_noon(date(2026, 12, 18)))
    assert set(Reminder.objects.values_list("deadline", "kind", "for_date")) == {
        (christmas.pk, ReminderKind.DUE, date(2026, 12, 25)),
        (back.pk, ReminderKind.BEFORE_14, date(2027, 1, 1)),
    }


@pytest.mark.django_db
def test_the_digest_goes_on_school_days_and_the_next_one_carries_everything(
    autumn_terms, pupil_oak, senco_a, make_deadline, django_capture_on_commit_callbacks
):
    make_deadline(pupil_oak, date(2026, 10, 27), title="Due in half term")
    make_deadline(pupil_oak, date(2026, 10, 21), title="Overdue before half term")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_record(now=_at_noon(date(2026, 10, 24))) == []  # Saturday
        assert services.digests_record(now=_at_noon(date(2026, 10, 28))) == []  # half term
        [digest_id] = services.digests_record(now=_at_noon(date(2026, 11, 2)))  # back to school
    assert DigestSent.objects.get(pk=digest_id).for_date == date(2026, 11, 2)
    [digest] = mail.outbox
    assert "Due in half term" in digest.body and "Overdue before half term" in digest.body


@pytest.mark.django_db
def test_no_digest_on_a_bank_holiday(pupil_oak, senco_a, make_deadline, django_capture_on_commit_callbacks):
    make_deadline(pupil_oak, date(2027, 3, 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_record(now=_at_noon(date(2027, 3, 29))) == []  # Easter Monday
        assert len(services.digests_record(now=_at_noon(date(2027, 3, 30)))) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("named", [True, False], ids=["someone named", "nobody named"])
def test_an_escalation_says_whose_deadline_it_is(
    named, pupil_oak, senco_a, teacher_a, head_a, make_deadline, django_capture_on_commit_callbacks
):
    make_deadline(pupil_oak, date(2026, 11, 13), responsible=teacher_a if named else None)
    with django_capture_on_commit_callbacks(execute=False):
        ids = services.reminders_record(now=_at_noon(date(2026, 11, 18)))
    for reminder_id in ids:
        services.reminder_send(reminder_id=reminder_id, now=_at_noon(date(2026, 11, 18)))
    [escalation] = [m for m in mail.outbox if m.to == [head_a.email]]
    owner = teacher_a.get_full_name() if named else "nobody is named as responsible"
    assert f"Whose deadline: {owner}" in escalation.body
    assert owner in escalation.alternatives[0][0]
    [other] = [m for m in mail.outbox if m.to != [head_a.email]]
    assert "Whose deadline" not in other.body
