"""Pupils from the MIS: upload, a progress page while a task checks or imports, the preview with every bad row,
the confirmation, and the report of what changed. Thin views over pupils.mis_import."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from send_mis.steps import apply_service_errors, bound

from . import mis_csv, mis_import
from .models import ImportStatus
from .school_access import SchoolAdminAction, get_school_for_admin

IMPORT = SchoolAdminAction.PUPIL_IMPORT
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file exported from your MIS", help_text="Up to 20 MB; the columns are listed below."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB: export fewer columns or split it.")
        try:
            self.text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not CSV text (UTF-8): save it from the MIS as CSV.")
        return upload


class ConfirmForm(forms.Form):
    is_errors_allowed = forms.BooleanField(
        label="Import the good rows and leave out the rows with errors", required=False
    )


@login_required
def upload(request: HttpRequest, school_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=IMPORT)
    # An upload then a confirmation: no service error to show here, and no message (the next page reports).
    form = UploadForm(bound(request), request.FILES or None)
    if form.is_valid():
        pupil_import = mis_import.import_upload(
            school=school, file_name=form.cleaned_data["file"].name, text=form.text, actor=request.user
        )
        return redirect("school:pupil-import-detail", school_id=school.pk, import_id=pupil_import.pk)
    context = {"school": school, "form": form, "columns": mis_csv.__doc__.split("Columns", 1)[1]}
    return render(request, "school/pupil_import_upload.html", context)


@login_required
def detail(request: HttpRequest, school_id, import_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=IMPORT)
    pupil_import = get_object_or_404(school.pupil_imports, pk=import_id)
    running = pupil_import.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)
    context = {
        "school": school,
        "job": pupil_import,
        "running": running,
        "done_rows": mis_import.import_progress(pupil_import) if running else None,
        "changes": pupil_import.result.get("changes") or pupil_import.preview.get("changes", []),
        "problems": Paginator(pupil_import.problems, 200).get_page(request.GET.get("page")),
    }
    return render(request, "school/pupil_import_detail.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, school_id, import_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=IMPORT)
    pupil_import = get_object_or_404(school.pupil_imports, pk=import_id)
    # The confirmation of an upload: its errors go back to the import's page as messages, so not form_step.
    form = ConfirmForm(bound(request))
    if form.is_valid():
        try:
            mis_import.import_confirm(
                pupil_import=pupil_import,
                is_errors_allowed=form.cleaned_data["is_errors_allowed"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("school:pupil-import-detail", school_id=school.pk, import_id=pupil_import.pk)
    for error in form.errors.get("is_errors_allowed", []) + form.non_field_errors():
        messages.error(request, error)
    return redirect("school:pupil-import-detail", school_id=school.pk, import_id=pupil_import.pk)
