"""Phase transfers (reg 18) and plans arriving from another LA (reg 15)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from pupils.models import School, on_roll_q
from pupils.services import audited

from .. import statutory
from ..kinds import LA_TRANSFER_NOTICE, PHASE_TRANSFER
from ..models import EhcPlan, PhaseTransfer, PlanStatus
from ..phases import transfer_for
from ._shared import (
    not_before,
    not_future,
    on,
    open_deadline,
    raise_errors,
    reclose_deadline,
    reopen_deadline,
    resync_next_review,
)


def phase_transfer_open(*, plan: EhcPlan, today: date) -> PhaseTransfer | None:
    """Open the phase-transfer deadline of a pupil with an active plan in one of the school's transfer year
    groups (reg 18; reg 2(1) transfers, a school setting): the amended plan naming the next school is due
    14 February of the transfer year (30 March into post-16). The school's "hold the transition review by"
    day is kept with it, and the next annual review is brought forward to the transfer day where it falls
    later. Repeating it changes nothing; a changed school setting re-dates it. Returns the transfer, or None
    where the pupil does not change phase this academic year (or has left, or the plan has ceased)."""
    pupil = plan.pupil
    school = pupil.school
    if plan.status != PlanStatus.ACTIVE or (pupil.left_on is not None and pupil.left_on <= today):
        return None
    pending = transfer_for(
        year_group=pupil.year_group,
        transfer_year_groups=school.phase_transfer_year_groups(),
        on=today,
        review_by=(school.transition_review_by_month, school.transition_review_by_day),
    )
    if pending is None:
        return None
    values = {
        "from_year_group": pupil.year_group,
        "is_post16": pending.is_post16,
        "due_on": pending.due_on,
        "review_by": pending.review_by,
    }
    with transaction.atomic():
        transfer, created = PhaseTransfer.objects.select_for_update().get_or_create(
            plan=plan, transfer_year=pending.transfer_year, defaults=values
        )
        changed = {k: v for k, v in values.items() if getattr(transfer, k) != v}
        if not created and changed:
            for name, value in changed.items():
                setattr(transfer, name, value)
            transfer.save()
        open_deadline(PHASE_TRANSFER, source=transfer, pupil=pupil, due_on=transfer.due_on)
        if created or changed:
            resync_next_review(plan)
    return transfer


def phase_transfers_open(*, school: School, today: date) -> int:
    """The yearly duty, run daily (the first run of an academic year opens the year's transfers; later runs
    find joiners and plans recorded since; repeating it changes nothing): open the phase-transfer deadline
    for every pupil on roll with an active plan in one of the school's transfer year groups. Returns how
    many transfers are open for this academic year."""
    plans = (
        EhcPlan.objects.filter(
            pupil__school=school,
            status=PlanStatus.ACTIVE,
            pupil__year_group__in=list(school.phase_transfer_year_groups()),
        )
        .filter(on_roll_q(today, via="pupil__"))
        .select_related("pupil__school")
    )
    return sum(1 for plan in plans if phase_transfer_open(plan=plan, today=today) is not None)


def phase_transfer_meet(*, plan: EhcPlan, next_school: str, issued_on: date) -> list[PhaseTransfer]:
    """The amended plan naming the next school was issued on `issued_on`: each phase transfer of the plan not
    yet met, whose September is still to come, is met that day (reg 18). The LA's decision to maintain the
    plan unchanged does not meet it. Returns the transfers met."""
    met = []
    for transfer in plan.phase_transfers.filter(met_on__isnull=True):
        if issued_on < date(transfer.transfer_year, 9, 1):
            transfer.next_school, transfer.met_on = next_school, issued_on
            transfer.full_clean()
            transfer.save()
            reclose_deadline(PHASE_TRANSFER, source=transfer, met_on=issued_on)
            met.append(transfer)
    if met:
        resync_next_review(plan)
    return met


def plan_transfer_in_record(
    *,
    plan: EhcPlan,
    transferred_on: date,
    previous_la_name: str,
    la_name: str,
    notified_on: date | None = None,
    today: date,
    actor: User,
) -> EhcPlan:
    """Record that the plan transferred to this LA from another when the family moved (reg 15): the new LA's
    6-week duty to tell the family whether it will re-assess or amend opens (reg 15(4)) and closes when
    `notified_on` is recorded; the annual review falls due at the later of the usual day and 3 months after
    the transfer (reg 15(5)). Correcting the day re-computes both."""
    raise_errors(
        {} if previous_la_name.strip() else {"previous_la_name": "Say which LA maintained the plan before."},
        {"previous_la_name": "The previous LA must differ from the new one."}
        if previous_la_name.strip().casefold() == (la_name.strip() or plan.la_name).casefold()
        else {},
        not_future(transferred_on, "transferred_on", "transfer date", today),
        not_before(transferred_on, plan.issued_on, "transferred_on", f"The plan was issued on {on(plan.issued_on)}."),
        not_future(notified_on, "notified_on", "date the family was told", today),
        not_before(notified_on, transferred_on, "notified_on", "The family cannot be told before the transfer."),
    )
    with audited(actor):
        plan.transferred_in_on = transferred_on
        plan.previous_la_name = previous_la_name.strip()
        plan.la_name = la_name.strip() or plan.la_name
        plan.transfer_notice_on = notified_on
        plan.full_clean()
        plan.save()
        open_deadline(
            LA_TRANSFER_NOTICE,
            source=plan,
            pupil=plan.pupil,
            due_on=statutory.la_transfer_notice_due(transferred_on),
        )
        if notified_on is not None:
            reclose_deadline(LA_TRANSFER_NOTICE, source=plan, met_on=notified_on)
        else:
            reopen_deadline(LA_TRANSFER_NOTICE, source=plan)
        resync_next_review(plan)
        phase_transfer_open(plan=plan, today=today)
    return plan
