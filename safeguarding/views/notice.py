"""The pupil notice: whom to ask about a child's safeguarding, and whether there is a file for those who may know."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pupils import access as core

from .. import access
from ..models import ChildFile

# --- The pupil notice: whom to ask ------------------------------------------------------------------


@login_required
def pupil_notice(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_notice(request.user, pupil_id, today=timezone.localdate())
    file = ChildFile.objects.filter(pupil=pupil).first()
    readable = (
        file is not None
        and access.files_visible_to(request.user, today=timezone.localdate()).filter(pk=file.pk).exists()
    )
    # Whether a file exists is for those who may know it (the SENCO, the DSL team, a share); others learn only
    # whom to ask, the same words whether there is a file or not.
    knows = file is not None and (readable or access.knows_file_exists(request.user, file))
    return render(
        request,
        "safeguarding/pupil_notice.html",
        {
            "pupil": pupil,
            "file": file if knows else None,
            "readable": readable,
            "may_know": access.knows_file_exists_in(request.user, pupil.school_id),
            "dsl_team": access.dsl_team_of(pupil.school_id),
            "can_report": core.can_in_school(request.user, pupil.school_id, access.SafeguardingAction.REPORT),
        },
    )
