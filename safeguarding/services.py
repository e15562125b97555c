"""Every write to child protection files: keyword-only arguments, an actor, a transaction.

Entries are appended, never edited: a correction supersedes with a reason (entry_correct). Nothing is deleted.
Due dates (actions, chasing a referral, sending a file on) are deadlines through deadlines.services.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from deadlines.kinds import DeadlineSpec
from deadlines.services import deadline_close, deadlines_sync
from pupils.models import Pupil, School
from pupils.services import audited
from send_mis.dates import bank_holidays_england

from . import access, kinds, rules
from .models import (
    BODY_MAP_COLUMNS,
    BODY_MAP_ROWS,
    AccessEvent,
    AccessOutcome,
    AlertSent,
    BodyMark,
    Category,
    ChildFile,
    Entry,
    EntryKind,
    FileStatus,
    IncomingFile,
    Share,
    StatusFlag,
    Transfer,
)

logger = logging.getLogger(__name__)

DEFAULT_CATEGORIES = (
    "Neglect",
    "Physical abuse",
    "Emotional abuse",
    "Sexual abuse",
    "Child-on-child abuse",
    "Online safety",
    "Radicalisation",
    "Female genital mutilation",
    "Domestic abuse",
    "Mental health",
    "Attendance and children missing education",
)
MAX_INCOMING_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Mark:
    """A body-map mark as the form gives it: a side, a grid cell and what was seen."""

    side: str
    row: int
    column: int
    description: str


def _not_in_future(moment: datetime, *, now: datetime, field: str) -> None:
    if moment > now:
        raise ValidationError({field: "This cannot be in the future."})


def _require(value: str, *, field: str, message: str) -> None:
    if not (value or "").strip():
        raise ValidationError({field: message})


def categories_ensure(*, school: School) -> None:
    """Give a school the usual categories the first time it records a concern (it can add its own)."""
    if not Category.objects.filter(school=school).exists():
        Category.objects.bulk_create(
            [Category(school=school, name=name) for name in DEFAULT_CATEGORIES], ignore_conflicts=True
        )


def category_add(*, school: School, name: str, actor: AbstractBaseUser) -> Category:
    """The DSL adds a category of concern for the school; adding one that exists changes nothing."""
    _require(name, field="name", message="Give the category a name.")
    with audited(actor):
        category, _ = Category.objects.get_or_create(school=school, name=name.strip())
    return category


def _file_for(pupil: Pupil) -> ChildFile:
    file, _ = ChildFile.objects.get_or_create(pupil=pupil, defaults={"school_id": pupil.school_id})
    return file


def _add_marks(entry: Entry, marks: Iterable[Mark]) -> None:
    for mark in marks:
        if not (1 <= mark.row <= BODY_MAP_ROWS and 1 <= mark.column <= BODY_MAP_COLUMNS):
            raise ValidationError({"mark": "Choose a place on the body map."})
        _require(mark.description, field="mark_description", message="Describe the mark.")
        BodyMark.objects.create(
            entry=entry, side=mark.side, row=mark.row, column=mark.column, description=mark.description
        )


def concern_report(
    *,
    pupil: Pupil,
    occurred_at: datetime,
    location: str,
    account: str,
    others_involved: str = "",
    immediate_action: str,
    told_dsl_in_person: bool,
    marks: Iterable[Mark] = (),
    actor: AbstractBaseUser,
    now: datetime,
) -> Entry:
    """Any member of staff reports a concern: it opens the child's file if there is none, goes into the DSL
    team's inbox and alerts the team by email at once (queued on commit; the email carries no name and no
    content). The reporter gets a receipt and never reads the concern back."""
    _require(account, field="account", message="Say what you saw or heard, in the child's own words.")
    _require(immediate_action, field="immediate_action", message="Say what you did straight away.")
    _not_in_future(occurred_at, now=now, field="occurred_at")
    with audited(actor):
        categories_ensure(school=pupil.school)
        file = _file_for(pupil)
        entry = Entry.objects.create(
            file=file,
            kind=EntryKind.CONCERN,
            occurred_at=occurred_at,
            recorded_by=actor,
            text=account.strip(),
            location=location.strip(),
            others_involved=others_involved.strip(),
            immediate_action=immediate_action.strip(),
            told_dsl_in_person=told_dsl_in_person,
        )
        _add_marks(entry, marks)
        entry_id = str(entry.pk)
        transaction.on_commit(lambda: _queue_alert(entry_id))
    return entry


def _queue_alert(entry_id: str) -> None:
    from .tasks import concern_alert_task  # tasks import services

    concern_alert_task.delay(entry_id)


def concern_add_to(
    *, concern: Entry, text: str, marks: Iterable[Mark] = (), actor: AbstractBaseUser, now: datetime
) -> Entry:
    """The reporter adds to their concern (something remembered, a mark seen later): a new entry, in the
    chronology at the time it is added; the original stays as it was."""
    if concern.kind != EntryKind.CONCERN:
        raise ValidationError("Only a concern can be added to.")
    marks = list(marks)
    if not text.strip() and not marks:
        raise ValidationError({"text": "Write what you want to add, or place a mark on the body map."})
    with audited(actor):
        entry = Entry.objects.create(
            file=concern.file,
            kind=EntryKind.ADDITION,
            occurred_at=now,
            recorded_by=actor,
            text=text.strip(),
            related=concern,
        )
        _add_marks(entry, marks)
        entry_id = str(entry.pk)
        transaction.on_commit(lambda: _queue_alert(entry_id))
    return entry


def concern_triage(*, concern: Entry, category: Category, text: str, actor: AbstractBaseUser, now: datetime) -> Entry:
    """The DSL triages a new concern: its category and first decision. A concern is triaged once; asking
    again returns the triage already recorded."""
    if category.school_id != concern.file.school_id:
        raise ValidationError({"category": "Choose one of the school's categories."})
    _require(text, field="text", message="Say what you decided and why.")
    with audited(actor):
        existing = concern.followups.filter(kind=EntryKind.TRIAGE).first()
        if existing is not None:
            return existing
        return Entry.objects.create(
            file=concern.file,
            kind=EntryKind.TRIAGE,
            occurred_at=now,
            recorded_by=actor,
            text=text.strip(),
            category=category,
            related=concern,
        )


def note_record(
    *, file: ChildFile, kind: str, occurred_at: datetime, text: str, actor: AbstractBaseUser, now: datetime
) -> Entry:
    """A note, a discussion or an outcome, at the time it happened (a back-dated entry lands in its place in
    the chronology)."""
    if kind not in (EntryKind.NOTE, EntryKind.OUTCOME):
        raise ValidationError("Not a note or an outcome.")
    _require(text, field="text", message="Write the note." if kind == EntryKind.NOTE else "Write the outcome.")
    _not_in_future(occurred_at, now=now, field="occurred_at")
    with audited(actor):
        return Entry.objects.create(file=file, kind=kind, occurred_at=occurred_at, recorded_by=actor, text=text.strip())


def action_record(
    *, file: ChildFile, text: str, owner: AbstractBaseUser, due_on: date, actor: AbstractBaseUser, now: datetime
) -> Entry:
    """An action with an owner and a due date: a deadline the owner is reminded of."""
    _require(text, field="text", message="Say what is to be done.")
    if due_on < timezone.localdate(now):
        raise ValidationError({"due_on": "The due date cannot be in the past."})
    with audited(actor):
        entry = Entry.objects.create(
            file=file,
            kind=EntryKind.ACTION,
            occurred_at=now,
            recorded_by=actor,
            text=text.strip(),
            owner=owner,
            due_on=due_on,
        )
        deadlines_sync(source=entry, pupil=file.pupil, specs=[DeadlineSpec(kinds.ACTION, due_on, owner)])
    return entry


def action_complete(*, action: Entry, done_on: date, text: str, actor: AbstractBaseUser, now: datetime) -> Entry:
    """Record an action done; its deadline closes (met late if after the due date). Once only."""
    if action.kind != EntryKind.ACTION:
        raise ValidationError("Not an action.")
    if done_on > timezone.localdate(now):
        raise ValidationError({"done_on": "This cannot be in the future."})
    with audited(actor):
        existing = action.followups.filter(kind=EntryKind.ACTION_DONE).first()
        if existing is not None:
            return existing
        entry = Entry.objects.create(
            file=action.file,
            kind=EntryKind.ACTION_DONE,
            occurred_at=_at_noon(done_on),
            recorded_by=actor,
            text=text.strip(),
            related=action,
        )
        deadline_close(source=_original(action), kind=kinds.ACTION, met_on=done_on)
    return entry


def _original(entry: Entry) -> Entry:
    """The first version of an entry (the one its deadlines were opened for)."""
    while entry.supersedes_id:
        entry = Entry.objects.get(pk=entry.supersedes_id)
    return entry


def _at_noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


def referral_record(
    *,
    file: ChildFile,
    agency: str,
    occurred_at: datetime,
    reference: str,
    spoken_to: str,
    text: str,
    actor: AbstractBaseUser,
    now: datetime,
) -> Entry:
    """A referral to an agency: when, the reference, who was spoken to and why. The response is chased as a
    deadline one working day later, closed when the response is recorded."""
    _require(text, field="text", message="Say what was referred and why.")
    _require(spoken_to, field="spoken_to", message="Say who you spoke to.")
    _not_in_future(occurred_at, now=now, field="occurred_at")
    referred_on = timezone.localdate(occurred_at)
    due_on = rules.referral_chase_due(
        referred_on, holidays=bank_holidays_england({referred_on.year, referred_on.year + 1})
    )
    with audited(actor):
        entry = Entry.objects.create(
            file=file,
            kind=EntryKind.REFERRAL,
            occurred_at=occurred_at,
            recorded_by=actor,
            text=text.strip(),
            agency=agency,
            reference=reference.strip(),
            spoken_to=spoken_to.strip(),
        )
        deadlines_sync(source=entry, pupil=file.pupil, specs=[DeadlineSpec(kinds.REFERRAL_CHASE, due_on, actor)])
    return entry


def referral_response_record(
    *, referral: Entry, occurred_at: datetime, text: str, actor: AbstractBaseUser, now: datetime
) -> Entry:
    """The agency's response to a referral; the chase deadline closes on the day it came."""
    if referral.kind != EntryKind.REFERRAL:
        raise ValidationError("Not a referral.")
    _require(text, field="text", message="Write the response.")
    _not_in_future(occurred_at, now=now, field="occurred_at")
    with audited(actor):
        entry = Entry.objects.create(
            file=referral.file,
            kind=EntryKind.REFERRAL_RESPONSE,
            occurred_at=occurred_at,
            recorded_by=actor,
            text=text.strip(),
            related=referral,
        )
        deadline_close(source=_original(referral), kind=kinds.REFERRAL_CHASE, met_on=timezone.localdate(occurred_at))
    return entry


