"""Views of the top layer that compose areas."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils.access import school_action_required
from pupils.ctf import ctf_export
from pupils.forms import DateInput
from pupils.models import DisclosedDocument, School
from pupils.school_access import SchoolAdminAction, get_school_for_admin
from pupils.services import disclosure_record, pupil_record_viewed
from send_mis.pdf import INSTALL_HINT, PdfUnavailable
from send_mis.steps import bound, form_step

from . import bundle, leavers, retention, subject_access
from .access import RecordsSchoolAction, get_pupil_for_records
from .leavers import leaver_record as leaver_record_service
from .models import RecordDestruction
from .setup import school_setup_complete


@login_required
@require_POST
def setup_finish(request: HttpRequest, school_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=SchoolAdminAction.SETTINGS)
    try:
        school_setup_complete(school=school, today=timezone.localdate(), now=timezone.now(), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("school:settings", school_id=school.pk)
    messages.success(request, "Set-up finished: the school's progress subjects and assessment points are ready.")
    return redirect("school:staff", school_id=school.pk)


# --- Leavers ---------------------------------------------------------------------------------------------


class LeaverForm(forms.Form):
    left_on = forms.DateField(label="Last day on roll", widget=DateInput())
    destination_school = forms.CharField(label="School the pupil is moving to", max_length=200, required=False)
    destination_urn = forms.CharField(
        label="Its URN", max_length=6, required=False, help_text="Six digits; the CTF goes to this school."
    )

    def clean_left_on(self):
        left_on = self.cleaned_data["left_on"]
        if left_on > timezone.localdate() + timedelta(days=366):
            raise forms.ValidationError("The last day on roll can be at most a year from today.")
        return left_on


@login_required
def leaver_record(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_records(request.user, pupil_id, action=RecordsSchoolAction.LEAVERS)
    if pupil.has_left:
        raise PermissionDenied
    return form_step(
        request,
        form=LeaverForm(bound(request), initial={"left_on": timezone.localdate()}),
        save=lambda d: leaver_record_service(pupil=pupil, actor=request.user, **d),
        success="Leaving recorded: open duties closed, the record is now read-only.",
        next_url=reverse("overview:pupil", args=[pupil.pk]),
        template="records/leaver_form.html",
        context={"pupil": pupil},
    )


@login_required
def send_file(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_records(request.user, pupil_id, action=RecordsSchoolAction.SEND_FILE)
    today = timezone.localdate()
    pupil_record_viewed(pupil=pupil, actor=request.user)
    try:
        pdf = bundle.send_file_pdf(pupil, today=today)
    except PdfUnavailable as error:
        context = {"install": INSTALL_HINT, "detail": str(error)}
        return render(request, "records/pdf_unavailable.html", context, status=503)
    disclosure_record(pupil=pupil, document=DisclosedDocument.SEND_FILE, actor=request.user, now=timezone.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{bundle.send_file_name(pupil, today=today)}"'
    return response


@login_required
@require_POST
def ctf_sent(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_records(request.user, pupil_id, action=RecordsSchoolAction.LEAVERS)
    if not pupil.has_left:
        raise PermissionDenied
    leavers.ctf_sent(pupil=pupil, sent_on=timezone.localdate(), actor=request.user)
    messages.success(request, "Recorded: the CTF and educational record were sent.")
    return redirect("records:leavers")


@school_action_required(RecordsSchoolAction.LEAVERS)
def leavers_list(request: HttpRequest, school: School) -> HttpResponse:
    today = timezone.localdate()
    context = {"school": school, "rows": leavers.leavers_of(school, today=today)}
    return render(request, "records/leavers.html", context)


# --- Retention ---------------------------------------------------------------------------------------------


class DestroyForm(forms.Form):
    reason = forms.CharField(
        label="Why these records are destroyed",
        help_text="Such as: retention period ended (IRMS toolkit: date of birth + 31 years); reviewed by the head.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@school_action_required(RecordsSchoolAction.RETENTION)
def retention_list(request: HttpRequest, school: School) -> HttpResponse:
    context = {
        "school": school,
        "pupils": retention.pupils_past_retention(school, today=timezone.localdate()),
        "destroyed": RecordDestruction.objects.filter(school=school).select_related("destroyed_by")[:100],
        "form": DestroyForm(),
    }
    return render(request, "records/retention.html", context)


@login_required
@require_POST
def records_destroy(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = get_pupil_for_records(request.user, pupil_id, action=RecordsSchoolAction.RETENTION)
    form = DestroyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        retention.pupil_records_destroy(
            pupil=pupil,
            reason=form.cleaned_data["reason"],
            today=timezone.localdate(),
            now=timezone.now(),
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Records destroyed; the destruction is logged below.")
    return redirect("records:retention")


@login_required
def ctf_download(request: HttpRequest, pupil_id) -> HttpResponse:
    """The leaver's common transfer file (pupil and SEN history sections) for the new school."""
    pupil = get_pupil_for_records(request.user, pupil_id, action=RecordsSchoolAction.SEND_FILE)
    today = timezone.localdate()
    pupil_record_viewed(pupil=pupil, actor=request.user)
    content = ctf_export(school=pupil.school, pupils=[pupil], on=today, destination_urn=pupil.destination_urn)
    disclosure_record(pupil=pupil, document=DisclosedDocument.CTF, actor=request.user, now=timezone.now())
    response = HttpResponse(content, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="ctf-{pupil.initials}-{today:%Y-%m-%d}.xml"'
    return response


# --- Subject access ------------------------------------------------------------------------------------------


class SubjectAccessForm(forms.Form):
    requested_by = forms.CharField(
        label="Who made the request",
        max_length=200,
        help_text="The parent or the young person, as the request names them, e.g. 'Mrs Thistlewood (mother)'.",
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[("pdf", "A PDF bundle to read"), ("json", "Every record as data (JSON)")],
        widget=forms.RadioSelect,
    )


@login_required
def subject_access_export(request: HttpRequest, pupil_id) -> HttpResponse:
    """The head exports everything held about one pupil: a confirmation page first (what is and is not
    included), then the file; each export is logged in the audit log and the pupil's disclosure log."""
    pupil = get_pupil_for_records(request.user, pupil_id, action=RecordsSchoolAction.SUBJECT_ACCESS)
    form = SubjectAccessForm(bound(request))
    if request.method == "POST" and form.is_valid():
        today = timezone.localdate()
        extension = form.cleaned_data["format"]
        try:
            if extension == "pdf":
                body, content_type = subject_access.subject_access_pdf(pupil, today=today), "application/pdf"
            else:
                body, content_type = subject_access.subject_access_json(pupil, today=today), "application/json"
        except PdfUnavailable as error:
            context = {"install": INSTALL_HINT, "detail": str(error)}
            return render(request, "records/pdf_unavailable.html", context, status=503)
        subject_access.subject_access_record(
            pupil=pupil, requested_by=form.cleaned_data["requested_by"], actor=request.user, now=timezone.now()
        )
        name = subject_access.subject_access_name(pupil, today=today, extension=extension)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {"pupil": pupil, "form": form, "dsl_note": subject_access.DSL_NOTE}
    return render(request, "records/subject_access_confirm.html", context)
