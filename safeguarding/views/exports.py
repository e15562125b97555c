"""Downloads, each logged as an export: the file as a PDF bundle and a file attached from the previous school."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from pupils.letters import download_name
from send_mis.pdf import INSTALL_HINT, PdfUnavailable, html_to_pdf

from .. import selectors, services
from ..models import AccessOutcome, IncomingFile
from ._common import WORK, _child, _file, _page, step_up


@login_required
@step_up
def file_export(request: HttpRequest, file_id) -> HttpResponse:
    file = _file(request, file_id, WORK)
    services.access_record(user=request.user, file=file, outcome=AccessOutcome.EXPORTED, page=_page(request))
    context = {
        "file": file,
        "pupil": file.pupil,
        "entries": selectors.chronology(file),
        "generated_at": timezone.localtime(),
        "is_pdf": True,
        **selectors.file_summary(file, today=timezone.localdate()),
    }
    html = render_to_string("safeguarding/bundle.html", context, request=request)
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable as error:
        return render(
            request, "safeguarding/pdf_unavailable.html", {"install": INSTALL_HINT, "detail": str(error)}, status=503
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    # Never a child's name in a file name: the kind, the initials and the date.
    name = download_name("child-protection-file", file.pupil, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@step_up
def incoming_download(request: HttpRequest, incoming_id) -> HttpResponse:
    incoming = _child(request, IncomingFile, incoming_id, WORK)
    services.access_record(user=request.user, file=incoming.file, outcome=AccessOutcome.EXPORTED, page=_page(request))
    response = HttpResponse(bytes(incoming.content), content_type=incoming.content_type)
    # The sender's file name may carry the child's name: keep only its extension.
    suffix = incoming.filename.rsplit(".", 1)[-1].lower() if "." in incoming.filename else ""
    extension = suffix if suffix.isalnum() and len(suffix) <= 5 else "bin"
    name = download_name("incoming-file", incoming.file.pupil, incoming.received_on, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
