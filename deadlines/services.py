"""Writes to deadlines. Other apps call these when they record the event that starts or ends a duty."""

from __future__ import annotations

import logging
import secrets
import smtplib
import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import partial

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from pupils.models import Membership, Role
from pupils.services import audited

from . import rules
from .kinds import DeadlineKind, DeadlineSpec
from .models import CalendarFeedToken, Deadline, DeadlineStatus, DigestSent, Reminder


def _source_key(source: models.Model) -> dict:
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": str(source.pk)}


def _kind_key(kind: DeadlineKind | str) -> str:
    return kind.key if isinstance(kind, DeadlineKind) else kind


def deadlines_sync(*, source: models.Model, pupil, specs: Iterable[DeadlineSpec]) -> list[Deadline]:
    """Open the deadline of each spec for the duty `source` started, or re-date it when the starting event's
    date was corrected: one row per (source, kind). Calling again with the same specs changes nothing; a
    closed deadline keeps its status (the caller reopens it where the duty is due again)."""
    return [_open_one(source=source, pupil=pupil, spec=spec) for spec in specs]


def _open_one(*, source: models.Model, pupil, spec: DeadlineSpec) -> Deadline:
    kind = spec.kind
    values = {"due_on": spec.due_on, "title": kind.title, "rule": spec.rule, "party": kind.party}
    with transaction.atomic():
        deadline, created = Deadline.objects.select_for_update().get_or_create(
            **_source_key(source),
            kind=kind.key,
            defaults={"school_id": pupil.school_id, "pupil": pupil, "responsible": spec.responsible, **values},
        )
        if not created:
            changed = {name: value for name, value in values.items() if getattr(deadline, name) != value}
            if spec.responsible is not None and deadline.responsible_id != spec.responsible.pk:
                changed["responsible"] = spec.responsible
            if changed:
                for name, value in changed.items():
                    setattr(deadline, name, value)
                deadline.save()
    return deadline


def deadline_close(*, source: models.Model, kind: DeadlineKind | str, met_on: date) -> Deadline | None:
    """Record the duty done on `met_on`. Met late is derived from the dates. Closing twice changes nothing;
    a duty with no deadline (the starting event was never recorded) returns None."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().filter(**_source_key(source), kind=_kind_key(kind)).first()
        if deadline is None or deadline.status == DeadlineStatus.MET:
            return deadline
        deadline.status = DeadlineStatus.MET
        deadline.met_on = met_on
        deadline.save(update_fields=["status", "met_on", "updated_at"])
    return deadline


def deadline_reclose(*, source: models.Model, kind: DeadlineKind | str, met_on: date) -> Deadline | None:
    """Close the duty, or move the completion date of a duty already closed (the date was corrected)."""
    deadline_reopen(source=source, kind=kind)
    return deadline_close(source=source, kind=kind, met_on=met_on)


def deadline_reopen(*, source: models.Model, kind: DeadlineKind | str) -> Deadline | None:
    """Undo a close or an excuse recorded in error (the duty is due again)."""
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().filter(**_source_key(source), kind=_kind_key(kind)).first()
        if deadline is None or deadline.status == DeadlineStatus.OPEN:
            return deadline
        deadline.status = DeadlineStatus.OPEN
        deadline.met_on = None
        deadline.excused_reason = ""
        deadline.save(update_fields=["status", "met_on", "excused_reason", "updated_at"])
    return deadline


def deadlines_excuse_for(
    *, sources: Iterable[models.Model], reason: str, kinds: Iterable[DeadlineKind | str] | None = None
) -> int:
    """Excuse the open deadlines of `sources` (only those of `kinds`, when given): an exception in the
    Regulations may apply, or the duty no longer applies (a plan ceased, a pupil left). The due dates never
    move; each stops sending reminders and shows as excused, with the reason. Returns how many changed."""
    if not reason.strip():
        raise ValidationError({"reason": "Say which exception applies and why."})
    by_type: dict[int, list[str]] = {}
    for source in sources:
        by_type.setdefault(ContentType.objects.get_for_model(source).pk, []).append(str(source.pk))
    if not by_type:
        return 0
    condition = Q()
    for type_id, ids in by_type.items():
        condition |= Q(source_type_id=type_id, source_id__in=ids)
    open_rows = Deadline.objects.filter(condition, status=DeadlineStatus.OPEN)
    if kinds is not None:
        open_rows = open_rows.filter(kind__in=[_kind_key(kind) for kind in kinds])
    changed = 0
    with transaction.atomic():
        # save() per row, not update(), so each excuse gets its audit row.
        for deadline in open_rows.select_for_update():
            deadline.status = DeadlineStatus.EXCUSED
            deadline.excused_reason = reason
            deadline.save(update_fields=["status", "excused_reason", "updated_at"])
            changed += 1
    return changed


def deadline_excuse(*, deadline: Deadline, reason: str) -> Deadline:
    """Excuse one deadline row a person chose (see deadline_excuse_record). The due date never moves; the
    deadline stops sending reminders and shows as excused, with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": "Say which exception applies and why."})
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if deadline.status == DeadlineStatus.OPEN:
            deadline.status = DeadlineStatus.EXCUSED
            deadline.excused_reason = reason
            deadline.save(update_fields=["status", "excused_reason", "updated_at"])
    return deadline


