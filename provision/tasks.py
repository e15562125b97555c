"""Thin Celery wrappers over provision services: ids and ISO dates in, one service call."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from pupils.models import School

from . import services


@shared_task(acks_late=True)
def parent_meetings_schedule_task(school_id: str, today: str) -> int:
    """Open this term's parent-meeting deadlines for one school (idempotent)."""
    school = School.objects.get(pk=school_id)
    return services.parent_meetings_schedule(school=school, today=date.fromisoformat(today))


@shared_task(acks_late=True)
def parent_meetings_sweep_task() -> int:
    """Fan out one scheduling task per school."""
    today = timezone.localdate().isoformat()
    ids = [str(pk) for pk in School.objects.values_list("pk", flat=True)]
    for school_id in ids:
        parent_meetings_schedule_task.delay(school_id, today)
    return len(ids)


@shared_task(acks_late=True)
def flags_compute_task(school_id: str, today: str) -> int:
    """Compute one school's flags after scores were entered or imported (only cohorts whose scores changed)."""
    school = School.objects.get(pk=school_id)
    return services.flags_compute(school=school, today=date.fromisoformat(today)).flags
