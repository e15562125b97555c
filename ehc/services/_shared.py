"""What every EHC service shares: the typed deadline kinds opened through deadlines.services, and the
field checks that turn a bad date into a message on the right field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Model

from deadlines import services as deadlines
from deadlines.kinds import DeadlineKind, DeadlineSpec
from pupils.models import Pupil
from send_mis.dates import format_long, not_in_future

from .. import statutory
from ..kinds import ANNUAL_REVIEW, UNDER_FIVE_RULE
from ..models import EhcPlan


def open_deadline(
    kind: DeadlineKind,
    *,
    source: Model,
    pupil: Pupil,
    due_on: date,
    responsible: User | None = None,
    rule_suffix: str = "",
) -> None:
    deadlines.deadlines_sync(
        source=source,
        pupil=pupil,
        specs=[DeadlineSpec(kind=kind, due_on=due_on, responsible=responsible, rule_suffix=rule_suffix)],
    )


def close_deadline(kind: DeadlineKind, *, source: Model, met_on: date) -> None:
    deadlines.deadline_close(source=source, kind=kind, met_on=met_on)


def reclose_deadline(kind: DeadlineKind, *, source: Model, met_on: date) -> None:
    """Close, or move the completion date of a duty already closed (a corrected date)."""
    deadlines.deadline_reclose(source=source, kind=kind, met_on=met_on)


def reopen_deadline(kind: DeadlineKind, *, source: Model) -> None:
    deadlines.deadline_reopen(source=source, kind=kind)


def excuse_deadline(kind: DeadlineKind, *, source: Model, reason: str) -> None:
    deadlines.deadlines_excuse_for(sources=[source], kinds=[kind], reason=reason)


def not_future(value: date | None, field: str, what: str, today: date) -> dict[str, str]:
    message = not_in_future(value, today=today, what=what)
    return {field: message} if message else {}


def not_before(value: date | None, earliest: date | None, field: str, message: str) -> dict[str, str]:
    if value is not None and earliest is not None and value < earliest:
        return {field: message}
    return {}


def raise_errors(*errors: Mapping[str, str]) -> None:
    merged: dict[str, str] = {}
    for error in errors:
        for field, message in error.items():
            merged.setdefault(field, message)
    if merged:
        raise ValidationError(merged)


def on(day: date) -> str:
    return format_long(day)


def is_under_five(pupil: Pupil, on: date) -> bool:
    return statutory.add_months(pupil.date_of_birth, 60) > on


def plan_review_due(plan: EhcPlan, last_on: date) -> date:
    """The next review day for the plan: 12 months (CFA s.44(1)), or its shorter interval for an under-five."""
    if plan.review_interval_months == statutory.ANNUAL_REVIEW_MONTHS:
        return statutory.annual_review_due(last_on)
    return statutory.add_months(last_on, plan.review_interval_months)


def open_next_review(plan: EhcPlan, *, source: Model, last_on: date, actor: User) -> None:
    suffix = UNDER_FIVE_RULE if plan.review_interval_months < statutory.ANNUAL_REVIEW_MONTHS else ""
    open_deadline(
        ANNUAL_REVIEW,
        source=source,
        pupil=plan.pupil,
        due_on=plan_review_due(plan, last_on),
        responsible=actor,
        rule_suffix=suffix,
    )