def no_referral_record(
    *,
    file: ChildFile,
    agency: str,
    occurred_at: datetime,
    reasons: str,
    decided_by: AbstractBaseUser | None,
    actor: AbstractBaseUser,
    now: datetime,
) -> Entry:
    """A decision not to refer (KCSIE Annex C: decisions and the reasons for them are recorded). It cannot be
    saved without the reasons and the name of the DSL (or deputy) who decided."""
    errors = {}
    if not (reasons or "").strip():
        errors["reasons"] = "Give the reasons for the decision not to refer."
    if decided_by is None:
        errors["decided_by"] = "Name the DSL who decided."
    elif not access.is_dsl_team(decided_by, file.school_id):
        errors["decided_by"] = "The decision is taken by the DSL or a deputy DSL of the school."
    if errors:
        raise ValidationError(errors)
    _not_in_future(occurred_at, now=now, field="occurred_at")
    with audited(actor):
        return Entry.objects.create(
            file=file,
            kind=EntryKind.NO_REFERRAL,
            occurred_at=occurred_at,
            recorded_by=actor,
            text=reasons.strip(),
            agency=agency,
            decided_by=decided_by,
        )


def file_status_change(*, file: ChildFile, status: str, reason: str, actor: AbstractBaseUser, now: datetime) -> Entry:
    """Open, monitor or close the file; closing needs a reason. The change is an entry in the chronology."""
    if status not in FileStatus.values:
        raise ValidationError({"status": "Choose a status."})
    if status == FileStatus.CLOSED:
        _require(reason, field="reason", message="Say why the file is closed.")
    with audited(actor):
        file = ChildFile.objects.select_for_update().get(pk=file.pk)
        entry = Entry.objects.create(
            file=file, kind=EntryKind.STATUS, occurred_at=now, recorded_by=actor, text=reason.strip(), status=status
        )
        if file.status != status:
            file.status = status
            file.save(update_fields=["status"])
    return entry


