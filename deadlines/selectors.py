"""Reads of deadlines: scoped by school or by the user asking (pupils/access.py), related rows joined here.

Warnings are attached, never stored: a due date on a weekend, an England and Wales bank holiday or a school
closure day carries a warning (send_mis.dates.date_warnings); the date itself never moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, Func, Min, Model, OuterRef, Q, QuerySet, Subquery, UUIDField

from pupils import access
from pupils.history import HistoryEvent
from pupils.models import Pupil, RegisterEntry, RegisterStatus, Role, School, on_roll_q
from send_mis import statements
from send_mis.dates import Closure, date_warnings
from send_mis.paging import counted_rows, rows_and_count_of, windowed_rows

from . import school_duties
from .access import deadlines_visible_to
from .models import DUE_SOON_DAYS, CalendarFeedToken, Deadline, DeadlineState, DeadlineStatus, Party
from .rules import ESCALATE_AFTER_DAYS

PANEL_SIZE = 10


def _with_related(deadlines: QuerySet[Deadline]) -> QuerySet[Deadline]:
    return deadlines.select_related("pupil", "responsible").order_by("due_on", "pk")


def deadlines_overdue(school: School, *, today: date) -> QuerySet[Deadline]:
    """The school's open deadlines whose due date has passed, oldest first."""
    return _with_related(school.deadlines.filter(status=DeadlineStatus.OPEN, due_on__lt=today))


def deadlines_due_soon(school: School, *, today: date, days: int = DUE_SOON_DAYS) -> QuerySet[Deadline]:
    """The school's open deadlines due from today to `days` days ahead, soonest first."""
    return _with_related(
        school.deadlines.filter(status=DeadlineStatus.OPEN, due_on__gte=today, due_on__lte=today + timedelta(days=days))
    )


def deadlines_for_user(user, *, today: date, days: int | None = None) -> QuerySet[Deadline]:
    """The open deadlines `user` is responsible for, among those they may see: named as responsible, or, where
    nobody is named, as a SENCO of the school. Overdue first (ordered by due date), then the rest; with `days`,
    only those due by today + days (the digest's window)."""
    senco_schools = access.roles_of(user).schools_with({Role.SENCO})
    deadlines = (
        deadlines_visible_to(user)
        .filter(status=DeadlineStatus.OPEN)
        .filter(Q(responsible=user) | Q(responsible__isnull=True, school_id__in=senco_schools))
    )
    if days is not None:
        deadlines = deadlines.filter(due_on__lte=today + timedelta(days=days))
    return _with_related(deadlines).select_related("school")


def deadlines_for_pupil(pupil: Pupil) -> QuerySet[Deadline]:
    """Every deadline of one pupil, open or closed, by due date (the caller has checked the user may see it)."""
    return _with_related(pupil.deadlines.all())


def deadlines_in_range(school: School, start: date, end: date, *, user=None) -> QuerySet[Deadline]:
    """The school's deadlines due from `start` to `end` inclusive, open or closed; with `user`, only those
    that user may see."""
    deadlines = school.deadlines.filter(due_on__gte=start, due_on__lte=end)
    if user is not None:
        deadlines = deadlines.filter(pk__in=deadlines_visible_to(user).values("pk"))
    return _with_related(deadlines)


STATE_CHOICES = [
    ("open", "All open"),
    (DeadlineState.OVERDUE.value, "Overdue"),
    (DeadlineState.DUE_SOON.value, "Due in the next 14 days"),
    (DeadlineState.UPCOMING.value, "Upcoming"),
    (DeadlineState.MET.value, "Met"),
    (DeadlineState.MET_LATE.value, "Met late"),
    (DeadlineState.EXCUSED.value, "Excused"),
    ("all", "All"),
]


