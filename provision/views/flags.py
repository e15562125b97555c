"""Flags of less than expected progress: the lists, and dismissing, raising a concern, starting a plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils import access
from send_mis.steps import apply_service_errors

from .. import selectors, services
from ..access import (
    ProvisionAction,
    ProvisionSchoolAction,
    get_pupil_for_provision,
    provision_work_ids,
    sees_whole_school_provision,
)
from ..forms import DismissForm, FlagConcernForm, FlagFilterForm
from ..models import FlagStatus, ProgressFlag


@login_required
def flag_list(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, ProvisionSchoolAction.FLAGS)
    data = request.GET.copy()
    data.setdefault("status", FlagStatus.OPEN)  # open flags unless the user chose otherwise ("" is any status)
    filters = FlagFilterForm(data, school=school)
    cleaned = filters.cleaned_data if filters.is_valid() else {"status": FlagStatus.OPEN}
    page = Paginator(selectors.flags_in_view(request.user, school, filters=cleaned), 50).get_page(
        request.GET.get("page")
    )
    query = data.copy()
    query.pop("page", None)
    return render(
        request,
        "provision/flag_list.html",
        {
            "school": school,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "whole_school": sees_whole_school_provision(request.user, school.pk),
            "can_compute": access.can_in_school(request.user, school.pk, ProvisionSchoolAction.SETTINGS),
            "can_act": provision_work_ids(request.user, [flag.pupil for flag in page.object_list]),
        },
    )


@login_required
@require_POST
def flags_compute(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, ProvisionSchoolAction.SETTINGS)
    run = services.flags_compute(school=school, today=timezone.localdate())
    messages.success(
        request, f"Flags recomputed: {run.flags} pupils and subjects show signs, from {run.pupils_judged} judged."
    )
    return redirect("provision:flag-list")


def _flag(request, pupil_id, flag_id) -> tuple:
    pupil = get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    flag = get_object_or_404(ProgressFlag.objects.select_related("subject", "point"), pk=flag_id, pupil=pupil)
    return pupil, flag


@login_required
def flag_dismiss(request: HttpRequest, pupil_id, flag_id) -> HttpResponse:
    pupil, flag = _flag(request, pupil_id, flag_id)
    form = DismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_dismiss(flag=flag, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Flag dismissed; the reason is kept in the pupil's SEND history.")
            return redirect("provision:flag-list")
    return render(request, "provision/flag_dismiss.html", {"pupil": pupil, "flag": flag, "form": form})


@login_required
def flag_concern(request: HttpRequest, pupil_id, flag_id) -> HttpResponse:
    pupil, flag = _flag(request, pupil_id, flag_id)
    initial = {
        "description": f"Progress in {flag.subject.name.lower()} at {flag.point.name}: " + " ".join(flag.evidence)
    }
    form = FlagConcernForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.flag_raise_concern(flag=flag, actor=request.user, **form.cleaned_data)
        messages.success(request, "Concern sent to the SENCO.")
        return redirect("provision:flag-list")
    return render(request, "provision/flag_concern.html", {"pupil": pupil, "flag": flag, "form": form})


@login_required
@require_POST
def flag_plan(request: HttpRequest, pupil_id, flag_id) -> HttpResponse:
    pupil, flag = _flag(request, pupil_id, flag_id)
    plan = services.support_plan_start(pupil=pupil, started_on=timezone.localdate(), flag=flag, actor=request.user)
    messages.success(request, "Support plan started: begin with the assessment of need.")
    return redirect("provision:plan-detail", pupil_id=pupil.pk, plan_id=plan.pk)
