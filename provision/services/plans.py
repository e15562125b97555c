"""Support plans: the assess-plan-do-review cycles of the graduated approach (CoP 6.44 to 6.56)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from deadlines import school_duties
from deadlines import services as deadline_services
from deadlines.kinds import DeadlineSpec
from pupils.models import Pupil, RegisterStatus
from pupils.services import audited
from send_mis.dates import not_in_future

from ..kinds import PLAN_REVIEW
from ..models import (
    Cycle,
    CycleNote,
    FlagStatus,
    Outcome,
    ProgressFlag,
    Support,
    SupportPlan,
)

# --- Support plans ----------------------------------------------------------------------------------------


def class_teacher(pupil: Pupil):
    """The person responsible for a pupil's plan reviews and meetings: the first teacher of their class."""
    school_class = pupil.school_class
    return school_class.teachers.order_by("pk").first() if school_class is not None else None


def support_plan_start(
    *, pupil: Pupil, started_on: date, actor: User, flag: ProgressFlag | None = None, evidence: str = ""
) -> SupportPlan:
    """Start SEN support for a pupil: a plan with its first cycle at the assess stage, its evidence pre-filled
    with `evidence` (the concerns and flags gathered). A pupil has one open plan: starting again returns it. The
    SEND register is the SENCO's to change and is not touched; if the pupil is on SEN support, the duty to tell
    the parents is opened now rather than at the next daily sweep."""
    with audited(actor):
        plan = SupportPlan.objects.filter(pupil=pupil, ended_on__isnull=True).first()
        if plan is None:
            plan = SupportPlan(pupil=pupil, started_on=started_on, flag=flag, created_by=actor)
            plan.full_clean()
            plan.save()
            Cycle.objects.create(plan=plan, number=1, assessment_evidence=evidence.strip())
            entry = pupil.register_entries.filter(ended_on__isnull=True, status=RegisterStatus.SEN_SUPPORT).first()
            if entry is not None:
                school_duties.parents_told_open(entry=entry)
        if flag is not None and flag.status == FlagStatus.OPEN:
            flag.status = FlagStatus.PLAN_STARTED
            flag.actioned_by = actor
            flag.actioned_at = timezone.now()
            flag.save()
    return plan


def plan_parents_told(*, plan: SupportPlan, told_on: date, how: str, actor: User) -> SupportPlan:
    """Record when and how parents were told that SEN provision started (CFA s.68; CoP 6.48; policy section 2):
    the parents-told deadline of the pupil's SEN support register entry closes that day."""
    with audited(actor):
        plan.parents_told_on = told_on
        plan.parents_told_how = how.strip()
        plan.full_clean()
        plan.save(update_fields=["parents_told_on", "parents_told_how"])
        school_duties.parents_told_record(pupil=plan.pupil, told_on=told_on)
    return plan


def _refuse_if_ended(plan: SupportPlan) -> None:
    if plan.ended_on is not None:
        raise ValidationError(
            f"This support plan ended on {plan.ended_on:%-d %B %Y}; start a new support plan instead."
        )


def support_plan_end(*, plan: SupportPlan, ended_on: date, reason: str, today: date, actor: User) -> SupportPlan:
    """End a support plan (the pupil no longer needs it, or the support moves to an EHC plan). Its open review
    deadline is excused with the reason, which is kept on the plan (`end_reason`), so every cycle and the
    reason stay in the SEND history. Ending again on the same day changes nothing. The SEND register
    is the SENCO's to change and is not touched."""
    reason = (reason or "").strip()
    if plan.ended_on is not None:
        if plan.ended_on == ended_on:
            return plan
        raise ValidationError({"ended_on": f"This support plan already ended on {plan.ended_on:%-d %B %Y}."})
    errors = {}
    if not reason:
        errors["reason"] = "Say why the support plan is ending."
    future = not_in_future(ended_on, today=today, what="date the plan ended")
    if future:
        errors["ended_on"] = future
    elif ended_on < plan.started_on:
        errors["ended_on"] = f"The plan cannot end before it started on {plan.started_on:%-d %B %Y}."
    if errors:
        raise ValidationError(errors)
    with audited(actor):
        current = SupportPlan.objects.select_for_update().get(pk=plan.pk)
        if current.ended_on is not None:  # ended by a concurrent request
            return current
        plan.ended_on, plan.end_reason = ended_on, reason
        plan.full_clean()
        plan.save(update_fields=["ended_on", "end_reason"])
        deadline_services.deadlines_excuse_for(
            sources=plan.cycles.all(),
            kinds=[PLAN_REVIEW],
            reason=f"Support plan ended on {ended_on:%-d %B %Y}: {reason}",
        )
    return plan


ASSESS_FIELDS = (
    "needs_communication",
    "needs_cognition",
    "needs_semh",
    "needs_sensory",
    "assessment_evidence",
    "pupil_views",
    "parent_views",
)


def cycle_assess(*, cycle: Cycle, data: Mapping[str, str], actor: User) -> Cycle:
    """Assess: needs by broad area, the evidence, and the pupil's and parents' views."""
    _refuse_if_ended(cycle.plan)
    if cycle.is_reviewed:
        raise ValidationError("This cycle has been reviewed; work in the next cycle.")
    if not any((data.get(f) or "").strip() for f in ASSESS_FIELDS[:4]):
        raise ValidationError("Describe the pupil's needs in at least one broad area.")
    with audited(actor):
        for name in ASSESS_FIELDS:
            setattr(cycle, name, (data.get(name) or "").strip())
        cycle.full_clean()
        cycle.save()
    return cycle


@dataclass(frozen=True)
class OutcomeInput:
    description: str
    success_measure: str


