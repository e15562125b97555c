"""Reads of pupils and the SEND register, always scoped by the user asking (pupils/access.py)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, FilteredRelation, Q, QuerySet

from send_mis import statements
from send_mis.dates import format_long
from send_mis.suppression import Group, suppress_alone, suppress_counts

from . import access
from .models import (
    BroadArea,
    ConcernStatus,
    Contact,
    NeedType,
    Pupil,
    PupilAccessGrant,
    RegisterEntry,
    RegisterStatus,
    School,
    SenConcern,
    YearGroup,
)


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


def list_key(user, school: School, *, on: date, chosen: dict, by_name: bool) -> tuple:
    """What the pupil list's statement is built from, as a key for keeping it (send_mis/statements.py): the
    school, the user and the roles and grants their sight of pupils comes from (the grants are a subquery on the
    user), the day, the filters chosen and whether the list is in name order (no sort chosen)."""
    return ("pupils.list", school.pk, user.pk, access.roles_of(user).key, on, statements.chosen(chosen), by_name)


def pupils_taught_by(user, *, on: date) -> QuerySet[Pupil]:
    return with_register_status(
        Pupil.objects.filter(school_class__teachers=user).on_roll(on).select_related("school_class")
    ).order_by("school_class__name", "legal_surname", "legal_forename")


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

    def count_of(self, status: str) -> int:
        """Pupils on roll whose open register entry has `status` (one open entry per pupil)."""
        return next(tally.count for tally in self.by_status if tally.key == status)


def register_counts(school: School, *, on: date) -> RegisterCounts:
    """Counts of the open register by status, broad area, primary need, and year group by status: two queries
    whatever the size of the school (the need types; the pupils on roll grouped by year group and their open
    entry's status and need, read in one pass over the pupils), the rest added up here."""
    needs = statements.rows(NeedType.objects.all(), key=("pupils.need_types",))
    area_of = {need.code: need.broad_area for need in needs}
    status_rows: Counter[str] = Counter()
    area_rows: Counter[str | None] = Counter()
    need_rows: Counter[str | None] = Counter()
    year_rows: dict[int, Counter[str]] = {}
    on_roll: Counter[int] = Counter()
    # Every pupil on roll, with their open entry if they have one (at most one: a database constraint), so the
    # roll by year and the register come from the same rows.
    open_entry = FilteredRelation("register_entries", condition=Q(register_entries__ended_on__isnull=True))
    counted = (
        Pupil.objects.filter(school=school)
        .on_roll(on)
        .annotate(open_entry=open_entry)
        .values_list("year_group", "open_entry__status", "open_entry__primary_need_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    for year, status, need, n in statements.rows(counted, key=("pupils.register_counts", school.pk, on)):
        on_roll[year] += n
        if status is None:  # not on the register
            continue
        status_rows[status] += n
        if status != RegisterStatus.MONITORING:  # needs and areas count pupils on SEN support or with a plan
            need_rows[need] += n
            area_rows[area_of.get(need)] += n
        year_rows.setdefault(year, Counter())[status] += n
    by_status = [Tally(s.value, s.label, status_rows.get(s.value, 0)) for s in RegisterStatus]
    by_area = [Tally(a.value, a.label, area_rows.get(a.value, 0)) for a in BroadArea]
    by_need = [Tally(n.code, n.name, need_rows.get(n.code, 0)) for n in needs]
    by_year = [
        {
            "year": year,
            "label": YearGroup(year).label,
            "counts": [(s.value, year_rows.get(year, Counter()).get(s.value, 0)) for s in RegisterStatus],
            "total": sum(year_rows.get(year, Counter()).values()),
        }
        for year in sorted(on_roll)
    ]
    total = sum(on_roll.values())
    return RegisterCounts(by_status, by_area, by_need, by_year, list(RegisterStatus.choices), total)


def suppress(count: int) -> str:
    """A count shown on its own, in no visible sum: 1 to 4 as "fewer than 5" (send_mis.suppression)."""
    return suppress_alone(count).text


@dataclass(frozen=True)
class AnonymisedCounts:
    """The register counts as governors may see them: every cell's text after primary and secondary
    suppression (send_mis.suppression), so no total minus the cells shown gives a small number back."""

    by_status: list[tuple[str, str]]  # (label, text)
    by_area: list[tuple[str, str]]
    by_need: list[tuple[str, str, str]]  # (label, code, text)
    by_year: list[tuple[str, list[str]]]  # (year label, a text per status)
    statuses: list[tuple[str, str]]
    total_on_roll: str


def anonymised(counts: RegisterCounts) -> AnonymisedCounts:
    """Suppress the register summary as one set of sums: the pupils on SEN support and with EHC plans add up to
    the broad areas' counts and to the needs' counts; each year group's count of a status adds up to that
    status's count. The roll is not a sum of what is shown, so it stands alone."""
    statuses = [value for value, _label in counts.statuses]
    reported = [s for s in statuses if s != RegisterStatus.MONITORING]
    values: dict[Hashable, int] = {("status", t.key): t.count for t in counts.by_status}
    values |= {("area", t.key): t.count for t in counts.by_area}
    values |= {("need", t.key): t.count for t in counts.by_need}
    for row in counts.by_year:
        values |= {("year", row["year"], code): n for code, n in row["counts"]}
    # Not on the page itself, but worked out by adding SEN support and EHC plans: treated as known.
    values["reported"] = sum(values[("status", s)] for s in reported)
    groups: list[Group] = [
        ("reported", [("status", s) for s in reported]),
        ("reported", [("area", t.key) for t in counts.by_area]),
        ("reported", [("need", t.key) for t in counts.by_need]),
    ]
    groups += [(("status", s), [("year", row["year"], s) for row in counts.by_year]) for s in statuses]
    shown = suppress_counts(values, groups)  # the sums hold: SEN support and EHC plans need a primary need
    return AnonymisedCounts(
        by_status=[(t.label, shown[("status", t.key)].text) for t in counts.by_status],
        by_area=[(t.label, shown[("area", t.key)].text) for t in counts.by_area],
        by_need=[(t.label, str(t.key), shown[("need", t.key)].text) for t in counts.by_need],
        by_year=[(row["label"], [shown[("year", row["year"], s)].text for s in statuses]) for row in counts.by_year],
        statuses=counts.statuses,
        total_on_roll=suppress(counts.total_on_roll),
    )


def recent_register_changes(school: School, *, limit: int = 10) -> list[RegisterEntry]:
    """The latest entries made on the register: the pupil, the status and the primary need (one query, read
    from the school's own index of its entries, newest first)."""
    latest = (
        RegisterEntry.objects.filter(school=school)
        .select_related("pupil", "primary_need")
        .order_by("-created_at", "-started_on")[:limit]
    )
    return statements.rows(latest, key=("pupils.recent_register_changes", school.pk, limit))


def concerns_open(school: School) -> QuerySet[SenConcern]:
    """The school's SEN concerns waiting for the SENCO, oldest first."""
    return (
        SenConcern.objects.filter(pupil__school=school, status=ConcernStatus.OPEN)
        .select_related("pupil", "pupil__school_class", "raised_by")
        .order_by("raised_at")
    )


def first_concerns_open(school: School, *, limit: int) -> list[SenConcern]:
    """The oldest `limit` of concerns_open (the dashboard's panel)."""
    return statements.rows(concerns_open(school)[:limit], key=("pupils.concerns_open", school.pk, limit))


CONCERN_OUTCOME_DAYS = 60


def concerns_raised_by(user, school: School, *, today: date) -> QuerySet[SenConcern]:
    """The SEN concerns `user` raised in the school, among the pupils they may still see: those awaiting the
    SENCO, and those decided in the last 60 days with the outcome (the raiser is told what became of it).
    Newest first; one query."""
    since = today - timedelta(days=CONCERN_OUTCOME_DAYS)
    return (
        SenConcern.objects.filter(raised_by=user, pupil__school=school)
        .filter(pupil__in=access.pupils_visible_to(user).values("pk"))
        .filter(Q(status=ConcernStatus.OPEN) | Q(triaged_at__date__gte=since))
        .select_related("pupil", "pupil__school_class")
        .order_by("-raised_at")
    )


def register_history(pupil: Pupil) -> list[RegisterEntry]:
    """The pupil's register entries, latest first."""
    entries = pupil.register_entries.select_related("primary_need", "secondary_need", "created_by")
    return statements.rows(entries.order_by("-started_on", "-created_at"), key=("pupils.register_history", pupil.pk))


def contacts_of(pupil: Pupil) -> list[Contact]:
    return statements.rows(pupil.contacts.all(), key=("pupils.contacts", pupil.pk))


def concerns_about(pupil: Pupil) -> list[SenConcern]:
    """The SEN concerns raised about the pupil, with who raised each."""
    return statements.rows(pupil.sen_concerns.select_related("raised_by").all(), key=("pupils.concerns", pupil.pk))


def live_grants(pupil: Pupil) -> QuerySet[PupilAccessGrant]:
    return pupil.access_grants.filter(revoked_at__isnull=True).select_related("user", "granted_by")


def audit_entries(
    school: School,
    *,
    action: int | None = None,
    actor_id: int | None = None,
    pupil_id: uuid.UUID | None = None,
    since: date | None = None,
    until: date | None = None,
):
    """The school's audit trail, newest first: changes (old and new values) and reads of pupil records,
    narrowed by what was done, who did it, which pupil's record it touched (the pupil's own row or any row
    carrying their id) and the school's days from `since` to `until`, both included."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    entries = (
        LogEntry.objects.filter(additional_data__school_id=str(school.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )
    if action is not None:
        entries = entries.filter(action=action)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if pupil_id is not None:
        pupil_type = ContentType.objects.get_for_model(Pupil)
        entries = entries.filter(
            Q(content_type=pupil_type, object_pk=str(pupil_id)) | Q(additional_data__pupil_id=str(pupil_id))
        )
    if since is not None:
        entries = entries.filter(timestamp__date__gte=since)
    if until is not None:
        entries = entries.filter(timestamp__date__lte=until)
    return entries


def audit_people(school: School) -> list[tuple[str, str]]:
    """Everyone who holds or held a role in the school, for the audit log's filter: (user id, name). One query."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(memberships__school=school)
        .distinct()
        .order_by("last_name", "first_name", "username")
        .values_list("pk", "first_name", "last_name", "username")
    )
    return [(str(pk), f"{first} {last}".strip() or username) for pk, first, last, username in users]


def audit_pupils(school: School) -> list[tuple[str, str]]:
    """Every pupil of the school, leavers too, for the audit log's filter: (id, surname, forename, class, date
    of birth), so that pupils who share a name can be told apart. One query; the id, never the name, goes in
    the URL."""
    rows = (
        Pupil.objects.filter(school=school)
        .order_by("legal_surname", "legal_forename", "date_of_birth")
        .values_list("pk", "legal_surname", "legal_forename", "school_class__name", "date_of_birth", "left_on")
    )
    choices = []
    for pk, surname, forename, class_name, born, left_on in rows:
        where = "left" if left_on else (class_name or "no class")
        choices.append((str(pk), f"{surname}, {forename} ({where}, born {format_long(born)})"))
    return choices


def disclosures_of(pupil):
    """Every logged download or sending of the pupil's documents, newest first, with who did it."""
    from .models import Disclosure

    return Disclosure.objects.filter(pupil=pupil).select_related("disclosed_by").order_by("-disclosed_at")
