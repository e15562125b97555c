"""The EHC workflow's deadline kinds: one per statutory duty, with the rule text from ehc.statutory.RULES.

Titles say what is due, never whose. The LA's duties are tracked to chase them and to report on the LA's
timeliness; the school's drive reminders and escalation.
"""

from __future__ import annotations

from deadlines.kinds import DeadlineKind, Party

from .statutory import RULES

ADVICE = DeadlineKind("ehc.advice", "Send the school's advice for the EHC needs assessment", RULES["advice"])
LA_ASSESSMENT_DECISION = DeadlineKind(
    "ehc.la_assessment_decision", "LA to decide whether to assess", RULES["la_assessment_decision"], Party.LA
)
LA_NO_PLAN_NOTICE = DeadlineKind(
    "ehc.la_no_plan_notice", "LA to say if it will not issue a plan", RULES["la_no_plan_notice"], Party.LA
)
LA_FINAL_PLAN = DeadlineKind("ehc.la_final_plan", "LA to issue the final EHC plan", RULES["la_final_plan"], Party.LA)
DRAFT_VIEWS = DeadlineKind("ehc.draft_views", "Send the school's views on the draft EHC plan", RULES["draft_views"])
ANNUAL_REVIEW = DeadlineKind("ehc.annual_review", "Hold the EHC plan annual review", RULES["annual_review"])
REVIEW_INVITATIONS = DeadlineKind("ehc.review_invitations", "Send the annual review invitations", RULES["invitations"])
REVIEW_CIRCULATION = DeadlineKind(
    "ehc.review_advice_circulation",
    "Circulate the advice to everyone invited to the review",
    RULES["advice_circulation"],
)
REVIEW_REPORT = DeadlineKind("ehc.review_report", "Send the annual review report", RULES["review_report"])
LA_REVIEW_DECISION = DeadlineKind(
    "ehc.la_review_decision", "LA to decide after the annual review", RULES["la_review_decision"], Party.LA
)
PHASE_TRANSFER = DeadlineKind(
    "ehc.phase_transfer", "Plan amended, naming the next school, before the phase transfer", RULES["phase_transfer"]
)
LA_REASSESSMENT_FINAL_PLAN = DeadlineKind(
    "ehc.la_reassessment_final_plan",
    "LA to issue the final plan after the re-assessment",
    RULES["la_reassessment_final_plan"],
    Party.LA,
)
LA_TRANSFER_NOTICE = DeadlineKind(
    "ehc.la_transfer_notice",
    "New LA to tell the family what it will do with the transferred plan",
    RULES["la_transfer_notice"],
    Party.LA,
)
LA_AMENDED_PLAN = DeadlineKind(
    "ehc.la_amended_plan", "LA to issue the final amended plan", RULES["la_amended_plan"], Party.LA
)
LA_REASSESSMENT_DECISION = DeadlineKind(
    "ehc.la_reassessment_decision",
    "LA to decide on the request to re-assess",
    RULES["la_reassessment_decision"],
    Party.LA,
)
UNDER_FIVE_RULE = " For a child under five the Code recommends a review every 3 to 6 months (CoP 9.178)."

# The LA's decisions and final plans, for the LA timeliness table.
LA_DECISION_KINDS = (LA_ASSESSMENT_DECISION, LA_REASSESSMENT_DECISION, LA_REVIEW_DECISION, LA_TRANSFER_NOTICE)
LA_PLAN_KINDS = (LA_FINAL_PLAN, LA_AMENDED_PLAN, LA_REASSESSMENT_FINAL_PLAN)
