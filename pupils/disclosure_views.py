"""The disclosure log of one pupil (policy section 17), read and added to by the SENCO and the head."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from send_mis.steps import apply_service_errors, bound

from . import access, selectors, services
from .access import DisclosureAction
from .disclosure_forms import DisclosureForm, ReleaseForm
from .models import DisclosedDocument


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


def release_step(
    request: HttpRequest,
    *,
    pupil,
    document: str,
    document_id,
    respond: Callable[[], HttpResponse],
    back_url: str,
) -> HttpResponse:
    """Before an EHC document is downloaded: a GET asks whether it stays in school or leaves it (to whom, why);
    a valid POST renders the document with `respond()` and, once it is made, logs the disclosure with the
    recipient and purpose, answering with the document itself. A refused answer re-displays the form."""
    form = ReleaseForm(bound(request))
    if request.method == "POST" and form.is_valid():
        response = respond()
        if response.status_code != 200:
            return response
        try:
            services.disclosure_record(
                pupil=pupil,
                document=document,
                document_id=document_id,
                actor=request.user,
                now=timezone.now(),
                **form.disclosure_fields(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return response
    context = {
        "pupil": pupil,
        "form": form,
        "document_label": DisclosedDocument(document).label,
        "back_url": back_url,
    }
    return render(request, "pupils/document_release.html", context)
