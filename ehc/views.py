"""Thin views for the EHC workflow: parse, ask ehc/access.py, one service call, redirect or render.

Every pupil-scoped page resolves its pupil through ehc.access.get_pupil_for_ehc (404 out of sight, 403 not for this
role); child records (assessments, plans, reviews...) are fetched by id first and then delegate to it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils import access
from pupils.access import school_action_required
from pupils.models import DisclosedDocument, Pupil, RegisterStatus, School
from pupils.services import disclosure_record, pupil_record_viewed, register_entry_change
from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from . import forms, selectors, services, statutory
from .access import EhcAction, EhcSchoolAction, ehc_can, get_pupil_for_ehc
from .models import (
    PLAN_SECTIONS,
    AnnualReview,
    Disagreement,
    DraftPlanConsultation,
    EhcAssessment,
    EhcPlan,
    PlanStatus,
    ReassessmentRequest,
    Recommendation,
    ReviewAdvice,
)
from .pdf import pdf_response

VIEW, CHANGE = EhcAction.VIEW, EhcAction.CHANGE


def _pupil(request: AuthenticatedHttpRequest, pupil_id, action: EhcAction) -> Pupil:
    return get_pupil_for_ehc(request.user, pupil_id, action=action)


def _record(request: AuthenticatedHttpRequest, queryset, pk, action: EhcAction, *, pupil_of=lambda obj: obj.pupil_id):
    """A child record by id (404 if none), then the access rule of its pupil."""
    obj = get_object_or_404(queryset, pk=pk)
    pupil = _pupil(request, pupil_of(obj), action)
    return obj, pupil


def _review(request: AuthenticatedHttpRequest, review_id, action: EhcAction) -> tuple[AnnualReview, Pupil]:
    review, pupil = _record(
        request, AnnualReview.objects.select_related("plan"), review_id, action, pupil_of=lambda r: r.plan.pupil_id
    )
    review.plan.pupil = pupil
    return review, pupil


def _overview_url(pupil: Pupil) -> str:
    return reverse("ehc:overview", args=[pupil.pk])


# --- School-wide -------------------------------------------------------------------------------


@school_action_required(EhcSchoolAction.INDEX)
def index(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    context = selectors.caseload(school, today=timezone.localdate())
    context["school"] = school
    context["can_la_timeliness"] = access.can_in_school(request.user, school.pk, EhcSchoolAction.LA_TIMELINESS)
    return render(request, "ehc/index.html", context)


@school_action_required(EhcSchoolAction.LA_TIMELINESS)
def la_timeliness(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    rows = selectors.la_timeliness(school, today=timezone.localdate())
    return render(request, "ehc/la_timeliness.html", {"school": school, "rows": rows})


# --- Pupil overview ----------------------------------------------------------------------------


@login_required
def overview(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = _pupil(request, pupil_id, VIEW)
    pupil_record_viewed(pupil=pupil, actor=request.user)
    context = selectors.pupil_overview(pupil, today=timezone.localdate())
    context.update(
        pupil=pupil,
        can=access.pupil_can(request.user, pupil) | ehc_can(request.user, pupil),
        register_prompt=_register_prompt(pupil, context["plans"]),
    )
    return render(request, "ehc/pupil_overview.html", context)


def _register_prompt(pupil: Pupil, plans) -> object | None:
    """The pupil's open SEND register entry when it no longer matches the plans: it still says "EHC plan" but
    no plan is active and one has ceased, or a plan is active and it still says "SEN support". The SENCO
    decides (the register is never changed automatically): K to E is one click (register_to_ehc)."""
    active = next((p for p in plans if p.status == PlanStatus.ACTIVE), None)
    if active is None and len(plans) == 1:  # the plan page passes one plan: the pupil may have another
        active = EhcPlan.objects.filter(pupil=pupil, status=PlanStatus.ACTIVE).first()
    if active is not None:
        entry = pupil.register_entries.filter(ended_on__isnull=True).first()
        if entry is not None and entry.status == RegisterStatus.SEN_SUPPORT:
            entry.active_plan = active
            return entry
        return None
    if not any(p.status == PlanStatus.CEASED for p in plans):
        return None
    return pupil.register_entries.filter(ended_on__isnull=True, status=RegisterStatus.EHC_PLAN).first()


@login_required
@require_POST
def register_to_ehc(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    """One click from the register prompt: the pupil's SEN support entry becomes "EHC plan" from the day
    the active plan was issued, keeping the needs (an audited register change)."""
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=access.Action.REGISTER_CHANGE)
    plan = EhcPlan.objects.filter(pupil=pupil, status=PlanStatus.ACTIVE).first()
    entry = pupil.register_entries.filter(ended_on__isnull=True, status=RegisterStatus.SEN_SUPPORT).first()
    if plan is None or entry is None:
        messages.info(request, "Nothing to change: the register entry already matches the plans.")
        return redirect(_overview_url(pupil))
    try:
        register_entry_change(
            entry=entry,
            status=RegisterStatus.EHC_PLAN,
            primary_need=entry.primary_need,
            secondary_need=entry.secondary_need,
            changed_on=max(plan.issued_on, entry.started_on),
            reason=f"EHC plan issued by {plan.la_name} on {plan.issued_on:%-d %B %Y}.",
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "SEND register changed to EHC plan; the SEN support entry is kept in the history.")
    return redirect(_overview_url(pupil))


# --- Assessment --------------------------------------------------------------------------------


@login_required
def assessment_new(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = _pupil(request, pupil_id, CHANGE)
    form = forms.AssessmentRequestForm(bound(request), initial={"la_name": pupil.school.la_name})
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.assessment_request(pupil=pupil, today=timezone.localdate(), actor=request.user, **d),
        success="Assessment request recorded; the LA's deadlines are open.",
        next_url=back,
        template="ehc/step_form.html",
        context={"pupil": pupil, "title": "Record a request for an EHC needs assessment", "back": back},
    )


@login_required
def assessment_edit(request: AuthenticatedHttpRequest, assessment_id) -> HttpResponse:
    assessment, pupil = _record(request, EhcAssessment.objects.all(), assessment_id, CHANGE)
    initial = {
        "requested_by": assessment.requested_by,
        "requested_on": assessment.requested_on,
        "la_name": assessment.la_name,
    }
    form = forms.AssessmentRequestForm(bound(request), initial=initial)
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.assessment_request_correct(
            assessment=assessment, today=timezone.localdate(), actor=request.user, **d
        ),
        success="Request corrected; the LA's due dates are re-computed.",
        next_url=back,
        template="ehc/step_form.html",
        context={"pupil": pupil, "title": "Correct the assessment request", "back": back},
    )


@login_required
def assessment_decision(request: AuthenticatedHttpRequest, assessment_id) -> HttpResponse:
    assessment, pupil = _record(request, EhcAssessment.objects.all(), assessment_id, CHANGE)
    form = forms.DecisionForm(
        bound(request), initial={"decision": assessment.la_decision, "decided_on": assessment.la_decision_on}
    )
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.assessment_decision_record(
            assessment=assessment, today=timezone.localdate(), actor=request.user, **d
        ),
        success="LA decision recorded.",
        next_url=back,
        template="ehc/step_form.html",
        context={
            "pupil": pupil,
            "title": "Record the LA's decision whether to assess",
            "back": back,
            "rule": statutory.RULES["la_assessment_decision"],
            "due_on": statutory.la_assessment_decision_due(assessment.requested_on),
        },
    )


@login_required
def advice_request(request: AuthenticatedHttpRequest, assessment_id) -> HttpResponse:
    assessment, pupil = _record(request, EhcAssessment.objects.all(), assessment_id, CHANGE)
    form = forms.AdviceRequestForm(bound(request), initial={"received_on": assessment.advice_received_on})
    back = reverse("ehc:advice", args=[assessment.pk])
    return form_step(
        request,
        form=form,
        save=lambda d: services.advice_request_receive(
            assessment=assessment, today=timezone.localdate(), actor=request.user, **d
        ),
        success="Request for advice recorded; the school's advice is due in 6 weeks.",
        next_url=back,
        template="ehc/step_form.html",
        context={
            "pupil": pupil,
            "title": "Record the LA's request for the school's advice",
            "back": back,
            "rule": statutory.RULES["advice"],
        },
    )


@login_required
def advice(request: AuthenticatedHttpRequest, assessment_id) -> HttpResponse:
    assessment, pupil = _record(request, EhcAssessment.objects.all(), assessment_id, CHANGE)
    if assessment.advice_received_on is None:
        return redirect("ehc:advice-request", assessment_id=assessment.pk)
    initial = {
        "advice": assessment.advice or selectors.advice_prefill(pupil),
        "submitted_on": assessment.advice_submitted_on,
    }
    form = forms.AdviceForm(bound(request), initial=initial)

    def save(data):
        if data["submitted_on"]:
            return services.advice_submit(
                assessment=assessment,
                today=timezone.localdate(),
                actor=request.user,
                advice=data["advice"],
                submitted_on=data["submitted_on"],
            )
        return services.advice_save(assessment=assessment, advice=data["advice"], actor=request.user)

    closure = statutory.closure_exception_applies(assessment.advice_received_on, pupil.school.closures())
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=save,
        success="Advice saved.",
        next_url=back,
        template="ehc/advice_form.html",
        context={
            "pupil": pupil,
            "title": "The school's advice for the EHC needs assessment",
            "back": back,
            "assessment": assessment,
            "due_on": statutory.advice_due(assessment.advice_received_on),
            "rule": statutory.RULES["advice"],
            "closure_exception": closure,
            "closure_rule": statutory.RULES["closure_exception"],
        },
    )


@login_required
def assessment_outcome(request: AuthenticatedHttpRequest, assessment_id) -> HttpResponse:
    assessment, pupil = _record(request, EhcAssessment.objects.all(), assessment_id, CHANGE)
    form = forms.AssessmentOutcomeForm(bound(request))
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.assessment_outcome_record(
            assessment=assessment, today=timezone.localdate(), actor=request.user, **d
        ),
        success="Outcome recorded.",
        next_url=back,
        template="ehc/step_form.html",
        context={"pupil": pupil, "title": "Record how the assessment ended", "back": back},
    )


@login_required
def advice_cover(request: AuthenticatedHttpRequest, assessment_id, *, as_pdf: bool = False) -> HttpResponse:
    assessment, pupil = _record(request, EhcAssessment.objects.all(), assessment_id, VIEW)
    if assessment.advice_received_on is None:
        messages.error(request, "Record when the LA's request for advice arrived first.")
        return redirect("ehc:overview", pupil_id=pupil.pk)
    context = {
        "assessment": assessment,
        "pupil": pupil,
        "school": pupil.school,
        "due_on": statutory.advice_due(assessment.advice_received_on),
        "rule": statutory.RULES["advice"],
        "pdf_url": reverse("ehc:advice-cover-pdf", args=[assessment.pk]),
    }
    if as_pdf:
        disclosure_record(
            pupil=pupil,
            document=DisclosedDocument.EHC_ADVICE,
            document_id=assessment.pk,
            actor=request.user,
            now=timezone.now(),
        )
        return pdf_response(request, "ehc/advice_cover.html", context, filename="ehc-advice-cover.pdf")
    return render(request, "ehc/advice_cover.html", context)


# --- Re-assessment -----------------------------------------------------------------------------


@login_required
def reassessment_new(request: AuthenticatedHttpRequest, plan_id) -> HttpResponse:
    plan, pupil = _record(request, EhcPlan.objects.all(), plan_id, CHANGE)
    form = forms.ReassessmentForm(bound(request))
    earliest = selectors.reassessment_earliest_for(pupil)
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.reassessment_request(plan=plan, today=timezone.localdate(), actor=request.user, **d),
        success="Re-assessment request recorded; the LA's decision is due in 15 days.",
        next_url=back,
        template="ehc/step_form.html",
        context={
            "pupil": pupil,
            "title": "Record a request to re-assess",
            "back": back,
            "earliest": earliest,
            "earliest_rule": statutory.RULES["reassessment_earliest"],
            "rule": statutory.RULES["la_reassessment_decision"],
        },
    )


@login_required
def reassessment_decision(request: AuthenticatedHttpRequest, request_id) -> HttpResponse:
    reassessment, pupil = _record(request, ReassessmentRequest.objects.all(), request_id, CHANGE)
    form = forms.DecisionForm(bound(request))
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.reassessment_decision_record(
            request=reassessment, today=timezone.localdate(), actor=request.user, **d
        ),
        success="LA decision recorded.",
        next_url=back,
        template="ehc/step_form.html",
        context={"pupil": pupil, "title": "Record the LA's decision on the re-assessment request", "back": back},
    )


# --- Draft plan consultation -------------------------------------------------------------------


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


# --- Plans -------------------------------------------------------------------------------------


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


# --- Annual reviews ----------------------------------------------------------------------------


def _review_url(review: AnnualReview) -> str:
    return reverse("ehc:review-detail", args=[review.pk])


@login_required
def review_new(request: AuthenticatedHttpRequest, plan_id) -> HttpResponse:
    plan, pupil = _record(request, EhcPlan.objects.all(), plan_id, CHANGE)
    plan.pupil = pupil
    default_on = selectors.review_default_meeting_on(plan, today=timezone.localdate())
    form = forms.ReviewScheduleForm(
        bound(request), initial={"meeting_on": default_on, "is_combined_with_pep": pupil.is_looked_after}
    )
    return form_step(
        request,
        form=form,
        save=lambda d: services.review_schedule(plan=plan, actor=request.user, **d),
        success="Review scheduled; invitations and advice are due 2 weeks before.",
        next_url=_review_url,
        template="ehc/step_form.html",
        context={
            "pupil": pupil,
            "title": "Schedule an annual review",
            "back": _overview_url(pupil),
            "rule": statutory.RULES["invitations"],
        },
    )


@login_required
def review_detail(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    review, pupil = _review(request, review_id, VIEW)
    context = selectors.review_workspace(review, today=timezone.localdate())
    context["can"] = ehc_can(request.user, pupil)
    return render(request, "ehc/review_detail.html", context)


@login_required
def review_edit(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    review, pupil = _review(request, review_id, CHANGE)
    form = forms.ReviewScheduleForm(
        bound(request), initial={"meeting_on": review.meeting_on, "is_combined_with_pep": review.is_combined_with_pep}
    )
    back = _review_url(review)
    return form_step(
        request,
        form=form,
        save=lambda d: services.review_reschedule(review=review, actor=request.user, **d),
        success="Meeting moved; the latest days for invitations and advice are re-computed.",
        next_url=back,
        template="ehc/step_form.html",
        context={"pupil": pupil, "title": "Move the review meeting", "back": back},
    )


def _review_step(
    request: AuthenticatedHttpRequest,
    review_id,
    *,
    form_class: type[Form],
    title: str,
    service: Callable[..., object],
    success: str,
    context: dict | None = None,
) -> HttpResponse:
    """The review's simple steps: a form of the step's facts, one service taking the review and today."""
    review, pupil = _review(request, review_id, CHANGE)
    form = form_class(bound(request))
    back = _review_url(review)
    return form_step(
        request,
        form=form,
        save=lambda d: service(review=review, today=timezone.localdate(), actor=request.user, **d),
        success=success,
        next_url=back,
        template="ehc/step_form.html",
        context={"pupil": pupil, "title": title, "back": back, **(context or {})},
    )


@login_required
def review_invitee_new(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    return _review_step(
        request,
        review_id,
        form_class=forms.InviteeForm,
        title="Add someone to invite",
        service=services.review_invitee_add,
        success="Invitee added.",
    )


@login_required
def review_invitations_sent(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    return _review_step(
        request,
        review_id,
        form_class=forms.InvitationsSentForm,
        title="Record invitations sent",
        service=services.review_invitations_send,
        success="Invitations recorded.",
        context={"rule": statutory.RULES["invitations"]},
    )


@login_required
def review_role_not_applicable(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    review, pupil = _review(request, review_id, CHANGE)
    form = forms.RoleNotApplicableForm(bound(request))
    back = _review_url(review)
    return form_step(
        request,
        form=form,
        save=lambda d: services.review_role_not_applicable(review=review, actor=request.user, **d),
        success="Recorded. The invitations are complete when each of the five is invited or recorded here.",
        next_url=back,
        template="ehc/step_form.html",
        context={
            "pupil": pupil,
            "title": "Record who need not be invited",
            "back": back,
            "rule": statutory.RULES["invitations"],
        },
    )


@login_required
def review_advice_new(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    return _review_step(
        request,
        review_id,
        form_class=forms.ReviewAdviceForm,
        title="Record advice requested",
        service=services.review_advice_request,
        success="Advice request recorded.",
    )


@login_required
def review_advice_received(request: AuthenticatedHttpRequest, review_id, advice_id) -> HttpResponse:
    review, pupil = _review(request, review_id, CHANGE)
    item = get_object_or_404(ReviewAdvice, pk=advice_id, review=review)
    form = forms.ReceivedForm(bound(request))
    back = _review_url(review)
    return form_step(
        request,
        form=form,
        save=lambda d: services.review_advice_receive(advice=item, today=timezone.localdate(), actor=request.user, **d),
        success="Advice recorded as received.",
        next_url=back,
        template="ehc/step_form.html",
        context={"pupil": pupil, "title": f"Record advice received from {item.source}", "back": back},
    )


@login_required
def review_circulated(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    return _review_step(
        request,
        review_id,
        form_class=forms.CirculatedForm,
        title="Record the advice circulated",
        service=services.review_circulate,
        success="Circulation recorded.",
        context={"rule": statutory.RULES["advice_circulation"]},
    )


@login_required
def review_held(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    return _review_step(
        request,
        review_id,
        form_class=forms.HeldForm,
        title="Record the meeting held",
        service=services.review_hold,
        success="Meeting recorded; the report is due in 2 weeks and the next review is scheduled.",
        context={"rule": statutory.RULES["review_report"]},
    )


@login_required
def review_outcome(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    review, pupil = _review(request, review_id, CHANGE)
    rows = list(review.outcome_progress.all())
    initial = {
        "recommendation": review.recommendation,
        "pupil_views": review.pupil_views,
        "parent_views": review.parent_views,
        "has_advocate": review.has_advocate,
        "advocate_name": review.advocate_name,
        "recommended_amendments": review.recommended_amendments,
        "differences_of_view": review.differences_of_view,
        "preparation_for_adulthood": review.preparation_for_adulthood,
    }
    form = forms.ReviewOutcomeForm(bound(request), progress_rows=rows, initial=initial)

    def save(data):
        return services.review_outcome_record(
            review=review,
            progress=form.progress(),
            recommendation=data["recommendation"],
            pupil_views=data["pupil_views"],
            parent_views=data["parent_views"],
            has_advocate=data["has_advocate"],
            advocate_name=data["advocate_name"],
            recommended_amendments=data["recommended_amendments"],
            differences_of_view=data["differences_of_view"],
            preparation_for_adulthood=data["preparation_for_adulthood"],
            actor=request.user,
        )

    back = _review_url(review)
    return form_step(
        request,
        form=form,
        save=save,
        success="Outcome recorded.",
        next_url=back,
        template="ehc/step_form.html",
        context={"pupil": pupil, "title": "Record the meeting's outcome", "back": back},
    )


@login_required
def review_report_sent(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    return _review_step(
        request,
        review_id,
        form_class=forms.ReportSentForm,
        title="Record the review report sent",
        service=services.review_report_send,
        success="Report recorded as sent.",
        context={"rule": statutory.RULES["review_report"]},
    )


@login_required
def review_la_decision(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    return _review_step(
        request,
        review_id,
        form_class=forms.ReviewDecisionForm,
        title="Record the LA's decision after the review",
        service=services.review_la_decision_record,
        success="LA decision recorded.",
        context={"rule": statutory.RULES["la_review_decision"]},
    )


def _review_document(
    request, review_id, *, template: str, filename: str, as_pdf: bool, pdf_name: str, document: DisclosedDocument
):
    review, pupil = _review(request, review_id, VIEW)
    context = selectors.review_workspace(review, today=timezone.localdate())
    context.update(school=pupil.school, pdf_url=reverse(pdf_name, args=[review.pk]))
    if as_pdf:
        disclosure_record(pupil=pupil, document=document, document_id=review.pk, actor=request.user, now=timezone.now())
        return pdf_response(request, template, context, filename=filename)
    return render(request, template, context)


@login_required
def review_report(request: AuthenticatedHttpRequest, review_id, *, as_pdf: bool = False) -> HttpResponse:
    return _review_document(
        request,
        review_id,
        template="ehc/review_report.html",
        as_pdf=as_pdf,
        filename="annual-review-report.pdf",
        pdf_name="ehc:review-report-pdf",
        document=DisclosedDocument.EHC_REVIEW_REPORT,
    )


@login_required
def review_invitation(request: AuthenticatedHttpRequest, review_id, *, as_pdf: bool = False) -> HttpResponse:
    return _review_document(
        request,
        review_id,
        template="ehc/invitation_letter.html",
        as_pdf=as_pdf,
        filename="annual-review-invitation.pdf",
        pdf_name="ehc:review-invitation-pdf",
        document=DisclosedDocument.EHC_REVIEW_INVITATION,
    )


# --- Disagreements -----------------------------------------------------------------------------


@login_required
def disagreement_new(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = _pupil(request, pupil_id, CHANGE)
    form = forms.DisagreementForm(bound(request), initial={"raised_on": timezone.localdate()})
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.disagreement_record(pupil=pupil, today=timezone.localdate(), actor=request.user, **d),
        success="Disagreement recorded.",
        next_url=back,
        template="ehc/step_form.html",
        context={"pupil": pupil, "title": "Record a disagreement", "back": back},
    )


@login_required
def disagreement_edit(request: AuthenticatedHttpRequest, disagreement_id) -> HttpResponse:
    disagreement, pupil = _record(request, Disagreement.objects.all(), disagreement_id, CHANGE)
    initial = {name: getattr(disagreement, name) for name in forms.DisagreementUpdateForm.base_fields}
    form = forms.DisagreementUpdateForm(bound(request), initial=initial)
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.disagreement_update(
            disagreement=disagreement, today=timezone.localdate(), actor=request.user, **d
        ),
        success="Disagreement updated.",
        next_url=back,
        template="ehc/step_form.html",
        context={"pupil": pupil, "title": "Update the disagreement", "back": back, "intro": disagreement.summary},
    )
