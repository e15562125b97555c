"""Reads of pupils and the SEND register, always scoped by the user asking (pupils/access.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, FilteredRelation, Q, QuerySet

from . import access
from .models import (
    BroadArea,
    ConcernStatus,
    NeedType,
    Pupil,
    PupilAccessGrant,
    RegisterEntry,
    RegisterStatus,
    School,
    SenConcern,
    YearGroup,
)

SMALL_NUMBER = 5  # counts below this are suppressed in anonymised reports


def with_register_status(pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
    """Annotate each pupil with their open register entry's status and needs (None when not on it).

    One LEFT JOIN on the open entry (at most one per pupil, a constraint), not a subquery per row and column:
    filtering or sorting 20,000 pupils by status is then one hash join."""
    return pupils.annotate(
        open_entry=FilteredRelation("register_entries", condition=Q(register_entries__ended_on__isnull=True)),
        register_status=F("open_entry__status"),
        primary_need_code=F("open_entry__primary_need_id"),
        secondary_need_code=F("open_entry__secondary_need_id"),
    )


def pupils_for_list(user, school: School, *, on: date) -> QuerySet[Pupil]:
    """The pupils of one school the user may see, on roll on `on`, with register status and class."""
    return with_register_status(
        access.pupils_visible_to(user).filter(school=school).on_roll(on).select_related("school_class")
    )


def pupils_taught_by(user, *, on: date) -> QuerySet[Pupil]:
    return with_register_status(
        Pupil.objects.filter(school_class__teachers=user).on_roll(on).select_related("school_class")
    ).order_by("school_class__name", "legal_surname", "legal_forename")


def open_entries_in(school: School, *, on: date) -> QuerySet[RegisterEntry]:
    """Open register entries of the pupils on roll: a join on the pupil (the planner estimates it well), not
    `pupil IN (SELECT ...)`, which it took for a dozen rows and scanned every pupil on roll per entry."""
    return RegisterEntry.objects.filter(ended_on__isnull=True, pupil__school=school, pupil__admitted_on__lte=on).filter(
        Q(pupil__left_on__isnull=True) | Q(pupil__left_on__gt=on)
    )


@dataclass(frozen=True)
class Tally:
    key: str | int | None
    label: str
    count: int


@dataclass(frozen=True)
class RegisterCounts:
    by_status: list[Tally]
    by_area: list[Tally]
    by_need: list[Tally]
    by_year: list[dict]
    statuses: list[tuple[str, str]]
    total_on_roll: int


def register_counts(school: School, *, on: date) -> RegisterCounts:
    """Counts of the open register by status, broad area, primary need, and year group by status: three
    queries whatever the size of the school (the open entries grouped by status, need and year at once; the
    need types; the pupils on roll by year), the rest added up here."""
    needs = list(NeedType.objects.all())
    area_of = {need.code: need.broad_area for need in needs}
    status_rows: Counter[str] = Counter()
    area_rows: Counter[str | None] = Counter()
    need_rows: Counter[str | None] = Counter()
    year_rows: dict[int, Counter[str]] = {}
    for status, need, year, n in (
        open_entries_in(school, on=on)
        .values_list("status", "primary_need_id", "pupil__year_group")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        status_rows[status] += n
        if status != RegisterStatus.MONITORING:  # needs and areas count pupils on SEN support or with a plan
            need_rows[need] += n
            area_rows[area_of.get(need)] += n
        year_rows.setdefault(year, Counter())[status] += n
    by_status = [Tally(s.value, s.label, status_rows.get(s.value, 0)) for s in RegisterStatus]
    by_area = [Tally(a.value, a.label, area_rows.get(a.value, 0)) for a in BroadArea]
    by_need = [Tally(n.code, n.name, need_rows.get(n.code, 0)) for n in needs]
    on_roll = dict(
        Pupil.objects.filter(school=school).on_roll(on).order_by().values_list("year_group").annotate(n=Count("pk"))
    )
    by_year = [
        {
            "year": year,
            "label": YearGroup(year).label,
            "counts": [(s.value, year_rows.get(year, Counter()).get(s.value, 0)) for s in RegisterStatus],
            "total": sum(year_rows.get(year, Counter()).values()),
        }
        for year in sorted(set(year_rows) | set(on_roll))
    ]
    total = sum(on_roll.values())
    return RegisterCounts(by_status, by_area, by_need, by_year, list(RegisterStatus.choices), total)


def suppress(count: int) -> str:
    """Small numbers could identify a child: show them as 'fewer than 5' (zero stays zero)."""
    if 0 < count < SMALL_NUMBER:
        return f"fewer than {SMALL_NUMBER}"
    return str(count)


def recent_register_changes(school: School, *, limit: int = 10) -> QuerySet[RegisterEntry]:
    return (
        RegisterEntry.objects.filter(pupil__school=school)
        .select_related("pupil", "primary_need", "created_by")
        .order_by("-created_at", "-started_on")[:limit]
    )


def concerns_open(school: School) -> QuerySet[SenConcern]:
    return (
        SenConcern.objects.filter(pupil__school=school, status=ConcernStatus.OPEN)
        .select_related("pupil", "pupil__school_class", "raised_by")
        .order_by("raised_at")
    )


def register_history(pupil: Pupil) -> QuerySet[RegisterEntry]:
    return pupil.register_entries.select_related("primary_need", "secondary_need", "created_by").order_by(
        "-started_on", "-created_at"
    )


def live_grants(pupil: Pupil) -> QuerySet[PupilAccessGrant]:
    return pupil.access_grants.filter(revoked_at__isnull=True).select_related("user", "granted_by")


def audit_entries(school: School, *, action: str | None = None):
    """The school's audit trail, newest first: changes (old and new values) and reads of pupil records."""
    from auditlog.models import LogEntry

    entries = (
        LogEntry.objects.filter(additional_data__school_id=str(school.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )
    if action and action.isdigit():
        entries = entries.filter(action=int(action))
    return entries


def disclosures_of(pupil):
    """Every logged download or sending of the pupil's documents, newest first, with who did it."""
    from .models import Disclosure

    return Disclosure.objects.filter(pupil=pupil).select_related("disclosed_by").order_by("-disclosed_at")
