"""Every write to the EHC workflow: keyword-only arguments, an actor, a transaction, audit rows, deadlines.

Each service that records the event starting a duty opens its deadline (deadlines.services.deadline_open, with
the due date from ehc.statutory and the rule text from statutory.RULES); correcting that event's date calls
deadline_open again, which re-computes the due date; the service that records the duty done closes it. Audit
rows are written by django-auditlog (registered in ehc/apps.py) with the actor set by pupils.services.audited.
Deadline titles never name the pupil.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone

from deadlines.models import Deadline, DeadlineStatus, Party
from deadlines.services import deadline_close, deadline_excuse, deadline_open, deadline_reopen
from pupils.models import Pupil
from pupils.services import audited
from send_mis.dates import format_long

from . import statutory
from .models import (
    PLAN_SECTIONS,
    AnnualReview,
    AssessmentDecision,
    AssessmentOutcome,
    Disagreement,
    DraftPlanConsultation,
    EhcAssessment,
    EhcPlan,
    EhcPlanVersion,
    PlanReadConfirmation,
    PlanStatus,
    ReassessmentRequest,
    Recommendation,
    ReviewAdvice,
    ReviewInvitee,
    ReviewOutcomeProgress,
    VersionReason,
)
from .phases import transfer_deadline

# Deadline kinds: (kind, title, rule key). Titles say what is due, never whose.
ADVICE = ("ehc.advice", "Send the school's advice for the EHC needs assessment", "advice")
LA_ASSESSMENT_DECISION = ("ehc.la_assessment_decision", "LA to decide whether to assess", "la_assessment_decision")
LA_NO_PLAN_NOTICE = ("ehc.la_no_plan_notice", "LA to say if it will not issue a plan", "la_no_plan_notice")
LA_FINAL_PLAN = ("ehc.la_final_plan", "LA to issue the final EHC plan", "la_final_plan")
DRAFT_VIEWS = ("ehc.draft_views", "Send the school's views on the draft EHC plan", "draft_views")
ANNUAL_REVIEW = ("ehc.annual_review", "Hold the EHC plan annual review", "annual_review")
REVIEW_INVITATIONS = ("ehc.review_invitations", "Send the annual review invitations", "invitations")
REVIEW_CIRCULATION = (
    "ehc.review_advice_circulation",
    "Circulate the advice to everyone invited to the review",
    "advice_circulation",
)
REVIEW_REPORT = ("ehc.review_report", "Send the annual review report", "review_report")
LA_REVIEW_DECISION = ("ehc.la_review_decision", "LA to decide after the annual review", "la_review_decision")
PHASE_TRANSFER = ("ehc.phase_transfer", "Plan reviewed and amended before the phase transfer", "phase_transfer")
LA_AMENDED_PLAN = ("ehc.la_amended_plan", "LA to issue the final amended plan", "la_amended_plan")
LA_REASSESSMENT_DECISION = (
    "ehc.la_reassessment_decision",
    "LA to decide on the request to re-assess",
    "la_reassessment_decision",
)
UNDER_FIVE_RULE = " For a child under five the Code recommends a review every 3 to 6 months (CoP 9.178)."

User = AbstractBaseUser


# --- helpers -----------------------------------------------------------------------------------


def _open(
    spec: tuple[str, str, str],
    *,
    source: Model,
    pupil: Pupil,
    due_on: date,
    party: str = Party.SCHOOL,
    responsible: User | None = None,
    rule_suffix: str = "",
) -> Deadline:
    kind, title, rule_key = spec
    return deadline_open(
        source=source,
        kind=kind,
        pupil=pupil,
        due_on=due_on,
        title=title,
        rule=statutory.RULES[rule_key] + rule_suffix,
        party=party,
        responsible=responsible,
    )


def _close(spec: tuple[str, str, str], *, source: Model, met_on: date) -> None:
    deadline_close(source=source, kind=spec[0], met_on=met_on)


def _excuse(spec: tuple[str, str, str], *, source: Model, reason: str) -> None:
    deadline = Deadline.objects.filter(
        source_type__app_label=source._meta.app_label,
        source_type__model=source._meta.model_name,
        source_id=str(source.pk),
        kind=spec[0],
    ).first()
    if deadline is not None:
        deadline_excuse(deadline=deadline, reason=reason)


def _reclose(spec: tuple[str, str, str], *, source: Model, met_on: date) -> None:
    """Close, or move the completion date of a duty already closed (a corrected date)."""
    deadline_reopen(source=source, kind=spec[0])
    deadline_close(source=source, kind=spec[0], met_on=met_on)


def _not_future(value: date | None, field: str, what: str) -> dict[str, str]:
    if value is not None and value > timezone.localdate():
        return {field: f"The {what} cannot be in the future."}
    return {}


def _not_before(value: date | None, earliest: date | None, field: str, message: str) -> dict[str, str]:
    if value is not None and earliest is not None and value < earliest:
        return {field: message}
    return {}


def _raise(*errors: Mapping[str, str]) -> None:
    merged: dict[str, str] = {}
    for error in errors:
        for field, message in error.items():
            merged.setdefault(field, message)
    if merged:
        raise ValidationError(merged)


def _on(day: date) -> str:
    return format_long(day)


def is_under_five(pupil: Pupil, on: date) -> bool:
    return statutory.add_months(pupil.date_of_birth, 60) > on


# --- EHC needs assessment ----------------------------------------------------------------------


def _open_la_assessment_deadlines(assessment: EhcAssessment) -> None:
    for spec, due in (
        (LA_ASSESSMENT_DECISION, statutory.la_assessment_decision_due(assessment.requested_on)),
        (LA_NO_PLAN_NOTICE, statutory.la_no_plan_notice_due(assessment.requested_on)),
        (LA_FINAL_PLAN, statutory.la_final_plan_due(assessment.requested_on)),
    ):
        _open(spec, source=assessment, pupil=assessment.pupil, due_on=due, party=Party.LA)


def assessment_request(
    *, pupil: Pupil, requested_by: str, requested_on: date, la_name: str = "", actor: User
) -> EhcAssessment:
    """Record a request for an EHC needs assessment and open the LA's deadlines: its decision whether to
    assess (reg 5(1), 6 weeks), notice that it will not issue a plan (reg 10(1), 16 weeks) and the final
    plan (reg 13(2), 20 weeks), all as the LA's duties to chase."""
    _raise(
        _not_future(requested_on, "requested_on", "request date"),
        _not_before(
            requested_on, pupil.date_of_birth, "requested_on", "The request date is before the pupil's date of birth."
        ),
    )
    with audited(actor):
        assessment = EhcAssessment(
            pupil=pupil,
            requested_by=requested_by,
            requested_on=requested_on,
            la_name=la_name.strip() or pupil.school.la_name,
            created_by=actor,
        )
        assessment.full_clean()
        assessment.save()
        _open_la_assessment_deadlines(assessment)
    return assessment