def _state_condition(state: str, today: date) -> Q:
    soon = today + timedelta(days=DUE_SOON_DAYS)
    return {
        "open": Q(status=DeadlineStatus.OPEN),
        DeadlineState.OVERDUE: Q(status=DeadlineStatus.OPEN, due_on__lt=today),
        DeadlineState.DUE_SOON: Q(status=DeadlineStatus.OPEN, due_on__gte=today, due_on__lte=soon),
        DeadlineState.UPCOMING: Q(status=DeadlineStatus.OPEN, due_on__gt=soon),
        DeadlineState.MET: Q(status=DeadlineStatus.MET, met_on__lte=F("due_on")),
        DeadlineState.MET_LATE: Q(status=DeadlineStatus.MET, met_on__gt=F("due_on")),
        DeadlineState.EXCUSED: Q(status=DeadlineStatus.EXCUSED),
    }.get(state, Q())


def deadlines_for_list(
    user,
    school: School,
    *,
    today: date,
    state: str = "open",
    party: str = "",
    kind: str = "",
    responsible=None,
) -> QuerySet[Deadline]:
    """The deadlines of one school the user may see, filtered for the deadline list."""
    deadlines = deadlines_visible_to(user).filter(school=school).filter(_state_condition(state, today))
    if party:
        deadlines = deadlines.filter(party=party)
    if kind:
        deadlines = deadlines.filter(kind=kind)
    if responsible is not None:
        deadlines = deadlines.filter(responsible=responsible)
    return _with_related(deadlines)


def list_key(user, school: School, *, today: date, chosen: dict) -> tuple:
    """What deadlines_for_list's statement is built from, as a key for keeping it (send_mis/statements.py): the
    school, the user and the roles their sight of deadlines comes from, the day and the filters chosen (a
    member of staff by id)."""
    return ("deadlines.list", school.pk, user.pk, access.roles_of(user).key, today, statements.chosen(chosen))


def deadline_kinds(school: School) -> list[tuple[str, str]]:
    """The kinds of deadline the school has, for the list's filter: (key, the title staff see), by title."""
    rows = school.deadlines.values("kind").annotate(label=Min("title")).order_by("label", "kind")
    return [(row["kind"], row["label"]) for row in statements.rows(rows, key=("deadlines.kinds", school.pk))]


def with_warnings(deadlines: Iterable[Deadline], *, today: date, closures: Iterable[Closure]) -> list[Deadline]:
    """Attach `current_state` and `warnings` (weekend, bank holiday, school closure) to each deadline."""
    closures = list(closures)
    rows = list(deadlines)
    for deadline in rows:
        deadline.current_state = deadline.state(today)  # type: ignore[attr-defined]
        deadline.warnings = date_warnings(deadline.due_on, closures=closures)  # type: ignore[attr-defined]
    return rows


def with_warnings_across_schools(deadlines: Iterable[Deadline], *, today: date) -> list[Deadline]:
    """As with_warnings, for deadlines of several schools (a person's own): one closures look-up per school."""
    rows = list(deadlines)
    closures_by_school: dict = {}
    for deadline in rows:
        if deadline.school_id not in closures_by_school:
            closures_by_school[deadline.school_id] = deadline.school.closures()
        deadline.current_state = deadline.state(today)  # type: ignore[attr-defined]
        deadline.warnings = date_warnings(  # type: ignore[attr-defined]
            deadline.due_on, closures=closures_by_school[deadline.school_id]
        )
    return rows


@dataclass(frozen=True)
class Panel:
    key: str
    heading: str
    count: int
    first: list[Deadline]


def deadline_panels(school: School, *, today: date) -> list[Panel]:
    """The dashboard's "Overdue" and "Due in the next 14 days" panels: counts and the first ten of each,
    with warnings. Three queries whatever the size of the school (each list's first ten with its count, read
    in due-date order from the index; the terms)."""
    closures = school.closures()
    panels = []
    for key, heading, deadlines in (
        ("overdue", "Overdue", deadlines_overdue(school, today=today)),
        ("due_soon", "Due in the next 14 days", deadlines_due_soon(school, today=today)),
    ):
        first, count = counted_rows(deadlines, PANEL_SIZE, key=("deadlines.panel", key, school.pk, today))
        panels.append(Panel(key, heading, count, with_warnings(first, today=today, closures=closures)))
    return panels


