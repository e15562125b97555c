"""Draft plan consultations and EHC plans: issue, amend, teachers' confirmations, cease."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Model
from django.utils import timezone

from deadlines import services as deadlines
from pupils.models import Pupil
from pupils.services import audited

from .. import statutory
from ..kinds import DRAFT_VIEWS, LA_AMENDED_PLAN, LA_REASSESSMENT_FINAL_PLAN
from ..models import (
    PLAN_SECTIONS,
    AssessmentDecision,
    AssessmentOutcome,
    DraftPlanConsultation,
    EhcAssessment,
    EhcPlan,
    EhcPlanVersion,
    PlanReadConfirmation,
    PlanStatus,
    Recommendation,
    VersionReason,
)
from ._shared import (
    close_deadline,
    not_before,
    not_future,
    on,
    open_deadline,
    open_next_review,
    raise_errors,
    reclose_deadline,
)
from .assessment import assessment_outcome_record
from .transfer import phase_transfer_meet, phase_transfer_open

# --- Draft plan consultation -------------------------------------------------------------------


def draft_receive(
    *,
    pupil: Pupil,
    received_on: date,
    assessment: EhcAssessment | None = None,
    plan: EhcPlan | None = None,
    today: date,
    actor: User,
) -> DraftPlanConsultation:
    """Record a draft plan received for the school's views; the 15-day deadline opens (reg 13(1)(a))."""
    raise_errors(
        not_future(received_on, "received_on", "date the draft was received", today),
        not_before(
            received_on,
            assessment.requested_on if assessment else None,
            "received_on",
            "The draft cannot arrive before the assessment was requested.",
        ),
    )
    with audited(actor):
        draft = DraftPlanConsultation(
            pupil=pupil, received_on=received_on, assessment=assessment, plan=plan, created_by=actor
        )
        draft.full_clean()
        draft.save()
        open_deadline(
            DRAFT_VIEWS, source=draft, pupil=pupil, due_on=statutory.draft_views_due(received_on), responsible=actor
        )
    return draft


def draft_received_correct(
    *, draft: DraftPlanConsultation, received_on: date, today: date, actor: User
) -> DraftPlanConsultation:
    """Correct the day the draft arrived; the views deadline is re-computed."""
    raise_errors(
        not_future(received_on, "received_on", "date the draft was received", today),
        {"received_on": "The views were sent before this date."}
        if draft.submitted_on and draft.submitted_on < received_on
        else {},
    )
    with audited(actor):
        draft.received_on = received_on
        draft.full_clean()
        draft.save()
        open_deadline(DRAFT_VIEWS, source=draft, pupil=draft.pupil, due_on=statutory.draft_views_due(received_on))
    return draft


def draft_respond(
    *, draft: DraftPlanConsultation, response: str, submitted_on: date, today: date, actor: User
) -> DraftPlanConsultation:
    """Record the school's views on the draft as sent; the deadline closes on that day."""
    raise_errors(
        {} if response.strip() else {"response": "Write the school's views before recording them as sent."},
        not_future(submitted_on, "submitted_on", "date the views were sent", today),
        not_before(
            submitted_on,
            draft.received_on,
            "submitted_on",
            f"The views cannot be sent before the draft arrived on {on(draft.received_on)}.",
        ),
    )
    with audited(actor):
        draft.response, draft.submitted_on = response, submitted_on
        draft.full_clean()
        draft.save()
        reclose_deadline(DRAFT_VIEWS, source=draft, met_on=submitted_on)
    return draft


# --- EHC plan ----------------------------------------------------------------------------------


def _ask_teachers_to_confirm(version: EhcPlanVersion) -> None:
    plan = version.plan
    school_class = plan.pupil.school_class
    if not plan.names_school or school_class is None:
        return
    for teacher in school_class.teachers.all():
        PlanReadConfirmation.objects.get_or_create(version=version, teacher=teacher)


def _check_sections(sections: Mapping[str, str]) -> None:
    unknown = set(sections) - {field for field, _, _ in PLAN_SECTIONS}
    if unknown:
        raise ValueError(f"unknown plan sections: {sorted(unknown)}")


def plan_issue(
    *,
    pupil: Pupil,
    la_name: str,
    issued_on: date,
    names_school: bool,
    named_school: str,
    review_interval_months: int = statutory.ANNUAL_REVIEW_MONTHS,
    sections: Mapping[str, str],
    assessment: EhcAssessment | None = None,
    today: date,
    actor: User,
) -> EhcPlan:
    """Record a final EHC plan (version 1, sections A to K) and open the first annual review deadline
    (CFA s.44(1): within 12 months; for a child under five the caller may choose 3 to 6 months, CoP 9.178).
    When the plan names the school, each teacher of the pupil's class is asked to confirm they have read the
    summary. Linked to an assessment, it records the LA's final plan as issued that day. A pupil in one of the
    school's transfer year groups gets the phase-transfer deadline at once (reg 18), and the first review is
    brought forward to it where it would fall later. The SEND register is the SENCO's to change (the plan
    pages prompt for it)."""
    _check_sections(sections)
    raise_errors(
        not_future(issued_on, "issued_on", "issue date", today),
        not_before(issued_on, pupil.date_of_birth, "issued_on", "The issue date is before the pupil's date of birth."),
        {"__all__": "This pupil already has an active EHC plan: record an amendment instead."}
        if EhcPlan.objects.filter(pupil=pupil, status=PlanStatus.ACTIVE).exists()
        else {},
        {"review_interval_months": "Reviews are at least every 12 months and at most every 3."}
        if not 3 <= review_interval_months <= 12
        else {},
    )
    with audited(actor):
        plan = EhcPlan(
            pupil=pupil,
            assessment=assessment,
            la_name=la_name.strip() or pupil.school.la_name,
            issued_on=issued_on,
            names_school=names_school,
            named_school=named_school or (pupil.school.name if names_school else ""),
            review_interval_months=review_interval_months,
            created_by=actor,
        )
        plan.full_clean()
        plan.save()
        version = EhcPlanVersion(
            plan=plan, number=1, reason=VersionReason.ISSUED, issued_on=issued_on, created_by=actor, **sections
        )
        version.full_clean()
        version.save()
        _ask_teachers_to_confirm(version)
        phase_transfer_open(plan=plan, today=today)
        open_next_review(plan, source=plan, last_on=issued_on, actor=actor)
        if assessment is not None and not assessment.outcome:
            assessment_outcome_record(
                assessment=assessment, outcome=AssessmentOutcome.PLAN, outcome_on=issued_on, today=today, actor=actor
            )
    return plan