def assessment_request_correct(
    *, assessment: EhcAssessment, requested_by: str, requested_on: date, la_name: str, actor: User
) -> EhcAssessment:
    """Correct who asked for the assessment and when; the LA's due dates are re-computed."""
    _raise(
        _not_future(requested_on, "requested_on", "request date"),
        _not_before(
            assessment.la_decision_on, requested_on, "requested_on", "The LA's decision is recorded before this date."
        ),
        _not_before(
            requested_on,
            assessment.pupil.date_of_birth,
            "requested_on",
            "The request date is before the pupil's date of birth.",
        ),
    )
    with audited(actor):
        assessment.requested_by, assessment.requested_on = requested_by, requested_on
        assessment.la_name = la_name.strip() or assessment.la_name
        assessment.full_clean()
        assessment.save()
        _open_la_assessment_deadlines(assessment)
    return assessment


def assessment_decision_record(
    *, assessment: EhcAssessment, decision: str, decided_on: date, actor: User
) -> EhcAssessment:
    """Record the LA's decision whether to assess; its deadline closes on that date (met late where it is
    after the 6 weeks). A decision not to assess makes the plan deadlines moot: they are excused with why."""
    _raise(
        {} if decision in AssessmentDecision.values else {"decision": "Choose the LA's decision."},
        _not_future(decided_on, "decided_on", "decision date"),
        _not_before(
            decided_on,
            assessment.requested_on,
            "decided_on",
            f"The decision cannot be before the request on {_on(assessment.requested_on)}.",
        ),
    )
    with audited(actor):
        assessment.la_decision, assessment.la_decision_on = decision, decided_on
        assessment.full_clean()
        assessment.save()
        _reclose(LA_ASSESSMENT_DECISION, source=assessment, met_on=decided_on)
        if decision == AssessmentDecision.NOT_ASSESS:
            reason = f"The LA decided on {_on(decided_on)} not to carry out an assessment."
            _excuse(LA_NO_PLAN_NOTICE, source=assessment, reason=reason)
            _excuse(LA_FINAL_PLAN, source=assessment, reason=reason)
        else:
            for spec in (LA_NO_PLAN_NOTICE, LA_FINAL_PLAN):
                if not assessment.outcome:
                    deadline_reopen(source=assessment, kind=spec[0])
    return assessment


