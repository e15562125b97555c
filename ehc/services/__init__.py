"""Every write to the EHC workflow: keyword-only arguments, an actor, a transaction, audit rows, deadlines.

Each service that records the event starting a duty opens its deadline (deadlines.services.deadlines_sync, with
the due date from ehc.statutory and the kind from ehc.kinds); correcting that event's date syncs again, which
re-computes the due date; the service that records the duty done closes it. Services that check a date against
today take `today` from the caller (a view, task or command reads the clock once). Audit rows are written by
django-auditlog (registered in ehc/apps.py) with the actor set by pupils.services.audited. Deadline titles never
name the pupil. One module per noun: assessment, plan (with the draft consultation), review, disagreement.
"""

from ._shared import is_under_five, next_review_due, plan_review_due
from .assessment import (
    advice_request_receive,
    advice_save,
    advice_submit,
    assessment_decision_record,
    assessment_outcome_record,
    assessment_request,
    assessment_request_correct,
    reassessment_decision_record,
    reassessment_request,
)
from .disagreement import (
    disagreement_record,
    disagreement_update,
)
from .plan import (
    draft_receive,
    draft_received_correct,
    draft_respond,
    plan_amend,
    plan_cease,
    plan_issue,
    plan_read_confirm,
)
from .review import (
    invitations_missing_roles,
    review_advice_receive,
    review_advice_request,
    review_circulate,
    review_hold,
    review_invitations_send,
    review_invitee_add,
    review_la_decision_record,
    review_outcome_record,
    review_report_send,
    review_reschedule,
    review_role_not_applicable,
    review_schedule,
)
from .transfer import (
    phase_transfer_meet,
    phase_transfer_open,
    phase_transfers_open,
    plan_transfer_in_record,
)

__all__ = [
    "advice_request_receive",
    "advice_save",
    "advice_submit",
    "assessment_decision_record",
    "assessment_outcome_record",
    "assessment_request",
    "assessment_request_correct",
    "disagreement_record",
    "disagreement_update",
    "draft_receive",
    "draft_received_correct",
    "draft_respond",
    "invitations_missing_roles",
    "is_under_five",
    "next_review_due",
    "phase_transfer_meet",
    "phase_transfer_open",
    "phase_transfers_open",
    "plan_amend",
    "plan_cease",
    "plan_issue",
    "plan_read_confirm",
    "plan_review_due",
    "plan_transfer_in_record",
    "reassessment_decision_record",
    "reassessment_request",
    "review_advice_receive",
    "review_advice_request",
    "review_circulate",
    "review_hold",
    "review_invitations_send",
    "review_invitee_add",
    "review_la_decision_record",
    "review_outcome_record",
    "review_report_send",
    "review_reschedule",
    "review_role_not_applicable",
    "review_schedule",
]
