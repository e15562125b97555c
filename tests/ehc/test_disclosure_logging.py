"""Every EHC PDF downloaded is written to the pupil's disclosure log (who, which document, when)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ehc import pdf
from pupils.models import Disclosure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_pdf(monkeypatch):
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: b"%PDF-1.7 test")


@pytest.mark.parametrize(
    ("url_name", "document", "record"),
    [
        ("ehc:review-report-pdf", "ehc_review_report", "ehc_review"),
        ("ehc:review-invitation-pdf", "ehc_review_invitation", "ehc_review"),
        ("ehc:advice-cover-pdf", "ehc_advice", "ehc_assessment"),
    ],
)
def test_an_ehc_pdf_download_is_logged(request, login, senco_a, ehc_assessment, url_name, document, record):
    obj = request.getfixturevalue(record)

    response = login(senco_a).get(reverse(url_name, args=[obj.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disclosure = Disclosure.objects.get()
    assert (disclosure.document, disclosure.document_id, disclosure.disclosed_by) == (document, obj.pk, senco_a)
    assert disclosure.recipient == "" and disclosure.pupil == ehc_assessment.pupil


def test_the_page_itself_is_not_logged_as_a_download(login, senco_a, ehc_review):
    login(senco_a).get(reverse("ehc:review-report", args=[ehc_review.pk]))

    assert not Disclosure.objects.exists()
