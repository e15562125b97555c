"""The top layer's pages: each role's landing page, the SENCO's dashboard, the pupil's page and SEND history.
Thin views: parse, ask the access modules, read through selectors, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from deadlines import selectors as deadline_selectors
from ehc.access import ehc_can
from provision.access import provision_can
from pupils import access, selectors, services
from pupils.access import Action, SchoolAction, school_action_required
from pupils.models import School
from send_mis.steps import AuthenticatedHttpRequest

from . import selectors as overview_selectors


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    school = access.current_school(request)
    if access.can_in_school(request.user, school.pk, SchoolAction.DASHBOARD):
        return redirect("overview:dashboard")
    if access.can_in_school(request.user, school.pk, SchoolAction.PUPIL_LIST):
        return redirect("pupils:my-class")
    return redirect("pupils:register-summary")


@school_action_required(SchoolAction.DASHBOARD)
def dashboard(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "school": school,
        "counts": selectors.register_counts(school, on=today),
        "recent": selectors.recent_register_changes(school),
        "concerns": selectors.concerns_open(school)[:20],
        "can_triage": access.can_in_school(request.user, school.pk, SchoolAction.CONCERN_TRIAGE),
        "deadline_panels": deadline_selectors.deadline_panels(school, today=today),
    }
    return render(request, "overview/dashboard.html", context)


@login_required
def pupil(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.VIEW)
    services.pupil_record_viewed(pupil=pupil, actor=request.user)
    context = {
        "pupil": pupil,
        "contacts": pupil.contacts.all(),
        "history": selectors.register_history(pupil),
        "concerns": pupil.sen_concerns.select_related("raised_by").all(),
        "can": access.pupil_can(request.user, pupil)
        | ehc_can(request.user, pupil)
        | provision_can(request.user, pupil),
        "can_read_disclosures": access.can_in_school(request.user, pupil.school_id, access.DisclosureAction.VIEW),
    }
    return render(request, "overview/pupil.html", context)


@login_required
def history(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    """The pupil's SEND history: anyone who may see the pupil (the graduated approach's view rule)."""
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.VIEW)
    services.pupil_record_viewed(pupil=pupil, actor=request.user)
    events = overview_selectors.send_history(pupil, today=timezone.localdate())
    return render(request, "overview/history.html", {"pupil": pupil, "events": events})
