"""Every EHC PDF downloaded is written to the pupil's disclosure log (who, which document, when). Before the PDF
is made, the user says whether it is for use in school or leaves the school, and then to whom and why: the
consent of the parent or young person, or a purpose reg 17 of the SEND Regulations 2014 lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ehc import pdf
from pupils.models import Disclosure

pytestmark = pytest.mark.django_db

DOCUMENTS = [
    ("ehc:review-report-pdf", "ehc_review_report", "ehc_review"),
    ("ehc:review-invitation-pdf", "ehc_review_invitation", "ehc_review"),
    ("ehc:advice-cover-pdf", "ehc_advice", "ehc_assessment"),
]
LEAVING = {"destination": "leaving", "recipient": "Head of Bulwell Academy", "purpose": "next_setting"}


@pytest.fixture(autouse=True)
def _quick_pdf(monkeypatch):
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: b"%PDF-1.7 test")


@pytest.mark.parametrize(("url_name", "document", "record"), DOCUMENTS)
def test_the_download_first_asks_where_the_document_goes(
    request, login, senco_a, ehc_assessment, url_name, document, record
):
    obj = request.getfixturevalue(record)

    response = login(senco_a).get(reverse(url_name, args=[obj.pk]))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "For use in school" in response.content.decode() and "regulation 17" in response.content.decode()
    assert not Disclosure.objects.exists()  # a GET never writes


@pytest.mark.parametrize(("url_name", "document", "record"), DOCUMENTS)
def test_a_document_for_use_in_school_is_logged_without_a_recipient(
    request, login, senco_a, ehc_assessment, url_name, document, record
):
    obj = request.getfixturevalue(record)

    response = login(senco_a).post(reverse(url_name, args=[obj.pk]), {"destination": "in_school"})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disclosure = Disclosure.objects.get()
    assert (disclosure.document, disclosure.document_id, disclosure.disclosed_by) == (document, obj.pk, senco_a)
    assert (disclosure.recipient, disclosure.purpose) == ("", "") and disclosure.pupil == ehc_assessment.pupil


@pytest.mark.parametrize(("url_name", "document", "record"), DOCUMENTS)
def test_a_document_leaving_the_school_is_logged_with_recipient_and_purpose(
    request, login, head_a, ehc_assessment, url_name, document, record
):
    obj = request.getfixturevalue(record)

    response = login(head_a).post(reverse(url_name, args=[obj.pk]), LEAVING)

    assert response["Content-Type"] == "application/pdf"
    disclosure = Disclosure.objects.get()
    assert (disclosure.recipient, disclosure.purpose, disclosure.disclosed_by) == (
        "Head of Bulwell Academy",
        "next_setting",
        head_a,
    )
    assert disclosure.left_the_school


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "destination", "This field is required."),
        ({"destination": "elsewhere"}, "destination", "Select a valid choice."),
        ({"destination": "leaving", "purpose": "consent"}, "recipient", "Say who the document is sent to."),
        ({"destination": "leaving", "recipient": "Dr Lee, CAMHS"}, "purpose", "Choose why it is sent"),
        ({"destination": "leaving", "recipient": "   ", "purpose": "consent"}, "recipient", "Say who"),
        ({**LEAVING, "purpose": "curiosity"}, "purpose", "Select a valid choice."),
        ({**LEAVING, "recipient": "x" * 201}, "recipient", "at most 200 characters"),
        ({**LEAVING, "recipient": "CAMHS\x00"}, "recipient", "Null characters are not allowed."),
        ({"destination": "in_school", "recipient": "Dr Lee"}, "destination", "choose 'It will leave the school'"),
    ],
)
def test_bad_input_is_refused_with_a_reason_the_data_kept_and_nothing_logged(
    login, senco_a, ehc_review, data, field, message
):
    response = login(senco_a).post(reverse("ehc:review-report-pdf", args=[ehc_review.pk]), data)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert any(message in error for error in response.context["form"].errors[field])
    if data.get("recipient") == "Dr Lee, CAMHS":
        assert 'value="Dr Lee, CAMHS"' in response.content.decode()
    assert not Disclosure.objects.exists()


def test_a_pdf_that_cannot_be_made_logs_nothing(monkeypatch, login, senco_a, ehc_review):
    from send_mis.pdf import PdfUnavailable

    def refuse(html):
        raise PdfUnavailable("no pango")

    monkeypatch.setattr(pdf, "html_to_pdf", refuse)

    response = login(senco_a).post(reverse("ehc:review-report-pdf", args=[ehc_review.pk]), LEAVING)

    assert response.status_code == 503
    assert not Disclosure.objects.exists()


def test_a_teacher_may_not_download_or_log(login, teacher_a, ehc_review):
    response = login(teacher_a).post(reverse("ehc:review-report-pdf", args=[ehc_review.pk]), LEAVING)

    assert response.status_code == 403
    assert not Disclosure.objects.exists()


def test_the_page_itself_is_not_logged_as_a_download(login, senco_a, ehc_review):
    login(senco_a).get(reverse("ehc:review-report", args=[ehc_review.pk]))

    assert not Disclosure.objects.exists()
