"""Individual healthcare plans: the pupil's teachers see them; the SENCO and the class teacher record them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from deadlines import selectors as deadline_selectors
from pupils import access
from pupils.access import ProvisionAction
from pupils.services import pupil_record_viewed

from .. import services
from ..forms import HealthcarePlanForm, HealthcarePlanReviewForm
from ..kinds import HEALTHCARE_PLAN_REVIEW
from ..models import HealthcarePlan


def _list_url(pupil) -> str:
    return reverse("provision:healthcare-plans", args=[pupil.pk])


def _save(request, form, save, success, pupil, title):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, success)
            return redirect(_list_url(pupil))
    return render(
        request,
        "provision/simple_form.html",
        {"pupil": pupil, "form": form, "title": title, "back_url": _list_url(pupil), "submit": "Save"},
    )


@login_required
def healthcare_plans(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_provision(request.user, pupil_id)
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
            "can": access.provision_can(request.user, pupil),
        },
    )


@login_required
def healthcare_plan_new(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    form = HealthcarePlanForm(request.POST or None)
    return _save(
        request,
        form,
        lambda d: services.healthcare_plan_record(pupil=pupil, today=timezone.localdate(), actor=request.user, **d),
        "Healthcare plan recorded; its review deadline is open.",
        pupil,
        "Record an individual healthcare plan",
    )


@login_required
def healthcare_plan_review(request: HttpRequest, pupil_id, healthcare_plan_id) -> HttpResponse:
    pupil = access.get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    plan = get_object_or_404(HealthcarePlan, pk=healthcare_plan_id, pupil=pupil)
    form = HealthcarePlanReviewForm(request.POST or None)
    return _save(
        request,
        form,
        lambda d: services.healthcare_plan_review(plan=plan, today=timezone.localdate(), actor=request.user, **d),
        "Review recorded; the next review deadline is open.",
        pupil,
        f"Record a review of the healthcare plan ({plan.condition})",
    )
