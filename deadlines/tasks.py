"""Thin Celery wrappers: ids and ISO datetimes in, one service call. Schedules live in send_mis/celery.py."""

from __future__ import annotations

from datetime import date, datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from pupils.models import School

from . import school_duties, services

MAX_RETRIES = 5


def _now(now_iso: str | None) -> datetime:
    return datetime.fromisoformat(now_iso) if now_iso else timezone.now()


def _backoff(retries: int) -> int:
    # 1, 2, 4, 8, 16 times the base: a mail server that hiccups is given time to come back.
    return settings.DEADLINE_SEND_RETRY_BACKOFF * 2**retries


@shared_task(acks_late=True)
def deadline_reminder_sweep_task(now_iso: str | None = None) -> int:
    """Record the reminders that have come due and queue their sending in batches (every 15 minutes)."""
    return len(services.reminders_record(now=_now(now_iso)))


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def reminder_send_task(self, reminder_id: str) -> bool:
    """Send one recorded reminder, exactly once; transient SMTP errors retry with a growing delay."""
    try:
        return services.reminder_send(reminder_id=reminder_id, now=timezone.now())
    except services.TransientSendError as error:
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, ignore_result=True)
def reminder_send_batch_task(self, reminder_ids: list[str]) -> int:
    """Send a batch of recorded reminders, each exactly once, in order; on a transient SMTP error the rest of
    the batch (from the one that failed) is retried with a growing delay. Returns how many were sent."""
    sent = 0
    for index, reminder_id in enumerate(reminder_ids):
        try:
            sent += services.reminder_send(reminder_id=reminder_id, now=timezone.now())
        except services.TransientSendError as error:
            raise self.retry(args=(reminder_ids[index:],), countdown=_backoff(self.request.retries)) from error
    return sent


@shared_task(acks_late=True)
def daily_digest_sweep_task(now_iso: str | None = None) -> int:
    """Record today's digest for each person with deadlines and queue their sending in batches (07:00)."""
    return len(services.digests_record(now=_now(now_iso)))


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def digest_send_task(self, digest_id: str) -> bool:
    """Send one person's digest for the day, exactly once; transient SMTP errors retry with a growing delay."""
    try:
        return services.digest_send(digest_id=digest_id, now=timezone.now())
    except services.TransientSendError as error:
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, ignore_result=True)
def digest_send_batch_task(self, digest_ids: list[str]) -> int:
    """Send a batch of recorded digests, each exactly once; on a transient SMTP error the rest of the batch
    is retried with a growing delay. Returns how many were sent."""
    sent = 0
    for index, digest_id in enumerate(digest_ids):
        try:
            sent += services.digest_send(digest_id=digest_id, now=timezone.now())
        except services.TransientSendError as error:
            raise self.retry(args=(digest_ids[index:],), countdown=_backoff(self.request.retries)) from error
    return sent


@shared_task(acks_late=True)
def school_duties_open_task(school_id: str, today: str) -> int:
    """Open the school's own duties for one school (parents told about SEN support; the school-level duties:
    the SENCO's qualification, the accessibility plan, the first SEN information report); idempotent."""
    school = School.objects.get(pk=school_id)
    day = date.fromisoformat(today)
    school_duties.school_calendar_sync(school=school, today=day)
    return school_duties.parents_told_deadlines_open(school=school, today=day)


@shared_task(acks_late=True)
def school_duties_sweep_task() -> int:
    """Fan out one school-duties task per school."""
    today = timezone.localdate().isoformat()
    ids = [str(pk) for pk in School.objects.values_list("pk", flat=True)]
    for school_id in ids:
        school_duties_open_task.delay(school_id, today)
    return len(ids)
