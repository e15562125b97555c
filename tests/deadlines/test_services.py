"""Deadline services on the real database: open, recompute, close and excuse are idempotent; warnings never move
a date; the reminder sweep and the digest record each email once and send it once."""

from __future__ import annotations

import smtplib
from datetime import date, timedelta
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from deadlines import selectors, services, tasks
from deadlines.kinds import DeadlineKind, DeadlineSpec
from deadlines.models import CalendarFeedToken, Deadline, DeadlineState, DeadlineStatus, DigestSent, Party, Reminder
from deadlines.rules import ReminderKind
from tests.fixtures.deadlines import SCHOOL_DAY_NOON

pytestmark = pytest.mark.django_db


ADVICE = DeadlineKind(
    "advice", "Give advice for an EHC needs assessment", "Within 6 weeks of the LA's request (reg 8(1))"
)


def _open(pupil, due_on, *, responsible=None, kind=ADVICE):
    (deadline,) = services.deadlines_sync(
        source=pupil, pupil=pupil, specs=[DeadlineSpec(kind=kind, due_on=due_on, responsible=responsible)]
    )
    return deadline


# --- open, recompute, close, excuse ---------------------------------------------------------------------


def test_opening_the_same_duty_twice_keeps_one_unchanged_row(pupil_oak):
    first = _open(pupil_oak, date(2026, 12, 1))
    second = _open(pupil_oak, date(2026, 12, 1))
    assert second.pk == first.pk
    assert Deadline.objects.count() == 1
    assert Deadline.objects.get().updated_at == first.updated_at


def test_correcting_the_starting_date_recomputes_the_due_date(pupil_oak, senco_a):
    _open(pupil_oak, date(2026, 12, 1))
    deadline = _open(pupil_oak, date(2026, 12, 8), responsible=senco_a)
    assert (deadline.due_on, deadline.responsible) == (date(2026, 12, 8), senco_a)
    assert Deadline.objects.count() == 1


def test_closing_twice_keeps_the_first_completion_date(pupil_oak):
    _open(pupil_oak, date(2026, 12, 1))
    services.deadline_close(source=pupil_oak, kind="advice", met_on=date(2026, 12, 3))
    again = services.deadline_close(source=pupil_oak, kind="advice", met_on=date(2026, 12, 9))
    assert (again.status, again.met_on) == (DeadlineStatus.MET, date(2026, 12, 3))
    assert again.state(date(2026, 12, 10)) == DeadlineState.MET_LATE


def test_closing_a_duty_that_was_never_opened_returns_none(pupil_oak):
    assert services.deadline_close(source=pupil_oak, kind="advice", met_on=date(2026, 12, 3)) is None


def test_reopening_a_closed_deadline_clears_its_completion(pupil_oak):
    _open(pupil_oak, date(2026, 12, 1))
    services.deadline_close(source=pupil_oak, kind="advice", met_on=date(2026, 12, 3))
    reopened = services.deadline_reopen(source=pupil_oak, kind="advice")
    assert (reopened.status, reopened.met_on) == (DeadlineStatus.OPEN, None)


def test_syncing_several_specs_opens_one_row_each_and_redates_only_what_changed(pupil_oak):
    other = DeadlineKind("other", "Another duty", "Another rule", Party.LA)
    first, second = services.deadlines_sync(
        source=pupil_oak,
        pupil=pupil_oak,
        specs=[DeadlineSpec(kind=ADVICE, due_on=date(2026, 12, 1)), DeadlineSpec(kind=other, due_on=date(2027, 1, 5))],
    )
    assert (second.kind, second.party, second.rule) == ("other", Party.LA, "Another rule")
    services.deadlines_sync(
        source=pupil_oak, pupil=pupil_oak, specs=[DeadlineSpec(kind=other, due_on=date(2027, 1, 12))]
    )
    assert Deadline.objects.get(pk=first.pk).due_on == date(2026, 12, 1)
    assert Deadline.objects.get(pk=second.pk).due_on == date(2027, 1, 12)
    assert Deadline.objects.count() == 2


def test_reclosing_moves_the_completion_date_of_a_closed_duty(pupil_oak):
    _open(pupil_oak, date(2026, 12, 1))
    services.deadline_close(source=pupil_oak, kind=ADVICE, met_on=date(2026, 12, 3))
    moved = services.deadline_reclose(source=pupil_oak, kind=ADVICE, met_on=date(2026, 11, 28))
    assert (moved.status, moved.met_on) == (DeadlineStatus.MET, date(2026, 11, 28))


