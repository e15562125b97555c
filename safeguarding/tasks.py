"""Thin Celery wrappers: ids in, one service call."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from deadlines.services import TRANSIENT_SEND_ERRORS

from . import services


@shared_task(bind=True, acks_late=True, max_retries=5)
def concern_alert_task(self, entry_id: str) -> int:
    """Alert the DSL team to a new concern, once per person; a transient mail error retries the rest."""
    try:
        return services.concern_alert_send(entry_id=entry_id)
    except TRANSIENT_SEND_ERRORS as error:
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task(acks_late=True)
def shares_expire_task(today_iso: str | None = None) -> int:
    """Take back the guardian permission of ended shares (daily)."""
    return services.shares_expire(today=date.fromisoformat(today_iso) if today_iso else timezone.localdate())
