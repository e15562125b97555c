"""Writes to deadlines. Other apps call these when they record the event that starts or ends a duty."""

from __future__ import annotations

import itertools
import logging
import secrets
import smtplib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from pupils.models import Membership, Role, Term
from pupils.services import audited

from . import rules
from .access import confidential_kind_prefixes
from .kinds import DeadlineKind, DeadlineSpec
from .models import CalendarFeedToken, Deadline, DeadlineStatus, DigestSent, Reminder


def _source_key(source: models.Model) -> dict:
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": str(source.pk)}


def _kind_key(kind: DeadlineKind | str) -> str:
    return kind.key if isinstance(kind, DeadlineKind) else kind


def deadlines_sync(*, source: models.Model, pupil=None, specs: Iterable[DeadlineSpec], school=None) -> list[Deadline]:
    """Open the deadline of each spec for the duty `source` started, or re-date it when the starting event's
    date was corrected: one row per (source, kind). Calling again with the same specs changes nothing; a
    closed deadline keeps its status (the caller reopens it where the duty is due again).

    A pupil's duty names the `pupil`; a duty of the school itself (a school-level deadline) names the `school`
    and no pupil."""
    if (pupil is None) == (school is None):
        raise ValueError("Name either the pupil or, for a school-level duty, the school.")
    school_id = pupil.school_id if pupil is not None else school.pk
    return [_open_one(source=source, pupil=pupil, school_id=school_id, spec=spec) for spec in specs]


