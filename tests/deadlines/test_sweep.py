"""The batched sweep: the set-based insert records exactly what the pure rules call for, sending is queued in
batches, claims are leases, and a broker outage is logged once and never raised from the sweep."""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from deadlines import emails, services, tasks
from deadlines.models import DeadlineStatus, DigestSent, Party, Reminder
from deadlines.rules import ReminderKind
from pupils.models import Membership, Role

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 11, 18, 12, 0))  # a Wednesday
TODAY = date(2026, 11, 18)

# (days from today to the due date, party, responsible: "teacher" or None) -> the (kind, for_date offset from
# today, recipients) the rules call for. Worked by hand from deadlines.rules: "before" reminders keep their
# nominal day through their window; overdue is keyed by today; escalations (school duties 3+ days overdue) by
# due_on + 3 and go to the heads; nobody named means every active SENCO.
CASES = [
    ("due in 20 days: nothing yet", 20, Party.SCHOOL, "teacher", set()),
    ("due in 14 days: the 14-day reminder", 14, Party.SCHOOL, "teacher", {("before_14", 0, "teacher")}),
    (
        "due in 10 days: the 14-day reminder, its nominal day",
        10,
        Party.SCHOOL,
        "teacher",
        {("before_14", -4, "teacher")},
    ),
    (
        "due in 7 days, nobody named: every SENCO",
        7,
        Party.SCHOOL,
        None,
        {("before_7", 0, "senco"), ("before_7", 0, "senco2")},
    ),
    ("due in 2 days, an LA duty", 2, Party.LA, "teacher", {("before_2", 0, "teacher")}),
    ("due today", 0, Party.SCHOOL, "teacher", {("due", 0, "teacher")}),
    ("a day overdue", -1, Party.SCHOOL, "teacher", {("overdue", 0, "teacher")}),
    (
        "3 days overdue: escalated to the heads",
        -3,
        Party.SCHOOL,
        "teacher",
        {("overdue", 0, "teacher"), ("escalation", 0, "head")},
    ),
    (
        "40 days overdue, nobody named: SENCOs, and the old escalation",
        -40,
        Party.SCHOOL,
        None,
        {("overdue", 0, "senco"), ("overdue", 0, "senco2"), ("escalation", -37, "head")},
    ),
    (
        "an LA duty 5 days overdue: a chase, never escalated",
        -5,
        Party.LA,
        None,
        {("overdue", 0, "senco"), ("overdue", 0, "senco2")},
    ),
]


@pytest.fixture
def cast(senco_a, head_a, teacher_a, school_a):
    User = get_user_model()
    senco2 = User.objects.create(username="senco_a2", email="senco_a2@example.org")
    Membership.objects.create(user=senco2, school=school_a, role=Role.SENCO)
    retired = User.objects.create(username="senco_gone", email="gone@example.org", is_active=False)
    Membership.objects.create(user=retired, school=school_a, role=Role.SENCO)  # inactive: never reminded
    return {"senco": senco_a, "senco2": senco2, "head": head_a, "teacher": teacher_a}


@pytest.fixture
def case_deadlines(cast, pupil_oak, make_deadline):
    made = {}
    for name, days, party, responsible, _expected in CASES:
        made[name] = make_deadline(
            pupil_oak,
            TODAY + timedelta(days=days),
            title=name,
            party=party,
            responsible=cast[responsible] if responsible else None,
        )
    # Closed duties are never reminded, whatever their dates.
    make_deadline(pupil_oak, TODAY, status=DeadlineStatus.MET, met_on=TODAY)
    make_deadline(pupil_oak, TODAY - timedelta(days=4), status=DeadlineStatus.EXCUSED, excused_reason="reg 10(4)")
    return made


def _recorded(cast) -> set:
    names = {user.pk: name for name, user in cast.items()}
    return {
        (deadline_id, kind, (for_date - TODAY).days, names[recipient_id])
        for deadline_id, kind, for_date, recipient_id in Reminder.objects.values_list(
            "deadline_id", "kind", "for_date", "recipient_id"
        )
    }