# --- Excusing with an audit actor, reminders, daily digests and calendar feed tokens ---------------------------

logger = logging.getLogger(__name__)

# Errors worth a retry: the mail server dropped us, refused for now, or the network blinked. Anything else
# (a template error, a missing row) is a bug and is never retried.
TRANSIENT_SEND_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, ConnectionError, OSError)
# A reminder the sweep finds recorded but never claimed after this long lost its task: queue it again.
REQUEUE_AFTER = timedelta(minutes=15)
MAX_SEND_ATTEMPTS = 10
_CHUNK = 1000


class TransientSendError(Exception):
    """A send failed for a reason that may pass (SMTP, connection); the claim has been released."""


def deadline_excuse_record(*, deadline: Deadline, reason: str, actor: User) -> Deadline:
    """The SENCO records that an exception in the Regulations may apply (deadline_excuse, with the actor named
    in the audit log). The date never moves; excusing twice changes nothing."""
    with audited(actor):
        return deadline_excuse(deadline=deadline, reason=reason)


def _staff_by_school(school_ids: Iterable) -> tuple[dict, dict]:
    """SENCO and head user ids of each school, in one query."""
    sencos: dict = {}
    heads: dict = {}
    rows = Membership.objects.filter(
        school_id__in=set(school_ids), role__in=[Role.SENCO, Role.HEAD], user__is_active=True
    ).values_list("school_id", "role", "user_id")
    for school_id, role, user_id in rows:
        (sencos if role == Role.SENCO else heads).setdefault(school_id, []).append(user_id)
    return sencos, heads


def _insert_new(model, rows: list) -> list[uuid.UUID]:
    """Insert rows, skipping any whose unique key already exists, and return the ids of those inserted.

    Ids are made here, so the rows that exist afterwards with one of our ids are exactly the ones this call
    inserted: a concurrent sweep's insert of the same key waits for ours to commit, then skips (or the other
    way round), and each key is claimed by one sweep only."""
    model.objects.bulk_create(rows, batch_size=_CHUNK, ignore_conflicts=True)
    ids = [row.pk for row in rows]
    inserted: list[uuid.UUID] = []
    for start in range(0, len(ids), _CHUNK):
        inserted += model.objects.filter(pk__in=ids[start : start + _CHUNK]).values_list("pk", flat=True)
    return inserted


def _fan_out(task_name: str, ids: list[str]) -> None:
    """Queue one small task per id."""
    from . import tasks  # tasks import services; import here to keep the graph one-way

    task = getattr(tasks, task_name)
    # One producer (one broker connection) for the whole fan-out, not one pool checkout per message.
    with task.app.producer_or_acquire() as producer:
        for item in ids:
            task.apply_async((item,), producer=producer)


