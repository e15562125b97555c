"""Who may see a file and who has: sharing it, withdrawing a share, and the file's who-viewed log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils import access as core
from send_mis.steps import bound

from .. import forms, selectors, services
from ..models import Entry, Share
from ._common import WORK, _child, _file, _step, step_up


@login_required
@step_up
def file_shares(request: HttpRequest, file_id) -> HttpResponse:
    file = _file(request, file_id, WORK)
    staff = core.staff_of(file.school)
    entries = Entry.objects.filter(file=file, superseded_by__isnull=True).order_by("occurred_at")
    form = forms.ShareForm(bound(request), staff=staff, entries=entries)
    return _step(
        request,
        form=form,
        file=file,
        title="Share this file",
        save=lambda data: services.share_grant(
            file=file,
            user=data["user"],
            until_on=data["until_on"],
            reason=data["reason"],
            actor=request.user,
            today=timezone.localdate(),
            entry=data["entry"],
        ),
        success="Shared.",
        next_url=reverse("safeguarding:file-shares", args=[file.pk]),
        context={
            "shares": Share.objects.filter(file=file).select_related("user", "granted_by", "entry"),
            "today": timezone.localdate(),
        },
        template="safeguarding/shares.html",
    )


@login_required
@step_up
@require_POST
def share_revoke(request: HttpRequest, share_id) -> HttpResponse:
    share = _child(request, Share, share_id, WORK)
    services.share_revoke(share=share, actor=request.user, now=timezone.now())
    messages.success(request, "Share withdrawn.")
    return redirect("safeguarding:file-shares", share.file.pk)


@login_required
@step_up
def file_log(request: HttpRequest, file_id) -> HttpResponse:
    file = _file(request, file_id, WORK)
    return render(request, "safeguarding/log.html", {"file": file, "events": selectors.access_log(file)[:500]})
