"""Individual healthcare plans: recorded, reviewed at least yearly (supporting pupils with medical conditions)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Model

from deadlines import services as deadline_services
from deadlines.kinds import DeadlineSpec
from pupils.models import Pupil
from pupils.services import audited
from send_mis.dates import format_long, not_in_future

from ..kinds import HEALTHCARE_PLAN_REVIEW
from ..models import HealthcarePlan, HealthcarePlanReview

REVIEW_MONTHS = 12


def healthcare_review_due(last_on: date, review_on: date) -> date:
    """The day the plan must be reviewed by: the review date the plan sets, and never later than the day
    before the anniversary of the plan or its last review (reviewed "at least annually", read the earlier
    way, as for EHC plans: 14 March 2026 gives 13 March 2027; 29 February 2028 gives 27 February 2029)."""
    year = last_on.year + 1
    try:
        anniversary = last_on.replace(year=year)
    except ValueError:  # 29 February: the month end of the next year
        anniversary = date(year, 2, 28)
    return min(review_on, anniversary - timedelta(days=1))


def _open_review(source: Model, pupil: Pupil, last_on: date, review_on: date, actor) -> None:
    deadline_services.deadlines_sync(
        source=source,
        pupil=pupil,
        specs=[DeadlineSpec(HEALTHCARE_PLAN_REVIEW, healthcare_review_due(last_on, review_on), actor)],
    )


def _check(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def healthcare_plan_record(
    *,
    pupil: Pupil,
    condition: str,
    plan_on: date,
    review_on: date,
    held_by: str,
    today: date,
    actor: User,
) -> HealthcarePlan:
    """Record a pupil's individual healthcare plan; its review deadline opens (the review date it sets, at the
    latest the day before its anniversary)."""
    errors: dict[str, str] = {}
    if not condition.strip():
        errors["condition"] = "Name the medical condition."
    if not held_by.strip():
        errors["held_by"] = "Say who holds the plan, so staff can find it."
    if message := not_in_future(plan_on, today=today, what="date the plan was agreed"):
        errors["plan_on"] = message
    if review_on < plan_on:
        errors["review_on"] = f"The review cannot be before the plan was agreed on {format_long(plan_on)}."
    _check(errors)
    with audited(actor):
        plan = HealthcarePlan(
            pupil=pupil,
            condition=condition.strip(),
            plan_on=plan_on,
            review_on=review_on,
            held_by=held_by.strip(),
            created_by=actor,
        )
        plan.full_clean()
        plan.save()
        _open_review(plan, pupil, plan_on, review_on, actor)
    return plan


def healthcare_plan_review(
    *, plan: HealthcarePlan, reviewed_on: date, next_review_on: date, today: date, actor: User
) -> HealthcarePlanReview:
    """Record the plan reviewed: the review deadline it meets closes that day and the next one opens."""
    last = plan.reviews.first()
    last_on = last.reviewed_on if last else plan.plan_on
    errors: dict[str, str] = {}
    if message := not_in_future(reviewed_on, today=today, what="review date"):
        errors["reviewed_on"] = message
    elif reviewed_on < last_on:
        errors["reviewed_on"] = f"The plan was last agreed or reviewed on {format_long(last_on)}."
    if next_review_on <= reviewed_on:
        errors["next_review_on"] = "The next review must come after this one."
    _check(errors)
    with audited(actor):
        review = HealthcarePlanReview(
            plan=plan, reviewed_on=reviewed_on, next_review_on=next_review_on, created_by=actor
        )
        review.full_clean()
        review.save()
        deadline_services.deadline_close(source=last or plan, kind=HEALTHCARE_PLAN_REVIEW, met_on=reviewed_on)
        plan.review_on = next_review_on
        plan.save(update_fields=["review_on"])
        _open_review(review, plan.pupil, reviewed_on, next_review_on, actor)
    return review
