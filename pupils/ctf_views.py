"""A joiner's common transfer file: the SENCO or head uploads it, sees what it would create or change (the
pupil and their SEN history), then confirms. The file travels from the preview to the confirmation signed
(never stored, never trusted if changed); thin views over pupils.ctf."""

from __future__ import annotations

import base64
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from send_mis.steps import bound

from . import ctf
from .models import YearGroup
from .school_access import SchoolAdminAction, get_school_for_admin

CTF_IMPORT = SchoolAdminAction.CTF_IMPORT
MAX_CTF_BYTES = 5 * 1024 * 1024
SALT = "pupils.ctf-joiner"
SIGNED_FOR_SECONDS = 60 * 60


class CtfUploadForm(forms.Form):
    file = forms.FileField(label="Common transfer file (CTF)", help_text="The XML file from the previous school.")
    admitted_on = forms.DateField(
        label="Joined this school on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For a pupil new to this school.",
        error_messages={"invalid": "Enter a date such as 2027-01-04."},
    )
    year_group = forms.TypedChoiceField(
        label="Year group", coerce=int, choices=YearGroup.choices, help_text="For a pupil new to this school."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CTF_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB: a CTF for a joiner is far smaller.")
        self.content = upload.read()
        try:
            self.pupils = ctf.ctf_read(self.content)
        except ctf.CtfError as error:
            raise forms.ValidationError(str(error)) from error
        if not self.pupils:
            raise forms.ValidationError("The file holds no pupil.")
        return upload


def _signed(form: CtfUploadForm) -> str:
    return signing.dumps(
        {
            "ctf": base64.b64encode(form.content).decode(),
            "admitted_on": form.cleaned_data["admitted_on"].isoformat(),
            "year_group": form.cleaned_data["year_group"],
        },
        salt=SALT,
        compress=True,
    )


@login_required
def ctf_upload(request: HttpRequest, school_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=CTF_IMPORT)
    form = CtfUploadForm(bound(request), request.FILES or None, initial={"admitted_on": timezone.localdate()})
    if form.is_valid():
        try:
            plans = ctf.ctf_plan(school=school, ctf_pupils=form.pupils)
        except ctf.CtfError as error:
            form.add_error("file", str(error))
        else:
            context = {
                "school": school,
                "plans": plans,
                "payload": _signed(form),
                "admitted_on": form.cleaned_data["admitted_on"],
                "year_group_label": YearGroup(form.cleaned_data["year_group"]).label,
            }
            return render(request, "school/ctf_preview.html", context)
    return render(request, "school/ctf_upload.html", {"school": school, "form": form})


@require_POST
@login_required
def ctf_confirm(request: HttpRequest, school_id) -> HttpResponse:
    school = get_school_for_admin(request.user, school_id, action=CTF_IMPORT)
    try:
        data = signing.loads(request.POST.get("payload", ""), salt=SALT, max_age=SIGNED_FOR_SECONDS)
        pupils = ctf.ctf_read(base64.b64decode(data["ctf"]))
        plans = ctf.ctf_import(
            school=school,
            ctf_pupils=pupils,
            admitted_on=date.fromisoformat(data["admitted_on"]),
            year_group=int(data["year_group"]),
            actor=request.user,
        )
    except (signing.BadSignature, KeyError, ValueError, ctf.CtfError):
        messages.error(request, "The check has expired or the file changed: upload the CTF again.")
        return redirect("school:ctf-import", school_id=school.pk)
    except ValidationError as error:
        messages.error(request, "Nothing was imported: " + " ".join(error.messages))
        return redirect("school:ctf-import", school_id=school.pk)
    created = sum(p.action == "create" for p in plans)
    updated = sum(p.action == "update" for p in plans)
    added = sum(item.outcome == "add" for p in plans if p.action != "refuse" for item in p.periods)
    messages.success(
        request,
        f"CTF imported: {created} pupil{'s' if created != 1 else ''} added, {updated} updated, "
        f"{added} SEN period{'s' if added != 1 else ''} added to the register history.",
    )
    return redirect("school:ctf-import", school_id=school.pk)
