"""Flags of less than expected progress: the lists, and dismissing, raising a concern, starting a plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils import access
from pupils.access import school_action_required
from pupils.models import School
from pupils.pages import render_page
from send_mis.links import id_prefix, url_maker
from send_mis.paging import counted_page
from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

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

FLAG_PUPILS_PER_PAGE = 20


def _with_action_urls(rows: list[selectors.PupilFlags]) -> list[selectors.PupilFlags]:
    """Each flag's links to dismiss it, raise a concern and start a plan: three reverse() a page, not a row."""
    makers = {action: url_maker(f"provision:flag-{action}", 2) for action in ("dismiss", "concern", "plan")}
    for row in rows:
        for flag in row.flags:
            flag.action_urls = {action: make(row.pupil.pk, flag.pk) for action, make in makers.items()}  # type: ignore[attr-defined]
    return rows


@school_action_required(ProvisionSchoolAction.FLAGS, cached_page=True)
def flag_list(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    def build() -> dict:
        data = request.GET.copy()
        data.setdefault("status", FlagStatus.OPEN)  # open flags unless the user chose otherwise ("" is any status)
        filters = FlagFilterForm(data, school=school)
        cleaned = filters.cleaned_data if filters.is_valid() else {"status": FlagStatus.OPEN}
        today = timezone.localdate()
        flags = selectors.flags_in_view(request.user, school, today=today, filters=cleaned)
        key = selectors.flag_list_key(request.user, school, cleaned, today=today)
        # Pages of pupils, each with their subjects as rows: a pupil's flags never split across two pages.
        page = counted_page(
            selectors.flagged_pupils(request.user, school, today=today, filters=cleaned),
            request.GET.get("page"),
            FLAG_PUPILS_PER_PAGE,
            key=(*key, "pupils"),
        )
        query = data.copy()
        query.pop("page", None)
        rows = _with_action_urls(selectors.flags_by_pupil(flags, list(page.object_list), key=key))
        return {
            "school": school,
            "filters": filters,
            "page": page,
            "rows": rows,
            "pupil_url": id_prefix("provision:pupil"),
            "flag_count": flags.count(),
            "query": query.urlencode(),
            "whole_school": sees_whole_school_provision(request.user, school.pk),
            "can_compute": access.can_in_school(request.user, school.pk, ProvisionSchoolAction.SETTINGS),
            "can_act": provision_work_ids(request.user, list(page.object_list)),
            "updating": services.flags_updating(school),
        }

    return render_page(request, "provision/flag_list.html", build)


@login_required  # before require_POST, so an anonymous GET is sent to sign in, as on every page
@require_POST
@school_action_required(ProvisionSchoolAction.SETTINGS)
def flags_compute(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    run = services.flags_compute(school=school, today=timezone.localdate())
    messages.success(
        request, f"Flags recomputed: {run.flags} pupils and subjects show signs, from {run.pupils_judged} judged."
    )
    return redirect("provision:flag-list")


def _flag(request: AuthenticatedHttpRequest, pupil_id, flag_id) -> tuple:
    pupil = get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    flag = get_object_or_404(ProgressFlag.objects.select_related("subject", "point"), pk=flag_id, pupil=pupil)
    return pupil, flag


@login_required
def flag_dismiss(request: AuthenticatedHttpRequest, pupil_id, flag_id) -> HttpResponse:
    pupil, flag = _flag(request, pupil_id, flag_id)
    form = DismissForm(bound(request))
    return form_step(
        request,
        form=form,
        save=lambda data: services.flag_dismiss(flag=flag, reason=data["reason"], actor=request.user),
        success="Flag dismissed; the reason is kept in the pupil's SEND history.",
        next_url=reverse("provision:flag-list"),
        template="provision/flag_dismiss.html",
        context={"pupil": pupil, "flag": flag},
    )


@login_required
def flag_concern(request: AuthenticatedHttpRequest, pupil_id, flag_id) -> HttpResponse:
    pupil, flag = _flag(request, pupil_id, flag_id)
    initial = {
        "description": f"Progress in {flag.subject.name.lower()} at {flag.point.name}: " + " ".join(flag.evidence)
    }
    form = FlagConcernForm(bound(request), initial=initial)
    return form_step(
        request,
        form=form,
        save=lambda data: services.flag_raise_concern(flag=flag, actor=request.user, **data),
        success="Concern sent to the SENCO.",
        next_url=reverse("provision:flag-list"),
        template="provision/flag_concern.html",
        context={"pupil": pupil, "flag": flag},
    )


@login_required
@require_POST
def flag_plan(request: AuthenticatedHttpRequest, pupil_id, flag_id) -> HttpResponse:
    pupil, flag = _flag(request, pupil_id, flag_id)
    plan = services.support_plan_start(pupil=pupil, started_on=timezone.localdate(), flag=flag, actor=request.user)
    messages.success(request, "Support plan started: begin with the assessment of need.")
    return redirect("provision:plan-detail", pupil_id=pupil.pk, plan_id=plan.pk)
