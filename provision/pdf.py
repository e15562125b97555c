"""PDFs of pupil passports (send_mis.pdf renders them) from the sheet template the passport page shows, with a
print stylesheet. Where WeasyPrint cannot run, PdfUnavailable carries an explanation the view shows."""

from __future__ import annotations

from django.template.loader import render_to_string

from send_mis.pdf import INSTALL_HINT as PACKAGES
from send_mis.pdf import PdfUnavailable, html_to_pdf

PRINT_STYLESHEET = "provision/passport-print.css"
# The letterhead and signature come from the documents' print stylesheet; the passport's own goes on top.
STYLESHEETS = ["css/print.css", PRINT_STYLESHEET]
INSTALL_HINT = (
    "PDFs need the pango text library, which is not installed on this server. Ask whoever runs send-mis to "
    f"install it (on Debian: {PACKAGES.removeprefix('apt-get install -y --no-install-recommends ')}). "
    "Meanwhile, use the printable page and your browser's Print button."
)

__all__ = ["INSTALL_HINT", "PdfUnavailable", "passport_html", "passport_pdf"]


def passport_html(*, pupil, passport, today=None) -> str:
    return render_to_string(
        "provision/passport_pdf.html", {"pupil": pupil, "passport": passport, "today": today, "is_pdf": True}
    )


def passport_pdf(*, pupil, passport, today=None) -> bytes:
    """The passport as a one-page PDF, from the same sheet template the passport page shows, on the school's
    letterhead, dated `today`."""
    try:
        return html_to_pdf(passport_html(pupil=pupil, passport=passport, today=today), stylesheets=STYLESHEETS)
    except PdfUnavailable as error:
        raise PdfUnavailable(INSTALL_HINT) from error
