"""Individual healthcare plans: the pupil's teachers see them; the SENCO and the class teacher record them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from deadlines import selectors as deadline_selectors
from pupils.models import Pupil
from pupils.services import pupil_record_viewed
from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from .. import services
from ..access import ProvisionAction, get_pupil_for_provision, provision_can
from ..forms import HealthcarePlanForm, HealthcarePlanReviewForm
from ..kinds import HEALTHCARE_PLAN_REVIEW
from ..models import HealthcarePlan


def _list_url(pupil: Pupil) -> str:
    return reverse("provision:healthcare-plans", args=[pupil.pk])


def _step(
    request: AuthenticatedHttpRequest,
    *,
    form: Form,
    save: Callable[[dict[str, Any]], object],
    success: str,
    pupil: Pupil,
    title: str,
) -> HttpResponse:
    return form_step(
        request,
        form=form,
        save=save,
        success=success,
        next_url=_list_url(pupil),
        template="provision/simple_form.html",
        context={"pupil": pupil, "title": title, "back_url": _list_url(pupil), "submit": "Save"},
    )


@login_required
def healthcare_plans(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_provision(request.user, pupil_id)
    pupil_record_viewed(pupil=pupil, actor=request.user)
    deadlines = [d for d in deadline_selectors.deadlines_for_pupil(pupil) if d.kind == HEALTHCARE_PLAN_REVIEW.key]
    return render(
        request,
        "provision/healthcare_plans.html",
        {
            "pupil": pupil,
            "plans": pupil.healthcare_plans.prefetch_related("reviews"),
            "deadlines": deadlines,
            "today": timezone.localdate(),
            "can": provision_can(request.user, pupil),
        },
    )


@login_required
def healthcare_plan_new(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    return _step(
        request,
        form=HealthcarePlanForm(bound(request)),
        save=lambda d: services.healthcare_plan_record(
            pupil=pupil, today=timezone.localdate(), actor=request.user, **d
        ),
        success="Healthcare plan recorded; its review deadline is open.",
        pupil=pupil,
        title="Record an individual healthcare plan",
    )


@login_required
def healthcare_plan_review(request: AuthenticatedHttpRequest, pupil_id, healthcare_plan_id) -> HttpResponse:
    pupil = get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    plan = get_object_or_404(HealthcarePlan, pk=healthcare_plan_id, pupil=pupil)
    return _step(
        request,
        form=HealthcarePlanReviewForm(bound(request)),
        save=lambda d: services.healthcare_plan_review(plan=plan, today=timezone.localdate(), actor=request.user, **d),
        success="Review recorded; the next review deadline is open.",
        pupil=pupil,
        title=f"Record a review of the healthcare plan ({plan.condition})",
    )