def advice_request_receive(*, assessment: EhcAssessment, received_on: date, actor: User) -> EhcAssessment:
    """Record the day the LA's request for the school's advice arrived and open the school's 6-week advice
    deadline (reg 8(1)); recording a corrected day re-computes it."""
    _raise(
        _not_future(received_on, "received_on", "date the request was received"),
        _not_before(
            received_on,
            assessment.requested_on,
            "received_on",
            "The LA's request for advice cannot come before the assessment was requested on "
            f"{_on(assessment.requested_on)}.",
        ),
        {"received_on": "The advice was sent before this date; correct the date it was sent first."}
        if assessment.advice_submitted_on and assessment.advice_submitted_on < received_on
        else {},
    )
    with audited(actor):
        assessment.advice_received_on = received_on
        assessment.full_clean()
        assessment.save()
        _open(
            ADVICE,
            source=assessment,
            pupil=assessment.pupil,
            due_on=statutory.advice_due(received_on),
            responsible=actor,
        )
    return assessment


def advice_save(*, assessment: EhcAssessment, advice: str, actor: User) -> EhcAssessment:
    """Keep a draft of the school's advice without sending it."""
    with audited(actor):
        assessment.advice = advice
        assessment.full_clean()
        assessment.save(update_fields=["advice", "updated_at"])
    return assessment


def advice_submit(*, assessment: EhcAssessment, advice: str, submitted_on: date, actor: User) -> EhcAssessment:
    """Record the school's advice as sent to the LA on `submitted_on`; the advice deadline closes."""
    received = assessment.advice_received_on
    _raise(
        {} if advice.strip() else {"advice": "Write the advice before recording it as sent."},
        {"submitted_on": "Record when the LA's request for advice arrived first."} if received is None else {},
        _not_future(submitted_on, "submitted_on", "date the advice was sent"),
        _not_before(
            submitted_on,
            received,
            "submitted_on",
            f"The advice cannot be sent before the LA's request arrived on {_on(received)}." if received else "",
        ),
    )
    with audited(actor):
        assessment.advice, assessment.advice_submitted_on = advice, submitted_on
        assessment.full_clean()
        assessment.save()
        _reclose(ADVICE, source=assessment, met_on=submitted_on)
    return assessment


def assessment_outcome_record(
    *, assessment: EhcAssessment, outcome: str, outcome_on: date, actor: User
) -> EhcAssessment:
    """Record how the assessment ended: a final plan (the final-plan deadline closes, the no-plan notice is
    moot) or notice that no plan will be issued (the reverse)."""
    _raise(
        {} if outcome in AssessmentOutcome.values else {"outcome": "Choose the outcome."},
        _not_future(outcome_on, "outcome_on", "date"),
        _not_before(
            outcome_on,
            assessment.requested_on,
            "outcome_on",
            f"The outcome cannot be before the request on {_on(assessment.requested_on)}.",
        ),
    )
    with audited(actor):
        assessment.outcome, assessment.outcome_on = outcome, outcome_on
        assessment.full_clean()
        assessment.save()
        met, moot = (
            (LA_FINAL_PLAN, LA_NO_PLAN_NOTICE)
            if outcome == AssessmentOutcome.PLAN
            else (LA_NO_PLAN_NOTICE, LA_FINAL_PLAN)
        )
        _reclose(met, source=assessment, met_on=outcome_on)
        deadline_reopen(source=assessment, kind=moot[0])
        _excuse(moot, source=assessment, reason=f"{AssessmentOutcome(outcome).label} on {_on(outcome_on)}.")
    return assessment


def reassessment_request(
    *, plan: EhcPlan, requested_by: str, requested_on: date, reason: str = "", actor: User
) -> ReassessmentRequest:
    """Record a request that the LA re-assess; the LA's 15-day decision deadline opens (reg 25(1))."""
    _raise(
        _not_future(requested_on, "requested_on", "request date"),
        _not_before(requested_on, plan.issued_on, "requested_on", f"The plan was issued on {_on(plan.issued_on)}."),
    )
    with audited(actor):
        request = ReassessmentRequest(
            pupil=plan.pupil,
            plan=plan,
            requested_by=requested_by,
            requested_on=requested_on,
            reason=reason,
            created_by=actor,
        )
        request.full_clean()
        request.save()
        _open(
            LA_REASSESSMENT_DECISION,
            source=request,
            pupil=plan.pupil,
            party=Party.LA,
            due_on=statutory.la_reassessment_decision_due(requested_on),
        )
    return request


