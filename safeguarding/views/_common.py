"""The helpers every safeguarding view module shares: the step-up, the file lookups that log, and the form step."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from pupils.twofactor import require_recent_second_factor
from send_mis.steps import form_step

from .. import access, services
from ..access import FileAction
from ..models import AccessOutcome, ChildFile

READ, WORK = FileAction.READ, FileAction.WORK
STEP_UP_MINUTES = 15
# The URL argument that names a file, or a record of one, and how to find the file from it.
_FILE_OF = {
    "file_id": lambda pk: ChildFile.objects.filter(pk=pk).first(),
    "entry_id": lambda pk: ChildFile.objects.filter(entries__pk=pk).first(),
    "flag_id": lambda pk: ChildFile.objects.filter(flags__pk=pk).first(),
    "share_id": lambda pk: ChildFile.objects.filter(shares__pk=pk).first(),
    "transfer_id": lambda pk: ChildFile.objects.filter(transfers__pk=pk).first(),
    "incoming_id": lambda pk: ChildFile.objects.filter(incoming__pk=pk).first(),
}


def step_up(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """require_recent_second_factor, with the refusal logged against the file asked for (when there is one):
    an attempt without a recent second factor is a refused attempt like any other."""

    @wraps(view)
    def verified(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request._safeguarding_verified = True  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    guarded = require_recent_second_factor(minutes=STEP_UP_MINUTES)(verified)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = guarded(request, *args, **kwargs)
        if not getattr(request, "_safeguarding_verified", False):
            file = next((_FILE_OF[name](value) for name, value in kwargs.items() if name in _FILE_OF), None)
            if file is not None:
                services.access_record(
                    user=request.user,
                    file=file,
                    outcome=AccessOutcome.REFUSED,
                    page=_page(request),
                    detail="No recent two-factor sign-in",
                )
        return response

    return wrapped


def _page(request: HttpRequest) -> str:
    return request.resolver_match.view_name if request.resolver_match else request.path[:60]


def _file(request: HttpRequest, file_id, action: FileAction) -> ChildFile:
    """The file, with the who-viewed log written: a read on GET, a refusal (then 404 or 403) otherwise."""
    try:
        file = access.get_file_for_user(request.user, file_id, action=action, today=timezone.localdate())
    except access.Refused as refused:
        if refused.file is not None:
            services.access_record(
                user=request.user, file=refused.file, outcome=AccessOutcome.REFUSED, page=_page(request)
            )
        raise refused.error
    if request.method == "GET":
        services.access_record(user=request.user, file=file, outcome=AccessOutcome.READ, page=_page(request))
    return file


def _child(request: HttpRequest, model, pk, action: FileAction, **filters):
    """A record of a file (an entry, a share, a transfer...) by id (404 if none), then the file's access rule."""
    obj = get_object_or_404(model.objects.filter(**filters), pk=pk)
    obj.file = _file(request, obj.file_id, action)
    return obj


def _step(
    request: HttpRequest,
    *,
    form: Form,
    title: str,
    save: Callable[[dict], object],
    success: str,
    next_url: str | Callable[[object], str],
    file: ChildFile | None = None,
    context: dict | None = None,
    template: str = "safeguarding/step_form.html",
) -> HttpResponse:
    """form_step inside the safeguarding page: its title and the way back (to the file, else the dashboard)."""
    back = reverse("safeguarding:file", args=[file.pk]) if file else reverse("safeguarding:dashboard")
    return form_step(
        request,
        form=form,
        save=save,
        success=success,
        next_url=next_url,
        template=template,
        context={"file": file, "title": title, "back": back, **(context or {})},
    )


def _file_url(file: ChildFile) -> str:
    return reverse("safeguarding:file", args=[file.pk])
