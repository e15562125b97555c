"""Pupil passports and the progress check at age two."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from pupils.models import Pupil
from pupils.services import audited

from ..models import (
    Passport,
    ProgressCheckTwo,
)

# --- Passports and the progress check at two -------------------------------------------------------------


def passport_write(
    *,
    pupil: Pupil,
    important_to_me: str,
    like_and_admire: str,
    how_to_support: str,
    in_own_words: bool,
    actor: User,
) -> Passport:
    """Write a new version of the pupil's passport; earlier versions are kept. Saving the same words again
    changes nothing."""
    with audited(actor):
        Pupil.objects.select_for_update().filter(pk=pupil.pk).first()
        current = pupil.passports.order_by("-version").first()
        words = (important_to_me.strip(), like_and_admire.strip(), how_to_support.strip(), in_own_words)
        if current is not None and words == (
            current.important_to_me,
            current.like_and_admire,
            current.how_to_support,
            current.in_own_words,
        ):
            return current
        passport = Passport(
            pupil=pupil,
            version=(current.version + 1) if current else 1,
            important_to_me=words[0],
            like_and_admire=words[1],
            how_to_support=words[2],
            in_own_words=in_own_words,
            created_by=actor,
        )
        passport.full_clean()
        passport.save()
    return passport


def progress_check_two_record(
    *,
    pupil: Pupil,
    checked_on: date,
    strengths: str,
    less_than_expected: str = "",
    concerns: str = "",
    planned_response: str = "",
    shared_with_parents_on: date | None = None,
    actor: User,
) -> ProgressCheckTwo:
    """The progress check at age two for a nursery child (EYFS statutory framework)."""
    if pupil.year_group >= 0:
        raise ValidationError("The progress check at age two is for children in the nursery.")
    if shared_with_parents_on and shared_with_parents_on < checked_on:
        raise ValidationError({"shared_with_parents_on": "The check cannot be shared before it was made."})
    with audited(actor):
        check = ProgressCheckTwo(
            pupil=pupil,
            checked_on=checked_on,
            strengths=strengths.strip(),
            less_than_expected=less_than_expected.strip(),
            concerns=concerns.strip(),
            planned_response=planned_response.strip(),
            shared_with_parents_on=shared_with_parents_on,
            recorded_by=actor,
        )
        check.full_clean()
        check.save()
    return check
