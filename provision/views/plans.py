"""Support plans (SEN support) as assess-plan-do-review cycles, and the pupil's provision page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils import services as pupil_services
from pupils.models import Pupil
from send_mis.steps import AuthenticatedHttpRequest, apply_service_errors, bound, form_step

from .. import selectors, services
from ..access import ProvisionAction, get_pupil_for_provision, provision_can
from ..forms import (
    AssessForm,
    NoteForm,
    OutcomeFormSet,
    ParentsToldForm,
    PlanEndForm,
    PlanForm,
    PlanStartForm,
    ReviewForm,
    SupportFormSet,
)
from ..models import Cycle, ProgressFlag, SupportPlan


@login_required
def pupil_provision(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_provision(request.user, pupil_id)
    pupil_services.pupil_record_viewed(pupil=pupil, actor=request.user)
    return render(
        request,
        "provision/pupil_provision.html",
        {
            "pupil": pupil,
            "plans": selectors.plans_of(pupil),
            "flags": ProgressFlag.objects.filter(pupil=pupil)
            .select_related("subject", "point")
            .order_by("-point__assessed_on"),
            "meetings": pupil.parent_meetings.all(),
            "duties": selectors.pupil_duties(pupil, today=timezone.localdate()),
            "passport": selectors.current_passport(pupil),
            "checks": pupil.progress_checks_two.all(),
            "is_nursery": pupil.year_group < 0,
            "can": provision_can(request.user, pupil),
        },
    )


@login_required
def plan_start(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    after_sen_support = request.GET.get("after") == "sen-support"
    open_plan = selectors.open_plans_by_pupil([pupil.pk]).get(pupil.pk)
    if after_sen_support and open_plan is not None and request.method == "GET":
        messages.info(request, "SEN support has started; the pupil already has a support plan.")
        return redirect(_plan_url(pupil, open_plan))
    initial = {"started_on": timezone.localdate(), "evidence": selectors.sen_support_evidence(pupil)}
    form = PlanStartForm(bound(request), initial=initial)
    return form_step(
        request,
        form=form,
        save=lambda data: services.support_plan_start(
            pupil=pupil, started_on=data["started_on"], evidence=data["evidence"], actor=request.user
        ),
        success="Support plan started: begin with the assessment of need.",
        next_url=lambda plan: _plan_url(pupil, plan),
        template="provision/plan_start.html",
        context={"pupil": pupil, "after_sen_support": after_sen_support},
    )


@login_required
def plan_detail(request: AuthenticatedHttpRequest, pupil_id, plan_id) -> HttpResponse:
    pupil = get_pupil_for_provision(request.user, pupil_id)
    plan = get_object_or_404(selectors.plans_of(pupil), pk=plan_id)
    pupil_services.pupil_record_viewed(pupil=pupil, actor=request.user)
    cycles = list(plan.cycles.all())
    current = selectors.cycle_detail(cycles[0]) if cycles else None
    selectors.with_review_states([c for c in [current, *cycles[1:]] if c is not None], today=timezone.localdate())
    return render(
        request,
        "provision/plan_detail.html",
        {
            "pupil": pupil,
            "plan": plan,
            "current": current,
            "earlier": cycles[1:],
            "can": provision_can(request.user, pupil),
            "parents_form": ParentsToldForm(initial={"told_on": timezone.localdate()}),
            "note_form": NoteForm(initial={"written_on": timezone.localdate()}),
        },
    )


def _plan(request: AuthenticatedHttpRequest, pupil_id, plan_id, action=ProvisionAction.WORK):
    pupil = get_pupil_for_provision(request.user, pupil_id, action=action)
    return pupil, get_object_or_404(SupportPlan, pk=plan_id, pupil=pupil)


def _cycle(request: AuthenticatedHttpRequest, pupil_id, cycle_id, action=ProvisionAction.WORK):
    pupil = get_pupil_for_provision(request.user, pupil_id, action=action)
    cycle = get_object_or_404(Cycle.objects.select_related("plan"), pk=cycle_id, plan__pupil=pupil)
    return pupil, cycle


def _plan_url(pupil: Pupil, plan: SupportPlan) -> str:
    return reverse("provision:plan-detail", args=[pupil.pk, plan.pk])


@login_required
def plan_parents_told(request: AuthenticatedHttpRequest, pupil_id, plan_id) -> HttpResponse:
    pupil, plan = _plan(request, pupil_id, plan_id)
    form = ParentsToldForm(bound(request), initial={"told_on": timezone.localdate()})
    return form_step(
        request,
        form=form,
        save=lambda data: services.plan_parents_told(
            plan=plan, told_on=data["told_on"], how=data["how"], actor=request.user
        ),
        success="Recorded when and how parents were told.",
        next_url=_plan_url(pupil, plan),
        template="provision/simple_form.html",
        context={
            "pupil": pupil,
            "title": "Parents told that SEN provision has started",
            "back": plan,
            "submit": "Save",
        },
    )


@login_required
def plan_end(request: AuthenticatedHttpRequest, pupil_id, plan_id) -> HttpResponse:
    pupil, plan = _plan(request, pupil_id, plan_id, action=ProvisionAction.END_PLAN)
    if plan.ended_on is not None and request.method != "POST":
        messages.info(request, f"This support plan ended on {plan.ended_on:%-d %B %Y}.")
        return redirect(_plan_url(pupil, plan))
    form = PlanEndForm(bound(request), initial={"ended_on": timezone.localdate()})
    return form_step(
        request,
        form=form,
        save=lambda data: services.support_plan_end(plan=plan, today=timezone.localdate(), actor=request.user, **data),
        success="Support plan ended; its review deadline is excused and everything stays in "
        "the SEND history. The SENCO reviews the pupil's SEND register entry.",
        next_url=_plan_url(pupil, plan),
        template="provision/simple_form.html",
        context={
            "pupil": pupil,
            "title": "End the support plan",
            "back": plan,
            "submit": "End the support plan",
            "intro": f"Support plan from {plan.started_on:%-d %B %Y}. Ending it excuses its open review deadline with "
            "the reason you give. No new cycle can be added afterwards; its cycles, notes and reviews stay in "
            "the SEND history. The SEND register is not changed.",
        },
    )


@login_required
def cycle_assess(request: AuthenticatedHttpRequest, pupil_id, cycle_id) -> HttpResponse:
    pupil, cycle = _cycle(request, pupil_id, cycle_id)
    initial = {name: getattr(cycle, name) for name in services.ASSESS_FIELDS}
    form = AssessForm(bound(request), initial=initial)
    return form_step(
        request,
        form=form,
        save=lambda data: services.cycle_assess(cycle=cycle, data=data, actor=request.user),
        success="Assessment saved. Next: the plan.",
        next_url=_plan_url(pupil, cycle.plan),
        template="provision/cycle_assess.html",
        context={"pupil": pupil, "cycle": cycle},
    )


@login_required
def cycle_plan(request: AuthenticatedHttpRequest, pupil_id, cycle_id) -> HttpResponse:
    pupil, cycle = _cycle(request, pupil_id, cycle_id)
    # A form and two formsets are saved together, so this step is written out; it binds like every other.
    data = bound(request)
    form = PlanForm(
        data,
        initial={
            "adjustments": cycle.adjustments,
            "expected_impact": cycle.expected_impact,
            "review_on": cycle.review_on,
        },
    )
    outcomes = OutcomeFormSet(
        data,
        prefix="outcome",
        initial=[{"description": o.description, "success_measure": o.success_measure} for o in cycle.outcomes.all()],
    )
    supports = SupportFormSet(
        data,
        prefix="support",
        initial=[
            {
                "description": s.description,
                "delivered_by": s.delivered_by,
                "frequency": s.frequency,
                "starts_on": s.starts_on,
            }
            for s in cycle.supports.all()
        ],
    )
    if data is not None and form.is_valid() and outcomes.is_valid() and supports.is_valid():
        try:
            services.cycle_plan(
                cycle=cycle,
                adjustments=form.cleaned_data["adjustments"],
                expected_impact=form.cleaned_data["expected_impact"],
                review_on=form.cleaned_data["review_on"],
                outcomes=[
                    services.OutcomeInput(f["description"].strip(), f["success_measure"].strip())
                    for f in outcomes.cleaned_data
                    if f.get("description", "").strip()
                ],
                supports=[
                    services.SupportInput(f["description"], f["delivered_by"], f["frequency"], f["starts_on"])
                    for f in supports.cleaned_data
                    if f.get("description", "").strip()
                ],
                actor=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, "Plan saved; the review date is in the class teacher's deadlines. The SENCO agrees the plan."
            )
            return redirect(_plan_url(pupil, cycle.plan))
    return render(
        request,
        "provision/cycle_plan.html",
        {
            "pupil": pupil,
            "cycle": cycle,
            "form": form,
            "outcomes": outcomes,
            "supports": supports,
        },
    )


@login_required
def cycle_note(request: AuthenticatedHttpRequest, pupil_id, cycle_id) -> HttpResponse:
    pupil, cycle = _cycle(request, pupil_id, cycle_id)
    form = NoteForm(bound(request), initial={"written_on": timezone.localdate()})
    return form_step(
        request,
        form=form,
        save=lambda data: services.cycle_note_add(cycle=cycle, actor=request.user, **data),
        success="Note added.",
        next_url=_plan_url(pupil, cycle.plan),
        template="provision/simple_form.html",
        context={
            "pupil": pupil,
            "title": f"Add a note to cycle {cycle.number}",
            "back": cycle.plan,
            "submit": "Add the note",
        },
    )


@login_required
def cycle_review(request: AuthenticatedHttpRequest, pupil_id, cycle_id) -> HttpResponse:
    pupil, cycle = _cycle(request, pupil_id, cycle_id)
    outcomes = list(cycle.outcomes.all())
    form = ReviewForm(
        bound(request),
        outcomes=outcomes,
        scheduled_on=cycle.review_on,
        initial={"reviewed_on": timezone.localdate()},
    )
    return form_step(
        request,
        form=form,
        save=lambda data: services.cycle_review(
            cycle=cycle,
            reviewed_on=data["reviewed_on"],
            outcome_reviews=[
                services.OutcomeReview(o.pk, data[f"progress-{o.pk}"], data[f"evidence-{o.pk}"]) for o in outcomes
            ],
            impact=data["impact"],
            pupil_views=data["pupil_views"],
            parent_views=data["parent_views"],
            next_steps=data["next_steps"],
            actor=request.user,
        ),
        success="Review recorded. The next cycle is open, filled in from this one.",
        next_url=_plan_url(pupil, cycle.plan),
        template="provision/cycle_review.html",
        context={"pupil": pupil, "cycle": cycle},
    )


@login_required
@require_POST
def cycle_agree(request: AuthenticatedHttpRequest, pupil_id, cycle_id) -> HttpResponse:
    pupil, cycle = _cycle(request, pupil_id, cycle_id, action=ProvisionAction.AGREE)
    try:
        services.cycle_agree(cycle=cycle, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Plan agreed by the SENCO.")
    return redirect(_plan_url(pupil, cycle.plan))
