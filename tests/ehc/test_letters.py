"""Letters a school can send as they are: the rendered PDFs' own text (pypdf) carries the letterhead from the
school's set-up (name, address, phone, email; the logo embedded), the date, a named signatory with their role,
the meeting's date, time and place and a reply address; "Dear Jo Hardy" with the role in the address block."""

from __future__ import annotations

import base64
import io
from datetime import date, time

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ehc import services
from ehc.models import InviteeRole
from pupils.letters import signatory
from pupils.models import Role

# A 1x1 PNG: the school's logo.
IN_SCHOOL = {"destination": "in_school"}  # the EHC PDFs ask where they are going first
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def set_up_school(school_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    school_a.address = "Claremont Road\nNottingham"
    school_a.postcode = "NG5 1BH"
    school_a.phone = "0115 915 5555"
    school_a.email = "office@claremont.example"
    school_a.head_name = "Helen Whitfield"
    school_a.senco_name = "Sophie Ndlovu"
    school_a.logo.save("crest.png", ContentFile(PNG), save=False)
    school_a.save()
    return school_a


@pytest.fixture
def invited_review(set_up_school, ehc_plan, senco_a):
    review = services.review_schedule(
        plan=ehc_plan,
        meeting_on=date(2026, 5, 11),
        meeting_time=time(14, 30),
        meeting_place="the Willow meeting room",
        actor=senco_a,
    )
    services.review_invitee_add(
        review=review,
        role=InviteeRole.LA_SEN_OFFICER,
        name="Jo Hardy",
        title="SEN caseworker",
        invited_on=date(2026, 3, 30),
        today=timezone.localdate(),
        actor=senco_a,
    )
    services.review_invitee_add(
        review=review,
        role=InviteeRole.OTHER,
        name="Dr Amir Shah",
        title="Educational psychologist",
        invited_on=date(2026, 3, 30),
        today=timezone.localdate(),
        actor=senco_a,
    )
    services.review_invitee_add(
        review=review, role=InviteeRole.HEALTH, name="Sam Green", today=timezone.localdate(), actor=senco_a
    )
    return review


def _text(response) -> str:
    assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.content[:300]
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _letterhead(text: str) -> None:
    for part in ("Claremont Primary and Nursery School", "Claremont Road", "NG5 1BH", "0115 915 5555"):
        assert part in text, part
    assert "office@claremont.example" in text


def test_the_invitation_letter_is_one_letter_per_invitee_ready_to_send(invited_review, login, senco_a):
    response = login(senco_a).post(reverse("ehc:review-invitation-pdf", args=[invited_review.pk]), IN_SCHOOL)
    reader = PdfReader(io.BytesIO(response.content))
    letters = [page.extract_text() for page in reader.pages]

    jo = next(text for text in letters if "Dear Jo Hardy," in text)
    _letterhead(jo)
    assert "30 March 2026" in jo  # the day it was sent
    assert "Jo Hardy\nSEN caseworker" in jo  # the role in the address block, not in the greeting
    assert "Monday 11 May 2026" in jo and "2.30pm" in jo and "the Willow meeting room" in jo
    assert "reply" in jo and "office@claremont.example" in jo  # where to reply
    assert "Sophie Ndlovu" in jo and "SENCO, Claremont Primary and Nursery School" in jo
    shah = next(text for text in letters if "Dear Dr Amir Shah," in text)
    assert "Educational psychologist" in shah
    green = next(text for text in letters if "Dear Sam Green," in text)
    assert "Health professional" in green  # the role as people say it, never the code "health"
    assert "Dear health" not in "\n".join(letters) and "la_sen" not in "\n".join(letters)


def test_the_letter_embeds_the_schools_logo(invited_review, login, senco_a):
    response = login(senco_a).post(reverse("ehc:review-invitation-pdf", args=[invited_review.pk]), IN_SCHOOL)
    reader = PdfReader(io.BytesIO(response.content))
    assert any(page.images for page in reader.pages)


def test_the_review_report_is_signed_by_the_head(invited_review, login, senco_a):
    services.review_hold(review=invited_review, held_on=date(2026, 5, 11), today=timezone.localdate(), actor=senco_a)
    text = _text(login(senco_a).post(reverse("ehc:review-report-pdf", args=[invited_review.pk]), IN_SCHOOL))
    _letterhead(text)
    assert "Helen Whitfield" in text and "Headteacher, Claremont Primary and Nursery School" in text
    assert "Jo Hardy (SEN caseworker)" in text and "Dr Amir Shah (Educational psychologist)" in text
    assert timezone.localdate().strftime("%-d %B %Y") in text


def test_the_advice_cover_carries_letterhead_date_and_signatory(set_up_school, ehc_assessment, login, senco_a):
    text = _text(login(senco_a).post(reverse("ehc:advice-cover-pdf", args=[ehc_assessment.pk]), IN_SCHOOL))
    _letterhead(text)
    assert timezone.localdate().strftime("%-d %B %Y") in text
    assert "Sophie Ndlovu" in text and "SENCO, Claremont Primary and Nursery School" in text


def test_the_passport_carries_the_letterhead(set_up_school, login, teacher_a, pupil_oak, provision_passport):
    text = _text(login(teacher_a).get(reverse("provision:passport-pdf", args=[pupil_oak.pk])))
    _letterhead(text)
    assert "Sophie Ndlovu" in text


def test_without_names_at_set_up_the_signatory_is_the_member_of_staff_in_the_role(school_a, senco_a, head_a):
    assert signatory(school_a, Role.SENCO).name == "Sophie Ndlovu"
    assert signatory(school_a, Role.HEAD).name == "Helen Whitfield"
    assert signatory(school_a, Role.HEAD).role == "Headteacher"


def test_the_pdf_uses_the_one_print_stylesheet_not_the_screen_cascade(invited_review, login, senco_a, monkeypatch):
    from ehc import pdf

    seen = {}
    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: seen.setdefault("html", html) and real(html))
    login(senco_a).post(reverse("ehc:review-invitation-pdf", args=[invited_review.pk]), IN_SCHOOL)
    assert "css/print." in seen["html"]
    assert "send-mis.css" not in seen["html"] and "ehc-print.css" not in seen["html"]
    assert "<style" not in seen["html"] and "Skip to main content" not in seen["html"]


def test_the_meeting_time_and_place_and_an_invitees_role_are_entered_on_the_forms(ehc_review, login, senco_a):
    client = login(senco_a)

    client.post(
        reverse("ehc:review-edit", args=[ehc_review.pk]),
        {"meeting_on": "2026-05-11", "meeting_time": "15:30", "meeting_place": "the library"},
    )
    client.post(
        reverse("ehc:review-invitee-new", args=[ehc_review.pk]),
        {"role": "other", "name": "Dr Amir Shah", "title": "Educational psychologist"},
    )

    ehc_review.refresh_from_db()
    assert ehc_review.meeting_time == time(15, 30) and ehc_review.meeting_place == "the library"
    invitee = ehc_review.invitees.get(name="Dr Amir Shah")
    assert invitee.role_label == "Educational psychologist"


def test_a_meeting_time_that_is_not_a_time_is_refused_and_the_form_kept(ehc_review, login, senco_a):
    response = login(senco_a).post(
        reverse("ehc:review-edit", args=[ehc_review.pk]),
        {"meeting_on": "2026-05-11", "meeting_time": "half past", "meeting_place": "the library"},
    )

    page = response.content.decode()
    assert response.status_code == 200 and "Enter a time such as 14:30." in page and 'value="the library"' in page
    ehc_review.refresh_from_db()
    assert ehc_review.meeting_time is None
