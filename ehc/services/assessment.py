"""EHC needs assessments and re-assessment requests: the LA's decisions and the school's advice."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User

from pupils.models import Pupil
from pupils.services import audited

from .. import statutory
from ..kinds import (
    ADVICE,
    LA_ASSESSMENT_DECISION,
    LA_FINAL_PLAN,
    LA_NO_PLAN_NOTICE,
    LA_REASSESSMENT_DECISION,
    LA_REASSESSMENT_FINAL_PLAN,
)
from ..models import (
    AssessmentDecision,
    AssessmentOutcome,
    EhcAssessment,
    EhcPlan,
    ReassessmentRequest,
)
from ._shared import (
    excuse_deadline,
    not_before,
    not_future,
    on,
    open_deadline,
    raise_errors,
    reclose_deadline,
    reopen_deadline,
)

# --- EHC needs assessment ----------------------------------------------------------------------


def _open_la_assessment_deadlines(assessment: EhcAssessment) -> None:
    for spec, due in (
        (LA_ASSESSMENT_DECISION, statutory.la_assessment_decision_due(assessment.requested_on)),
        (LA_NO_PLAN_NOTICE, statutory.la_no_plan_notice_due(assessment.requested_on)),
        (LA_FINAL_PLAN, statutory.la_final_plan_due(assessment.requested_on)),
    ):
        open_deadline(spec, source=assessment, pupil=assessment.pupil, due_on=due)


def assessment_request(
    *, pupil: Pupil, requested_by: str, requested_on: date, la_name: str = "", today: date, actor: User
) -> EhcAssessment:
    """Record a request for an EHC needs assessment and open the LA's deadlines: its decision whether to
    assess (reg 5(1), 6 weeks), notice that it will not issue a plan (reg 10(1), 16 weeks) and the final
    plan (reg 13(2), 20 weeks), all as the LA's duties to chase."""
    raise_errors(
        not_future(requested_on, "requested_on", "request date", today),
        not_before(
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
    *, assessment: EhcAssessment, requested_by: str, requested_on: date, la_name: str, today: date, actor: User
) -> EhcAssessment:
    """Correct who asked for the assessment and when; the LA's due dates are re-computed."""
    raise_errors(
        not_future(requested_on, "requested_on", "request date", today),
        not_before(
            assessment.la_decision_on, requested_on, "requested_on", "The LA's decision is recorded before this date."
        ),
        not_before(
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
    *, assessment: EhcAssessment, decision: str, decided_on: date, today: date, actor: User
) -> EhcAssessment:
    """Record the LA's decision whether to assess; its deadline closes on that date (met late where it is
    after the 6 weeks). A decision not to assess makes the plan deadlines moot: they are excused with why."""
    raise_errors(
        {} if decision in AssessmentDecision.values else {"decision": "Choose the LA's decision."},
        not_future(decided_on, "decided_on", "decision date", today),
        not_before(
            decided_on,
            assessment.requested_on,
            "decided_on",
            f"The decision cannot be before the request on {on(assessment.requested_on)}.",
        ),
    )
    with audited(actor):
        assessment.la_decision, assessment.la_decision_on = decision, decided_on
        assessment.full_clean()
        assessment.save()
        reclose_deadline(LA_ASSESSMENT_DECISION, source=assessment, met_on=decided_on)
        if decision == AssessmentDecision.NOT_ASSESS:
            reason = f"The LA decided on {on(decided_on)} not to carry out an assessment."
            excuse_deadline(LA_NO_PLAN_NOTICE, source=assessment, reason=reason)
            excuse_deadline(LA_FINAL_PLAN, source=assessment, reason=reason)
        else:
            for spec in (LA_NO_PLAN_NOTICE, LA_FINAL_PLAN):
                if not assessment.outcome:
                    reopen_deadline(spec, source=assessment)
    return assessment


def advice_request_receive(*, assessment: EhcAssessment, received_on: date, today: date, actor: User) -> EhcAssessment:
    """Record the day the LA's request for the school's advice arrived and open the school's 6-week advice
    deadline (reg 8(1)); recording a corrected day re-computes it."""
    raise_errors(
        not_future(received_on, "received_on", "date the request was received", today),
        not_before(
            received_on,
            assessment.requested_on,
            "received_on",
            "The LA's request for advice cannot come before the assessment was requested on "
            f"{on(assessment.requested_on)}.",
        ),
        {"received_on": "The advice was sent before this date; correct the date it was sent first."}
        if assessment.advice_submitted_on and assessment.advice_submitted_on < received_on
        else {},
    )
    with audited(actor):
        assessment.advice_received_on = received_on
        assessment.full_clean()
        assessment.save()
        open_deadline(
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


def advice_submit(
    *, assessment: EhcAssessment, advice: str, submitted_on: date, today: date, actor: User
) -> EhcAssessment:
    """Record the school's advice as sent to the LA on `submitted_on`; the advice deadline closes."""
    received = assessment.advice_received_on
    raise_errors(
        {} if advice.strip() else {"advice": "Write the advice before recording it as sent."},
        {"submitted_on": "Record when the LA's request for advice arrived first."} if received is None else {},
        not_future(submitted_on, "submitted_on", "date the advice was sent", today),
        not_before(
            submitted_on,
            received,
            "submitted_on",
            f"The advice cannot be sent before the LA's request arrived on {on(received)}." if received else "",
        ),
    )
    with audited(actor):
        assessment.advice, assessment.advice_submitted_on = advice, submitted_on
        assessment.full_clean()
        assessment.save()
        reclose_deadline(ADVICE, source=assessment, met_on=submitted_on)
    return assessment


def assessment_outcome_record(
    *, assessment: EhcAssessment, outcome: str, outcome_on: date, today: date, actor: User
) -> EhcAssessment:
    """Record how the assessment ended: a final plan (the final-plan deadline closes, the no-plan notice is
    moot) or notice that no plan will be issued (the reverse)."""
    raise_errors(
        {} if outcome in AssessmentOutcome.values else {"outcome": "Choose the outcome."},
        not_future(outcome_on, "outcome_on", "date", today),
        not_before(
            outcome_on,
            assessment.requested_on,
            "outcome_on",
            f"The outcome cannot be before the request on {on(assessment.requested_on)}.",
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
        reclose_deadline(met, source=assessment, met_on=outcome_on)
        reopen_deadline(moot, source=assessment)
        excuse_deadline(moot, source=assessment, reason=f"{AssessmentOutcome(outcome).label} on {on(outcome_on)}.")
    return assessment


def reassessment_request(
    *, plan: EhcPlan, requested_by: str, requested_on: date, reason: str = "", today: date, actor: User
) -> ReassessmentRequest:
    """Record a request that the LA re-assess; the LA's 15-day decision deadline opens (reg 25(1))."""
    raise_errors(
        not_future(requested_on, "requested_on", "request date", today),
        not_before(requested_on, plan.issued_on, "requested_on", f"The plan was issued on {on(plan.issued_on)}."),
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
        open_deadline(
            LA_REASSESSMENT_DECISION,
            source=request,
            pupil=plan.pupil,
            due_on=statutory.la_reassessment_decision_due(requested_on),
        )
    return request


def reassessment_decision_record(
    *, request: ReassessmentRequest, decision: str, decided_on: date, today: date, actor: User
) -> ReassessmentRequest:
    """Record the LA's decision on a re-assessment request; its deadline closes. A decision to re-assess opens
    the LA's 14-week final-plan deadline from that notice (reg 27(2)); a decision not to (or a correction to
    it) excuses that deadline."""
    raise_errors(
        {} if decision in AssessmentDecision.values else {"decision": "Choose the LA's decision."},
        not_future(decided_on, "decided_on", "decision date", today),
        not_before(
            decided_on,
            request.requested_on,
            "decided_on",
            f"The decision cannot be before the request on {on(request.requested_on)}.",
        ),
    )
    was_assess = request.la_decision == AssessmentDecision.ASSESS
    with audited(actor):
        request.la_decision, request.la_decision_on = decision, decided_on
        request.full_clean()
        request.save()
        reclose_deadline(LA_REASSESSMENT_DECISION, source=request, met_on=decided_on)
        if decision == AssessmentDecision.ASSESS:
            open_deadline(
                LA_REASSESSMENT_FINAL_PLAN,
                source=request,
                pupil=request.pupil,
                due_on=statutory.la_reassessment_final_plan_due(decided_on),
            )
            if not was_assess:  # a decision not to re-assess, corrected: the duty is due again
                reopen_deadline(LA_REASSESSMENT_FINAL_PLAN, source=request)
        else:
            excuse_deadline(
                LA_REASSESSMENT_FINAL_PLAN,
                source=request,
                reason=f"The LA decided on {on(decided_on)} not to re-assess.",
            )
    return request