def reassessment_decision_record(
    *, request: ReassessmentRequest, decision: str, decided_on: date, actor: User
) -> ReassessmentRequest:
    """Record the LA's decision on a re-assessment request; its deadline closes."""
    _raise(
        {} if decision in AssessmentDecision.values else {"decision": "Choose the LA's decision."},
        _not_future(decided_on, "decided_on", "decision date"),
        _not_before(
            decided_on,
            request.requested_on,
            "decided_on",
            f"The decision cannot be before the request on {_on(request.requested_on)}.",
        ),
    )
    with audited(actor):
        request.la_decision, request.la_decision_on = decision, decided_on
        request.full_clean()
        request.save()
        _reclose(LA_REASSESSMENT_DECISION, source=request, met_on=decided_on)
    return request


# --- Draft plan consultation -------------------------------------------------------------------


def draft_receive(
    *,
    pupil: Pupil,
    received_on: date,
    assessment: EhcAssessment | None = None,
    plan: EhcPlan | None = None,
    actor: User,
) -> DraftPlanConsultation:
    """Record a draft plan received for the school's views; the 15-day deadline opens (reg 13(1)(a))."""
    _raise(
        _not_future(received_on, "received_on", "date the draft was received"),
        _not_before(
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
        _open(DRAFT_VIEWS, source=draft, pupil=pupil, due_on=statutory.draft_views_due(received_on), responsible=actor)
    return draft


def draft_received_correct(*, draft: DraftPlanConsultation, received_on: date, actor: User) -> DraftPlanConsultation:
    """Correct the day the draft arrived; the views deadline is re-computed."""
    _raise(
        _not_future(received_on, "received_on", "date the draft was received"),
        {"received_on": "The views were sent before this date."}
        if draft.submitted_on and draft.submitted_on < received_on
        else {},
    )
    with audited(actor):
        draft.received_on = received_on
        draft.full_clean()
        draft.save()
        _open(DRAFT_VIEWS, source=draft, pupil=draft.pupil, due_on=statutory.draft_views_due(received_on))
    return draft


def draft_respond(
    *, draft: DraftPlanConsultation, response: str, submitted_on: date, actor: User
) -> DraftPlanConsultation:
    """Record the school's views on the draft as sent; the deadline closes on that day."""
    _raise(
        {} if response.strip() else {"response": "Write the school's views before recording them as sent."},
        _not_future(submitted_on, "submitted_on", "date the views were sent"),
        _not_before(
            submitted_on,
            draft.received_on,
            "submitted_on",
            f"The views cannot be sent before the draft arrived on {_on(draft.received_on)}.",
        ),
    )
    with audited(actor):
        draft.response, draft.submitted_on = response, submitted_on
        draft.full_clean()
        draft.save()
        _reclose(DRAFT_VIEWS, source=draft, met_on=submitted_on)
    return draft


# --- EHC plan ----------------------------------------------------------------------------------


def plan_review_due(plan: EhcPlan, last_on: date) -> date:
    """The next review day for the plan: 12 months (CFA s.44(1)), or its shorter interval for an under-five."""
    if plan.review_interval_months == statutory.ANNUAL_REVIEW_MONTHS:
        return statutory.annual_review_due(last_on)
    return statutory.add_months(last_on, plan.review_interval_months)


def _open_next_review(plan: EhcPlan, *, source: Model, last_on: date, actor: User) -> None:
    suffix = UNDER_FIVE_RULE if plan.review_interval_months < statutory.ANNUAL_REVIEW_MONTHS else ""
    _open(
        ANNUAL_REVIEW,
        source=source,
        pupil=plan.pupil,
        due_on=plan_review_due(plan, last_on),
        responsible=actor,
        rule_suffix=suffix,
    )


def _ask_teachers_to_confirm(version: EhcPlanVersion) -> None:
    plan = version.plan
    if not plan.names_school or plan.pupil.school_class_id is None:
        return
    for teacher in plan.pupil.school_class.teachers.all():
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
    actor: User,
) -> EhcPlan:
    """Record a final EHC plan (version 1, sections A to K) and open the first annual review deadline
    (CFA s.44(1): within 12 months; for a child under five the caller may choose 3 to 6 months, CoP 9.178).
    When the plan names the school, each teacher of the pupil's class is asked to confirm they have read the
    summary. Linked to an assessment, it records the LA's final plan as issued that day."""
    _check_sections(sections)
    _raise(
        _not_future(issued_on, "issued_on", "issue date"),
        _not_before(issued_on, pupil.date_of_birth, "issued_on", "The issue date is before the pupil's date of birth."),
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
        _open_next_review(plan, source=plan, last_on=issued_on, actor=actor)
        if assessment is not None and not assessment.outcome:
            assessment_outcome_record(
                assessment=assessment, outcome=AssessmentOutcome.PLAN, outcome_on=issued_on, actor=actor
            )
    return plan


def plan_amend(
    *,
    plan: EhcPlan,
    issued_on: date,
    sections: Mapping[str, str],
    names_school: bool | None = None,
    named_school: str | None = None,
    actor: User,
) -> EhcPlanVersion:
    """Record an amended plan as a new version (the old one is kept). It meets the LA's amended-plan
    deadline (reg 22(3)) and the phase-transfer deadline of any review that asked for the amendment, and asks
    the pupil's teachers to confirm they have read the new summary where the plan names the school."""
    _check_sections(sections)
    latest = plan.versions.order_by("-number").first()
    _raise(
        {"__all__": "This plan has ceased."} if plan.status != PlanStatus.ACTIVE else {},
        _not_future(issued_on, "issued_on", "issue date"),
        _not_before(
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
            _close(LA_AMENDED_PLAN, source=review, met_on=issued_on)
            _close(PHASE_TRANSFER, source=review, met_on=issued_on)
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
    requests and the draft amended plans sent for the school's views."""
    return [plan, *plan.reviews.all(), *plan.reassessments.all(), *plan.drafts.all()]


def plan_cease(*, plan: EhcPlan, ceased_on: date, reason: str, actor: User) -> EhcPlan:
    """Record that the LA ceased the plan on `ceased_on` (CFA s.45; reg 31). Every open deadline of the plan,
    its reviews, re-assessment requests and draft amended plans no longer applies: each is excused with
    "EHC plan ceased on <date>" and the reason. Ceasing again on the same day changes nothing. The SEND
    register is the SENCO's to change and is not touched."""
    reason = (reason or "").strip()
    if plan.status == PlanStatus.CEASED:
        if plan.ceased_on == ceased_on:
            return plan
        _raise({"ceased_on": f"This plan already ceased on {_on(plan.ceased_on)}."})
    _raise(
        {} if reason else {"reason": "Say why the plan ceased (for example, the LA's decision after the review)."},
        _not_future(ceased_on, "ceased_on", "date the plan ceased"),
        _not_before(
            ceased_on,
            plan.issued_on,
            "ceased_on",
            f"A plan cannot cease before it was issued on {_on(plan.issued_on)}.",
        ),
    )
    with audited(actor):
        current = EhcPlan.objects.select_for_update().get(pk=plan.pk)
        if current.status == PlanStatus.CEASED:  # ceased by a concurrent request
            return current
        plan.status, plan.ceased_on, plan.ceased_reason = PlanStatus.CEASED, ceased_on, reason
        plan.full_clean()
        plan.save(update_fields=["status", "ceased_on", "ceased_reason", "updated_at"])
        excuse = f"EHC plan ceased on {_on(ceased_on)}: {reason}"
        for source in _plan_sources(plan):
            for deadline in Deadline.objects.filter(
                source_type__app_label=source._meta.app_label,
                source_type__model=source._meta.model_name,
                source_id=str(source.pk),
                status=DeadlineStatus.OPEN,
            ):
                deadline_excuse(deadline=deadline, reason=excuse)
    return plan


# --- Annual review -----------------------------------------------------------------------------


def _open_schedule_deadlines(review: AnnualReview, actor: User | None) -> None:
    pupil = review.plan.pupil
    _open(
        REVIEW_INVITATIONS,
        source=review,
        pupil=pupil,
        due_on=statutory.invitations_latest(review.meeting_on),
        responsible=actor,
    )
    _open(
        REVIEW_CIRCULATION,
        source=review,
        pupil=pupil,
        due_on=statutory.advice_circulation_latest(review.meeting_on),
        responsible=actor,
    )
    transfer_on = transfer_deadline(
        year_group=pupil.year_group, school_phase=pupil.school.phase, meeting_on=review.meeting_on
    )
    if transfer_on is not None:
        _open(PHASE_TRANSFER, source=review, pupil=pupil, due_on=transfer_on, responsible=actor)


def review_schedule(
    *, plan: EhcPlan, meeting_on: date, is_combined_with_pep: bool = False, actor: User
) -> AnnualReview:
    """Schedule an annual review meeting: open the latest days to send invitations (reg 20(3)) and circulate
    advice (reg 20(4)), both meeting - 14 days, and for a transition review the phase-transfer day
    (reg 18). The pupil's contacts with parental responsibility are added as invitees."""
    pupil = plan.pupil
    _raise(
        {"__all__": "This plan has ceased."} if plan.status != PlanStatus.ACTIVE else {},
        _not_before(meeting_on, plan.issued_on, "meeting_on", f"The plan was issued on {_on(plan.issued_on)}."),
        {"is_combined_with_pep": "Only a looked-after child has a personal education plan."}
        if is_combined_with_pep and not pupil.is_looked_after
        else {},
    )
    with audited(actor):
        review = AnnualReview(
            plan=plan, meeting_on=meeting_on, is_combined_with_pep=is_combined_with_pep, created_by=actor
        )
        review.full_clean()
        review.save()
        for contact in pupil.contacts.filter(has_parental_responsibility=True):
            ReviewInvitee.objects.create(review=review, role="parent", name=contact.name, email=contact.email)
        _open_schedule_deadlines(review, actor)
    return review


def review_reschedule(
    *, review: AnnualReview, meeting_on: date, is_combined_with_pep: bool, actor: User
) -> AnnualReview:
    """Move a meeting not yet held; the invitation, circulation and transfer days are re-computed."""
    plan = review.plan
    _raise(
        {"meeting_on": "The meeting has been held: correct the date it was held instead."} if review.held_on else {},
        _not_before(meeting_on, plan.issued_on, "meeting_on", f"The plan was issued on {_on(plan.issued_on)}."),
        {"is_combined_with_pep": "Only a looked-after child has a personal education plan."}
        if is_combined_with_pep and not plan.pupil.is_looked_after
        else {},
    )
    with audited(actor):
        review.meeting_on, review.is_combined_with_pep = meeting_on, is_combined_with_pep
        review.full_clean()
        review.save()
        _open_schedule_deadlines(review, None)
    return review


def _sync_invitations(review: AnnualReview) -> None:
    dates = list(review.invitees.values_list("invited_on", flat=True))
    if dates and all(dates):
        _reclose(REVIEW_INVITATIONS, source=review, met_on=max(dates))


def review_invitee_add(
    *, review: AnnualReview, role: str, name: str, email: str = "", invited_on: date | None = None, actor: User
) -> ReviewInvitee:
    """Add someone to invite to the review, with the day their invitation went if it has."""
    _raise(
        _not_future(invited_on, "invited_on", "invitation date"),
        {"invited_on": "An invitation cannot be sent after the meeting."}
        if invited_on and invited_on > review.meeting_on
        else {},
    )
    with audited(actor):
        invitee = ReviewInvitee(review=review, role=role, name=name, email=email, invited_on=invited_on)
        invitee.full_clean()
        invitee.save()
        _sync_invitations(review)
    return invitee


def review_invitations_send(*, review: AnnualReview, sent_on: date, actor: User) -> AnnualReview:
    """Record invitations sent on `sent_on` to every invitee not yet invited; when all are, the invitation
    deadline closes on the last day one was sent."""
    _raise(
        {"sent_on": "Add the people to invite first."} if not review.invitees.exists() else {},
        _not_future(sent_on, "sent_on", "date the invitations were sent"),
        {"sent_on": "Invitations cannot be sent after the meeting."} if sent_on > review.meeting_on else {},
    )
    with audited(actor):
        for invitee in review.invitees.filter(invited_on__isnull=True):
            invitee.invited_on = sent_on
            invitee.save(update_fields=["invited_on"])
        _sync_invitations(review)
    return review


def review_advice_request(*, review: AnnualReview, source: str, requested_on: date, actor: User) -> ReviewAdvice:
    """Record advice asked for ahead of the review (from a professional, the parents, the pupil)."""
    _raise(_not_future(requested_on, "requested_on", "request date"))
    with audited(actor):
        advice = ReviewAdvice(review=review, source=source, requested_on=requested_on)
        advice.full_clean()
        advice.save()
    return advice


def review_advice_receive(*, advice: ReviewAdvice, received_on: date, actor: User) -> ReviewAdvice:
    """Record that requested advice arrived."""
    _raise(
        _not_future(received_on, "received_on", "date received"),
        _not_before(
            received_on, advice.requested_on, "received_on", f"The advice was requested on {_on(advice.requested_on)}."
        ),
    )
    with audited(actor):
        advice.received_on = received_on
        advice.full_clean()
        advice.save()
    return advice


def review_circulate(*, review: AnnualReview, circulated_on: date, actor: User) -> AnnualReview:
    """Record the advice circulated to every invitee; the circulation deadline closes (reg 20(4))."""
    _raise(
        _not_future(circulated_on, "circulated_on", "circulation date"),
        {"circulated_on": "Advice cannot be circulated after the meeting."}
        if circulated_on > (review.held_on or review.meeting_on)
        else {},
    )
    with audited(actor):
        review.circulated_on = circulated_on
        review.full_clean()
        review.save()
        _reclose(REVIEW_CIRCULATION, source=review, met_on=circulated_on)
    return review


def _previous_anchor(review: AnnualReview) -> Model:
    """What started the annual review deadline this meeting meets: the last meeting held before, else the plan."""
    previous = (
        review.plan.reviews.exclude(pk=review.pk)
        .filter(held_on__isnull=False, held_on__lte=review.held_on)
        .order_by("-held_on")
        .first()
    )
    return previous or review.plan


def review_hold(*, review: AnnualReview, held_on: date, actor: User) -> AnnualReview:
    """Record the meeting held: the review report is due 2 weeks later (reg 20), the LA's decision 4 weeks
    later, and the next annual review within 12 months (or the plan's shorter interval). The annual review
    deadline this meeting meets closes. Correcting the day re-computes them all. One progress row per
    section E outcome of the current plan is prepared for the outcome form."""
    plan = review.plan
    _raise(
        _not_future(held_on, "held_on", "meeting date"),
        _not_before(held_on, plan.issued_on, "held_on", f"The plan was issued on {_on(plan.issued_on)}."),
        {"held_on": "The report was sent before this date."}
        if review.report_sent_on and review.report_sent_on < held_on
        else {},
    )
    with audited(actor):
        review.held_on = held_on
        review.meeting_on = held_on
        review.full_clean()
        review.save()
        pupil = plan.pupil
        _open(REVIEW_REPORT, source=review, pupil=pupil, due_on=statutory.review_report_due(held_on), responsible=actor)
        _open(
            LA_REVIEW_DECISION,
            source=review,
            pupil=pupil,
            due_on=statutory.la_review_decision_due(held_on),
            party=Party.LA,
        )
        _open_schedule_deadlines(review, None)  # the meeting day is now known for certain
        _open_next_review(plan, source=review, last_on=held_on, actor=actor)
        _reclose(ANNUAL_REVIEW, source=_previous_anchor(review), met_on=held_on)
        if not review.outcome_progress.exists():
            version = plan.versions.order_by("-number").first()
            for position, outcome in enumerate(version.outcomes() if version else [], start=1):
                ReviewOutcomeProgress.objects.create(review=review, position=position, outcome=outcome)
    return review


def review_outcome_record(
    *,
    review: AnnualReview,
    progress: Mapping[int, str],
    recommendation: str,
    pupil_views: str,
    parent_views: str,
    has_advocate: bool,
    advocate_name: str,
    actor: User,
) -> AnnualReview:
    """Record the meeting's outcome: progress against each section E outcome (by position), the
    recommendation (maintain, amend, cease), the pupil's and parents' views, and any advocate."""
    _raise(
        {"recommendation": "Record the meeting as held first."} if review.held_on is None else {},
        {} if recommendation in Recommendation.values else {"recommendation": "Choose a recommendation."},
        {"advocate_name": "Give the advocate's name."} if has_advocate and not advocate_name.strip() else {},
    )
    with audited(actor):
        for row in review.outcome_progress.all():
            if row.position in progress and progress[row.position] != row.progress:
                row.progress = progress[row.position]
                row.save(update_fields=["progress"])
        review.recommendation = recommendation
        review.pupil_views, review.parent_views = pupil_views, parent_views
        review.has_advocate = has_advocate
        review.advocate_name = advocate_name.strip() if has_advocate else ""
        review.full_clean()
        review.save()
    return review


def review_report_send(*, review: AnnualReview, sent_on: date, actor: User) -> AnnualReview:
    """Record the review report sent to everyone invited; the report deadline closes."""
    _raise(
        {"sent_on": "Record the meeting as held first."} if review.held_on is None else {},
        {"sent_on": "Record the meeting's recommendation first."}
        if review.held_on and not review.recommendation
        else {},
        _not_future(sent_on, "sent_on", "date the report was sent"),
        _not_before(
            sent_on,
            review.held_on,
            "sent_on",
            f"The report cannot be sent before the meeting on {_on(review.held_on)}." if review.held_on else "",
        ),
    )
    with audited(actor):
        review.report_sent_on = sent_on
        review.full_clean()
        review.save()
        _reclose(REVIEW_REPORT, source=review, met_on=sent_on)
    return review


def review_la_decision_record(*, review: AnnualReview, decision: str, decided_on: date, actor: User) -> AnnualReview:
    """Record the LA's decision after the review; its deadline closes. A decision to amend opens the LA's
    8-week amended-plan deadline (reg 22(3)), counted from the decision (the amendment notice); a decision
    to maintain meets a transition review's phase-transfer deadline."""
    _raise(
        {"decided_on": "Record the meeting as held first."} if review.held_on is None else {},
        {} if decision in Recommendation.values else {"decision": "Choose the LA's decision."},
        _not_future(decided_on, "decided_on", "decision date"),
        _not_before(
            decided_on,
            review.held_on,
            "decided_on",
            f"The decision cannot be before the meeting on {_on(review.held_on)}." if review.held_on else "",
        ),
    )
    with audited(actor):
        review.la_decision, review.la_decision_on = decision, decided_on
        review.full_clean()
        review.save()
        pupil = review.plan.pupil
        _reclose(LA_REVIEW_DECISION, source=review, met_on=decided_on)
        if decision == Recommendation.AMEND:
            _open(
                LA_AMENDED_PLAN,
                source=review,
                pupil=pupil,
                party=Party.LA,
                due_on=statutory.la_amended_plan_due(decided_on),
            )
        elif decision == Recommendation.MAINTAIN:
            _close(PHASE_TRANSFER, source=review, met_on=decided_on)
    return review


# --- Disagreements -----------------------------------------------------------------------------


def _disagreement_errors(raised_on: date, la_contacted_on, mediation_on, tribunal_on, resolved_on) -> None:
    before = "cannot be before the disagreement was raised."
    _raise(
        _not_future(raised_on, "raised_on", "date raised"),
        _not_future(la_contacted_on, "la_contacted_on", "date the LA was contacted"),
        _not_future(resolved_on, "resolved_on", "resolution date"),
        _not_before(la_contacted_on, raised_on, "la_contacted_on", f"The LA contact {before}"),
        _not_before(mediation_on, raised_on, "mediation_on", f"Mediation {before}"),
        _not_before(tribunal_on, raised_on, "tribunal_on", f"A tribunal hearing {before}"),
        _not_before(resolved_on, raised_on, "resolved_on", f"The resolution {before}"),
    )


def disagreement_record(
    *, pupil: Pupil, raised_on: date, summary: str, la_contacted_on: date | None = None, actor: User
) -> Disagreement:
    """Record a disagreement or complaint about EHC provision (the policy says contact the LA immediately)."""
    _disagreement_errors(raised_on, la_contacted_on, None, None, None)
    with audited(actor):
        disagreement = Disagreement(
            pupil=pupil, raised_on=raised_on, summary=summary, la_contacted_on=la_contacted_on, created_by=actor
        )
        disagreement.full_clean()
        disagreement.save()
    return disagreement


def disagreement_update(
    *,
    disagreement: Disagreement,
    la_contacted_on: date | None,
    mediation_on: date | None,
    tribunal_on: date | None,
    outcome: str,
    resolved_on: date | None,
    actor: User,
) -> Disagreement:
    """Record the LA contacted, mediation, a tribunal hearing and the outcome."""
    _disagreement_errors(disagreement.raised_on, la_contacted_on, mediation_on, tribunal_on, resolved_on)
    with audited(actor):
        disagreement.la_contacted_on, disagreement.mediation_on = la_contacted_on, mediation_on
        disagreement.tribunal_on, disagreement.outcome, disagreement.resolved_on = tribunal_on, outcome, resolved_on
        disagreement.full_clean()
        disagreement.save()
    return disagreement
