"""Documents: the review report (with the A to K check and the right-to-appeal statement), the invitation
letter and the advice cover, rendered from the templates the browser shows; one real WeasyPrint render each;
and a clear page, never a 500, where WeasyPrint cannot load pango."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from ehc import pdf, services
from ehc.models import EhcPlanVersion
from send_mis import pdf as send_mis_pdf

IN_SCHOOL = {"destination": "in_school"}  # the PDF is given once the user says where it goes


@pytest.fixture
def held_review(ehc_review, senco_a):
    services.review_invitee_add(
        review=ehc_review, role="health", name="Dr Nurse", today=timezone.localdate(), actor=senco_a
    )
    services.review_hold(review=ehc_review, held_on=date(2026, 5, 11), today=timezone.localdate(), actor=senco_a)
    return ehc_review


def test_review_report_html_has_the_a_to_k_check_and_the_appeal_statement(held_review, login, senco_a):
    response = login(senco_a).get(reverse("ehc:review-report", args=[held_review.pk]))
    page = response.content.decode()
    assert "Sections A to K check" in page
    assert "All sections A to K are present and held separately." in page
    assert 'id="right-to-appeal"' in page and "First-tier Tribunal (Special Educational Needs and Disability)" in page
    assert reverse("ehc:review-report-pdf", args=[held_review.pk]) in page


def test_review_report_a_to_k_check_names_a_missing_section(held_review, login, senco_a):
    EhcPlanVersion.objects.filter(plan=held_review.plan).update(section_h2="", section_j="  ")
    page = login(senco_a).get(reverse("ehc:review-report", args=[held_review.pk])).content.decode()
    assert "Sections missing or empty: H2, J." in page


def test_review_report_renders_as_a_real_pdf(held_review, login, senco_a, monkeypatch):
    rendered = {}
    real = pdf.html_to_pdf

    def spy(html):
        rendered["html"] = html
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", spy)
    response = login(senco_a).post(reverse("ehc:review-report-pdf", args=[held_review.pk]), IN_SCHOOL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert held_review.plan.pupil.legal_surname not in response["Content-Disposition"]
    assert "Sections A to K check" in rendered["html"] and 'id="right-to-appeal"' in rendered["html"]
    assert "Download PDF" not in rendered["html"]  # the print version has no screen-only controls


@pytest.mark.parametrize("name", ["ehc:review-invitation-pdf", "ehc:advice-cover-pdf"])
def test_invitation_letter_and_advice_cover_render_as_pdfs(held_review, ehc_assessment, login, senco_a, name):
    target = held_review.pk if name.startswith("ehc:review") else ehc_assessment.pk
    response = login(senco_a).post(reverse(name, args=[target]), IN_SCHOOL)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_invitation_letter_addresses_each_invitee(held_review, login, senco_a):
    page = login(senco_a).get(reverse("ehc:review-invitation", args=[held_review.pk])).content.decode()
    assert "Dear Dr Nurse," in page and "Monday 11 May 2026" in page


def test_without_pango_the_pdf_view_explains_what_to_install(held_review, login, senco_a, monkeypatch):
    def no_pango():
        raise send_mis_pdf.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(send_mis_pdf, "_weasyprint", no_pango)
    response = login(senco_a).post(reverse("ehc:review-report-pdf", args=[held_review.pk]), IN_SCHOOL)

    assert response.status_code == 503
    page = response.content.decode()
    assert "libpango-1.0-0 libpangoft2-1.0-0" in page and "PDFs cannot be made on this server" in page


def test_pdf_fetcher_serves_our_stylesheet_and_refuses_any_other_address():
    fetcher = send_mis_pdf._fetcher(send_mis_pdf._weasyprint())
    assert b"--brand" in fetcher.fetch("http://send-mis.invalid/static/css/send-mis.css").read()
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.org/tracker.css")
