"""The graduated approach's deadline kinds: support plan reviews and termly parent meetings."""

from __future__ import annotations

from deadlines.kinds import DeadlineKind

PLAN_REVIEW = DeadlineKind(
    "provision.plan_review",
    "Support plan review",
    "The review date the support plan sets (CoP 6.54 to 6.56; policy section 6).",
)
PARENT_MEETING_KEY = "provision.parent_meeting"
PARENT_MEETING_RULE = (
    "Meet parents of pupils on SEN support at least three times a year: one meeting a term, due by the last "
    "day of term (CoP 6.65; policy section 10)."
)


def parent_meeting_kind(season: str) -> DeadlineKind:
    """The termly parent meeting: one kind, titled with its term ("Autumn term parent meeting (SEN support)")."""
    return DeadlineKind(
        PARENT_MEETING_KEY, f"{season.capitalize()} term parent meeting (SEN support)", PARENT_MEETING_RULE
    )


HEALTHCARE_PLAN_REVIEW = DeadlineKind(
    "provision.healthcare_plan_review",
    "Review the individual healthcare plan",
    "At least every 12 months, or sooner where the plan says (supporting pupils at school with medical "
    "conditions, DfE 2015)",
)
