"""Parent meetings, pupil passports, the progress check at age two, and the SEND history page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from pupils import access
from pupils import services as pupil_services
from pupils.access import ProvisionAction, ProvisionSchoolAction
from pupils.views import _apply_service_errors

from .. import pdf, selectors, services
from ..forms import MeetingForm, PassportForm, ProgressCheckTwoForm
from ..models import Allocation


@login_required
def meeting_add(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.parent_meeting_record(pupil=pupil, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Meeting recorded.")
            return redirect("provision:pupil", pupil_id=pupil.pk)
    return render(
        request,
        "provision/simple_form.html",
        {
            "pupil": pupil,
            "form": form,
            "title": "Record a meeting with parents",
            "submit": "Save the meeting",
        },
    )


@login_required
def meetings_due(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, ProvisionSchoolAction.MEETINGS_DUE)
    behind = selectors.meetings_behind(request.user, school, today=timezone.localdate())
    return render(
        request,
        "provision/meetings_due.html",
        {
            "school": school,
            "behind": behind,
            "whole_school": access.sees_whole_school_provision(request.user, school.pk),
        },
    )


@login_required
def passport(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_provision(request.user, pupil_id)
    pupil_services.pupil_record_viewed(pupil=pupil, actor=request.user)
    versions = list(pupil.passports.select_related("created_by"))
    return render(
        request,
        "provision/passport.html",
        {
            "pupil": pupil,
            "passport": versions[0] if versions else None,
            "versions": versions,
            "can": access.provision_can(request.user, pupil),
        },
    )


@login_required
def passport_edit(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    current = selectors.current_passport(pupil)
    initial = {"in_own_words": True}
    if current:
        initial = {
            name: getattr(current, name)
            for name in ("important_to_me", "like_and_admire", "how_to_support", "in_own_words")
        }
    form = PassportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.passport_write(pupil=pupil, actor=request.user, **form.cleaned_data)
        messages.success(request, "Passport saved as a new version.")
        return redirect("provision:passport", pupil_id=pupil.pk)
    return render(request, "provision/passport_form.html", {"pupil": pupil, "form": form, "current": current})


@login_required
def passport_pdf(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_provision(request.user, pupil_id)
    current = selectors.current_passport(pupil)
    if current is None:
        return render(
            request,
            "provision/pdf_unavailable.html",
            {
                "pupil": pupil,
                "reason": "This pupil has no passport yet, so there is nothing to print.",
            },
            status=404,
        )
    pupil_services.pupil_record_viewed(pupil=pupil, actor=request.user)
    try:
        content = pdf.passport_pdf(pupil=pupil, passport=current)
    except pdf.PdfUnavailable as error:
        return render(request, "provision/pdf_unavailable.html", {"pupil": pupil, "reason": str(error)}, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="passport-{pupil.pk}.pdf"'
    return response


@login_required
def class_passports(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, ProvisionSchoolAction.PASSPORTS)
    page = Paginator(selectors.passports_in_view(request.user, school, today=timezone.localdate()), 30).get_page(
        request.GET.get("page")
    )
    selectors.attach_passports(page.object_list)
    return render(request, "provision/class_passports.html", {"school": school, "page": page})


@login_required
def check_two_add(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    form = ProgressCheckTwoForm(request.POST or None, initial={"checked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_check_two_record(pupil=pupil, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Progress check at age two recorded.")
            return redirect("provision:pupil", pupil_id=pupil.pk)
    return render(
        request,
        "provision/simple_form.html",
        {
            "pupil": pupil,
            "form": form,
            "title": "Progress check at age two",
            "submit": "Save the check",
            "intro": (
                "For children in the nursery: a short written summary of the child's development in the prime "
                "areas, shared with parents."
            ),
        },
    )


@login_required
def history(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_provision(request.user, pupil_id)
    pupil_services.pupil_record_viewed(pupil=pupil, actor=request.user)
    events = selectors.send_history(pupil) + _plan_end_events(pupil) + _place_events(pupil)
    events.sort(key=lambda e: (e.on, e.kind))
    return render(request, "provision/history.html", {"pupil": pupil, "events": events})


def _place_events(pupil) -> list[selectors.HistoryEvent]:
    """Each place in provision from the provision map: joining, and leaving where the pupil left early."""
    events = []
    url = reverse("maps:pupil", args=[pupil.pk])
    for place in Allocation.objects.filter(pupil=pupil).select_related("group__provision"):
        name = place.group.provision.name
        events.append(selectors.HistoryEvent(place.joined_on, "Provision", f"Joined {name}", place.group.name, url))
        if place.left_on:
            events.append(selectors.HistoryEvent(place.left_on, "Provision", f"Left {name}", "", url))
    return events


def _plan_end_events(pupil) -> list[selectors.HistoryEvent]:
    """Each ended support plan, with why it ended (send_history lists the start and the cycles)."""
    plans = pupil.support_plans.filter(ended_on__isnull=False)
    return [
        selectors.HistoryEvent(
            plan.ended_on,
            "Support plan",
            "SEN support plan ended",
            plan.end_reason,
            reverse("provision:plan-detail", args=[pupil.pk, plan.pk]),
        )
        for plan in plans
    ]