def _queue_on_commit(task_name: str, ids: Iterable[uuid.UUID]) -> None:
    # robust: a broker hiccup while queueing is logged, never raised into the request or task that committed;
    # the next sweep re-queues any reminder left unclaimed.
    transaction.on_commit(partial(_fan_out, task_name, [str(item) for item in ids]), robust=True)


def reminders_record(*, now: datetime) -> list[uuid.UUID]:
    """The sweep: record every reminder that has come due, once, and queue one small send task for each.

    Candidates come from the partial index on open deadlines (one query: due within the look-ahead, or
    overdue); the pure rules (deadlines.rules) decide which kinds are due today and for whom. Rows are
    bulk-inserted with ignore_conflicts against the unique (deadline, kind, for_date, recipient), so a second
    sweep, a retried task or two beat processes record nothing new. Reminders recorded earlier whose task
    was lost are queued again; the send's conditional claim makes that harmless. Returns the new ids."""
    today = timezone.localdate(now)
    horizon = today + timedelta(days=rules.LOOKAHEAD_DAYS)
    with transaction.atomic():
        candidates = list(
            Deadline.objects.filter(status=DeadlineStatus.OPEN, due_on__lte=horizon).values_list(
                "pk", "school_id", "party", "due_on", "responsible_id"
            )
        )
        sencos, heads = _staff_by_school({row[1] for row in candidates})
        # Keys already recorded, so a sweep with nothing new inserts nothing. Only an optimisation: the unique
        # constraint, not this read, is what keeps a concurrent sweep from recording a key twice.
        existing = set(
            Reminder.objects.filter(deadline__status=DeadlineStatus.OPEN, deadline__due_on__lte=horizon)
            .filter(Q(for_date__gte=rules.oldest_for_date(today)) | Q(kind=rules.ReminderKind.ESCALATION))
            .values_list("deadline_id", "kind", "for_date", "recipient_id")
        )
        rows = []
        for deadline_id, school_id, party, due_on, responsible_id in candidates:
            for due in rules.reminders_due(due_on=due_on, today=today, party=party):
                for user_id in rules.reminder_recipients(
                    due.kind,
                    responsible_id=responsible_id,
                    senco_ids=sencos.get(school_id, ()),
                    head_ids=heads.get(school_id, ()),
                ):
                    if (deadline_id, due.kind, due.for_date, user_id) not in existing:
                        rows.append(
                            Reminder(
                                id=uuid.uuid4(),
                                deadline_id=deadline_id,
                                kind=due.kind,
                                for_date=due.for_date,
                                recipient_id=user_id,
                            )
                        )
        new_ids = _insert_new(Reminder, rows) if rows else []
        lost = list(
            Reminder.objects.filter(
                sent_at__isnull=True,
                claimed_at__isnull=True,
                cancelled_at__isnull=True,
                created_at__lt=now - REQUEUE_AFTER,
                attempts__lt=MAX_SEND_ATTEMPTS,
            ).values_list("pk", flat=True)[:_CHUNK]
        )
        _queue_on_commit("reminder_send_task", [*new_ids, *lost])
    logger.info(
        "deadline sweep: %d candidates, %d new reminders, %d re-queued", len(candidates), len(new_ids), len(lost)
    )
    return new_ids


def _claim(model, pk, now: datetime) -> bool:
    """Claim one unsent row for sending; True only for the single caller whose update changed it."""
    return (
        model.objects.filter(pk=pk, sent_at__isnull=True, claimed_at__isnull=True, cancelled_at__isnull=True).update(
            claimed_at=now, attempts=F("attempts") + 1
        )
        == 1
    )