def calendar_feed_token_live(user) -> CalendarFeedToken | None:
    """The user's live calendar feed token, if they have one."""
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_owner(token: str):
    """The active user whose live feed token this is, else None (a revoked or unknown token)."""
    feed = (
        CalendarFeedToken.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return feed.user if feed else None


# --- By the record that started them ---------------------------------------------------------------------------


def deadlines_for_source(source: Model) -> QuerySet[Deadline]:
    """Every deadline the record `source` started, by due date then kind."""
    return Deadline.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk)
    ).order_by("due_on", "kind")


def deadlines_for_sources(sources: Iterable[Model]) -> QuerySet[Deadline]:
    """Every deadline started by any of `sources` (records of one model), by due date: one query."""
    sources = list(sources)
    if not sources:
        return Deadline.objects.none()
    return Deadline.objects.filter(
        source_type=ContentType.objects.get_for_model(sources[0]), source_id__in=[str(s.pk) for s in sources]
    ).order_by("due_on", "kind")


def source_ids_by_model(
    deadlines: Iterable[Deadline], models: Iterable[type[Model]]
) -> dict[type[Model], dict[str, list[Deadline]]]:
    """The deadlines grouped by the model and id of the record that started each (only those of `models`), so
    a caller can load those records in one query per model. Content types come from Django's cache."""
    type_ids = {ContentType.objects.get_for_model(model).pk: model for model in models}
    grouped: dict[type[Model], dict[str, list[Deadline]]] = {}
    for deadline in deadlines:
        model = type_ids.get(deadline.source_type_id)
        if model is not None:
            grouped.setdefault(model, {}).setdefault(deadline.source_id, []).append(deadline)
    return grouped


def history_events(pupil: Pupil, *, today: date) -> list[HistoryEvent]:
    """The pupil's deadlines for the SEND history: each with its state today and its rule."""
    return [
        HistoryEvent(deadline.due_on, "Deadline", f"{deadline.title}: {deadline.state(today).label}", deadline.rule)
        for deadline in statements.rows(pupil.deadlines.all(), key=("deadlines.history", pupil.pk))
    ]


# --- Landing pages: each role's duties -------------------------------------------------------------------------


@dataclass(frozen=True)
class Duties:
    overdue: list[Deadline]
    due_soon: list[Deadline]


def duties_of(user, school: School, *, today: date) -> Duties:
    """The open deadlines of one school `user` is responsible for (named, or the SENCO where nobody is), split
    into overdue and due in the next 14 days, with warnings. Two queries (the deadlines, the terms)."""
    rows = with_warnings(
        deadlines_for_user(user, today=today, days=DUE_SOON_DAYS).filter(school=school),
        today=today,
        closures=school.closures(),
    )
    return Duties(
        overdue=[d for d in rows if d.due_on < today],
        due_soon=[d for d in rows if d.due_on >= today],
    )


def escalations(school: School, *, today: date) -> QuerySet[Deadline]:
    """The school's own duties overdue long enough to have been escalated to the head (3 days: the reminder
    rules' escalation), oldest first. The LA's duties never escalate."""
    return _with_related(
        school.deadlines.filter(
            status=DeadlineStatus.OPEN,
            party=Party.SCHOOL,
            due_on__lte=today - timedelta(days=ESCALATE_AFTER_DAYS),
        )
    )


@dataclass(frozen=True)
class ParentsToldRow:
    entry: RegisterEntry
    due_on: date
    state: DeadlineState
    work_link: object = None  # set by the page that shows it (the top layer knows where the work is done)


class UuidText(Func):
    """A UUID column as the text `str(uuid)` gives, the form a deadline's source id is stored in: PostgreSQL's
    cast to text gives it; SQLite keeps a UUID as 32 hex digits, so the dashes go back in."""

    output_field = CharField()
    template = "CAST(%(expressions)s AS text)"

    def as_sqlite(self, compiler, connection, **extra_context):
        groups = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
        parts = " || '-' || ".join(f"substr(%(expressions)s, {start}, {length})" for start, length in groups)
        return self.as_sql(compiler, connection, template=f"lower({parts})", **extra_context)