def test_excusing_by_source_touches_only_open_deadlines_of_the_kinds_named(pupil_oak, pupil_ash):
    other = DeadlineKind("other", "Another duty", "Another rule")
    _open(pupil_oak, date(2026, 12, 1))
    _open(pupil_oak, date(2026, 12, 9), kind=other)
    elsewhere = _open(pupil_ash, date(2026, 12, 1))
    services.deadline_close(source=pupil_oak, kind=other, met_on=date(2026, 12, 2))

    assert services.deadlines_excuse_for(sources=[pupil_oak], reason="The plan ceased.") == 1
    statuses = dict(Deadline.objects.filter(pupil=pupil_oak).values_list("kind", "status"))
    assert statuses == {"advice": DeadlineStatus.EXCUSED, "other": DeadlineStatus.MET}
    assert Deadline.objects.get(pk=elsewhere.pk).status == DeadlineStatus.OPEN
    assert services.deadlines_excuse_for(sources=[pupil_ash], kinds=[other], reason="Not this kind.") == 0
    with pytest.raises(ValidationError):
        services.deadlines_excuse_for(sources=[pupil_ash], reason="  ")


def test_excusing_keeps_the_due_date_and_twice_changes_nothing(pupil_oak, senco_a):
    deadline = _open(pupil_oak, date(2026, 12, 1))
    services.deadline_excuse_record(deadline=deadline, reason="Family away from the area for 5 weeks", actor=senco_a)
    again = services.deadline_excuse_record(deadline=deadline, reason="A different reason", actor=senco_a)
    assert (again.status, again.due_on, again.excused_reason) == (
        DeadlineStatus.EXCUSED,
        date(2026, 12, 1),
        "Family away from the area for 5 weeks",
    )
    entry = LogEntry.objects.get_for_object(deadline).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == senco_a
    assert entry.additional_data == {"school_id": str(pupil_oak.school_id), "pupil_id": str(pupil_oak.pk)}


def test_excusing_without_a_reason_is_refused(pupil_oak, senco_a):
    deadline = _open(pupil_oak, date(2026, 12, 1))
    with pytest.raises(ValidationError):
        services.deadline_excuse_record(deadline=deadline, reason="   ", actor=senco_a)
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.OPEN


def test_excusing_a_met_deadline_leaves_it_met(pupil_oak, senco_a):
    deadline = _open(pupil_oak, date(2026, 12, 1))
    services.deadline_close(source=pupil_oak, kind="advice", met_on=date(2026, 11, 30))
    after = services.deadline_excuse_record(deadline=deadline, reason="Not needed after all", actor=senco_a)
    assert after.status == DeadlineStatus.MET


# --- warnings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_on", "expected"),
    [
        (date(2026, 11, 21), ["falls on a Saturday"]),
        (
            date(2026, 12, 25),
            [
                "falls on a bank holiday (Christmas Day)",
                "falls in a school closure (19 December 2026 to 4 January 2027)",
            ],
        ),
        (date(2026, 10, 28), ["falls in a school closure (24 October 2026 to 1 November 2026)"]),
        (date(2026, 11, 24), []),
    ],
)
def test_an_awkward_due_date_carries_a_warning_and_never_moves(pupil_oak, autumn_terms, due_on, expected):
    deadline = _open(pupil_oak, due_on)
    [row] = selectors.with_warnings(
        Deadline.objects.filter(pk=deadline.pk), today=date(2026, 10, 1), closures=pupil_oak.school.closures()
    )
    assert row.warnings == expected
    assert Deadline.objects.get(pk=deadline.pk).due_on == due_on


# --- the reminder sweep --------------------------------------------------------------------------------


@pytest.fixture
def now():
    return SCHOOL_DAY_NOON


def _sweep(now, capture):
    with capture(execute=True) as callbacks:
        new = services.reminders_record(now=now)
    return new, callbacks


def test_the_sweep_records_a_reminder_once_and_sends_it_once(
    pupil_oak, senco_a, teacher_a, make_deadline, now, django_capture_on_commit_callbacks
):
    today = timezone.localdate(now)
    deadline = make_deadline(pupil_oak, today + timedelta(days=7), responsible=teacher_a)
    new, callbacks = _sweep(now, django_capture_on_commit_callbacks)
    assert len(new) == 1 and len(callbacks) == 1
    reminder = Reminder.objects.get()
    assert (reminder.deadline, reminder.kind, reminder.for_date, reminder.recipient) == (
        deadline,
        ReminderKind.BEFORE_7,
        today,
        teacher_a,
    )
    assert reminder.sent_at is not None
    assert [m.to for m in mail.outbox] == [[teacher_a.email]]

    again, callbacks = _sweep(now, django_capture_on_commit_callbacks)
    assert again == [] and Reminder.objects.count() == 1
    assert services.reminder_send(reminder_id=reminder.pk, now=now) is False
    assert len(mail.outbox) == 1


