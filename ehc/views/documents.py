"""The printable pages and PDFs: the advice cover sheet, the annual review report and the review invitation.
Each PDF is given only after the user says whether it stays in school or leaves it (to whom and why), which the
pupil's disclosure log records (pupils.disclosure_views.release_step)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from pupils.disclosure_views import release_step
from pupils.letters import download_name
from pupils.models import DisclosedDocument
from send_mis.steps import AuthenticatedHttpRequest

from .. import selectors, statutory
from ..extensions import ReportSection
from ..models import AnnualReview, EhcAssessment
from ..pdf import pdf_response
from ._common import VIEW, _record, _review


@login_required
def advice_cover(request: AuthenticatedHttpRequest, assessment_id, *, as_pdf: bool = False) -> HttpResponse:
    assessment, pupil = _record(request, EhcAssessment.objects.all(), assessment_id, VIEW)
    if assessment.advice_received_on is None:
        messages.error(request, "Record when the LA's request for advice arrived first.")
        return redirect("ehc:overview", pupil_id=pupil.pk)
    today = timezone.localdate()
    context = {
        "today": today,
        "assessment": assessment,
        "pupil": pupil,
        "school": pupil.school,
        "due_on": statutory.advice_due(assessment.advice_received_on),
        "rule": statutory.RULES["advice"],
        "pdf_url": reverse("ehc:advice-cover-pdf", args=[assessment.pk]),
    }
    if as_pdf:
        return release_step(
            request,
            pupil=pupil,
            document=DisclosedDocument.EHC_ADVICE,
            document_id=assessment.pk,
            respond=lambda: pdf_response(
                request, "ehc/advice_cover.html", context, filename=download_name("ehc-advice-cover", pupil, today)
            ),
            back_url=reverse("ehc:advice-cover", args=[assessment.pk]),
        )
    return render(request, "ehc/advice_cover.html", context)


def _review_document(
    request,
    review_id,
    *,
    template: str,
    filename: str,
    as_pdf: bool,
    pdf_name: str,
    document: DisclosedDocument,
    extra_sections: Callable[[AnnualReview], Sequence[ReportSection]] | None = None,
):
    review, pupil = _review(request, review_id, VIEW)
    today = timezone.localdate()
    context = selectors.review_workspace(review, today=today)
    context.update(school=pupil.school, today=today, pdf_url=reverse(pdf_name, args=[review.pk]))
    context["extra_sections"] = list(extra_sections(review)) if extra_sections else []
    if as_pdf:
        return release_step(
            request,
            pupil=pupil,
            document=document,
            document_id=review.pk,
            respond=lambda: pdf_response(request, template, context, filename=download_name(filename, pupil, today)),
            back_url=reverse("ehc:review-detail", args=[review.pk]),
        )
    return render(request, template, context)


@login_required
def review_report(request: AuthenticatedHttpRequest, review_id, *, as_pdf: bool = False) -> HttpResponse:
    return review_report_document(request, review_id, as_pdf=as_pdf)


def review_report_document(
    request: AuthenticatedHttpRequest,
    review_id,
    *,
    as_pdf: bool,
    pdf_name: str = "ehc:review-report-pdf",
    extra_sections: Callable[[AnnualReview], Sequence[ReportSection]] | None = None,
) -> HttpResponse:
    """The annual review report (page or PDF) for whoever may see the review, with any sections a composing
    view of a layer above supplies: `extra_sections(review)` runs after the access check."""
    return _review_document(
        request,
        review_id,
        template="ehc/review_report.html",
        as_pdf=as_pdf,
        filename="annual-review-report",
        pdf_name=pdf_name,
        document=DisclosedDocument.EHC_REVIEW_REPORT,
        extra_sections=extra_sections,
    )


@login_required
def review_invitation(request: AuthenticatedHttpRequest, review_id, *, as_pdf: bool = False) -> HttpResponse:
    return _review_document(
        request,
        review_id,
        template="ehc/invitation_letter.html",
        as_pdf=as_pdf,
        filename="annual-review-invitation",
        pdf_name="ehc:review-invitation-pdf",
        document=DisclosedDocument.EHC_REVIEW_INVITATION,
    )
