"""Draft plans and consultation; plans: new, detail, amend, transfer-in, cease; the summary and read confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils import access
from pupils.services import pupil_record_viewed
from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from .. import forms, selectors, services, statutory
from ..access import EhcAction, ehc_can
from ..models import PLAN_SECTIONS, DraftPlanConsultation, EhcPlan, PlanStatus, Recommendation
from ._common import CHANGE, VIEW, _overview_url, _pupil, _record, _register_prompt


@login_required
def draft_new(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = _pupil(request, pupil_id, CHANGE)
    form = forms.DraftReceiveForm(bound(request), pupil=pupil)
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.draft_receive(
            pupil=pupil,
            plan=selectors.active_plan(pupil) if not d["assessment"] else None,
            today=timezone.localdate(),
            actor=request.user,
            **d,
        ),
        success="Draft recorded; the school's views are due within 15 days.",
        next_url=back,
        template="ehc/step_form.html",
        context={
            "pupil": pupil,
            "title": "Record a draft EHC plan received",
            "back": back,
            "rule": statutory.RULES["draft_views"],
        },
    )


@login_required
def draft_edit(request: AuthenticatedHttpRequest, draft_id) -> HttpResponse:
    draft, pupil = _record(request, DraftPlanConsultation.objects.all(), draft_id, CHANGE)
    form = forms.DraftReceivedForm(bound(request), initial={"received_on": draft.received_on})
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.draft_received_correct(
            draft=draft, today=timezone.localdate(), actor=request.user, **d
        ),
        success="Date corrected; the views deadline is re-computed.",
        next_url=back,
        template="ehc/step_form.html",
        context={
            "pupil": pupil,
            "title": "Correct the day the draft plan arrived",
            "back": back,
            "rule": statutory.RULES["draft_views"],
        },
    )


@login_required
def draft_response(request: AuthenticatedHttpRequest, draft_id) -> HttpResponse:
    draft, pupil = _record(request, DraftPlanConsultation.objects.all(), draft_id, CHANGE)
    form = forms.DraftResponseForm(
        bound(request), initial={"response": draft.response, "submitted_on": draft.submitted_on}
    )
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.draft_respond(draft=draft, today=timezone.localdate(), actor=request.user, **d),
        success="Views recorded as sent.",
        next_url=back,
        template="ehc/step_form.html",
        context={
            "pupil": pupil,
            "title": "The school's views on the draft plan",
            "back": back,
            "rule": statutory.RULES["draft_views"],
            "due_on": statutory.draft_views_due(draft.received_on),
        },
    )


@login_required
def plan_new(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = _pupil(request, pupil_id, CHANGE)
    today = timezone.localdate()
    initial = {
        "la_name": pupil.school.la_name,
        "named_school": pupil.school.name,
        "review_interval_months": 6 if services.is_under_five(pupil, today) else 12,
    }
    form = forms.PlanIssueForm(bound(request), pupil=pupil, initial=initial)

    def save(data):
        sections = form.sections()
        fields = {k: v for k, v in data.items() if k not in sections}
        return services.plan_issue(
            pupil=pupil, sections=sections, today=timezone.localdate(), actor=request.user, **fields
        )

    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=save,
        success="EHC plan recorded; the first annual review deadline is open.",
        next_url=back,
        template="ehc/plan_form.html",
        context={
            "pupil": pupil,
            "title": "Record a final EHC plan",
            "back": back,
            "rule": statutory.RULES["annual_review"],
        },
    )


@login_required
def plan_detail(request: AuthenticatedHttpRequest, plan_id) -> HttpResponse:
    plan, pupil = _record(request, EhcPlan.objects.all(), plan_id, VIEW)
    pupil_record_viewed(pupil=pupil, actor=request.user)
    versions = list(plan.versions.select_related("created_by").order_by("-number"))
    chosen = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == chosen), versions[0] if versions else None)
    context = {
        "plan": plan,
        "pupil": pupil,
        "versions": versions,
        "version": version,
        "confirmations": selectors.read_confirmations(version) if version else [],
        "check": selectors.a_to_k_check(version),
        "can": access.pupil_can(request.user, pupil) | ehc_can(request.user, pupil),
        "reviews": plan.reviews.order_by("-meeting_on"),
        "register_prompt": _register_prompt(pupil, [plan]),
        "transfers": list(plan.phase_transfers.all()),
    }
    return render(request, "ehc/plan_detail.html", context)


@login_required
def plan_amend(request: AuthenticatedHttpRequest, plan_id) -> HttpResponse:
    plan, pupil = _record(request, EhcPlan.objects.all(), plan_id, CHANGE)
    current = selectors.current_version(plan)
    initial = {field: getattr(current, field) for field, _, _ in PLAN_SECTIONS} if current else {}
    form = forms.PlanAmendForm(bound(request), initial=initial)
    back = reverse("ehc:plan-detail", args=[plan.pk])
    return form_step(
        request,
        form=form,
        save=lambda d: services.plan_amend(
            plan=plan,
            issued_on=d["issued_on"],
            sections=form.sections(),
            next_school=d["next_school"],
            today=timezone.localdate(),
            actor=request.user,
        ),
        success="Amended plan recorded as a new version.",
        next_url=back,
        template="ehc/plan_form.html",
        context={"pupil": pupil, "title": "Record an amended EHC plan", "back": back},
    )


@login_required
def plan_transfer_in(request: AuthenticatedHttpRequest, plan_id) -> HttpResponse:
    plan, pupil = _record(request, EhcPlan.objects.all(), plan_id, CHANGE)
    initial = {
        "transferred_on": plan.transferred_in_on,
        "previous_la_name": plan.previous_la_name,
        "la_name": plan.la_name,
        "notified_on": plan.transfer_notice_on,
    }
    form = forms.PlanTransferInForm(bound(request), initial=initial)
    back = reverse("ehc:plan-detail", args=[plan.pk])
    return form_step(
        request,
        form=form,
        save=lambda d: services.plan_transfer_in_record(plan=plan, today=timezone.localdate(), actor=request.user, **d),
        success="Transfer recorded; the new LA's 6-week duty and the review date follow it.",
        next_url=back,
        template="ehc/step_form.html",
        context={
            "pupil": pupil,
            "title": "Record the plan transferred from another LA",
            "back": back,
            "intro": f"{statutory.RULES['la_transfer_notice']}. {statutory.RULES['transfer_review']}.",
        },
    )


def _cease_prefill(plan: EhcPlan, review_id: str) -> dict:
    """The cease form pre-filled from an annual review whose LA decision was to cease (?review=<id>)."""
    try:
        review = plan.reviews.filter(pk=review_id, la_decision=Recommendation.CEASE).first() if review_id else None
    except ValidationError:  # not a UUID
        review = None
    if review is None:
        return {"ceased_on": timezone.localdate()}
    held = f", after the annual review held on {review.held_on:%-d %B %Y}" if review.held_on else ""
    return {
        "ceased_on": review.la_decision_on,
        "reason": f"The LA decided on {review.la_decision_on:%-d %B %Y}{held}, to cease the plan.",
    }


@login_required
def plan_cease(request: AuthenticatedHttpRequest, plan_id) -> HttpResponse:
    plan, pupil = _record(request, EhcPlan.objects.all(), plan_id, EhcAction.CEASE)
    plan_url = reverse("ehc:plan-detail", args=[plan.pk])
    if plan.status == PlanStatus.CEASED and request.method != "POST":
        messages.info(request, f"This plan ceased on {plan.ceased_on:%-d %B %Y}.")
        return redirect(plan_url)
    form = forms.PlanCeaseForm(bound(request), initial=_cease_prefill(plan, request.GET.get("review", "")))
    return form_step(
        request,
        form=form,
        save=lambda d: services.plan_cease(plan=plan, today=timezone.localdate(), actor=request.user, **d),
        success="Plan recorded as ceased; its open deadlines are excused. Check the pupil's SEND register entry.",
        next_url=plan_url,
        template="ehc/step_form.html",
        context={
            "pupil": pupil,
            "title": "Record the EHC plan ceased",
            "back": plan_url,
            "intro": f"{plan.la_name} plan, issued {plan.issued_on:%-d %B %Y}. Its open deadlines (the next annual "
            "review, any phase transfer, invitations and the LA's duties) will be excused. The SEND "
            "register is not changed: review the pupil's register entry afterwards.",
        },
    )


@login_required
def plan_summary(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = _pupil(request, pupil_id, EhcAction.PLAN_SUMMARY)
    pupil_record_viewed(pupil=pupil, actor=request.user)
    plan = selectors.active_plan(pupil)
    version = selectors.current_version(plan) if plan else None
    confirmation = version.read_confirmations.filter(teacher=request.user).first() if version else None
    can = ehc_can(request.user, pupil)
    return render(
        request,
        "ehc/plan_summary.html",
        {"pupil": pupil, "plan": plan, "version": version, "confirmation": confirmation, "can": can},
    )


@login_required
@require_POST
def plan_confirm_read(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = _pupil(request, pupil_id, EhcAction.CONFIRM_READ)
    plan = selectors.active_plan(pupil)
    version = selectors.current_version(plan) if plan else None
    if version is None:
        messages.error(request, "There is no current plan to confirm.")
    else:
        services.plan_read_confirm(version=version, actor=request.user)
        messages.success(request, "Thank you: your confirmation that you have read the plan summary is recorded.")
    return redirect("ehc:plan-summary", pupil_id=pupil.pk)
