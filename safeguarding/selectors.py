"""Reads of child protection files. Callers have already asked safeguarding/access.py; every function here
takes the school or file it may read, never a user's whole world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from deadlines.models import Deadline, DeadlineStatus
from pupils.models import Membership, RegisterEntry, Role, School

from . import kinds, rules
from .models import (
    AccessEvent,
    BodyMark,
    BodySide,
    Category,
    ChildFile,
    Entry,
    EntryKind,
    IncomingFile,
    Share,
    StatusFlag,
    Transfer,
)


def _current(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    return entries.filter(superseded_by__isnull=True)


def chronology(file: ChildFile, *, only: set | None = None) -> list[Entry]:
    """The file's entries in the order the events happened (a back-dated entry lands in its place), current
    versions only; each carries `.history` (the versions it replaced, newest first) and its body-map marks.
    With `only` (entry ids shared one by one), just those entries, their corrections and their follow-ups."""
    entries = list(
        Entry.objects.filter(file=file)
        .select_related("recorded_by", "owner", "decided_by", "category", "related", "supersedes")
        .prefetch_related(Prefetch("marks", queryset=BodyMark.objects.order_by("side", "row", "column")))
        .annotate(has_done=Exists(Entry.objects.filter(related=OuterRef("pk"), kind=EntryKind.ACTION_DONE)))
        .annotate(has_response=Exists(Entry.objects.filter(related=OuterRef("pk"), kind=EntryKind.REFERRAL_RESPONSE)))
        .annotate(is_triaged=Exists(Entry.objects.filter(related=OuterRef("pk"), kind=EntryKind.TRIAGE)))
        .order_by("occurred_at", "recorded_at")
    )
    by_id = {entry.pk: entry for entry in entries}
    superseded = {entry.supersedes_id for entry in entries if entry.supersedes_id}
    current = []
    for entry in entries:
        if entry.pk in superseded:
            continue
        history, previous = [], entry.supersedes_id
        while previous:
            history.append(by_id[previous])
            previous = by_id[previous].supersedes_id
        entry.history = history
        if only is None or {entry.pk, entry.related_id, *(old.pk for old in history)} & only:
            current.append(entry)
    return current


def file_summary(file: ChildFile, *, today: date) -> dict:
    """What the DSL sees beside the chronology: the child's statuses, their SEND status and the SENCO's name,
    shares, transfers and files received, and whether the SENCO still has to be told of an incoming file."""
    pupil = file.pupil
    register = RegisterEntry.objects.filter(pupil=pupil, ended_on__isnull=True).select_related("primary_need").first()
    sencos = [
        m.user for m in Membership.objects.filter(school_id=file.school_id, role=Role.SENCO).select_related("user")
    ]
    incoming = list(IncomingFile.objects.filter(file=file).defer("content").select_related("recorded_by"))
    senco_told = Entry.objects.filter(file=file, kind=EntryKind.SENCO_TOLD).exists()
    return {
        "flags": list(StatusFlag.objects.filter(file=file)),
        "register": register,
        "sencos": sencos,
        "shares": list(Share.objects.filter(file=file).select_related("user", "granted_by")),
        "transfers": list(Transfer.objects.filter(file=file)),
        "incoming": incoming,
        "tell_senco": bool(incoming) and register is not None and not senco_told,
        "sides": BodySide.choices,
        "today": today,
    }


def concerns_new(school: School) -> list[Entry]:
    """The inbox: concerns not yet triaged, newest first, with their child (for the DSL team only)."""
    return list(
        _current(Entry.objects.filter(file__school=school, kind=EntryKind.CONCERN))
        .exclude(Exists(Entry.objects.filter(related=OuterRef("pk"), kind=EntryKind.TRIAGE)))
        .select_related("file__pupil__school_class", "recorded_by")
        .annotate(additions=Count("followups", filter=Q(followups__kind=EntryKind.ADDITION)))
        .order_by("-recorded_at")
    )


def actions_due(school: School, *, today: date) -> list[Deadline]:
    """Open safeguarding deadlines of the school (actions, chasing referrals, sending files), soonest first."""
    return list(
        Deadline.objects.filter(
            school=school, status=DeadlineStatus.OPEN, kind__in=[kind.key for kind in kinds.ALL_KINDS]
        )
        .select_related("pupil", "responsible")
        .order_by("due_on")
    )


def referrals_awaiting(school: School) -> list[Entry]:
    """Referrals with no response recorded yet, oldest first."""
    return list(
        _current(Entry.objects.filter(file__school=school, kind=EntryKind.REFERRAL))
        .exclude(Exists(Entry.objects.filter(related=OuterRef("pk"), kind=EntryKind.REFERRAL_RESPONSE)))
        .select_related("file__pupil")
        .order_by("occurred_at")
    )


def transfers_open(school: School) -> list[Transfer]:
    """Files still to send, or sent and awaiting the receipt, by due date."""
    return list(
        Transfer.objects.filter(file__school=school)
        .filter(Q(sent_on__isnull=True) | Q(received_on__isnull=True))
        .select_related("file__pupil")
        .order_by("due_on")
    )


def leavers_without_transfer(school: School) -> list[ChildFile]:
    """Children with a file whose leaving is recorded on their pupil record but whose file has no transfer
    yet: the DSL has to say where it goes (the 5-day clock starts when they do)."""
    return list(
        ChildFile.objects.filter(school=school, pupil__left_on__isnull=False)
        .exclude(Exists(Transfer.objects.filter(file=OuterRef("pk"))))
        .select_related("pupil")
        .order_by("pupil__left_on")
    )


def files_of_school(school: School) -> list[ChildFile]:
    return list(ChildFile.objects.filter(school=school).select_related("pupil").order_by("pupil__legal_surname"))


def access_log(file: ChildFile) -> QuerySet[AccessEvent]:
    """The file's who-viewed log, newest first."""
    return AccessEvent.objects.filter(file=file).select_related("user").order_by("-at")


