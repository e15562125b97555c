"""The school's own statutory calendar that hangs off the pupils layer: telling parents that SEN provision is
being made (CFA s.68; CoP 6.48), opened for every pupil who goes onto SEN support; and the school-level
duties with no pupil: the SENCO's qualification, the accessibility plan and the SEN information report.

It lives in the deadlines layer, not in pupils: pupils sits below deadlines and may not import it. The register
services stay free of deadlines; a daily sweep (and any area that records the parents told) opens the deadline
from the register entry, whose start day fixes the due date, so opening it a day later never moves it.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model

from pupils import school_statutory
from pupils.models import (
    AccessibilityPlan,
    Membership,
    Pupil,
    RegisterEntry,
    RegisterStatus,
    Role,
    School,
    SencoQualification,
    on_roll_q,
)
from send_mis.dates import add_school_days

from . import services
from .kinds import DeadlineKind, DeadlineSpec
from .models import Deadline, DeadlineStatus

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
        on_roll_q(today, via="pupil__"),
        school=school,  # the entry's own school: the index of a school's open SEN support entries
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


# --- The school's own annual and standing duties: school-level deadlines, with no pupil ----------------------
# Opened from the records the head keeps (pupils.school_setup) and from the SEN information report's
# publication (reports). The kind keys below are what other layers name.

SEN_INFORMATION_REPORT = DeadlineKind(
    "school.sen_information_report", "Publish the SEN information report", school_statutory.INFORMATION_REPORT_RULE
)
ACCESSIBILITY_PLAN = DeadlineKind(
    "school.accessibility_plan",
    "Agree and publish the next accessibility plan",
    school_statutory.ACCESSIBILITY_PLAN_RULE,
)
SENCO_QUALIFICATION = DeadlineKind(
    "school.senco_qualification", "The SENCO holds the NPQ for SENCOs", school_statutory.SENCO_QUALIFICATION_RULE
)
SCHOOL_LEVEL_KINDS = (SEN_INFORMATION_REPORT, ACCESSIBILITY_PLAN, SENCO_QUALIFICATION)


def _head_of(school: School):
    """The school's head (the first, where it has several), who answers for the SENCO's qualification."""
    membership = (
        Membership.objects.filter(school=school, role=Role.HEAD, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def senco_qualifications_sync(*, school: School, today: date) -> int:
    """Open (or re-date) the qualification deadline of every SENCO recorded for the school, due on the third
    anniversary of taking up the post, the head responsible; close it on the day a qualifying award was
    completed, reopen it if that award is corrected away. A record whose person is no longer a SENCO of the
    school is excused. Repeating it changes nothing. Returns the records seen."""
    head = _head_of(school)
    current = set(Membership.objects.filter(school=school, role=Role.SENCO).values_list("user_id", flat=True))
    records = list(SencoQualification.objects.filter(school=school))
    with transaction.atomic():
        for record in records:
            services.deadlines_sync(
                source=record,
                school=school,
                specs=[
                    DeadlineSpec(
                        kind=SENCO_QUALIFICATION,
                        due_on=school_statutory.senco_qualification_due(record.took_up_on),
                        responsible=head,
                    )
                ],
            )
            met_on = school_statutory.qualified_on(
                record.award, begun_on=record.begun_on, completed_on=record.completed_on
            )
            if met_on is not None:
                services.deadline_reclose(source=record, kind=SENCO_QUALIFICATION, met_on=met_on)
            elif record.senco_id not in current:
                services.deadlines_excuse_for(
                    sources=[record], kinds=[SENCO_QUALIFICATION], reason="No longer the school's SENCO."
                )
            else:
                services.deadline_reopen(source=record, kind=SENCO_QUALIFICATION)
    return len(records)


def accessibility_plans_sync(*, school: School, today: date) -> int:
    """Open the next accessibility plan's deadline from the school's latest plan (due on the last day of its
    3-year period; the person who holds it responsible, else the school's SENCOs); each earlier plan's
    deadline is met on the day of the plan that followed it. Returns the plans seen."""
    plans = list(AccessibilityPlan.objects.filter(school=school).select_related("held_by").order_by("plan_on"))
    with transaction.atomic():
        for plan, following in zip(plans, [*plans[1:], None][: len(plans)], strict=True):
            services.deadlines_sync(
                source=plan,
                school=school,
                specs=[
                    DeadlineSpec(
                        kind=ACCESSIBILITY_PLAN,
                        due_on=school_statutory.accessibility_plan_due(plan.plan_on),
                        responsible=plan.held_by,
                    )
                ],
            )
            if following is not None:
                services.deadline_reclose(source=plan, kind=ACCESSIBILITY_PLAN, met_on=following.plan_on)
    return len(plans)


def information_report_first_open(*, school: School) -> Deadline | None:
    """The first SEN information report's deadline, from the school's setting, until a report is published
    in send-mis (then each publication opens the next: information_report_published). Changing the setting
    re-dates it; clearing it excuses it."""
    published = Deadline.objects.filter(school=school, kind=SEN_INFORMATION_REPORT.key).exclude(
        source_type=ContentType.objects.get_for_model(School)
    )
    if published.exists():
        return None
    if school.information_report_first_due_on is None:
        services.deadlines_excuse_for(
            sources=[school], kinds=[SEN_INFORMATION_REPORT], reason="The school has not set a first date."
        )
        return None
    services.deadline_reopen(source=school, kind=SEN_INFORMATION_REPORT)
    return services.deadlines_sync(
        source=school,
        school=school,
        specs=[DeadlineSpec(kind=SEN_INFORMATION_REPORT, due_on=school.information_report_first_due_on)],
    )[0]


def information_report_published(*, school: School, source: Model, published_on: date) -> Deadline:
    """The SEN information report was published on `published_on` (a governor approved the version `source`):
    every open SEN information report deadline of the school is met that day, and the next one opens, due
    12 months later (school_statutory.information_report_due), started by this publication. Nobody is named
    responsible: it falls to the school's SENCOs. Publishing the same version again changes nothing."""
    with transaction.atomic():
        for deadline in Deadline.objects.filter(
            school=school, kind=SEN_INFORMATION_REPORT.key, status=DeadlineStatus.OPEN
        ).exclude(**_source_of(source)):
            services.deadline_close(source=deadline.source, kind=SEN_INFORMATION_REPORT, met_on=published_on)
        return services.deadlines_sync(
            source=source,
            school=school,
            specs=[
                DeadlineSpec(kind=SEN_INFORMATION_REPORT, due_on=school_statutory.information_report_due(published_on))
            ],
        )[0]


def _source_of(source: Model) -> dict:
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": str(source.pk)}


def school_calendar_sync(*, school: School, today: date) -> None:
    """Bring every school-level deadline of the school in step with its records (run after each change to
    them, and daily). Repeating it changes nothing."""
    with transaction.atomic():
        senco_qualifications_sync(school=school, today=today)
        accessibility_plans_sync(school=school, today=today)
        information_report_first_open(school=school)
