"""Annual reviews and their steps: invitees, advice, circulation, the meeting, the outcome, the LA decision."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from .. import extensions, forms, selectors, services, statutory
from ..access import ehc_can
from ..models import EhcPlan, ReviewAdvice
from ._common import CHANGE, VIEW, _overview_url, _record, _review, _review_url


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
    context["report_url"] = reverse(extensions.review_report_url_name, args=[review.pk])
    return render(request, "ehc/review_detail.html", context)


@login_required
def review_edit(request: AuthenticatedHttpRequest, review_id) -> HttpResponse:
    review, pupil = _review(request, review_id, CHANGE)
    form = forms.ReviewScheduleForm(
        bound(request),
        initial={
            "meeting_on": review.meeting_on,
            "meeting_time": review.meeting_time,
            "meeting_place": review.meeting_place,
            "is_combined_with_pep": review.is_combined_with_pep,
        },
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
