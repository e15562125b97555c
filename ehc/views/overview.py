"""School-wide EHC pages (index, LA timeliness), a pupil's EHC overview and moving a pupil onto EHC on the register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils import access
from pupils.access import school_action_required
from pupils.models import RegisterStatus, School
from pupils.pages import render_page
from pupils.services import pupil_record_viewed, register_entry_change
from send_mis.links import id_prefix
from send_mis.paging import counted_page
from send_mis.steps import AuthenticatedHttpRequest

from .. import selectors
from ..access import EhcSchoolAction, ehc_can
from ..models import EhcPlan, PlanStatus
from ._common import VIEW, _overview_url, _pupil, _register_prompt


@school_action_required(EhcSchoolAction.INDEX, cached_page=True)
def index(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    def build() -> dict:
        context = selectors.caseload(school, today=timezone.localdate())
        # The plans a page at a time, the count riding on the page's query (send_mis/paging.py).
        context["page"] = counted_page(context.pop("plans"), request.GET.get("page"), key=("ehc.caseload", school.pk))
        context["query"] = ""
        # Each row's link is this prefix and the pupil's id: one reverse() a page, not one a row.
        context["overview_url"] = id_prefix("ehc:overview")
        context["school"] = school
        context["can_la_timeliness"] = access.can_in_school(request.user, school.pk, EhcSchoolAction.LA_TIMELINESS)
        return context

    return render_page(request, "ehc/index.html", build)


@school_action_required(EhcSchoolAction.LA_TIMELINESS)
def la_timeliness(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    rows = selectors.la_timeliness(school, today=timezone.localdate())
    return render(request, "ehc/la_timeliness.html", {"school": school, "rows": rows})


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
