"""Every write of the provision map: the catalogue, staff rates and the SEN budget, groups and places, sessions
with attendance, and entry and exit scores. Keyword-only arguments, an actor, a transaction, an audit row."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Cast

from pupils.models import Pupil, School
from pupils.services import audited, bulk_create_audited

from .. import costs
from ..models_maps import (
    SCALE_LIMITS,
    Allocation,
    Attendance,
    Group,
    PlaceCost,
    Provision,
    SenBudget,
    Session,
    SessionStatus,
    StaffRate,
)
from ..selectors_maps import rates_of

SHARE = ExpressionWrapper(
    F("session__cost") / Cast("session__present_count", DecimalField(max_digits=6, decimal_places=0)),
    output_field=DecimalField(max_digits=20, decimal_places=10),
)


def academic_year_of(day: date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def place_costs_refresh(*, group_ids: Iterable, years: Iterable[int]) -> None:
    """Work out again each pupil's summed share of the delivered, costed sessions they attended in these groups
    and academic years (one aggregate query), replacing what was held."""
    group_ids, years = list(group_ids), sorted(set(years))
    if not group_ids or not years:
        return
    PlaceCost.objects.filter(group_id__in=group_ids, academic_year__in=years).delete()
    rows = []
    for year in years:
        rows += [
            PlaceCost(group_id=r["session__group_id"], pupil_id=r["pupil_id"], academic_year=year, **_figures(r))
            for r in Attendance.objects.filter(
                session__group_id__in=group_ids,
                is_present=True,
                session__status=SessionStatus.DELIVERED,
                session__held_on__range=(date(year, 9, 1), date(year + 1, 8, 31)),
            )
            .values("session__group_id", "pupil_id")
            .annotate(total=Sum(SHARE), marks=Count("pk"))
        ]
    PlaceCost.objects.bulk_create(rows, batch_size=2000)


def _figures(row: Mapping[str, Any]) -> dict:
    return {"share": row["total"] or Decimal(0), "attended": row["marks"]}


def provision_save(*, provision: Provision, actor: User) -> Provision:
    """Add a provision to the school's catalogue or change one (built, not saved, by the form)."""
    with audited(actor):
        provision.full_clean()
        provision.save()
    return provision


def _recost(sessions: Iterable[Session], rates: Sequence[costs.Rate]) -> list[Session]:
    changed = []
    for session in sessions:
        cost = None
        if session.status == SessionStatus.DELIVERED:
            rate = costs.rate_on(rates, session.group.provision.staff_type, session.held_on)
            cost = costs.session_cost(minutes=session.minutes, rate=rate)
        if cost != session.cost:
            session.cost = cost
            changed.append(session)
    return changed


def staff_rate_set(
    *,
    school: School,
    staff_type: str,
    hourly_rate: Decimal,
    on_cost: Decimal,
    valid_from: date,
    actor: User,
) -> StaffRate:
    """Set the hourly rate of a staff type from a date (the head's decision). Sessions held on or after that
    date, until the next dated rate, are re-costed at it; earlier sessions keep the rate of their day."""
    with audited(actor):
        rate = StaffRate.objects.filter(school=school, staff_type=staff_type, valid_from=valid_from).first()
        rate = rate or StaffRate(school=school, staff_type=staff_type, valid_from=valid_from)
        rate.hourly_rate, rate.on_cost = hourly_rate, on_cost
        rate.full_clean()
        rate.save()
        affected = Session.objects.filter(
            group__provision__school=school, group__provision__staff_type=staff_type, held_on__gte=valid_from
        ).select_related("group__provision")
        changed = _recost(affected, rates_of(school))
        Session.objects.bulk_update(changed, ["cost"], batch_size=1000)
        place_costs_refresh(
            group_ids={s.group_id for s in changed}, years={academic_year_of(s.held_on) for s in changed}
        )
    return rate


def sen_budget_set(
    *, school: School, financial_year: int, notional_budget: Decimal, top_up_funding: Decimal, actor: User
) -> SenBudget:
    """Set the school's notional SEN budget and high-needs top-up for a financial year (the head's)."""
    with audited(actor):
        budget = SenBudget.objects.filter(school=school, financial_year=financial_year).first()
        budget = budget or SenBudget(school=school, financial_year=financial_year)
        budget.notional_budget, budget.top_up_funding = notional_budget, top_up_funding
        budget.full_clean()
        budget.save()
    return budget


def _check_pupils(school: School, pupils: Iterable[Pupil]) -> None:
    if any(p.school_id != school.pk for p in pupils):
        raise ValidationError({"pupils": "Every pupil must be on this school's roll."})


