"""Thin views for the EHC workflow: parse, ask ehc/access.py, one service call, redirect or render.

Every pupil-scoped page resolves its pupil through ehc.access.get_pupil_for_ehc (404 out of sight, 403 not for this
role); child records (assessments, plans, reviews...) are fetched by id first and then delegate to it.

The views live in modules by noun; every view is re-exported here for ehc/urls.py (``views.<name>``).
"""

from .assessment import (
    advice,
    advice_request,
    assessment_decision,
    assessment_edit,
    assessment_new,
    assessment_outcome,
    reassessment_decision,
    reassessment_new,
)
from .disagreement import disagreement_edit, disagreement_new
from .documents import advice_cover, review_invitation, review_report
from .overview import index, la_timeliness, overview, register_to_ehc
from .plan import (
    draft_edit,
    draft_new,
    draft_response,
    plan_amend,
    plan_cease,
    plan_confirm_read,
    plan_detail,
    plan_new,
    plan_summary,
    plan_transfer_in,
)
from .review import (
    review_advice_new,
    review_advice_received,
    review_circulated,
    review_detail,
    review_edit,
    review_held,
    review_invitations_sent,
    review_invitee_new,
    review_la_decision,
    review_new,
    review_outcome,
    review_report_sent,
    review_role_not_applicable,
)

__all__ = [
    "advice",
    "advice_cover",
    "advice_request",
    "assessment_decision",
    "assessment_edit",
    "assessment_new",
    "assessment_outcome",
    "disagreement_edit",
    "disagreement_new",
    "draft_edit",
    "draft_new",
    "draft_response",
    "index",
    "la_timeliness",
    "overview",
    "plan_amend",
    "plan_cease",
    "plan_confirm_read",
    "plan_detail",
    "plan_new",
    "plan_summary",
    "plan_transfer_in",
    "reassessment_decision",
    "reassessment_new",
    "register_to_ehc",
    "review_advice_new",
    "review_advice_received",
    "review_circulated",
    "review_detail",
    "review_edit",
    "review_held",
    "review_invitation",
    "review_invitations_sent",
    "review_invitee_new",
    "review_la_decision",
    "review_new",
    "review_outcome",
    "review_report",
    "review_report_sent",
    "review_role_not_applicable",
]
