"""PDFs by WeasyPrint from the same HTML the browser shows: one renderer for every app.

Nothing is fetched from outside: the fetcher serves the app's own static files and refuses every other address,
so a PDF never waits on the network (or on this server calling itself). Where WeasyPrint cannot load its system
libraries (pango), callers get PdfUnavailable and show a page that says what to install, never a 500.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

INSTALL_HINT = "apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


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
                found = finders.find(path[len(settings.STATIC_URL) :])
                if found:
                    with open(found, "rb") as handle:
                        body = handle.read()
                    content_type = "text/css" if found.endswith(".css") else "application/octet-stream"
                    return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
            raise ValueError(f"PDFs fetch nothing but the app's static files: {url}")

    return StaticOnlyFetcher()


def html_to_pdf(html: str, *, stylesheets: Iterable[str] = ()) -> bytes:
    """Render HTML to PDF bytes; `stylesheets` are static file paths applied on top of the page's own."""
    weasyprint = _weasyprint()
    extra = [weasyprint.CSS(filename=found) for found in map(finders.find, stylesheets) if found]
    try:
        return weasyprint.HTML(
            string=html, base_url="http://send-mis.invalid/", url_fetcher=_fetcher(weasyprint), media_type="print"
        ).write_pdf(stylesheets=extra or None)
    except OSError as error:
        raise PdfUnavailable(str(error)) from error
