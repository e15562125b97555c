"""Recording that a pupil left: the pupils layer's part (their details and register entry). The duties that
close and open with it (deadlines) are composed by records.leavers in the top layer."""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from .models import Pupil, RegisterEntry
from .services import audited, register_entry_end

LEFT_REASON = "Left the school"


def pupil_leave(
    *, pupil: Pupil, left_on: date, destination_school: str, destination_urn: str, actor: AbstractBaseUser
) -> Pupil:
    """Record the day a pupil left and where they went; their open register entry ends that day. Leaving is
    recorded once: from then on the record is read-only (pupils.access refuses every write)."""
    errors = {}
    if pupil.left_on is not None:
        errors["left_on"] = "This pupil's leaving is already recorded."
    elif left_on < pupil.admitted_on:
        errors["left_on"] = f"The leaving date is before the pupil was admitted on {pupil.admitted_on:%-d %B %Y}."
    if destination_urn and not re.fullmatch(r"\d{6}", destination_urn):
        errors["destination_urn"] = "A URN is six digits."
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        entry = RegisterEntry.objects.filter(pupil=pupil, ended_on__isnull=True).first()
        if entry is not None:
            register_entry_end(
                entry=entry, ended_on=max(left_on, entry.started_on), end_reason=LEFT_REASON, actor=actor
            )
        pupil.left_on = left_on
        pupil.destination_school = destination_school.strip()
        pupil.destination_urn = destination_urn.strip()
        pupil.full_clean()
        pupil.save(update_fields=["left_on", "destination_school", "destination_urn"])
    return pupil
