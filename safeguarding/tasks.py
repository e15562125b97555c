"""Thin Celery wrappers: ids in, one service call."""

from __future__ import annotations

from celery import shared_task

from deadlines.services import TRANSIENT_SEND_ERRORS

from . import services


@shared_task(bind=True, acks_late=True, max_retries=5)
def concern_alert_task(self, entry_id: str) -> int:
    """Alert the DSL team to a new concern, once per person; a transient mail error retries the rest."""
    try:
        return services.concern_alert_send(entry_id=entry_id)
    except TRANSIENT_SEND_ERRORS as error:
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
