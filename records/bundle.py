"""A leaver's SEND file as one document: the register history, support plans and their cycles, EHC plans
(sections A to K of each version) and annual reviews, and every pupil passport. Read from each area's own
selectors and models (this layer may read them all); rendered as one PDF by send_mis.pdf."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.template.loader import render_to_string

from ehc.models import AnnualReview, EhcPlanVersion
from provision.selectors import plans_of
from pupils.models import Pupil
from pupils.retention import send_file_retained_until
from pupils.selectors import register_history
from send_mis.pdf import html_to_pdf


def send_file_context(pupil: Pupil, *, today: date) -> dict:
    """Everything the SEND file holds, in a fixed number of queries whatever the pupil's history."""
    plans = list(
        pupil.ehc_plans.prefetch_related(
            Prefetch("versions", queryset=EhcPlanVersion.objects.order_by("-number")),
            Prefetch("reviews", queryset=AnnualReview.objects.order_by("meeting_on")),
        )
    )
    return {
        "pupil": pupil,
        "school": pupil.school,
        "today": today,
        "register": list(register_history(pupil)),
        "support_plans": list(plans_of(pupil)),
        "ehc_plans": plans,
        "passports": list(pupil.passports.order_by("-version")),
        "retained_until": send_file_retained_until(pupil.date_of_birth),
    }


def send_file_html(pupil: Pupil, *, today: date) -> str:
    return render_to_string("records/send_file.html", {**send_file_context(pupil, today=today), "is_pdf": True})


def send_file_pdf(pupil: Pupil, *, today: date) -> bytes:
    """The SEND file as one tagged PDF (raises send_mis.pdf.PdfUnavailable where WeasyPrint cannot run)."""
    return html_to_pdf(send_file_html(pupil, today=today), stylesheets=["css/print.css", "records/send-file-print.css"])


def send_file_name(pupil: Pupil, *, today: date) -> str:
    """What the download is called: the kind, the pupil's initials and the date, never a name."""
    return f"send-file-{pupil.initials}-{today:%Y-%m-%d}.pdf"
