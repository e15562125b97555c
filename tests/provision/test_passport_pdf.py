"""The passport PDF: a real WeasyPrint render of the same sheet the page shows, and a clear answer (never a
500) when pango is missing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from provision import pdf
from send_mis import pdf as send_mis_pdf

pytestmark = pytest.mark.django_db


def test_the_passport_pdf_is_a_real_pdf(login, teacher_a, pupil_oak, provision_passport):
    response = login(teacher_a).get(reverse("provision:passport-pdf", args=[pupil_oak.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 2000
    assert "Thistlewood" not in response["Content-Disposition"]


def test_the_pdf_and_the_page_share_the_passport_sheet(login, teacher_a, pupil_oak, provision_passport):
    html = pdf.passport_html(pupil=pupil_oak, passport=provision_passport)
    page = login(teacher_a).get(reverse("provision:passport", args=[pupil_oak.pk])).content.decode()
    for text in ("What is important to me", "My dog Biscuit and my nan.", "How best to support me"):
        assert text in html and text in page
    assert "passport-print.css" in page


def test_without_pango_the_pdf_view_explains_what_to_install(
    login, teacher_a, pupil_oak, provision_passport, monkeypatch
):
    def missing():
        raise pdf.PdfUnavailable(pdf.INSTALL_HINT)

    monkeypatch.setattr(send_mis_pdf, "_weasyprint", missing)
    response = login(teacher_a).get(reverse("provision:passport-pdf", args=[pupil_oak.pk]))
    assert response.status_code == 503
    assert b"pango" in response.content and b"printable page" in response.content


def test_a_pupil_without_a_passport_has_no_pdf(login, teacher_a, pupil_oak):
    response = login(teacher_a).get(reverse("provision:passport-pdf", args=[pupil_oak.pk]))
    assert response.status_code == 404
    assert b"no passport yet" in response.content
