"""PDFs of pupil passports: WeasyPrint renderings of the template the browser shows, with a print stylesheet.

WeasyPrint needs the pango library. A machine without it still runs the app: `PdfUnavailable` carries an
explanation the view shows instead of a PDF.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PRINT_STYLESHEET = "provision/passport-print.css"
INSTALL_HINT = (
    "PDFs need the pango text library, which is not installed on this server. Ask whoever runs send-mis to "
    "install it (on Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0). "
    "Meanwhile, use the printable page and your browser's Print button."
)


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here; the message says what to install."""


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: pango or its friends are missing
        raise PdfUnavailable(INSTALL_HINT) from error
    return weasyprint


def passport_html(*, pupil, passport) -> str:
    return render_to_string("provision/passport_pdf.html", {"pupil": pupil, "passport": passport})


def passport_pdf(*, pupil, passport, base_url: str) -> bytes:
    """The passport as a one-page PDF, from the same sheet template the passport page shows."""
    weasyprint = _weasyprint()
    stylesheet = finders.find(PRINT_STYLESHEET)
    try:
        document = weasyprint.HTML(string=passport_html(pupil=pupil, passport=passport), base_url=base_url)
        return document.write_pdf(stylesheets=[weasyprint.CSS(filename=stylesheet)] if stylesheet else None)
    except OSError as error:
        raise PdfUnavailable(INSTALL_HINT) from error
