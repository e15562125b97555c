"""Parent meetings, pupil passports, the progress check at age two, and the SEND history page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from pupils import services as pupil_services
from pupils.access import school_action_required
from pupils.letters import download_name
from pupils.models import DisclosedDocument, School
from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from .. import pdf, selectors, services
from ..access import (
    ProvisionAction,
    ProvisionSchoolAction,
    get_pupil_for_provision,
    provision_can,
    provision_work_ids,
    sees_whole_school_provision,
)
from ..forms import MeetingForm, PassportForm, ProgressCheckTwoForm


@login_required
def meeting_add(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    form = MeetingForm(bound(request), initial={"held_on": timezone.localdate()})
    return form_step(
        request,
        form=form,
        save=lambda data: services.parent_meeting_record(pupil=pupil, actor=request.user, **data),
        success="Meeting recorded.",
        next_url=reverse("provision:pupil", args=[pupil.pk]),
        template="provision/simple_form.html",
        context={"pupil": pupil, "title": "Record a meeting with parents", "submit": "Save the meeting"},
    )


@school_action_required(ProvisionSchoolAction.MEETINGS_DUE)
def meetings_due(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    behind = selectors.meetings_behind(request.user, school, today=timezone.localdate())
    return render(
        request,
        "provision/meetings_due.html",
        {
            "school": school,
            "behind": behind,
            # Only the SENCO and the pupil's class teacher record a meeting: no link the reader cannot follow.
            "can_record": provision_work_ids(request.user, [row.pupil for row in behind]),
            "whole_school": sees_whole_school_provision(request.user, school.pk),
        },
    )


@login_required
def passport(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_provision(request.user, pupil_id)
    pupil_services.pupil_record_viewed(pupil=pupil, actor=request.user)
    versions = list(pupil.passports.select_related("created_by"))
    return render(
        request,
        "provision/passport.html",
        {
            "pupil": pupil,
            "passport": versions[0] if versions else None,
            "versions": versions,
            "can": provision_can(request.user, pupil),
        },
    )


@login_required
def passport_edit(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    current = selectors.current_passport(pupil)
    initial = {"in_own_words": True}
    if current:
        initial = {
            name: getattr(current, name)
            for name in ("important_to_me", "like_and_admire", "how_to_support", "in_own_words")
        }
    form = PassportForm(bound(request), initial=initial)
    return form_step(
        request,
        form=form,
        save=lambda data: services.passport_write(pupil=pupil, actor=request.user, **data),
        success="Passport saved as a new version.",
        next_url=reverse("provision:passport", args=[pupil.pk]),
        template="provision/passport_form.html",
        context={"pupil": pupil, "current": current},
    )


@login_required
def passport_pdf(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_provision(request.user, pupil_id)
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
    pupil_services.disclosure_record(
        pupil=pupil, document=DisclosedDocument.PASSPORT, document_id=current.pk, actor=request.user, now=timezone.now()
    )
    try:
        content = pdf.passport_pdf(pupil=pupil, passport=current, today=timezone.localdate())
    except pdf.PdfUnavailable as error:
        return render(request, "provision/pdf_unavailable.html", {"pupil": pupil, "reason": str(error)}, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{download_name("passport", pupil, timezone.localdate())}"'
    return response


@school_action_required(ProvisionSchoolAction.PASSPORTS)
def class_passports(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    page = Paginator(selectors.passports_in_view(request.user, school, today=timezone.localdate()), 30).get_page(
        request.GET.get("page")
    )
    selectors.attach_passports(page.object_list)
    return render(request, "provision/class_passports.html", {"school": school, "page": page})


@login_required
def check_two_add(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_provision(request.user, pupil_id, action=ProvisionAction.WORK)
    form = ProgressCheckTwoForm(bound(request), initial={"checked_on": timezone.localdate()})
    return form_step(
        request,
        form=form,
        save=lambda data: services.progress_check_two_record(pupil=pupil, actor=request.user, **data),
        success="Progress check at age two recorded.",
        next_url=reverse("provision:pupil", args=[pupil.pk]),
        template="provision/simple_form.html",
        context={
            "pupil": pupil,
            "title": "Progress check at age two",
            "submit": "Save the check",
            "intro": (
                "For children in the nursery: a short written summary of the child's development in the prime "
                "areas, shared with parents."
            ),
        },
    )