class TextUuid(Func):
    """A deadline's source id (the text `str(uuid)` gives) as the UUID it names, to find the source row by its
    primary key: PostgreSQL casts it; SQLite keeps a UUID as its 32 hex digits, so the dashes come out."""

    output_field = UUIDField()
    template = "CAST(%(expressions)s AS uuid)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="replace(%(expressions)s, '-', '')", **extra_context)


@dataclass(frozen=True)
class ParentsNotTold:
    rows: list[ParentsToldRow]  # the first `limit`, oldest entry first
    total: int


def parents_not_told(
    school: School,
    *,
    today: date,
    pupil: Pupil | None = None,
    limit: int | None = None,
    on_sen_support: int | None = None,
) -> ParentsNotTold:
    """Open SEN support entries of pupils on roll (or of one pupil) whose parents are not yet recorded as told:
    the parents-told deadline open, or not yet opened by the daily sweep (then its due date is worked out the
    same way, from the entry's start, so it never moves). The first `limit` rows (all without one) and how many
    there are in all. One query however many entries (the rows shown, each with its deadline's due date, and the
    count), and one more for the terms when a row's deadline is not yet opened, so a school of 3,000 on SEN
    support builds ten rows, not 3,000, and reads no list of their ids.

    With `on_sen_support` (the school's pupils on roll on SEN support, which the dashboard's register counts
    have already) and a `limit`, the rows are read oldest first from the school's index of its open SEN support
    entries, stopping at `limit`, and the total is that many less those whose parents' deadline is settled,
    counted from those few deadlines in the same query: 14 ms to 2 at 20,000 pupils, where counting the list
    joins every pupil of the school."""
    told = Deadline.objects.filter(kind=school_duties.PARENTS_TOLD.key, school=school)
    if pupil is not None:
        told = told.filter(pupil=pupil)
    settled = told.exclude(status=DeadlineStatus.OPEN)
    open_on_roll = RegisterEntry.objects.filter(
        on_roll_q(today, via="pupil__"),
        school=school,
        ended_on__isnull=True,
        status=RegisterStatus.SEN_SUPPORT,
    )
    entries = (
        open_on_roll.filter(~Exists(settled.filter(source_id=UuidText(OuterRef("pk")))))
        # The open deadline's due date, looked up for the rows shown only.
        .annotate(told_due_on=Subquery(told.filter(source_id=UuidText(OuterRef("pk"))).values("due_on")[:1]))
        .select_related("pupil", "pupil__school_class")
        .order_by("started_on", "pk")
    )
    if pupil is not None:
        entries = entries.filter(pupil=pupil)
    if limit is None:
        shown = statements.rows(
            entries, key=("deadlines.parents_not_told", school.pk, today, getattr(pupil, "pk", None))
        )
        total = len(shown)
    elif on_sen_support is not None and pupil is None:
        # The rows with the count of those settled riding on each (none shown: nothing to subtract).
        settled_here = settled.filter(Exists(open_on_roll.filter(pk=TextUuid(OuterRef("source_id")))))
        shown, settled_count = rows_and_count_of(
            entries, limit, settled_here, key=("deadlines.parents_not_told", school.pk, today)
        )
        total = on_sen_support - settled_count if shown else 0
    else:
        shown, total = windowed_rows(entries, limit)  # sorted whole by start: counted in the same pass
    if not shown:
        return ParentsNotTold([], total)
    closures = None
    rows = []
    for entry in shown:
        due_on = entry.told_due_on  # the annotation above
        if due_on is None:
            closures = school.closures() if closures is None else closures
            due_on = school_duties.parents_told_due(entry, school, closures)
        probe = Deadline(due_on=due_on, status=DeadlineStatus.OPEN)
        rows.append(ParentsToldRow(entry=entry, due_on=due_on, state=probe.state(today)))
    return ParentsNotTold(rows, total)
