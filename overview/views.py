"""Thin views of the top layer: an EHC plan's section F, specified against delivered this term."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from ehc.models import EhcPlan
from pupils import access
from pupils.access import EhcAction
from pupils.views import _apply_service_errors

from . import selectors, services
from .forms import SectionFLineForm


def _plan(request: HttpRequest, plan_id, action: EhcAction) -> EhcPlan:
    """The plan, if the user may see its pupil (else 404) and take this EHC action (else 403)."""
    plan = get_object_or_404(EhcPlan.objects.select_related("pupil"), pk=plan_id)
    access.ehc_get_pupil(request.user, plan.pupil_id, action=action)
    return plan


@login_required
def section_f(request: HttpRequest, plan_id) -> HttpResponse:
    plan = _plan(request, plan_id, EhcAction.VIEW)
    term, rows = selectors.specified_vs_delivered(plan, today=timezone.localdate())
    can_change = EhcAction.CHANGE in access.ehc_actions(request.user, plan.pupil)
    return render(
        request,
        "overview/section_f.html",
        {"plan": plan, "pupil": plan.pupil, "term": term, "rows": rows, "can_change": can_change},
    )


@login_required
def section_f_add(request: HttpRequest, plan_id) -> HttpResponse:
    plan = _plan(request, plan_id, EhcAction.CHANGE)
    form = SectionFLineForm(request.POST or None, school=plan.pupil.school)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_f_line_add(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Section F line added.")
            return redirect("overview:section-f", plan_id=plan.pk)
    return render(request, "overview/section_f_form.html", {"plan": plan, "pupil": plan.pupil, "form": form})