def entry_correct(
    *, entry: Entry, text: str, occurred_at: datetime, reason: str, actor: AbstractBaseUser, now: datetime
) -> Entry:
    """Correct an entry: a new entry with the corrected text and time supersedes it, with the reason; the
    original stays in the file (shown as corrected). Only the latest version of an entry can be corrected."""
    _require(reason, field="reason", message="Say why the entry is corrected.")
    _require(text, field="text", message="Write the corrected text.")
    _not_in_future(occurred_at, now=now, field="occurred_at")
    with audited(actor):
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if Entry.objects.filter(supersedes=entry).exists():
            raise ValidationError("This entry has already been corrected: correct the latest version.")
        marks = list(entry.marks.all())
        correction = Entry.objects.get(pk=entry.pk)
        correction.pk = None
        correction.id = None
        correction._state.adding = True
        correction.text = text.strip()
        correction.occurred_at = occurred_at
        correction.recorded_by = actor
        correction.supersedes = entry
        correction.correction_reason = reason.strip()
        correction.save(force_insert=True)
        # What followed from the entry (a triage, a response, the action done) follows its current version, so
        # the inbox and the dashboard keep seeing it as triaged, answered or done. Deadlines stay with the
        # original entry (_original), where they were opened.
        Entry.objects.filter(related=entry).exclude(pk=correction.pk).update(related=correction)
        for mark in marks:
            BodyMark.objects.create(
                entry=correction, side=mark.side, row=mark.row, column=mark.column, description=mark.description
            )
    return correction


