"""Which reminders are due on which day: table-driven, pure, no database. Due date Friday 20 November 2026."""

from __future__ import annotations

from datetime import date

import pytest

from deadlines.rules import DueReminder, ReminderKind, days_phrase, reminder_recipients, reminders_due

DUE = date(2026, 11, 20)
K = ReminderKind


@pytest.mark.parametrize(
    ("name", "today", "party", "expected"),
    [
        ("nothing 15 days before", date(2026, 11, 5), "school", []),
        ("14 days before", date(2026, 11, 6), "school", [DueReminder(K.BEFORE_14, date(2026, 11, 6))]),
        (
            "13 days before, still the 14-day reminder's window",
            date(2026, 11, 7),
            "school",
            [DueReminder(K.BEFORE_14, date(2026, 11, 6))],
        ),
        ("7 days before", date(2026, 11, 13), "school", [DueReminder(K.BEFORE_7, date(2026, 11, 13))]),
        (
            "3 days before, still the 7-day window",
            date(2026, 11, 17),
            "school",
            [DueReminder(K.BEFORE_7, date(2026, 11, 13))],
        ),
        ("2 days before", date(2026, 11, 18), "school", [DueReminder(K.BEFORE_2, date(2026, 11, 18))]),
        ("1 day before", date(2026, 11, 19), "school", [DueReminder(K.BEFORE_2, date(2026, 11, 18))]),
        ("on the day", DUE, "school", [DueReminder(K.DUE, DUE)]),
        ("1 day overdue", date(2026, 11, 21), "school", [DueReminder(K.OVERDUE, date(2026, 11, 21))]),
        ("2 days overdue", date(2026, 11, 22), "school", [DueReminder(K.OVERDUE, date(2026, 11, 22))]),
        (
            "3 days overdue escalates",
            date(2026, 11, 23),
            "school",
            [DueReminder(K.OVERDUE, date(2026, 11, 23)), DueReminder(K.ESCALATION, date(2026, 11, 23))],
        ),
        (
            "10 days overdue keeps the one escalation key",
            date(2026, 11, 30),
            "school",
            [DueReminder(K.OVERDUE, date(2026, 11, 30)), DueReminder(K.ESCALATION, date(2026, 11, 23))],
        ),
        ("an LA duty 14 days before", date(2026, 11, 6), "la", [DueReminder(K.BEFORE_14, date(2026, 11, 6))]),
        ("an LA duty on the day", DUE, "la", [DueReminder(K.DUE, DUE)]),
        (
            "an LA duty 3 days overdue never escalates",
            date(2026, 11, 23),
            "la",
            [DueReminder(K.OVERDUE, date(2026, 11, 23))],
        ),
        ("across the year end", date(2027, 1, 2), "la", [DueReminder(K.OVERDUE, date(2027, 1, 2))]),
    ],
)
def test_reminders_due_on_worked_dates(name, today, party, expected):
    assert reminders_due(due_on=DUE, today=today, party=party) == expected, name


@pytest.mark.parametrize("today", [date(2026, 11, 6), DUE, date(2026, 11, 23), date(2026, 12, 25)])
def test_met_or_excused_deadlines_call_for_no_reminder(today):
    assert reminders_due(due_on=DUE, today=today, party="school", is_open=False) == []


def test_leap_day_due_date_counts_back_across_february():
    assert reminders_due(due_on=date(2028, 2, 29), today=date(2028, 2, 15), party="school") == [
        DueReminder(K.BEFORE_14, date(2028, 2, 15))
    ]


@pytest.mark.parametrize(
    ("kind", "responsible", "expected"),
    [
        (K.BEFORE_7, 5, [5]),
        (K.OVERDUE, None, [1, 2]),
        (K.ESCALATION, 5, [3, 4]),
        (K.ESCALATION, None, [3, 4]),
    ],
)
def test_reminders_go_to_the_responsible_person_else_the_sencos_and_escalations_to_the_heads(
    kind, responsible, expected
):
    assert reminder_recipients(kind, responsible_id=responsible, senco_ids=[2, 1, 2], head_ids=[4, 3]) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 13), "due in 7 days"),
        (date(2026, 11, 19), "due tomorrow"),
        (DUE, "due today"),
        (date(2026, 11, 21), "1 day overdue"),
        (date(2026, 11, 23), "3 days overdue"),
    ],
)
def test_days_phrase_reads_as_plain_english(today, expected):
    assert days_phrase(DUE, today) == expected


def test_every_reminder_key_but_an_escalation_is_no_older_than_the_sweeps_look_back():
    from datetime import timedelta

    from deadlines.rules import oldest_for_date

    for offset in range(-40, 41):
        today = DUE + timedelta(days=offset)
        for party in ("school", "la"):
            for due in reminders_due(due_on=DUE, today=today, party=party):
                if due.kind != K.ESCALATION:
                    assert oldest_for_date(today) <= due.for_date <= today, (offset, due)