def _open_one(*, source: models.Model, pupil, school_id, spec: DeadlineSpec) -> Deadline:
    kind = spec.kind
    values = {"due_on": spec.due_on, "title": kind.title, "rule": spec.rule, "party": kind.party}
    with transaction.atomic():
        deadline, created = Deadline.objects.select_for_update().get_or_create(
            **_source_key(source),
            kind=kind.key,
            defaults={"school_id": school_id, "pupil": pupil, "responsible": spec.responsible, **values},
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
# What publishing to an unreachable broker raises (kombu wraps most connection errors in OperationalError).
BROKER_ERRORS: tuple[type[BaseException], ...] = (KombuOperationalError, ConnectionError, OSError)
# A claim is a lease: a row claimed this long ago and still not sent belonged to a worker that died mid-send
# (killed, out of memory, the machine lost). The sweep releases it and queues it again. A live send never takes
# this long: the SMTP connection times out well before (EMAIL_TIMEOUT).
CLAIM_LEASE = timedelta(minutes=10)
# A row recorded this long ago and never claimed lost its task (the broker was down, or a message was dropped):
# shorter than the sweep's 15 minutes, so such rows go out on the first sweep after the broker returns.
REQUEUE_AFTER = timedelta(minutes=5)
MAX_SEND_ATTEMPTS = 10
# Ids per send task: one message per few hundred emails, not one per email.
SEND_BATCH_SIZE = 500
_CHUNK = 1000
# The key of the PostgreSQL advisory lock that makes two sweeps at once take turns ("SEND" in ASCII).
_SWEEP_LOCK = 0x53454E44


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
    """Queue the send task `task_name` once per batch of SEND_BATCH_SIZE ids, over one broker connection.

    A broker that cannot be reached is logged once and never raised: the rows stay recorded and unclaimed,
    and the first sweep after the broker returns queues them again (REQUEUE_AFTER)."""
    from . import tasks  # tasks import services; import here to keep the graph one-way

    task = getattr(tasks, task_name)
    queued = 0
    try:
        with task.app.producer_or_acquire() as producer:
            for start in range(0, len(ids), SEND_BATCH_SIZE):
                batch = ids[start : start + SEND_BATCH_SIZE]
                # retry=False: an outage fails fast instead of holding the sweep for the publish retry policy;
                # ignore_result: nobody reads the result, and subscribing to it retries the result store ~20 s.
                task.apply_async((batch,), producer=producer, retry=False, ignore_result=True)
                queued += len(batch)
    except BROKER_ERRORS as error:
        logger.warning(
            "broker unreachable (%s: %s): %d of %d rows wait for the next sweep",
            type(error).__name__,
            error,
            len(ids) - queued,
            len(ids),
        )


def _queue_on_commit(task_name: str, ids: Iterable[uuid.UUID]) -> None:
    """Queue the send tasks for `ids` once the transaction commits, so a worker never reads a row that is not
    there yet. A named function, not a functools.partial: Django logs a failed robust callback by its
    __qualname__, which a partial lacks."""
    queued = [str(item) for item in ids]
    if not queued:
        return

    def queue_send_tasks() -> None:
        _fan_out(task_name, queued)

    # robust: anything _fan_out does not already handle is logged, never raised into the sweep that committed.
    transaction.on_commit(queue_send_tasks, robust=True)


def _release_expired_claims(model, now: datetime) -> int:
    """Release the claims older than CLAIM_LEASE on rows not sent: their worker died mid-send."""
    return model.objects.filter(
        sent_at__isnull=True, cancelled_at__isnull=True, claimed_at__lt=now - CLAIM_LEASE
    ).update(claimed_at=None)


def _waiting(model, now: datetime) -> Q:
    """Rows recorded, never claimed (or released), not sent, older than REQUEUE_AFTER: their task was lost."""
    return Q(
        sent_at__isnull=True,
        claimed_at__isnull=True,
        cancelled_at__isnull=True,
        created_at__lt=now - REQUEUE_AFTER,
        attempts__lt=MAX_SEND_ATTEMPTS,
    )


def _school_day_rules(school_ids: Iterable) -> dict:
    """Each school's school-day rule (weekends, bank holidays, and the closures between its terms), from one
    query of the terms."""
    terms: dict = defaultdict(list)
    for school_id, starts_on, ends_on in Term.objects.filter(school_id__in=set(school_ids)).values_list(
        "school_id", "starts_on", "ends_on"
    ):
        terms[school_id].append((starts_on, ends_on))
    day = timedelta(days=1)
    result = {}
    for school_id in set(school_ids):
        ordered = sorted(terms[school_id])
        closures = [
            (earlier_end + day, later_start)
            for (_s, earlier_end), (later_start, _e) in itertools.pairwise(ordered)
            if later_start > earlier_end + day
        ]
        result[school_id] = rules.school_day_rule(closures=closures)
    return result


def _open_schools_and_horizon(today: date) -> tuple[dict, date]:
    """The school-day rule of every school with an open deadline, and the latest due date any of them needs
    looked at today (rules.lookahead_horizon: further ahead before a holiday)."""
    school_ids = set(Deadline.objects.filter(status=DeadlineStatus.OPEN).values_list("school_id", flat=True).distinct())
    school_days = _school_day_rules(school_ids)
    horizon = max(
        (rules.lookahead_horizon(today, rule) for rule in school_days.values()),
        default=today + timedelta(days=rules.LOOKAHEAD_DAYS),
    )
    return school_days, horizon


def _due_table(keys: Iterable[tuple], today: date, school_days: dict) -> list[tuple]:
    """(school_id, due_on, party, kind, for_date) for every reminder the pure rules call for today, per
    distinct school, due date and party: the rules run once per key, not once per deadline."""
    return [
        (school_id, due_on, party, str(due.kind), due.for_date)
        for school_id, due_on, party in keys
        for due in rules.reminders_due(due_on=due_on, today=today, party=party, is_school_day=school_days[school_id])
    ]


def _route_table() -> list[tuple[str, bool, str]]:
    """(kind, has_responsible, recipient group) for every kind, from rules.recipient_group."""
    return [
        (str(kind), has_responsible, str(rules.recipient_group(kind, has_responsible=has_responsible)))
        for kind in rules.ReminderKind
        for has_responsible in (True, False)
    ]


def _reminders_insert_sql(*, today: date, horizon: date, now: datetime, school_days: dict) -> list[uuid.UUID]:
    """PostgreSQL: record the due reminders in one INSERT ... SELECT ... RETURNING id.

    The SQL decides nothing itself: which reminders are due comes from rules.reminders_due, evaluated once per
    distinct (school, due date, party) of the open candidates and passed in as a table; whom each goes to comes from
    rules.recipient_group, also passed in as a table. The SQL only joins them to the deadlines and to the
    schools' active SENCOs and heads, and leaves out the keys already recorded (one hash anti-join with the
    reminders, so a repeat sweep inserts nothing).

    Two sweeps at once (a second beat process, a retried task) take turns on a transaction-level advisory lock:
    the second waits for the first to commit, and its INSERT, whose snapshot is taken after, sees every key the
    first recorded. So the insert needs no ON CONFLICT, whose speculative insertion costs about a third of a cold
    sweep. Should a key still collide (the unique constraint stands behind the anti-join), the insert is run
    again with ON CONFLICT DO NOTHING, and the sweep goes on. Rows go in in the unique index's order, so
    consecutive rows land on the same pages of it."""
    keys = (
        Deadline.objects.filter(status=DeadlineStatus.OPEN, due_on__lte=horizon)
        .values_list("school_id", "due_on", "party")
        .distinct()
    )
    due = _due_table(keys, today, school_days)
    if not due:
        return []
    route = _route_table()
    user_table = get_user_model()._meta.db_table
    sql = f"""
        WITH due (school_id, due_on, party, kind, for_date) AS (
            SELECT * FROM unnest(
                %(school)s::uuid[], %(due_on)s::date[], %(party)s::text[], %(kind)s::text[], %(for_date)s::date[]
            )
        ),
        route (kind, has_responsible, recipients) AS (
            SELECT * FROM unnest(%(route_kind)s::text[], %(route_has)s::boolean[], %(route_group)s::text[])
        ),
        picked AS (
            SELECT d.id AS deadline_id, d.school_id, d.responsible_id, d.kind AS duty, due.kind, due.for_date,
                   route.recipients
            FROM {Deadline._meta.db_table} d
            JOIN due ON due.school_id = d.school_id AND due.due_on = d.due_on AND due.party = d.party
            JOIN route ON route.kind = due.kind AND route.has_responsible = (d.responsible_id IS NOT NULL)
            WHERE d.status = %(open)s AND d.due_on <= %(horizon)s
        ),
        addressed AS (
            SELECT deadline_id, kind, for_date, responsible_id AS user_id FROM picked
            WHERE recipients = %(responsible)s
            UNION ALL
            SELECT p.deadline_id, p.kind, p.for_date, m.user_id
            FROM picked p
            JOIN {Membership._meta.db_table} m ON m.school_id = p.school_id
                AND m.role = CASE p.recipients WHEN %(sencos)s THEN %(senco_role)s ELSE %(head_role)s END
            JOIN {user_table} u ON u.id = m.user_id AND u.is_active
            WHERE p.recipients IN (%(sencos)s, %(heads)s) AND NOT (p.duty LIKE ANY(%(confidential)s::text[]))
        )
        INSERT INTO {Reminder._meta.db_table} (id, deadline_id, kind, for_date, recipient_id, created_at, attempts)
        SELECT gen_random_uuid(), a.deadline_id, a.kind, a.for_date, a.user_id, %(now)s, 0
        FROM addressed a
        WHERE NOT EXISTS (
            SELECT 1 FROM {Reminder._meta.db_table} r
            WHERE r.deadline_id = a.deadline_id AND r.kind = a.kind AND r.for_date = a.for_date
                AND r.recipient_id = a.user_id AND (r.for_date >= %(oldest)s OR r.kind = %(escalation)s)
        )
        ORDER BY a.deadline_id, a.kind, a.for_date, a.user_id
        {{on_conflict}}
        RETURNING id
    """
    params: dict[str, Any] = {
        "school": [row[0] for row in due],
        "due_on": [row[1] for row in due],
        "party": [row[2] for row in due],
        "kind": [row[3] for row in due],
        "for_date": [row[4] for row in due],
        "route_kind": [row[0] for row in route],
        "route_has": [row[1] for row in route],
        "route_group": [row[2] for row in route],
        "open": DeadlineStatus.OPEN.value,
        "horizon": horizon,
        "responsible": rules.RecipientGroup.RESPONSIBLE.value,
        "sencos": rules.RecipientGroup.SENCOS.value,
        "heads": rules.RecipientGroup.HEADS.value,
        "senco_role": Role.SENCO.value,
        "head_role": Role.HEAD.value,
        "now": now,
        "oldest": rules.oldest_for_date(today),
        "escalation": rules.ReminderKind.ESCALATION.value,
        "confidential": [prefix + "%" for prefix in confidential_kind_prefixes()],
    }
    with connection.cursor() as cursor:
        # The planner cannot see how many rows the rules' table will match, guesses a handful, and would probe
        # the reminders once per candidate; hash joins do the whole set in one pass. Local to this transaction.
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SWEEP_LOCK])
        try:
            with transaction.atomic():  # a savepoint: a collision rolls back this insert only
                cursor.execute(sql.replace("{on_conflict}", ""), params)
        except IntegrityError as error:
            logger.error("deadline sweep: a reminder key was already recorded (%s); recording the rest", error)
            cursor.execute(sql.replace("{on_conflict}", "ON CONFLICT DO NOTHING"), params)
        return [row[0] for row in cursor.fetchall()]