def flag_start(*, file: ChildFile, kind: str, starts_on: date, actor: AbstractBaseUser, today: date) -> StatusFlag:
    """The child's status (child in need, child protection plan...) from a date; one open period per kind."""
    if starts_on > today:
        raise ValidationError({"starts_on": "This cannot be in the future."})
    with audited(actor):
        if StatusFlag.objects.filter(file=file, kind=kind, ends_on__isnull=True).exists():
            raise ValidationError({"kind": "This status is already open: end it first."})
        flag = StatusFlag(file=file, kind=kind, starts_on=starts_on, recorded_by=actor)
        flag.full_clean()
        flag.save()
    return flag


def flag_end(*, flag: StatusFlag, ends_on: date, actor: AbstractBaseUser, today: date) -> StatusFlag:
    """End a status period; ending twice changes nothing."""
    if ends_on > today:
        raise ValidationError({"ends_on": "This cannot be in the future."})
    with audited(actor):
        flag = StatusFlag.objects.select_for_update().get(pk=flag.pk)
        if flag.ends_on is not None:
            return flag
        if ends_on < flag.starts_on:
            raise ValidationError({"ends_on": "The end cannot be before the start."})
        flag.ends_on = ends_on
        flag.save(update_fields=["ends_on"])
    return flag


def share_grant(
    *,
    file: ChildFile,
    user: AbstractBaseUser,
    until_on: date,
    reason: str,
    actor: AbstractBaseUser,
    today: date,
    entry: Entry | None = None,
) -> Share:
    """The DSL shares one child's file, or one entry of it, with a named member of staff until a date (read
    only). Only staff of the child's school may be given it; a live share of the same thing to the same person
    is re-dated, not doubled."""
    if not access.may_receive_share(user, file.school_id):
        raise ValidationError({"user": "A file can only be shared with staff of this school (not governors)."})
    if until_on < today:
        raise ValidationError({"until_on": "The end date cannot be in the past."})
    if entry is not None and entry.file_id != file.pk:
        raise ValidationError({"entry": "Choose an entry of this file."})
    _require(reason, field="reason", message="Say why this person needs to know.")
    with audited(actor):
        share = (
            Share.objects.select_for_update().filter(file=file, user=user, entry=entry, revoked_at__isnull=True).first()
        )
        if share is None:
            share = Share.objects.create(
                file=file, user=user, entry=entry, until_on=until_on, reason=reason.strip(), granted_by=actor
            )
        elif share.until_on != until_on:
            share.until_on = until_on
            share.save(update_fields=["until_on"])
        access.grant_file_share(user=user, file=file)
    return share