def test_an_unassigned_deadline_reminds_every_senco(
    pupil_oak, senco_a, make_deadline, now, django_capture_on_commit_callbacks
):
    second_senco = services.Membership.objects.create(
        user=type(senco_a).objects.create(username="senco_a2", email="senco_a2@example.org"),
        school=pupil_oak.school,
        role="senco",
    ).user
    make_deadline(pupil_oak, timezone.localdate(now))
    _sweep(now, django_capture_on_commit_callbacks)
    assert set(Reminder.objects.values_list("recipient", "kind")) == {
        (senco_a.pk, ReminderKind.DUE),
        (second_senco.pk, ReminderKind.DUE),
    }


def test_a_school_duty_three_days_overdue_escalates_to_the_head(
    pupil_oak, senco_a, head_a, make_deadline, now, django_capture_on_commit_callbacks
):
    make_deadline(pupil_oak, timezone.localdate(now) - timedelta(days=3))
    _sweep(now, django_capture_on_commit_callbacks)
    assert set(Reminder.objects.values_list("recipient", "kind")) == {
        (senco_a.pk, ReminderKind.OVERDUE),
        (head_a.pk, ReminderKind.ESCALATION),
    }
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[head_a.email].startswith("Escalation:")


def test_an_la_duty_overdue_reminds_the_responsible_person_to_chase_and_never_escalates(
    pupil_oak, senco_a, head_a, make_deadline, now, django_capture_on_commit_callbacks
):
    make_deadline(pupil_oak, timezone.localdate(now) - timedelta(days=5), party=Party.LA, responsible=senco_a)
    _sweep(now, django_capture_on_commit_callbacks)
    assert list(Reminder.objects.values_list("recipient", "kind")) == [(senco_a.pk, ReminderKind.OVERDUE)]
    assert mail.outbox[0].subject.startswith("Chase the LA:")


def test_met_and_excused_deadlines_are_not_reminded(
    pupil_oak, senco_a, make_deadline, now, django_capture_on_commit_callbacks
):
    today = timezone.localdate(now)
    make_deadline(pupil_oak, today, status=DeadlineStatus.MET, met_on=today)
    make_deadline(pupil_oak, today - timedelta(days=4), status=DeadlineStatus.EXCUSED, excused_reason="reg 10(4)(c)")
    assert _sweep(now, django_capture_on_commit_callbacks)[0] == []


def test_a_reminder_whose_deadline_closed_before_sending_is_cancelled(
    pupil_oak, senco_a, make_deadline, now, django_capture_on_commit_callbacks
):
    deadline = make_deadline(pupil_oak, timezone.localdate(now))
    with django_capture_on_commit_callbacks(execute=False):
        [reminder_id] = services.reminders_record(now=now)
    Deadline.objects.filter(pk=deadline.pk).update(status=DeadlineStatus.MET, met_on=timezone.localdate(now))
    assert services.reminder_send(reminder_id=reminder_id, now=now) is False
    assert Reminder.objects.get().cancelled_at is not None and mail.outbox == []


def test_a_claimed_reminder_is_not_sent_by_a_second_worker(
    pupil_oak, senco_a, make_deadline, now, django_capture_on_commit_callbacks
):
    make_deadline(pupil_oak, timezone.localdate(now))
    with django_capture_on_commit_callbacks(execute=False):
        [reminder_id] = services.reminders_record(now=now)
    Reminder.objects.filter(pk=reminder_id).update(claimed_at=now)
    assert services.reminder_send(reminder_id=reminder_id, now=now) is False
    assert mail.outbox == []


