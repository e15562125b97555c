"""PDFs by WeasyPrint from the same HTML the browser shows: one renderer for every app.

Nothing is fetched from outside: the fetcher serves the app's own static files and refuses every other address,
so a PDF never waits on the network (or on this server calling itself). Where WeasyPrint cannot load its system
libraries (pango), callers get PdfUnavailable and show a page that says what to install, never a 500.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterable
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

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
            if url.startswith("data:image/"):  # the school's logo, embedded by the letterhead
                return URLFetcherResponse(url, body=_data_url(url), headers={"Content-Type": url[5:].split(";")[0]})
            path = urlsplit(url).path
            if path.startswith(settings.STATIC_URL):
                body = static_file(path[len(settings.STATIC_URL) :])
                if body is not None:
                    content_type = "text/css" if path.endswith(".css") else "application/octet-stream"
                    return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
            raise ValueError(f"PDFs fetch nothing but the app's static files: {url}")

    return StaticOnlyFetcher()


def _data_url(url: str) -> bytes:
    meta, _, data = url.partition(",")
    return base64.b64decode(data) if meta.endswith(";base64") else unquote_to_bytes(data)


_fonts = threading.local()


def _font_config(weasyprint):
    """One FontConfiguration per process and thread: fontconfig's font list is read once, not per PDF (the
    first render pays it; our stylesheets declare no @font-face, so nothing accumulates between documents)."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


_stylesheets: dict[str, object] = {}


def _stylesheet(name: str):
    """A static stylesheet parsed once per process (None, not remembered, if there is no such file)."""
    sheet = _stylesheets.get(name)
    if sheet is None:
        body = static_file(name)
        if body is None:
            return None
        weasyprint = _weasyprint()
        sheet = _stylesheets[name] = weasyprint.CSS(string=body.decode(), font_config=_font_config(weasyprint))
    return sheet


def static_file(name: str) -> bytes | None:
    """The bytes of a static file by the name a page links to. In development the finders know it; under
    production storage (CompressedManifestStaticFilesStorage) pages link to hashed names that only the storage
    (the collected files) holds, so ask it too."""
    found = finders.find(name)
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as handle:
            return handle.read()
    return None


def html_to_pdf(html: str, *, stylesheets: Iterable[str] = ()) -> bytes:
    """Render HTML to PDF bytes; `stylesheets` are static file paths applied on top of the page's own.

    The PDF is tagged for accessibility (WeasyPrint's PDF/UA-1 variant): its language comes from the page's
    `<html lang>` and its title from the page's `<title>`, so every document template gives both."""
    weasyprint = _weasyprint()
    try:
        extra = [sheet for sheet in map(_stylesheet, stylesheets) if sheet is not None]
        return weasyprint.HTML(
            string=html, base_url="http://send-mis.invalid/", url_fetcher=_fetcher(weasyprint), media_type="print"
        ).write_pdf(stylesheets=extra or None, pdf_variant="pdf/ua-1", font_config=_font_config(weasyprint))
    except OSError as error:
        raise PdfUnavailable(str(error)) from error