def _reminders_insert_portable(*, today: date, horizon: date, now: datetime, school_days: dict) -> list[uuid.UUID]:
    """Any database (the embedded SQLite mode): the same reminders as _reminders_insert_sql, built in Python
    from the same pure rules and bulk-inserted, skipping keys already recorded."""
    candidates = list(
        Deadline.objects.filter(status=DeadlineStatus.OPEN, due_on__lte=horizon).values_list(
            "pk", "school_id", "party", "due_on", "responsible_id", "kind"
        )
    )
    sencos, heads = _staff_by_school({row[1] for row in candidates})
    confidential = tuple(confidential_kind_prefixes())
    # Keys already recorded, so a sweep with nothing new inserts nothing. Only an optimisation: the unique
    # constraint, not this read, is what keeps a concurrent sweep from recording a key twice.
    existing = set(
        Reminder.objects.filter(deadline__status=DeadlineStatus.OPEN, deadline__due_on__lte=horizon)
        .filter(Q(for_date__gte=rules.oldest_for_date(today)) | Q(kind=rules.ReminderKind.ESCALATION))
        .values_list("deadline_id", "kind", "for_date", "recipient_id")
    )
    due_by_key = {
        key: rules.reminders_due(due_on=key[1], today=today, party=key[2], is_school_day=school_days[key[0]])
        for key in {(school_id, due_on, party) for _pk, school_id, party, due_on, _resp, _kind in candidates}
    }
    rows = []
    for deadline_id, school_id, party, due_on, responsible_id, duty in candidates:
        # A confidential duty (a safeguarding action) reminds only the person responsible: never the SENCOs or
        # the head, whom a reminder would tell that a child protection file exists.
        is_confidential = bool(confidential) and duty.startswith(confidential)
        for due in due_by_key[(school_id, due_on, party)]:
            for user_id in rules.reminder_recipients(
                due.kind,
                responsible_id=responsible_id,
                senco_ids=() if is_confidential else sencos.get(school_id, ()),
                head_ids=() if is_confidential else heads.get(school_id, ()),
            ):
                if (deadline_id, due.kind, due.for_date, user_id) not in existing:
                    rows.append(
                        Reminder(
                            id=uuid.uuid4(),
                            deadline_id=deadline_id,
                            kind=due.kind,
                            for_date=due.for_date,
                            recipient_id=user_id,
                            created_at=now,
                        )
                    )
    return _insert_new(Reminder, rows) if rows else []