def _send_claimed(model, pk, build: Callable[[], object | None], now: datetime) -> bool:
    """Send the message `build` makes for a claimed row and mark it sent; release the claim on a transient
    error (so the retry can claim it again) and raise TransientSendError. `build` returning None cancels."""
    message = build()
    if message is None:
        model.objects.filter(pk=pk).update(cancelled_at=now)
        return False
    try:
        message.send()  # type: ignore[attr-defined]
    except TRANSIENT_SEND_ERRORS as error:
        model.objects.filter(pk=pk).update(claimed_at=None)
        raise TransientSendError(f"{model.__name__} {pk}: {type(error).__name__}") from error
    model.objects.filter(pk=pk).update(sent_at=timezone.now())
    return True


def reminder_send(*, reminder_id: uuid.UUID | str, now: datetime) -> bool:
    """Send one reminder exactly once: claim it with a conditional update (go on only if this call changed
    the row), send, set sent_at. A reminder already sent, being sent, or cancelled is left alone; one whose
    deadline has closed, or whose recipient has no email address, is cancelled. Returns True if sent."""
    from . import emails

    if not _claim(Reminder, reminder_id, now):
        return False
    reminder = Reminder.objects.select_related("deadline__pupil", "deadline__school", "recipient").get(pk=reminder_id)

    def build():
        recipient = reminder.recipient
        if reminder.deadline.status != DeadlineStatus.OPEN or not recipient.email or not recipient.is_active:
            return None
        return emails.reminder_message(reminder, today=timezone.localdate(now))

    return _send_claimed(Reminder, reminder.pk, build, now)


def digests_record(*, now: datetime) -> list[uuid.UUID]:
    """Record today's digest for every person with an open deadline overdue or due within 14 days (the person
    responsible, else the school's SENCOs), once per person per day, and queue one send task for each."""
    from .models import DUE_SOON_DAYS

    today = timezone.localdate(now)
    with transaction.atomic():
        candidates = list(
            Deadline.objects.filter(
                status=DeadlineStatus.OPEN, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
            ).values_list("school_id", "responsible_id")
        )
        sencos, _heads = _staff_by_school({school_id for school_id, _r in candidates})
        user_ids: set[int] = set()
        for school_id, responsible_id in candidates:
            user_ids.update(
                rules.reminder_recipients(
                    rules.ReminderKind.DUE,
                    responsible_id=responsible_id,
                    senco_ids=sencos.get(school_id, ()),
                    head_ids=(),
                )
            )
        rows = [DigestSent(id=uuid.uuid4(), user_id=user_id, for_date=today) for user_id in sorted(user_ids)]
        new_ids = _insert_new(DigestSent, rows)
        _queue_on_commit("digest_send_task", new_ids)
    return new_ids


def digest_send(*, digest_id: uuid.UUID | str, now: datetime) -> bool:
    """Send one person's digest for the day exactly once (claim, send, mark sent); nothing to list, or no
    email address, cancels it. Returns True if sent."""
    from . import emails, selectors

    if not _claim(DigestSent, digest_id, now):
        return False
    digest = DigestSent.objects.select_related("user").get(pk=digest_id)

    def build():
        if not digest.user.email or not digest.user.is_active:
            return None
        items = list(selectors.deadlines_for_user(digest.user, today=digest.for_date, days=rules.LOOKAHEAD_DAYS))
        if not items:
            return None
        return emails.digest_message(digest.user, items, today=digest.for_date)

    return _send_claimed(DigestSent, digest.pk, build, now)


def calendar_feed_token_issue(*, user: User, actor: User) -> CalendarFeedToken:
    """Issue a new private calendar feed address for `user`, revoking any live one (the old address stops
    working at once)."""
    with audited(actor):
        _revoke_live_tokens(user)
        token = CalendarFeedToken(user=user, token=secrets.token_urlsafe(32))
        token.full_clean()
        token.save()
    return token


def calendar_feed_token_revoke(*, user: User, actor: User) -> None:
    """Revoke `user`'s calendar feed address; revoking when none is live changes nothing."""
    with audited(actor):
        _revoke_live_tokens(user)


def _revoke_live_tokens(user: User) -> None:
    # save() rather than update() so each revocation gets its audit row.
    for live in CalendarFeedToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True):
        live.revoked_at = timezone.now()
        live.save(update_fields=["revoked_at"])