def plan_amend(
    *,
    plan: EhcPlan,
    issued_on: date,
    sections: Mapping[str, str],
    names_school: bool | None = None,
    named_school: str | None = None,
    next_school: str = "",
    today: date,
    actor: User,
) -> EhcPlanVersion:
    """Record an amended plan as a new version (the old one is kept). It meets the LA's amended-plan
    deadline (reg 22(3)) of any review that asked for the amendment and the LA's final plan after an agreed
    re-assessment (reg 27(2)); naming `next_school` for a phase transfer meets the phase-transfer deadline
    (reg 18). It asks the pupil's teachers to confirm they have read the new summary where the plan names
    the school."""
    _check_sections(sections)
    latest = plan.versions.order_by("-number").first()
    raise_errors(
        {"__all__": "This plan has ceased."} if plan.status != PlanStatus.ACTIVE else {},
        not_future(issued_on, "issued_on", "issue date", today),
        not_before(
            issued_on,
            latest.issued_on if latest else plan.issued_on,
            "issued_on",
            "An amendment cannot be dated before the version it replaces.",
        ),
    )
    with audited(actor):
        if names_school is not None:
            plan.names_school = names_school
        if named_school is not None:
            plan.named_school = named_school
        plan.full_clean()
        plan.save()
        version = EhcPlanVersion(
            plan=plan,
            number=(latest.number if latest else 0) + 1,
            reason=VersionReason.AMENDED,
            issued_on=issued_on,
            created_by=actor,
            **sections,
        )
        version.full_clean()
        version.save()
        _ask_teachers_to_confirm(version)
        for review in plan.reviews.filter(la_decision=Recommendation.AMEND, la_decision_on__lte=issued_on):
            close_deadline(LA_AMENDED_PLAN, source=review, met_on=issued_on)
        for request in plan.reassessments.filter(la_decision=AssessmentDecision.ASSESS, la_decision_on__lte=issued_on):
            close_deadline(LA_REASSESSMENT_FINAL_PLAN, source=request, met_on=issued_on)
        if next_school.strip():
            phase_transfer_meet(plan=plan, next_school=next_school.strip(), issued_on=issued_on)
    return version


def plan_read_confirm(*, version: EhcPlanVersion, actor: User) -> PlanReadConfirmation | None:
    """A teacher confirms they have read the plan summary. Confirming twice changes nothing; a teacher who
    was not asked (not teaching the pupil when the version was recorded) is asked now, then confirmed."""
    with audited(actor):
        confirmation, _ = PlanReadConfirmation.objects.select_for_update().get_or_create(version=version, teacher=actor)
        if confirmation.confirmed_at is None:
            confirmation.confirmed_at = timezone.now()
            confirmation.save(update_fields=["confirmed_at"])
    return confirmation


def _plan_sources(plan: EhcPlan) -> list[Model]:
    """The plan and every record hanging off it that can start a deadline: its reviews, its re-assessment
    requests, the draft amended plans sent for the school's views and its phase transfers."""
    return [plan, *plan.reviews.all(), *plan.reassessments.all(), *plan.drafts.all(), *plan.phase_transfers.all()]


def plan_cease(*, plan: EhcPlan, ceased_on: date, reason: str, today: date, actor: User) -> EhcPlan:
    """Record that the LA ceased the plan on `ceased_on` (CFA s.45; reg 31). Every open deadline of the plan,
    its reviews, re-assessment requests and draft amended plans no longer applies: each is excused with
    "EHC plan ceased on <date>" and the reason. Ceasing again on the same day changes nothing. The SEND
    register is the SENCO's to change and is not touched."""
    reason = (reason or "").strip()
    if plan.status == PlanStatus.CEASED:
        if plan.ceased_on == ceased_on or plan.ceased_on is None:
            return plan
        raise_errors({"ceased_on": f"This plan already ceased on {on(plan.ceased_on)}."})
    raise_errors(
        {} if reason else {"reason": "Say why the plan ceased (for example, the LA's decision after the review)."},
        not_future(ceased_on, "ceased_on", "date the plan ceased", today),
        not_before(
            ceased_on,
            plan.issued_on,
            "ceased_on",
            f"A plan cannot cease before it was issued on {on(plan.issued_on)}.",
        ),
    )
    with audited(actor):
        current = EhcPlan.objects.select_for_update().get(pk=plan.pk)
        if current.status == PlanStatus.CEASED:  # ceased by a concurrent request
            return current
        plan.status, plan.ceased_on, plan.ceased_reason = PlanStatus.CEASED, ceased_on, reason
        plan.full_clean()
        plan.save(update_fields=["status", "ceased_on", "ceased_reason", "updated_at"])
        deadlines.deadlines_excuse_for(
            sources=_plan_sources(plan), reason=f"EHC plan ceased on {on(ceased_on)}: {reason}"
        )
    return plan
