"""EHC needs assessments: the request, the decision, advice requests and received advice, the outcome; re-assessment."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from .. import forms, selectors, services, statutory
from ..models import EhcAssessment, EhcPlan, ReassessmentRequest
from ._common import CHANGE, _overview_url, _pupil, _record


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