def share_revoke(*, share: Share, actor: AbstractBaseUser, now: datetime) -> Share:
    """Withdraw a share before its end date; revoking twice changes nothing. The guardian permission goes
    with the person's last live share of the file."""
    with audited(actor):
        share = Share.objects.select_for_update().select_related("file", "user").get(pk=share.pk)
        if share.revoked_at is not None:
            return share
        share.revoked_at = now
        share.revoked_by = actor
        share.save(update_fields=["revoked_at", "revoked_by"])
        if not Share.objects.filter(file=share.file, user=share.user, revoked_at__isnull=True).exists():
            access.revoke_file_share(user=share.user, file=share.file)
    return share


def transfer_start(*, file: ChildFile, destination: str, left_on: date, actor: AbstractBaseUser) -> Transfer:
    """The child is leaving: the file must reach the new school within 5 days (KCSIE Annex C), a deadline for
    the DSL who records it. One open transfer per file: asking again returns it, re-dated if the date moved."""
    _require(destination, field="destination", message="Name the new school.")
    terms = list(file.school.terms.values_list("starts_on", "ends_on"))
    due_on = rules.transfer_due(left_on, terms=terms)
    with audited(actor):
        transfer = Transfer.objects.select_for_update().filter(file=file, sent_on__isnull=True).first()
        if transfer is None:
            transfer = Transfer.objects.create(
                file=file, destination=destination.strip(), left_on=left_on, due_on=due_on, recorded_by=actor
            )
        elif (transfer.left_on, transfer.destination) != (left_on, destination.strip()):
            transfer.left_on, transfer.destination, transfer.due_on = left_on, destination.strip(), due_on
            transfer.save(update_fields=["left_on", "destination", "due_on"])
        deadlines_sync(source=transfer, pupil=file.pupil, specs=[DeadlineSpec(kinds.TRANSFER, due_on, actor)])
    return transfer


def transfer_sent(
    *, transfer: Transfer, sent_on: date, sent_how: str, actor: AbstractBaseUser, today: date
) -> Transfer:
    """The file went to the new school (separately from the main pupil file, securely): the 5-day deadline
    closes on the day it was sent. Sending twice changes nothing."""
    _require(sent_how, field="sent_how", message="Say how the file was sent (secure transfer, hand delivery...).")
    if sent_on > today:
        raise ValidationError({"sent_on": "This cannot be in the future."})
    with audited(actor):
        transfer = Transfer.objects.select_for_update().select_related("file__pupil").get(pk=transfer.pk)
        if transfer.sent_on is not None:
            return transfer
        transfer.sent_on, transfer.sent_how = sent_on, sent_how.strip()
        transfer.save(update_fields=["sent_on", "sent_how"])
        Entry.objects.create(
            file=transfer.file,
            kind=EntryKind.TRANSFER_SENT,
            occurred_at=_at_noon(sent_on),
            recorded_by=actor,
            text=f"Sent to {transfer.destination} ({transfer.sent_how}).",
        )
        deadline_close(source=transfer, kind=kinds.TRANSFER, met_on=sent_on)
    return transfer


def transfer_receipt(
    *, transfer: Transfer, received_by: str, received_on: date, actor: AbstractBaseUser, today: date
) -> Transfer:
    """The new school confirmed receipt: who received the file and when. Recording it twice changes nothing."""
    _require(received_by, field="received_by", message="Name who received the file.")
    if received_on > today:
        raise ValidationError({"received_on": "This cannot be in the future."})
    with audited(actor):
        transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if transfer.sent_on is None:
            raise ValidationError("Record that the file was sent first.")
        if transfer.received_on is not None:
            return transfer
        if received_on < transfer.sent_on:
            raise ValidationError({"received_on": "The file cannot be received before it was sent."})
        transfer.received_by, transfer.received_on = received_by.strip(), received_on
        transfer.save(update_fields=["received_by", "received_on"])
    return transfer


