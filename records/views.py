"""Views of the top layer that compose areas."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils.school_access import SchoolAdminAction, get_school_for_admin

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