@dataclass(frozen=True)
class SupportInput:
    description: str
    delivered_by: str
    frequency: str
    starts_on: date


def cycle_plan(
    *,
    cycle: Cycle,
    adjustments: str,
    expected_impact: str,
    review_on: date,
    outcomes: list[OutcomeInput],
    supports: list[SupportInput],
    actor: User,
) -> Cycle:
    """Plan: outcomes (each specific and measurable), adjustments, interventions and support, the expected
    impact and a review date, which opens the plan-review deadline (responsible: the class teacher). A
    changed plan needs the SENCO's agreement again."""
    _refuse_if_ended(cycle.plan)
    if cycle.is_reviewed:
        raise ValidationError("This cycle has been reviewed; work in the next cycle.")
    if not outcomes:
        raise ValidationError("Add at least one outcome, with how you will measure it.")
    if review_on <= cycle.plan.started_on:
        raise ValidationError({"review_on": "The review date must be after the plan started."})
    with audited(actor):
        cycle.adjustments = adjustments.strip()
        cycle.expected_impact = expected_impact.strip()
        cycle.review_on = review_on
        cycle.planned_by = actor
        cycle.agreed_by = None
        cycle.agreed_at = None
        cycle.full_clean()
        cycle.save()
        cycle.outcomes.all().delete()
        cycle.supports.all().delete()
        for position, item in enumerate(outcomes):
            Outcome.objects.create(
                cycle=cycle, position=position, description=item.description, success_measure=item.success_measure
            )
        for position, support in enumerate(supports):
            Support.objects.create(
                cycle=cycle,
                position=position,
                description=support.description,
                delivered_by=support.delivered_by,
                frequency=support.frequency,
                starts_on=support.starts_on,
            )
        pupil = cycle.plan.pupil
        deadline_services.deadlines_sync(
            source=cycle,
            pupil=pupil,
            specs=[DeadlineSpec(kind=PLAN_REVIEW, due_on=review_on, responsible=class_teacher(pupil))],
        )
    return cycle


def cycle_agree(*, cycle: Cycle, actor: User) -> Cycle:
    """The SENCO agrees the plan. Agreeing twice changes nothing."""
    if not cycle.is_planned:
        raise ValidationError("There is no plan to agree yet.")
    with audited(actor):
        if cycle.agreed_at is None:
            cycle.agreed_by = actor
            cycle.agreed_at = timezone.now()
            cycle.save(update_fields=["agreed_by", "agreed_at"])
    return cycle


def cycle_note_add(*, cycle: Cycle, written_on: date, text: str, actor: User) -> CycleNote:
    """Do: a dated note from someone delivering the plan."""
    _refuse_if_ended(cycle.plan)
    with audited(actor):
        note = CycleNote(cycle=cycle, written_on=written_on, text=text.strip(), author=actor)
        note.full_clean()
        note.save()
    return note


@dataclass(frozen=True)
class OutcomeReview:
    outcome_id: object
    progress: str
    evidence: str


def cycle_review(
    *,
    cycle: Cycle,
    reviewed_on: date,
    outcome_reviews: list[OutcomeReview],
    impact: str,
    pupil_views: str,
    parent_views: str,
    next_steps: str,
    actor: User,
) -> Cycle:
    """Review: progress on each outcome with its evidence, the impact, the pupil's and parents' views and the
    next steps. Closes the review deadline and opens the next cycle, pre-filled from this one (needs,
    adjustments, support, and the outcomes not yet achieved). Returns the new cycle."""
    with audited(actor):
        cycle = Cycle.objects.select_for_update().select_related("plan__pupil").get(pk=cycle.pk)
        if cycle.is_reviewed:
            return cycle.plan.cycles.get(number=cycle.number + 1)
        _refuse_if_ended(cycle.plan)  # an ended plan gets no new cycle
        if not cycle.is_planned:
            raise ValidationError("Plan the cycle before reviewing it.")
        by_id = {str(o.pk): o for o in cycle.outcomes.all()}
        given = {str(r.outcome_id): r for r in outcome_reviews}
        if set(given) != set(by_id):
            raise ValidationError("Record progress on every outcome.")
        for key, outcome in by_id.items():
            outcome.progress = given[key].progress
            outcome.progress_evidence = given[key].evidence.strip()
            outcome.full_clean()
            outcome.save()
        cycle.reviewed_on = reviewed_on
        cycle.impact = impact.strip()
        cycle.review_pupil_views = pupil_views.strip()
        cycle.review_parent_views = parent_views.strip()
        cycle.next_steps = next_steps.strip()
        cycle.reviewed_by = actor
        cycle.full_clean()
        cycle.save()
        deadline_services.deadline_close(source=cycle, kind=PLAN_REVIEW, met_on=reviewed_on)
        following = Cycle.objects.create(
            plan=cycle.plan,
            number=cycle.number + 1,
            **{name: getattr(cycle, name) for name in ASSESS_FIELDS if name not in ("pupil_views", "parent_views")},
            pupil_views=cycle.review_pupil_views,
            parent_views=cycle.review_parent_views,
            adjustments=cycle.adjustments,
            expected_impact=cycle.expected_impact,
        )
        for outcome in by_id.values():
            if outcome.progress != "achieved":
                Outcome.objects.create(
                    cycle=following,
                    position=outcome.position,
                    description=outcome.description,
                    success_measure=outcome.success_measure,
                )
        for support in cycle.supports.all():
            Support.objects.create(
                cycle=following,
                position=support.position,
                description=support.description,
                delivered_by=support.delivered_by,
                frequency=support.frequency,
                starts_on=support.starts_on,
            )
    return following