def reminders_record(*, now: datetime) -> list[uuid.UUID]:
    """The sweep: record every reminder that has come due, once, and queue its sending in batches.

    Candidates are the open deadlines due within the look-ahead or overdue (the partial index on open ones);
    the pure rules (deadlines.rules) decide which kinds are due today and for whom, on each school's school
    days (weekends, bank holidays and its closures send nothing; a warning due on one goes the school day
    before). On PostgreSQL one
    set-based INSERT records them (_reminders_insert_sql); elsewhere they are built in Python and
    bulk-inserted. The unique (deadline, kind, for_date, recipient) means a second sweep, a retried task or
    two beat processes record nothing new.

    No reminder is lost: claims older than CLAIM_LEASE (a worker died mid-send) are released, and every row
    waiting unclaimed for longer than REQUEUE_AFTER (its task lost, or the broker down) is queued again with
    the new ones. The send's conditional claim makes a second task for the same row harmless. Returns the
    new ids."""
    today = timezone.localdate(now)
    record = _reminders_insert_sql if connection.vendor == "postgresql" else _reminders_insert_portable
    with transaction.atomic():
        school_days, horizon = _open_schools_and_horizon(today)
        new_ids = record(today=today, horizon=horizon, now=now, school_days=school_days)
        released = _release_expired_claims(Reminder, now) + _release_expired_claims(DigestSent, now)
        lost = list(Reminder.objects.filter(_waiting(Reminder, now)).values_list("pk", flat=True))
        lost_digests = list(
            DigestSent.objects.filter(_waiting(DigestSent, now), for_date=today).values_list("pk", flat=True)
        )
        _queue_on_commit("reminder_send_batch_task", [*new_ids, *lost])
        _queue_on_commit("digest_send_batch_task", lost_digests)
    logger.info(
        "deadline sweep: %d new reminders, %d claims expired, %d re-queued, %d digests re-queued",
        len(new_ids),
        released,
        len(lost),
        len(lost_digests),
    )
    return new_ids


