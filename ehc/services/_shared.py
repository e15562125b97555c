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
from ..models import EhcPlan, PhaseTransfer


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


def pending_transfer(plan: EhcPlan, last_on: date, *, after_review: bool = True) -> PhaseTransfer | None:
    """The phase transfer the next review must come before: not yet met, and no review held since its
    academic year began (a review held in the autumn of the transfer year is the transition review; a plan
    issued then has still to have it)."""
    for transfer in plan.phase_transfers.filter(met_on__isnull=True).order_by("due_on"):
        if not after_review or last_on < date(transfer.transfer_year - 1, 9, 1):
            return transfer
    return None


def next_review_due(plan: EhcPlan, last_on: date, *, after_review: bool = True) -> tuple[date, str]:
    """The next review day after `last_on`, with what to add to the rule text: the usual day (12 months, CFA
    s.44(1), or the plan's shorter interval); for a plan transferred from another LA the later of that and
    3 months after the transfer (reg 15(5)); never after a pending phase-transfer day (reg 18)."""
    due = plan_review_due(plan, last_on)
    suffix = UNDER_FIVE_RULE if plan.review_interval_months < statutory.ANNUAL_REVIEW_MONTHS else ""
    if plan.transferred_in_on and last_on <= plan.transferred_in_on:
        later = statutory.transferred_review_due(due, plan.transferred_in_on)
        if later != due:
            due, suffix = later, f"{suffix} Plan transferred from another LA: 3 months after (reg 15(5))."
    transfer = pending_transfer(plan, last_on, after_review=after_review)
    if transfer is not None and last_on <= transfer.due_on < due:
        due = transfer.due_on
        suffix = f"{suffix} Brought forward to the phase-transfer day (reg 18)."
    return due, suffix


def open_next_review(plan: EhcPlan, *, source: Model, last_on: date, actor: User | None) -> None:
    due, suffix = next_review_due(plan, last_on, after_review=source is not plan)
    open_deadline(ANNUAL_REVIEW, source=source, pupil=plan.pupil, due_on=due, responsible=actor, rule_suffix=suffix)


def review_anchor(plan: EhcPlan) -> tuple[Model, date]:
    """What the plan's open annual review deadline counts from: its last review held, else the plan."""
    last = plan.reviews.filter(held_on__isnull=False).order_by("-held_on").first()
    if last is not None and last.held_on is not None:
        return last, last.held_on
    return plan, plan.issued_on


def resync_next_review(plan: EhcPlan) -> None:
    """Re-date the plan's open annual review deadline after a transfer changed what caps or extends it."""
    source, last_on = review_anchor(plan)
    open_next_review(plan, source=source, last_on=last_on, actor=None)
