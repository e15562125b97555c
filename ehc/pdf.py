"""PDFs by WeasyPrint from the same templates the browser shows, with the print stylesheet.

Rendering only. Nothing is fetched from outside: the fetcher serves the app's own static files and refuses
every other address. Where WeasyPrint cannot load its system libraries (pango), callers get PdfUnavailable
and answer a page that says what to install, never a 500.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

INSTALL_HINT = (
    "apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
)


class PdfUnavailable(Exception):
    """WeasyPrint or the libraries it needs (pango, harfbuzz) cannot be loaded on this machine."""


def _weasyprint():
    try:
        import weasyprint
    except (OSError, ImportError) as error:  # OSError: "cannot load library 'libpango-1.0-0'"
        raise PdfUnavailable(str(error)) from error
    return weasyprint


def _fetcher(weasyprint):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        # A PDF must never reach the network: serve our stylesheets, refuse the rest.
        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            if path.startswith(settings.STATIC_URL):
                found = finders.find(path[len(settings.STATIC_URL):])
                if found:
                    with open(found, "rb") as handle:
                        body = handle.read()
                    content_type = "text/css" if found.endswith(".css") else "application/octet-stream"
                    return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
            raise ValueError(f"PDFs fetch nothing but the app's static files: {url}")

    return StaticOnlyFetcher()


def html_to_pdf(html: str) -> bytes:
    weasyprint = _weasyprint()
    return weasyprint.HTML(
        string=html, base_url="http://send-mis.invalid/", url_fetcher=_fetcher(weasyprint), media_type="print"
    ).write_pdf()


def pdf_response(request: HttpRequest, template: str, context: dict, *, filename: str) -> HttpResponse:
    """Render `template` as the browser would, then as a PDF; a clear 503 page if PDFs cannot be made."""
    html = render_to_string(template, {**context, "is_pdf": True}, request=request)
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable as error:
        return render(
            request, "ehc/pdf_unavailable.html", {"install": INSTALL_HINT, "detail": str(error)}, status=503
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
