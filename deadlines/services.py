"""Writes to deadlines. Other apps call these when they record the event that starts or ends a duty."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .models import Deadline, DeadlineStatus, Party


def _source_key(source: models.Model) -> dict:
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": str(source.pk)}


def deadline_open(
    *,
    source: models.Model,
    kind: str,
    pupil,
    due_on: date,
    title: str,
    rule: str,
    party: str = Party.SCHOOL,
    responsible: AbstractBaseUser | None = None,
) -> Deadline:
    """Open the deadline for one duty started by `source`, or re-compute it when the starting event's date is
    corrected. One row per (source, kind): calling again with the same values changes nothing. A closed
    deadline keeps its due date unless the caller reopens it."""
    with transaction.atomic():
        deadline, created = Deadline.objects.select_for_update().get_or_create(
            **_source_key(source),
            kind=kind,
            defaults={
                "school_id": pupil.school_id, "pupil": pupil, "due_on": due_on, "title": title, "rule": rule,
                "party": party, "responsible": responsible,
            },
        )
        if not created:
            changed = {
                name: value
                for name, value in {"due_on": due_on, "title": title, "rule": rule, "party": party}.items()
                if getattr(deadline, name) != value
            }
            if responsible is not None and deadline.responsible_id != responsible.pk:
                changed["responsible"] = responsible
            if changed:
                for name, value in changed.items():
                    setattr(deadline, name, value)
                deadline.save()
    return deadline


def deadline_close(*, source: models.Model, kind: str, met_on: date) -> Deadline | None:
    """Record the duty done on `met_on`. Met late is derived from the dates. Closing twice changes nothing;
    a duty with no deadline (the starting event was never recorded) returns None."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().filter(**_source_key(source), kind=kind).first()
        if deadline is None or deadline.status == DeadlineStatus.MET:
            return deadline
        deadline.status = DeadlineStatus.MET
        deadline.met_on = met_on
        deadline.save(update_fields=["status", "met_on", "updated_at"])
    return deadline


def deadline_reopen(*, source: models.Model, kind: str) -> Deadline | None:
    """Undo a close recorded in error (the duty's completion date was removed)."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().filter(**_source_key(source), kind=kind).first()
        if deadline is None or deadline.status == DeadlineStatus.OPEN:
            return deadline
        deadline.status = DeadlineStatus.OPEN
        deadline.met_on = None
        deadline.excused_reason = ""
        deadline.save(update_fields=["status", "met_on", "excused_reason", "updated_at"])
    return deadline


def deadline_excuse(*, deadline: Deadline, reason: str) -> Deadline:
    """Record that an exception in the Regulations may apply. The due date never moves; the deadline stops
    sending reminders and shows as excused, with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": "Say which exception applies and why."})
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if deadline.status == DeadlineStatus.OPEN:
            deadline.status = DeadlineStatus.EXCUSED
            deadline.excused_reason = reason
            deadline.save(update_fields=["status", "excused_reason", "updated_at"])
    return deadline
