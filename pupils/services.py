"""Every write to pupils and the SEND register: keyword-only arguments, an actor, a transaction, an audit row.

Audit rows are written by django-auditlog (registered in apps.py) with the actor set here, so a change made
from a management command or a task is attributed as surely as one made in a request.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from auditlog.context import set_actor
from auditlog.signals import accessed
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import access
from .models import (
    ConcernStatus,
    Disclosure,
    NeedType,
    Pupil,
    PupilAccessGrant,
    RegisterEntry,
    RegisterStatus,
    School,
    SenConcern,
)


@contextmanager
def audited(actor: User) -> Iterator[None]:
    """A transaction whose auditlog rows name `actor`."""
    with transaction.atomic(), set_actor(actor):
        yield


def bulk_create_audited(model, objects, *, actor: User) -> list:
    """Insert many new rows in one statement, with the CREATE audit row each would have had if saved one by
    one (auditlog's signals do not fire for bulk_create), naming `actor`. For imports and weekly records
    that write hundreds of rows; the caller validates the rows first and runs this inside `audited(actor)`."""
    from auditlog.cid import get_cid
    from auditlog.diff import model_instance_diff
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    created = model.objects.bulk_create(list(objects))
    if not created:
        return created
    content_type = ContentType.objects.get_for_model(model)
    cid = get_cid()
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=content_type,
            object_pk=str(row.pk),
            object_repr=str(row),
            action=LogEntry.Action.CREATE,
            changes=model_instance_diff(None, row, use_json_for_changes=True),
            actor=actor,
            additional_data=row.get_additional_data() if hasattr(row, "get_additional_data") else None,
            cid=cid,
        )
        for row in created
    )
    return created


def pupil_record_viewed(*, pupil: Pupil, actor: User) -> None:
    """Log that `actor` read the pupil's SEND record (who, which pupil, when)."""
    with set_actor(actor):
        accessed.send(sender=Pupil, instance=pupil)


def pupil_save(*, pupil: Pupil, actor: User) -> Pupil:
    """Create or update a pupil's details (built, not saved, by PupilForm); auditlog keeps old and new values."""
    with audited(actor):
        pupil.full_clean()
        pupil.save()
    return pupil


def register_entry_add(
    *,
    pupil: Pupil,
    status: str,
    primary_need: NeedType | None,
    secondary_need: NeedType | None = None,
    started_on: date,
    start_reason: str,
    actor: User,
) -> RegisterEntry:
    """Put a pupil on the SEND register. A pupil has at most one open entry: change or end it instead."""
    with audited(actor):
        if pupil.register_entries.filter(ended_on__isnull=True).exists():
            raise ValidationError("This pupil already has an open register entry: change or end it instead.")
        entry = RegisterEntry(
            pupil=pupil,
            school_id=pupil.school_id,
            status=status,
            primary_need=primary_need,
            secondary_need=secondary_need,
            started_on=started_on,
            start_reason=start_reason,
            created_by=actor,
        )
        _check_register_rules(entry)
        entry.full_clean()
        entry.save()
    return entry


def register_entry_end(*, entry: RegisterEntry, ended_on: date, end_reason: str, actor: User) -> RegisterEntry:
    """End an open register entry. The entry stays in the pupil's history; ending twice changes nothing."""
    with audited(actor):
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.ended_on is not None:
            return entry
        if ended_on < entry.started_on:
            raise ValidationError(
                {
                    "ended_on": "The end date cannot be before the entry started on {}.".format(
                        entry.started_on.strftime("%-d %B %Y")
                    )
                }
            )
        entry.ended_on = ended_on
        entry.end_reason = end_reason
        entry.full_clean()
        entry.save(update_fields=["ended_on", "end_reason"])
    return entry


def register_entry_change(
    *,
    entry: RegisterEntry,
    status: str,
    primary_need: NeedType | None,
    secondary_need: NeedType | None,
    changed_on: date,
    reason: str,
    actor: User,
) -> RegisterEntry:
    """Change a pupil's register status or needs from `changed_on`: the open entry ends that day and a new
    entry starts, so the history of the pupil's time in school stays true. No change, no new entry."""
    if (entry.status, entry.primary_need_id, entry.secondary_need_id) == (
        status,
        primary_need.pk if primary_need else None,
        secondary_need.pk if secondary_need else None,
    ):
        return entry
    with audited(actor):
        register_entry_end(entry=entry, ended_on=changed_on, end_reason=f"Changed: {reason}", actor=actor)
        return register_entry_add(
            pupil=entry.pupil,
            status=status,
            primary_need=primary_need,
            secondary_need=secondary_need,
            started_on=changed_on,
            start_reason=reason,
            actor=actor,
        )


def _check_register_rules(entry: RegisterEntry) -> None:
    """The census rules, as messages a SENCO can act on (the database constraints back them up)."""
    errors: dict[str, str] = {}
    if entry.status != RegisterStatus.MONITORING and entry.primary_need is None:
        errors["primary_need"] = "SEN support and EHC plan entries need a primary type of need."
    for field in ("primary_need", "secondary_need"):
        need = getattr(entry, field)
        if need is not None and need.sen_support_only and entry.status != RegisterStatus.SEN_SUPPORT:
            errors[field] = f"{need.code} ({need.name}) is only valid with SEN support."
    if entry.secondary_need is not None:
        if entry.primary_need is None:
            errors["secondary_need"] = "Give a primary need before a secondary need."
        elif entry.secondary_need.pk == entry.primary_need.pk:
            errors["secondary_need"] = "The secondary need must differ from the primary need."
    if entry.started_on and entry.started_on < entry.pupil.date_of_birth:
        errors["started_on"] = "The start date is before the pupil's date of birth."
    if errors:
        raise ValidationError(errors)


_STATUS_RANK: dict[str, int] = {RegisterStatus.MONITORING: 0, RegisterStatus.SEN_SUPPORT: 1, RegisterStatus.EHC_PLAN: 2}


def concern_raise(
    *, pupil: Pupil, description: str, actions_taken: str = "", broad_area: str = "", actor: User
) -> SenConcern:
    """A member of staff raises a concern that a pupil may have SEN; it joins the SENCO's queue."""
    with audited(actor):
        concern = SenConcern(
            pupil=pupil, raised_by=actor, description=description, actions_taken=actions_taken, broad_area=broad_area
        )
        concern.full_clean()
        concern.save()
    return concern


def concern_triage(
    *,
    concern: SenConcern,
    outcome: str,
    reason: str,
    primary_need: NeedType | None = None,
    secondary_need: NeedType | None = None,
    started_on: date | None = None,
    actor: User,
) -> SenConcern:
    """The SENCO's decision on a concern: add to the register (monitoring or SEN support) or close it."""
    with audited(actor):
        concern = SenConcern.objects.select_for_update().select_related("pupil").get(pk=concern.pk)
        if concern.status != ConcernStatus.OPEN:
            return concern
        if outcome in (ConcernStatus.MONITORING, ConcernStatus.SEN_SUPPORT):
            status = RegisterStatus.MONITORING if outcome == ConcernStatus.MONITORING else RegisterStatus.SEN_SUPPORT
            open_entry = concern.pupil.register_entries.filter(ended_on__isnull=True).first()
            day = started_on or timezone.localdate()
            if open_entry is None:
                entry = register_entry_add(
                    pupil=concern.pupil,
                    status=status,
                    primary_need=primary_need,
                    secondary_need=secondary_need,
                    started_on=day,
                    start_reason=f"SEN concern: {reason}",
                    actor=actor,
                )
            elif _STATUS_RANK[open_entry.status] > _STATUS_RANK[status]:
                # A concern never steps a pupil down the register (it would end an EHC plan entry unseen).
                raise ValidationError(
                    {
                        "outcome": (
                            f"{concern.pupil.forename} is already on the register ({open_entry.get_status_display()}). "
                            "Change the entry from the pupil's page, or close the concern with a reason."
                        )
                    }
                )
            else:
                entry = register_entry_change(
                    entry=open_entry,
                    status=status,
                    primary_need=primary_need,
                    secondary_need=secondary_need,
                    changed_on=day,
                    reason=f"SEN concern: {reason}",
                    actor=actor,
                )
            concern.register_entry = entry
        elif outcome != ConcernStatus.CLOSED:
            raise ValidationError({"outcome": "Choose an outcome."})
        elif not reason.strip():
            raise ValidationError({"reason": "Say why the concern is closed."})
        concern.status = outcome
        concern.outcome_reason = reason
        concern.triaged_by = actor
        concern.triaged_at = timezone.now()
        concern.save()
    return concern


def pupil_access_grant(*, pupil: Pupil, user: User, reason: str, actor: User) -> PupilAccessGrant:
    """Give a named member of staff sight of one pupil's record (a teaching assistant, a supply teacher).
    Only staff of the pupil's school may be given it; governors never see a pupil's name."""
    if not access.is_staff_of(user, pupil.school_id):
        raise ValidationError({"user": "Access can only be given to staff of this school (not governors)."})
    with audited(actor):
        grant = PupilAccessGrant.objects.filter(pupil=pupil, user=user, revoked_at__isnull=True).first()
        if grant is not None:
            return grant
        grant = PupilAccessGrant(pupil=pupil, user=user, reason=reason, granted_by=actor)
        grant.full_clean()
        grant.save()
        access.grant_pupil_access(user=user, pupil=pupil)
    return grant


def pupil_access_revoke(*, grant: PupilAccessGrant, actor: User) -> PupilAccessGrant:
    """Withdraw a grant; revoking twice changes nothing."""
    with audited(actor):
        grant = PupilAccessGrant.objects.select_for_update().select_related("pupil", "user").get(pk=grant.pk)
        if grant.revoked_at is not None:
            return grant
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        access.revoke_pupil_access(user=grant.user, pupil=grant.pupil)
    return grant


def disclosure_record(
    *,
    pupil: Pupil,
    document: str,
    actor: User,
    now: datetime,
    document_id: uuid.UUID | None = None,
    recipient: str = "",
    purpose: str = "",
) -> Disclosure:
    """Log that `actor` downloaded one of the pupil's documents at `now` (no recipient), or sent it outside the
    school to `recipient` for `purpose`: the parents' consent or a purpose reg 17 of the SEND Regulations 2014
    allows (policy section 17). Both or neither of recipient and purpose must be given."""
    with audited(actor):
        disclosure = Disclosure(
            pupil=pupil,
            document=document,
            document_id=document_id,
            disclosed_by=actor,
            disclosed_at=now,
            recipient=recipient.strip(),
            purpose=purpose,
        )
        if bool(disclosure.recipient) != bool(purpose):
            raise ValidationError("A document sent outside the school needs both the recipient and the purpose.")
        disclosure.full_clean()
        disclosure.save()
    return disclosure


def disclosures_record_many(*, pupils, document: str, actor: User, now: datetime) -> int:
    """Log one download (no recipient) of a school-wide document, such as the whole-school provision map, against
    every pupil it names, so each pupil's disclosure log shows it (policy section 17). One insert whatever the
    number of pupils; returns how many rows were written."""
    rows = [
        Disclosure(pupil=pupil, document=document, disclosed_by=actor, disclosed_at=now)
        for pupil in {pupil.pk: pupil for pupil in pupils}.values()
    ]
    with audited(actor):
        Disclosure.objects.bulk_create(rows)
    return len(rows)


def school_statutory_settings_save(
    *,
    school: School,
    transition_review_by_month: int,
    transition_review_by_day: int,
    parents_told_school_days: int,
    actor: User,
) -> School:
    """Save the SENCO's settings for the school's statutory calendar: the day transition reviews are planned by,
    and the school days allowed to tell parents about SEN support (which year groups change phase is the
    school's details, pupils.school_setup.school_save). The deadlines follow on the next daily sweep."""
    with audited(actor):
        school.transition_review_by_month = transition_review_by_month
        school.transition_review_by_day = transition_review_by_day
        school.parents_told_school_days = parents_told_school_days
        school.full_clean()
        school.save(
            update_fields=[
                "transition_review_by_month",
                "transition_review_by_day",
                "parents_told_school_days",
            ]
        )
    return school
