"""The school's own statutory calendar that hangs off the pupils layer: telling parents that SEN provision is
being made (CFA s.68; CoP 6.48), opened for every pupil who goes onto SEN support.

It lives in the deadlines layer, not in pupils: pupils sits below deadlines and may not import it. The register
services stay free of deadlines; a daily sweep (and any area that records the parents told) opens the deadline
from the register entry, whose start day fixes the due date, so opening it a day later never moves it.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from pupils.models import Pupil, RegisterEntry, RegisterStatus, School
from send_mis.dates import add_school_days

from . import services
from .kinds import DeadlineKind, DeadlineSpec

PARENTS_TOLD_RULE = (
    "Parents told that SEN provision is being made for their child: no period in law; the school's setting, "
    "in school days from going onto SEN support (CFA 2014 s.68; CoP 6.48)"
)
PARENTS_TOLD = DeadlineKind("pupils.parents_told", "Tell the parents that SEN support has started", PARENTS_TOLD_RULE)


def _closures(school: School) -> list[tuple[date, date]]:
    return school.closures()


def parents_told_due(entry: RegisterEntry, school: School, closures: list[tuple[date, date]]) -> date:
    """The day parents must have been told: the school's number of school days after the SEN support entry
    started (school setting, default 10; weekends, bank holidays and closures not counted)."""
    return add_school_days(entry.started_on, school.parents_told_school_days, closures=closures)


def parents_told_open(*, entry: RegisterEntry) -> None:
    """Open (or re-date) the parents-told deadline of one SEN support register entry. Repeating it changes
    nothing; an entry for another status opens nothing."""
    if entry.status != RegisterStatus.SEN_SUPPORT:
        return
    school = entry.pupil.school
    services.deadlines_sync(
        source=entry,
        pupil=entry.pupil,
        specs=[DeadlineSpec(kind=PARENTS_TOLD, due_on=parents_told_due(entry, school, _closures(school)))],
    )


def parents_told_deadlines_open(*, school: School, today: date) -> int:
    """The daily sweep: open the parents-told deadline for every pupil on roll whose open register entry is SEN
    support (run daily; repeating it changes nothing). Returns the entries seen."""
    closures = _closures(school)
    entries = RegisterEntry.objects.filter(
        pupil__in=Pupil.objects.filter(school=school).on_roll(today),
        ended_on__isnull=True,
        status=RegisterStatus.SEN_SUPPORT,
    ).select_related("pupil")
    count = 0
    for entry in entries:
        services.deadlines_sync(
            source=entry,
            pupil=entry.pupil,
            specs=[DeadlineSpec(kind=PARENTS_TOLD, due_on=parents_told_due(entry, school, closures))],
        )
        count += 1
    return count


def parents_told_record(*, pupil: Pupil, told_on: date) -> None:
    """Parents were told on `told_on` (recorded by whichever area holds it, such as the support plan): the
    parents-told deadline of the pupil's SEN support entry that started on or before that day closes, opened
    first if the sweep has not reached it yet. Recording a corrected day moves the completion date."""
    entry = (
        RegisterEntry.objects.filter(pupil=pupil, status=RegisterStatus.SEN_SUPPORT, started_on__lte=told_on)
        .select_related("pupil__school")
        .order_by("-started_on")
        .first()
    )
    if entry is None:
        return
    with transaction.atomic():
        parents_told_open(entry=entry)
        services.deadline_reclose(source=entry, kind=PARENTS_TOLD, met_on=told_on)
