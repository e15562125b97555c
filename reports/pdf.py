"""Reports as PDFs (send_mis.pdf renders them) from the same body templates the browser shows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from send_mis.pdf import INSTALL_HINT, PdfUnavailable, html_to_pdf


def pdf_response(request: HttpRequest, template: str, context: dict, *, filename: str) -> HttpResponse:
    """Render the print template, then the PDF; a clear 503 page (never a 500) where PDFs cannot be made.
    `filename` never carries a pupil's name: reports name the school's URN and the period."""
    html = render_to_string(template, {**context, "is_pdf": True}, request=request)
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable as error:
        return render(
            request, "reports/pdf_unavailable.html", {"install": INSTALL_HINT, "detail": str(error)}, status=503
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