def group_start(
    *,
    provision: Provision,
    name: str,
    lead: User | None,
    starts_on: date,
    ends_on: date,
    weekday: int | None = None,
    starts_at: time | None = None,
    pupils: Sequence[Pupil] = (),
    actor: User,
) -> Group:
    """Start a running of a provision with its first pupils, each joining on the start date. A 1:1 provision is
    a group of one. More pupils than the provision's group size are refused."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The group cannot end before it starts."})
    if len(pupils) > provision.group_size:
        raise ValidationError({"pupils": f"This provision takes at most {provision.group_size} pupils."})
    _check_pupils(provision.school, pupils)
    with audited(actor):
        group = Group(
            provision=provision,
            name=name.strip(),
            lead=lead,
            starts_on=starts_on,
            ends_on=ends_on,
            weekday=weekday,
            starts_at=starts_at,
        )
        group.full_clean()
        group.save()
        for pupil in pupils:
            Allocation.objects.create(group=group, pupil=pupil, joined_on=starts_on)
    return group


def allocation_add(*, group: Group, pupil: Pupil, joined_on: date, actor: User) -> Allocation:
    """A pupil joins a group part-way (or rejoins); a pupil already in the group is left as they are."""
    _check_pupils(group.provision.school, [pupil])
    if not group.starts_on <= joined_on <= group.ends_on:
        raise ValidationError({"joined_on": "The pupil must join between the group's start and end dates."})
    current = group.allocations.filter(pupil=pupil).filter(Q(left_on__isnull=True) | Q(left_on__gte=joined_on))
    existing = current.first()
    if existing is not None:
        return existing
    open_places = group.allocations.filter(Q(left_on__isnull=True) | Q(left_on__gte=joined_on)).count()
    if open_places >= group.provision.group_size:
        raise ValidationError({"pupil": f"The group is full ({group.provision.group_size} places)."})
    with audited(actor):
        allocation = Allocation(group=group, pupil=pupil, joined_on=joined_on)
        allocation.full_clean()
        allocation.save()
    return allocation


def allocation_end(*, allocation: Allocation, left_on: date, actor: User) -> Allocation:
    """A pupil leaves a group: from the day after `left_on` they are no longer expected at its sessions."""
    if left_on < allocation.joined_on:
        raise ValidationError({"left_on": "A pupil cannot leave before they joined."})
    if allocation.left_on == left_on:
        return allocation
    with audited(actor):
        allocation.left_on = left_on
        allocation.full_clean()
        allocation.save(update_fields=["left_on"])
        dropped = Attendance.objects.filter(
            session__group=allocation.group, session__held_on__gt=left_on, pupil=allocation.pupil
        )
        years = {academic_year_of(d) for d in dropped.values_list("session__held_on", flat=True)}
        dropped.delete()
        place_costs_refresh(group_ids=[allocation.group_id], years=years)
    return allocation


def allocation_support_link(*, allocation: Allocation, support, actor: User) -> Allocation:
    """Link a place to the support plan line it delivers (or unlink with None), so the plan and the map name the
    same provision. The line must belong to a support plan of the same pupil."""
    if support is not None and support.cycle.plan.pupil_id != allocation.pupil_id:
        raise ValidationError({"support": "Choose a line of this pupil's own support plan."})
    if allocation.support_id == (support.pk if support else None):
        return allocation
    with audited(actor):
        allocation.support = support
        allocation.save(update_fields=["support"])
    return allocation


@dataclass(frozen=True)
class SessionInput:
    """One day's session as the lead records it: held or not, and which allocated pupils were absent."""

    held_on: date
    delivered: bool
    minutes: int
    cancel_reason: str = ""
    absent: frozenset[uuid.UUID] = field(default_factory=frozenset)