def incoming_file_attach(
    *,
    pupil: Pupil,
    from_school: str,
    received_on: date,
    filename: str,
    content_type: str,
    content: bytes,
    actor: AbstractBaseUser,
    today: date,
) -> IncomingFile:
    """A joining child's file from their previous school, attached to their file here (opened if none)."""
    _require(from_school, field="from_school", message="Name the school the file came from.")
    if received_on > today:
        raise ValidationError({"received_on": "This cannot be in the future."})
    if not content:
        raise ValidationError({"upload": "Choose the file to attach."})
    if len(content) > MAX_INCOMING_BYTES:
        raise ValidationError({"upload": "The file is larger than 20 MB."})
    with audited(actor):
        file = _file_for(pupil)
        incoming = IncomingFile.objects.create(
            file=file,
            from_school=from_school.strip(),
            received_on=received_on,
            filename=filename[:200],
            content_type=content_type[:100],
            content=content,
            recorded_by=actor,
        )
        Entry.objects.create(
            file=file,
            kind=EntryKind.INCOMING_FILE,
            occurred_at=_at_noon(received_on),
            recorded_by=actor,
            text=f"Child protection file received from {incoming.from_school}.",
        )
    return incoming


def senco_told_record(*, file: ChildFile, text: str, actor: AbstractBaseUser, now: datetime) -> Entry:
    """The receiving DSL made sure the SENCO knows (KCSIE Annex C, for a child with SEND)."""
    with audited(actor):
        return Entry.objects.create(
            file=file,
            kind=EntryKind.SENCO_TOLD,
            occurred_at=now,
            recorded_by=actor,
            text=text.strip() or "The SENCO was told about the child protection file.",
        )


def access_record(
    *,
    user: AbstractBaseUser | None,
    file: ChildFile | None,
    outcome: str,
    page: str,
    detail: str = "",
    school_id=None,
) -> None:
    """Write one line of the who-viewed log: a read, a refused attempt or an export. Its own transaction is
    not needed: the line stands even when the request fails afterwards."""
    AccessEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        file=file,
        school_id=file.school_id if file is not None else school_id,
        outcome=outcome,
        page=page[:60],
        detail=detail[:200],
    )


def access_record_reads(*, user: AbstractBaseUser, files: Iterable[ChildFile], page: str) -> None:
    """A list page (inbox, dashboard) showed these files: one read line each, in one insert."""
    AccessEvent.objects.bulk_create(
        [
            AccessEvent(user=user, file=file, school_id=file.school_id, outcome=AccessOutcome.READ, page=page)
            for file in {file.pk: file for file in files}.values()
        ]
    )


def concern_alert_send(*, entry_id: str) -> int:
    """Email the school's DSL team that a concern (or an addition) was reported: one email per person, once,
    with no name and no content. Returns how many were sent."""
    from .emails import concern_alert_message

    entry = Entry.objects.select_related("file").filter(pk=entry_id).first()
    if entry is None:
        return 0
    sent = 0
    for recipient in access.dsl_team_of(entry.file.school_id):
        if not recipient.email:
            continue
        try:
            with transaction.atomic():
                AlertSent.objects.create(entry=entry, recipient=recipient)
                concern_alert_message(entry, recipient).send()
        except IntegrityError:
            continue  # already sent to this person
        sent += 1
    return sent


def shares_expire(*, today: date) -> int:
    """Take back the guardian permission of shares whose end date has passed. Access already ends on the
    date (access checks the Share row too); this keeps the permission table honest. Repeating it is harmless.
    Returns how many shares were looked at."""
    ended = Share.objects.filter(revoked_at__isnull=True, until_on__lt=today).select_related("file", "user")
    count = 0
    for share in ended.iterator():
        if not Share.objects.filter(
            file=share.file, user=share.user, revoked_at__isnull=True, until_on__gte=today
        ).exists():
            access.revoke_file_share(user=share.user, file=share.file)
        count += 1
    return count