def test_a_transient_smtp_error_releases_the_claim_and_the_retry_sends_once(
    pupil_oak, senco_a, make_deadline, now, django_capture_on_commit_callbacks
):
    make_deadline(pupil_oak, timezone.localdate(now))
    with django_capture_on_commit_callbacks(execute=False):
        [reminder_id] = services.reminders_record(now=now)
    real_send = mail.EmailMultiAlternatives.send
    calls = []

    def flaky_send(message, *args, **kwargs):
        calls.append(message)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("dropped")
        return real_send(message, *args, **kwargs)

    # apply(throw=False) lets Celery run the retry in-process (eager mode with propagation would raise Retry).
    with mock.patch.object(mail.EmailMultiAlternatives, "send", flaky_send):
        result = tasks.reminder_send_task.apply(args=[str(reminder_id)], throw=False)
    assert result.result is True
    reminder = Reminder.objects.get()
    assert len(calls) == 2 and len(mail.outbox) == 1
    assert reminder.sent_at is not None and reminder.attempts == 2


def test_retries_stop_after_the_bound(pupil_oak, senco_a, make_deadline, now, django_capture_on_commit_callbacks):
    make_deadline(pupil_oak, timezone.localdate(now))
    with django_capture_on_commit_callbacks(execute=False):
        [reminder_id] = services.reminders_record(now=now)
    assert (tasks.reminder_send_task.max_retries, tasks.reminder_send_task.acks_late) == (5, True)
    # The run after the fifth retry: the error is raised, not retried again.
    with mock.patch.object(mail.EmailMultiAlternatives, "send", side_effect=ConnectionError("no route")):
        result = tasks.reminder_send_task.apply(args=[str(reminder_id)], retries=tasks.MAX_RETRIES, throw=False)
    assert isinstance(result.result, services.TransientSendError)
    reminder = Reminder.objects.get()
    assert (reminder.sent_at, reminder.claimed_at, reminder.attempts) == (None, None, 1)


def test_the_retry_delay_doubles_from_the_configured_base(settings):
    settings.DEADLINE_SEND_RETRY_BACKOFF = 30
    assert [tasks._backoff(n) for n in range(5)] == [30, 60, 120, 240, 480]


def test_a_reminder_whose_task_was_lost_is_queued_again_by_the_next_sweep(
    pupil_oak, senco_a, make_deadline, now, django_capture_on_commit_callbacks
):
    make_deadline(pupil_oak, timezone.localdate(now))
    with django_capture_on_commit_callbacks(execute=False):
        services.reminders_record(now=now)
    Reminder.objects.update(created_at=now - timedelta(hours=1))
    _sweep(now, django_capture_on_commit_callbacks)
    assert Reminder.objects.get().sent_at is not None and len(mail.outbox) == 1


# --- the daily digest ----------------------------------------------------------------------------------


def test_the_digest_goes_once_per_person_per_day_overdue_first(
    pupil_oak, pupil_ash, senco_a, teacher_b, make_deadline, now, django_capture_on_commit_callbacks
):
    today = timezone.localdate(now)
    make_deadline(pupil_oak, today + timedelta(days=5), title="Views on the draft plan")
    make_deadline(pupil_oak, today - timedelta(days=2), title="Advice for the assessment")
    make_deadline(pupil_ash, today + timedelta(days=40), title="Far away")
    make_deadline(pupil_ash, today + timedelta(days=1), title="Support plan review", responsible=teacher_b)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.digests_record(now=now)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.digests_record(now=now)
    assert len(first) == 2 and second == []
    assert set(DigestSent.objects.values_list("user", "for_date")) == {(senco_a.pk, today), (teacher_b.pk, today)}
    by_person = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2
    senco_body = by_person[senco_a.email].body
    assert senco_body.index("Advice for the assessment") < senco_body.index("Views on the draft plan")
    assert "Far away" not in senco_body and "Support plan review" not in senco_body
    assert "Support plan review" in by_person[teacher_b.email].body


# --- calendar feed tokens ------------------------------------------------------------------------------


def test_regenerating_a_feed_token_revokes_the_old_one_and_the_audit_never_holds_the_token(senco_a):
    first = services.calendar_feed_token_issue(user=senco_a, actor=senco_a)
    second = services.calendar_feed_token_issue(user=senco_a, actor=senco_a)
    assert first.token != second.token and len(second.token) >= 40
    assert selectors.calendar_feed_owner(first.token) is None
    assert selectors.calendar_feed_owner(second.token) == senco_a
    services.calendar_feed_token_revoke(user=senco_a, actor=senco_a)
    services.calendar_feed_token_revoke(user=senco_a, actor=senco_a)
    assert not CalendarFeedToken.objects.filter(revoked_at__isnull=True).exists()
    logged = " ".join(str(e.changes) for e in LogEntry.objects.filter(content_type__model="calendarfeedtoken"))
    assert logged and first.token not in logged and second.token not in logged