def _expected(case_deadlines) -> set:
    return {
        (case_deadlines[name].pk, kind, offset, who)
        for name, _days, _party, _responsible, expected in CASES
        for kind, offset, who in expected
    }


def _record_with(recorder) -> list:
    with transaction.atomic():
        school_days, horizon = services._open_schools_and_horizon(TODAY)
        return recorder(today=TODAY, horizon=horizon, now=NOW, school_days=school_days)


def test_the_sweep_records_what_the_hand_worked_table_says(cast, case_deadlines, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        new = services.reminders_record(now=NOW)
    assert _recorded(cast) == _expected(case_deadlines)
    assert len(new) == len(_expected(case_deadlines))


def test_the_portable_path_records_the_same_reminders_as_the_database_path(cast, case_deadlines):
    """On PostgreSQL the sweep uses one INSERT ... SELECT; the portable Python path (SQLite) must agree."""
    database_path = services._reminders_insert_sql if connection.vendor == "postgresql" else None
    portable = _record_with(services._reminders_insert_portable)
    by_portable = _recorded(cast)
    assert by_portable == _expected(case_deadlines) and len(portable) == len(by_portable)
    if database_path is not None:
        Reminder.objects.all().delete()
        inserted = _record_with(database_path)
        assert _recorded(cast) == by_portable and len(inserted) == len(by_portable)


def test_a_second_sweep_records_nothing_and_the_next_day_only_the_new_overdue_ones(
    cast, case_deadlines, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        services.reminders_record(now=NOW)
        assert services.reminders_record(now=NOW + timedelta(minutes=15)) == []
        Reminder.objects.update(sent_at=NOW)
        next_day = services.reminders_record(now=NOW + timedelta(days=1))
    # Only the new day's overdue reminders: yesterday's "before" keys and escalations already exist. The ones
    # due today (now 1 day late), -1, -3 to the teacher; -40 and the LA's -5 to both SENCOs.
    assert set(Reminder.objects.filter(pk__in=next_day).values_list("kind", "for_date")) == {
        (ReminderKind.OVERDUE, TODAY + timedelta(days=1))
    }
    assert len(next_day) == 1 + 1 + 1 + 2 + 2


def _needs_postgresql() -> None:
    """The set-based insert and its advisory lock are PostgreSQL's (SQLite takes the portable path): skipped on
    SQLite outside CI, failed under CI, which always runs on PostgreSQL (as the integration tests do)."""
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI"):
        pytest.fail(f"DATABASE_URL is {connection.vendor}, not PostgreSQL")
    pytest.skip("needs a PostgreSQL DATABASE_URL")


def test_a_key_the_anti_join_misses_is_skipped_and_the_rest_recorded(
    pupil_oak, senco_a, make_deadline, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """The unique constraint stands behind the anti-join: a collision reruns the insert with ON CONFLICT DO
    NOTHING instead of failing the sweep (and every reminder of the day with it)."""
    _needs_postgresql()
    make_deadline(pupil_oak, TODAY - timedelta(days=1), party=Party.LA)
    with django_capture_on_commit_callbacks(execute=False):
        [first] = services.reminders_record(now=NOW)
        # A wrong oldest day would make the anti-join ignore the key just recorded, so the insert collides.
        monkeypatch.setattr(services.rules, "oldest_for_date", lambda today: today + timedelta(days=365))
        later = make_deadline(pupil_oak, TODAY - timedelta(days=2), party=Party.LA)
        with caplog.at_level(logging.ERROR, logger="deadlines.services"):
            second = services.reminders_record(now=NOW + timedelta(minutes=15))
    assert [Reminder.objects.get(pk=pk).deadline for pk in second] == [later]
    assert Reminder.objects.count() == 2 and Reminder.objects.filter(pk=first).exists()
    [record] = [r for r in caplog.records if r.name == "deadlines.services" and r.levelno == logging.ERROR]
    assert "already recorded" in record.getMessage()


def _advisory_lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_take_turns_and_the_second_records_nothing(pupil_oak, senco_a, make_deadline, caplog):
    _needs_postgresql()
    for days in range(3):
        make_deadline(pupil_oak, TODAY - timedelta(days=1 + days), party=Party.LA)
    recorded, commit, results = threading.Event(), threading.Event(), {}

    def sweep(name: str, hold: bool) -> None:
        try:
            with transaction.atomic():
                results[name] = services.reminders_record(now=NOW)
                if hold:  # the first sweep has inserted and not yet committed
                    recorded.set()
                    commit.wait(10)
        except Exception as error:  # reported below, on the test's thread
            results[name] = error
        finally:
            connection.close()

    first = threading.Thread(target=sweep, args=("first", True))
    second = threading.Thread(target=sweep, args=("second", False))
    with caplog.at_level(logging.WARNING, logger="deadlines.services"):
        first.start()
        assert recorded.wait(10)
        second.start()
        waited = time.monotonic() + 10
        while _advisory_lock_waiters() == 0 and time.monotonic() < waited:
            time.sleep(0.02)
        second_was_waiting = _advisory_lock_waiters() == 1
        commit.set()
        first.join(10)
        second.join(10)
    assert second_was_waiting, "the second sweep waits on the advisory lock while the first is uncommitted"
    assert len(results["first"]) == 3 and results["second"] == []
    assert Reminder.objects.count() == 3
    assert not [r for r in caplog.records if "already recorded" in r.getMessage()]


def test_the_sweep_queues_one_task_per_batch_not_one_per_reminder(
    pupil_oak, senco_a, make_deadline, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "SEND_BATCH_SIZE", 4)
    for days in range(10):
        make_deadline(pupil_oak, TODAY - timedelta(days=1 + days), party=Party.LA)
    with (
        mock.patch.object(tasks.reminder_send_batch_task, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        new = services.reminders_record(now=NOW)
    assert len(new) == 10
    batches = [call.args[0][0] for call in apply_async.call_args_list]
    assert [len(batch) for batch in batches] == [4, 4, 2]
    assert sorted(id_ for batch in batches for id_ in batch) == sorted(str(pk) for pk in new)


def test_a_batch_sends_each_reminder_once(pupil_oak, senco_a, make_deadline, django_capture_on_commit_callbacks):
    for days in range(3):
        make_deadline(pupil_oak, TODAY - timedelta(days=1 + days), party=Party.LA)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.reminders_record(now=NOW)
    assert len(mail.outbox) == 3 and not Reminder.objects.filter(sent_at__isnull=True).exists()
    assert tasks.reminder_send_batch_task.apply(args=[[str(pk) for pk in new]]).result == 0
    assert len(mail.outbox) == 3


def test_every_email_carries_a_message_id_derived_from_its_row(
    pupil_oak, senco_a, make_deadline, django_capture_on_commit_callbacks
):
    make_deadline(pupil_oak, TODAY - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        [reminder_id] = services.reminders_record(now=NOW)
        [digest_id] = services.digests_record(now=NOW)
    by_kind = {message.extra_headers.get("X-Send-MIS-Reminder") is not None: message for message in mail.outbox}
    assert by_kind[True].message()["Message-ID"] == f"<reminder.{reminder_id}@send-mis.localhost>"
    assert by_kind[False].message()["Message-ID"] == f"<digest.{digest_id}@send-mis.localhost>"
    assert emails.message_id("reminder", reminder_id) == by_kind[True].message()["Message-ID"]


# --- a claim is a lease ---------------------------------------------------------------------------------


@pytest.fixture
def claimed(pupil_oak, senco_a, make_deadline, django_capture_on_commit_callbacks):
    """A reminder recorded and claimed by a worker at NOW that never sent it."""
    make_deadline(pupil_oak, TODAY)
    with django_capture_on_commit_callbacks(execute=False):
        [reminder_id] = services.reminders_record(now=NOW)
    assert services._claim(Reminder, reminder_id, NOW)
    return Reminder.objects.get(pk=reminder_id)


def test_a_claim_within_its_lease_is_left_alone(claimed, django_capture_on_commit_callbacks):
    later = NOW + services.CLAIM_LEASE - timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_record(now=later)
    assert services.reminder_send(reminder_id=claimed.pk, now=later) is False
    claimed.refresh_from_db()
    assert (claimed.claimed_at, claimed.sent_at, mail.outbox) == (NOW, None, [])


def test_a_claim_past_its_lease_is_released_and_sent_by_the_next_sweep(claimed, django_capture_on_commit_callbacks):
    later = NOW + services.CLAIM_LEASE + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_record(now=later) == []
    claimed.refresh_from_db()
    assert claimed.sent_at is not None and claimed.attempts == 2
    assert len(mail.outbox) == 1


def test_a_send_task_may_take_over_an_expired_claim_but_not_a_live_one(claimed):
    assert services.reminder_send(reminder_id=claimed.pk, now=NOW + timedelta(minutes=9)) is False
    assert services.reminder_send(reminder_id=claimed.pk, now=NOW + timedelta(minutes=11)) is True
    assert services.reminder_send(reminder_id=claimed.pk, now=NOW + timedelta(minutes=30)) is False
    assert len(mail.outbox) == 1


# --- the broker ---------------------------------------------------------------------------------------


def test_a_broker_outage_is_logged_once_and_never_raised_and_the_rows_wait(
    pupil_oak, senco_a, make_deadline, django_capture_on_commit_callbacks, caplog, monkeypatch
):
    monkeypatch.setattr(services, "SEND_BATCH_SIZE", 2)
    for days in range(5):
        make_deadline(pupil_oak, TODAY - timedelta(days=1 + days), party=Party.LA)
    down = OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")
    with (
        mock.patch.object(tasks.reminder_send_batch_task, "apply_async", side_effect=down) as apply_async,
        caplog.at_level(logging.WARNING, logger="deadlines.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        new = services.reminders_record(now=NOW)
    assert len(new) == 5 and apply_async.call_count == 1
    [record] = [r for r in caplog.records if r.name == "deadlines.services"]
    assert "broker unreachable" in record.getMessage() and "5 of 5 rows wait" in record.getMessage()
    assert Reminder.objects.filter(sent_at__isnull=True, claimed_at__isnull=True).count() == 5

    # The broker is back: the first sweep after REQUEUE_AFTER sends them all (the sweep runs every 15 minutes).
    assert timedelta(minutes=15) > services.REQUEUE_AFTER
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_record(now=NOW + timedelta(minutes=15))
    assert not Reminder.objects.filter(sent_at__isnull=True).exists() and len(mail.outbox) == 5


def test_a_failing_queue_callback_is_logged_by_name_not_raised(
    pupil_oak, senco_a, make_deadline, django_capture_on_commit_callbacks, caplog
):
    """Django logs a failed robust on_commit callback by its __qualname__ (a functools.partial has none)."""
    make_deadline(pupil_oak, TODAY)
    with (
        mock.patch.object(services, "_fan_out", side_effect=RuntimeError("unexpected")),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.reminders_record(now=NOW)
    assert any("queue_send_tasks" in record.getMessage() for record in caplog.records)


def test_digests_lost_today_are_queued_again_by_the_sweep(
    pupil_oak, senco_a, make_deadline, django_capture_on_commit_callbacks
):
    make_deadline(pupil_oak, TODAY + timedelta(days=3))
    now = NOW
    with django_capture_on_commit_callbacks(execute=False):
        [digest_id] = services.digests_record(now=now)
    DigestSent.objects.update(created_at=now - timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_record(now=now)
    assert DigestSent.objects.get(pk=digest_id).sent_at is not None