def categories_of(school: School) -> QuerySet[Category]:
    return Category.objects.filter(school=school, is_active=True)


UNCATEGORISED = "Not yet categorised"


@dataclass(frozen=True)
class ConcernCounts:
    """Concerns counted by category and term, and nothing else: no child, no content, no date finer than a term.
    `counts[category][term]` is the number of concerns; callers suppress small numbers before showing them."""

    categories: list[str]  # the school's categories by name, then "Not yet categorised"
    terms: list[str]  # "Autumn 2026", oldest first
    counts: dict[str, dict[str, int]]


def concern_counts(school: School, *, starts_on: date | None = None, ends_on: date | None = None) -> ConcernCounts:
    """Concerns by category (from triage) and by the term the event happened in, for the school's terms that
    overlap the dates given (all its terms without them). Concerns not yet triaged count as "Not yet
    categorised". Three queries, whatever the number of concerns."""
    in_range = school.terms.order_by("starts_on")
    if starts_on is not None:
        in_range = in_range.filter(ends_on__gte=starts_on)
    if ends_on is not None:
        in_range = in_range.filter(starts_on__lte=ends_on)
    terms = list(in_range)
    columns = [f"{term.name} {term.starts_on:%Y}" for term in terms]
    rows = [category.name for category in Category.objects.filter(school=school).order_by("name")] + [UNCATEGORISED]
    counts: dict[str, dict[str, int]] = {}
    if not terms:
        return ConcernCounts(rows, columns, counts)
    concerns = (
        _current(Entry.objects.filter(file__school=school, kind=EntryKind.CONCERN))
        .filter(occurred_at__date__gte=terms[0].starts_on, occurred_at__date__lte=terms[-1].ends_on)
        .values_list("pk", "occurred_at", "followups__category__name", "followups__kind")
    )
    seen: dict = {}
    for pk, occurred_at, category, kind in concerns:
        if kind == EntryKind.TRIAGE and category:
            seen[pk] = (occurred_at, category)
        else:
            seen.setdefault(pk, (occurred_at, None))
    for occurred_at, category in seen.values():
        day = timezone.localdate(occurred_at)
        column = next(
            (label for term, label in zip(terms, columns, strict=True) if term.starts_on <= day <= term.ends_on), None
        )
        if column is None:
            continue
        row = category or UNCATEGORISED
        counts.setdefault(row, {}).setdefault(column, 0)
        counts[row][column] += 1
    return ConcernCounts(rows, columns, counts)


def counts_by_category_and_term(school: School) -> dict:
    """Concerns by category and term, anonymised for governors: small numbers suppressed by the school's one
    rule (rules.suppress_small_counts)."""
    found = concern_counts(school)
    table = rules.suppress_small_counts(found.counts, rows=found.categories, columns=found.terms)
    columns = [*found.terms, "Total"]
    return {
        "columns": columns,
        "rows": [(row, [table[row][c] for c in columns]) for row in [*found.categories, "Total"]],
    }