def sessions_record(*, group: Group, sessions: Sequence[SessionInput], today: date, actor: User) -> list[Session]:
    """Record a group's sessions (a week at once): each delivered one with attendance of the pupils allocated on
    its day and its staff cost at that day's rate; each cancelled one with its reason. Recording a day again
    replaces what was recorded for it."""
    errors = []
    for entry in sessions:
        day = f"{entry.held_on:%A} {entry.held_on.day} {entry.held_on:%B %Y}"
        if entry.held_on > today:
            errors.append(f"{day} is in the future: record a session once it has happened.")
        elif not group.starts_on <= entry.held_on <= group.ends_on:
            errors.append(f"{day} is outside the group's dates.")
        elif not entry.delivered and not entry.cancel_reason.strip():
            errors.append(f"{day}: say why the session was cancelled.")
    if errors:
        raise ValidationError(errors)
    rates = rates_of(group.provision.school)
    places = list(group.allocations.all())
    saved = []
    # One query for the days already recorded; the new days are written in one statement with their audit
    # rows (a term's sessions at once from the demo or a catch-up), the days recorded again one by one.
    latest = {entry.held_on: entry for entry in sessions}  # a day given twice: the last one counts
    with audited(actor):
        # A withdrawn session stays in the history; recording that day again makes a new one.
        recorded = Session.objects.filter(group=group, held_on__in=list(latest)).exclude(status=SessionStatus.WITHDRAWN)
        existing = {s.held_on: s for s in recorded}
        new_sessions, attendance = [], []
        for entry in latest.values():
            session = existing.get(entry.held_on) or Session(group=group, held_on=entry.held_on)
            session.status = SessionStatus.DELIVERED if entry.delivered else SessionStatus.CANCELLED
            session.minutes = entry.minutes
            session.cancel_reason = "" if entry.delivered else entry.cancel_reason.strip()
            session.recorded_by = actor
            expected = [a.pupil_id for a in places if a.on(entry.held_on)] if entry.delivered else []
            present = [p for p in expected if p not in entry.absent]
            session.present_count = len(present)
            rate = costs.rate_on(rates, group.provision.staff_type, entry.held_on)
            session.cost = costs.session_cost(minutes=entry.minutes, rate=rate) if entry.delivered else None
            if session.held_on in existing:
                session.full_clean(exclude=["group"])
                session.save()
            else:
                # Constraints hold already: one per day (looked up above), a reason when cancelled (checked).
                session.full_clean(exclude=["group"], validate_unique=False, validate_constraints=False)
                new_sessions.append(session)
            attendance += [Attendance(session=session, pupil_id=p, is_present=p not in entry.absent) for p in expected]
            saved.append(session)
        bulk_create_audited(Session, new_sessions, actor=actor)
        Attendance.objects.filter(session__in=list(existing.values())).delete()
        Attendance.objects.bulk_create(attendance)
        place_costs_refresh(group_ids=[group.pk], years={academic_year_of(s.held_on) for s in saved})
    return saved


def session_withdraw(*, session: Session, reason: str, now: datetime, actor: User) -> Session:
    """Withdraw a session recorded by mistake: it stays in the group's history, marked withdrawn with the reason,
    who and when, and what it was recorded as; its cost is cleared and the pupils' delivered costs worked out
    again without it. Attendance marks are kept for the record; every figure counts delivered sessions only."""
    reason = reason.strip()
    if session.status == SessionStatus.WITHDRAWN:
        raise ValidationError("This session has already been withdrawn.")
    if not reason:
        raise ValidationError({"reason": "Say why the session is being withdrawn."})
    with audited(actor):
        session.withdrawn_status = session.status
        session.status = SessionStatus.WITHDRAWN
        session.withdrawn_reason = reason
        session.withdrawn_by = actor
        session.withdrawn_at = now
        session.cost = None
        session.full_clean(exclude=["group", "recorded_by"])
        session.save()
        place_costs_refresh(group_ids=[session.group_id], years={academic_year_of(session.held_on)})
    return session


@dataclass(frozen=True)
class ScoreInput:
    allocation_id: uuid.UUID
    entry_score: Decimal | None
    exit_score: Decimal | None


def scores_record(
    *,
    group: Group,
    scores: Sequence[ScoreInput],
    entry_on: date | None,
    exit_on: date | None,
    actor: User,
) -> int:
    """Enter the entry and exit scores of a group's pupils on the provision's measure, refused outside the
    measure's scale. A blank leaves a score as it was. Returns the number of places changed."""
    low, high = SCALE_LIMITS[group.provision.measure_scale]
    places = {a.pk: a for a in group.allocations.all()}
    errors = []
    for row in scores:
        for value in (row.entry_score, row.exit_score):
            if value is not None and not low <= value <= high:
                errors.append(f"{value} is outside the scale of {group.provision.measure_name} ({low} to {high}).")
        if row.allocation_id not in places:
            errors.append("A score was given for a pupil who is not in this group.")
    if any(r.entry_score is not None for r in scores) and entry_on is None:
        errors.append("Give the date of the entry assessment.")
    if any(r.exit_score is not None for r in scores) and exit_on is None:
        errors.append("Give the date of the exit assessment.")
    if entry_on and exit_on and exit_on < entry_on:
        errors.append("The exit assessment cannot come before the entry assessment.")
    if errors:
        raise ValidationError(errors)
    changed = []
    with audited(actor):
        for row in scores:
            place = places[row.allocation_id]
            before = (place.entry_score, place.entry_on, place.exit_score, place.exit_on)
            if row.entry_score is not None:
                place.entry_score, place.entry_on = row.entry_score, entry_on
            if row.exit_score is not None:
                place.exit_score, place.exit_on = row.exit_score, exit_on
            if (place.entry_score, place.entry_on, place.exit_score, place.exit_on) != before:
                place.save(update_fields=["entry_score", "entry_on", "exit_score", "exit_on"])
                changed.append(place)
    return len(changed)
