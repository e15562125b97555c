"""The disclosure log of one pupil (policy section 17), read and added to by the SENCO and the head."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from . import access, selectors, services
from .access import DisclosureAction
from .disclosure_forms import DisclosureForm


@login_required
def pupil_log(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_disclosures(request.user, pupil_id, action=DisclosureAction.VIEW)
    context = {"pupil": pupil, "disclosures": selectors.disclosures_of(pupil)[:500]}
    return render(request, "pupils/disclosure_log.html", context)


@login_required
def record(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_disclosures(request.user, pupil_id, action=DisclosureAction.RECORD)
    form = DisclosureForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.disclosure_record(pupil=pupil, actor=request.user, now=timezone.now(), **form.cleaned_data)
        messages.success(request, "Recorded in the disclosure log.")
        return redirect("disclosures:pupil-log", pupil_id=pupil.pk)
    return render(request, "pupils/disclosure_form.html", {"pupil": pupil, "form": form})