def _claim(model, pk, now: datetime) -> bool:
    """Claim one unsent row for sending (a lease of CLAIM_LEASE); True only for the single caller whose
    conditional update changed it. A claim older than the lease is taken over: its worker died."""
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    return (
        model.objects.filter(claimable, pk=pk, sent_at__isnull=True, cancelled_at__isnull=True).update(
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
    """Send one reminder: claim it with a conditional update (go on only if this call changed the row), send,
    set sent_at. A reminder already sent, being sent, or cancelled is left alone; one whose deadline has
    closed, or whose recipient has no email address, is cancelled. Returns True if sent.

    What is guaranteed: no reminder is lost (a send that fails is released at once; a worker that dies holding
    a claim loses it after CLAIM_LEASE and the sweep queues the row again), and one is sent twice only if the
    worker dies after the mail server accepted the message and before sent_at was committed. Such a duplicate
    carries the same Message-ID (derived from the reminder's id), so mail clients and people can recognise
    it."""
    from . import emails

    if not _claim(Reminder, reminder_id, now):
        return False
    reminder = Reminder.objects.select_related(
        "deadline__pupil", "deadline__school", "deadline__responsible", "recipient"
    ).get(pk=reminder_id)

    def build():
        recipient = reminder.recipient
        if reminder.deadline.status != DeadlineStatus.OPEN or not recipient.email or not recipient.is_active:
            return None
        return emails.reminder_message(reminder, today=timezone.localdate(now))

    return _send_claimed(Reminder, reminder.pk, build, now)


def digests_record(*, now: datetime) -> list[uuid.UUID]:
    """Record today's digest for every person with an open deadline overdue or due within 14 days (the person
    responsible, else the school's SENCOs), once per person per day, and queue their sending in batches.

    Digests go on school days only: a school's deadlines count today only if today is a school day there (not a
    weekend, bank holiday or closure). Nothing is lost by a closed day: the next school day's digest lists
    every open deadline overdue or due within 14 days."""
    from .models import DUE_SOON_DAYS

    today = timezone.localdate(now)
    with transaction.atomic():
        candidates = list(
            Deadline.objects.filter(status=DeadlineStatus.OPEN, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
            .values_list("school_id", "responsible_id")
            .distinct()
        )
        school_days = _school_day_rules({school_id for school_id, _r in candidates})
        candidates = [row for row in candidates if school_days[row[0]](today)]
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
        rows = [
            DigestSent(id=uuid.uuid4(), user_id=user_id, for_date=today, created_at=now) for user_id in sorted(user_ids)
        ]
        new_ids = _insert_new(DigestSent, rows)
        _queue_on_commit("digest_send_batch_task", new_ids)
    return new_ids


def digest_send(*, digest_id: uuid.UUID | str, now: datetime) -> bool:
    """Send one person's digest for the day exactly once (claim, send, mark sent); nothing to list, or no
    email address, cancels it. Returns True if sent. The guarantee is reminder_send's: no loss, and a
    duplicate (with the same Message-ID) only after a crash between the mail server's acceptance and the
    commit of sent_at."""
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
        return emails.digest_message(digest.user, items, today=digest.for_date, digest_id=digest.pk)

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
