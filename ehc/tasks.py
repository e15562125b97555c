"""Thin Celery wrappers over EHC services: ids and ISO dates in, one service call."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from pupils.models import School

from . import services


@shared_task(acks_late=True)
def phase_transfers_open_task(school_id: str, today: str) -> int:
    """Open this academic year's phase-transfer deadlines for one school (idempotent)."""
    school = School.objects.get(pk=school_id)
    return services.phase_transfers_open(school=school, today=date.fromisoformat(today))


@shared_task(acks_late=True)
def phase_transfers_sweep_task() -> int:
    """Fan out one phase-transfer task per school."""
    today = timezone.localdate().isoformat()
    ids = [str(pk) for pk in School.objects.values_list("pk", flat=True)]
    for school_id in ids:
        phase_transfers_open_task.delay(school_id, today)
    return len(ids)
