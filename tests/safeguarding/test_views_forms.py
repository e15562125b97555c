"""Forms through their views: a report with a body-map mark, bad input (a clear message, data kept, never a
500), the decision not to refer refused without reasons, and the transfer bundle as a real PDF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from safeguarding.models import AccessEvent, AccessOutcome, BodyMark, Entry, EntryKind
from tests.safeguarding.conftest import stepped_client

pytestmark = pytest.mark.django_db


def _report_data(pupil, today, **overrides):
    data = {
        "pupil": str(pupil.pk),
        "occurred_on": (today - timedelta(days=1)).isoformat(),
        "occurred_time": "10:15",
        "location": "Library",
        "account": 'She said "I am scared to go home".',
        "others_involved": "",
        "immediate_action": "Stayed with her and fetched the DSL.",
        "told_dsl_in_person": "yes",
        "mark_position": "front-4-2",
        "mark_description": "Red mark on the left forearm",
    }
    return data | overrides


def test_a_teacher_reports_a_concern_with_a_mark_and_gets_a_receipt(pupil_oak, teacher_a, dsl_a, today):
    client = stepped_client(teacher_a, minutes_ago=None)  # reporting needs no step-up
    response = client.post(reverse("safeguarding:report"), _report_data(pupil_oak, today))
    concern = Entry.objects.get(kind=EntryKind.CONCERN)
    assert response.status_code == 302
    assert response["Location"] == reverse("safeguarding:concern-receipt", args=[concern.pk])
    mark = BodyMark.objects.get(entry=concern)
    assert (mark.side, mark.row, mark.column) == ("front", 4, 2)
    assert concern.told_dsl_in_person is True
    receipt = client.get(response["Location"]).content.decode()
    assert "scared" not in receipt and "Red mark" not in receipt


def test_any_staff_member_may_report_on_any_child_of_the_school(pupil_ash, teacher_a, today):
    response = stepped_client(teacher_a).post(reverse("safeguarding:report"), _report_data(pupil_ash, today))
    assert response.status_code == 302


def test_a_child_of_another_school_cannot_be_chosen(pupil_b, teacher_a, today):
    response = stepped_client(teacher_a).post(reverse("safeguarding:report"), _report_data(pupil_b, today))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Entry.objects.exists()


def test_an_empty_report_says_what_is_missing(pupil_oak, teacher_a):
    response = stepped_client(teacher_a).post(reverse("safeguarding:report"), {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "This field is required" in body


def test_a_mark_without_a_description_is_refused_and_the_account_kept(pupil_oak, teacher_a, today):
    data = _report_data(pupil_oak, today, mark_description="")
    response = stepped_client(teacher_a).post(reverse("safeguarding:report"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Describe the mark you placed on the body map." in body
    assert "I am scared to go home" in body.replace("&quot;", '"')
    assert 'value="front-4-2" aria-describedby="body-map-hint" checked' in body
    assert not Entry.objects.exists()


def test_a_future_time_is_refused(pupil_oak, teacher_a, today):
    data = _report_data(pupil_oak, today + timedelta(days=3))
    response = stepped_client(teacher_a).post(reverse("safeguarding:report"), data)
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()


def test_the_reporter_adds_to_their_concern(oak_report, teacher_a):
    client = stepped_client(teacher_a)
    response = client.post(
        reverse("safeguarding:concern-add", args=[oak_report.pk]),
        {"text": "She also said it happened before.", "mark_position": "", "mark_description": ""},
    )
    assert response.status_code == 302
    assert Entry.objects.filter(kind=EntryKind.ADDITION, related=oak_report).exists()
    empty = client.post(reverse("safeguarding:concern-add", args=[oak_report.pk]), {"text": ""})
    assert "Write what you want to add" in empty.content.decode()


def test_the_dsl_triages_from_the_inbox(oak_report, category, dsl_a):
    client = stepped_client(dsl_a)
    assert "Amara Thistlewood" in client.get(reverse("safeguarding:inbox")).content.decode()
    url = reverse("safeguarding:concern-triage", args=[oak_report.pk])
    assert "Daddy hit me" in client.get(url).content.decode()
    bad = client.post(url, {"category": str(category.pk), "text": ""})
    assert bad.status_code == 200 and "This field is required" in bad.content.decode()
    assert client.post(url, {"category": str(category.pk), "text": "Refer to MASH today."}).status_code == 302
    assert "Amara Thistlewood" not in client.get(reverse("safeguarding:inbox")).content.decode()


def test_a_decision_not_to_refer_without_reasons_is_refused_on_the_form(oak_file, dsl_a, today):
    url = reverse("safeguarding:file-no-referral", args=[oak_file.pk])
    response = stepped_client(dsl_a).post(url, {"occurred_on": today.isoformat(), "reasons": "", "decided_by": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Give the reasons for the decision not to refer." in body
    assert "Name the DSL who decided." in body
    assert not Entry.objects.filter(kind=EntryKind.NO_REFERRAL).exists()


def test_a_correction_through_the_form_keeps_the_original(oak_records, dsl_a, today):
    referral = oak_records["referral"]
    url = reverse("safeguarding:entry-correct", args=[referral.pk])
    client = stepped_client(dsl_a)
    missing = client.post(url, {"occurred_on": today.isoformat(), "text": "New text", "reason": ""})
    assert missing.status_code == 200 and "This field is required" in missing.content.decode()
    ok = client.post(url, {"occurred_on": today.isoformat(), "text": "New text", "reason": "Wrong agency detail"})
    assert ok.status_code == 302
    body = client.get(reverse("safeguarding:file", args=[referral.file_id])).content.decode()
    assert "New text" in body and "Disclosure of physical harm." in body and "Earlier version" in body


def test_sharing_through_the_form_and_the_senco_then_reads(oak_file, dsl_a, senco_a, today):
    url = reverse("safeguarding:file-shares", args=[oak_file.pk])
    client = stepped_client(dsl_a)
    past = client.post(
        url, {"user": str(senco_a.pk), "until_on": (today - timedelta(days=1)).isoformat(), "reason": "x"}
    )
    assert "The end date cannot be in the past." in past.content.decode()
    assert stepped_client(senco_a).get(reverse("safeguarding:file", args=[oak_file.pk])).status_code == 403
    client.post(
        url, {"user": str(senco_a.pk), "until_on": (today + timedelta(days=14)).isoformat(), "reason": "SEND review"}
    )
    assert stepped_client(senco_a).get(reverse("safeguarding:file", args=[oak_file.pk])).status_code == 200


def test_the_transfer_bundle_renders_as_a_pdf_and_is_logged_as_an_export(oak_records, dsl_a, today):
    response = stepped_client(dsl_a).get(reverse("safeguarding:file-export", args=[oak_records["file"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Thistlewood" not in response["Content-Disposition"]
    assert AccessEvent.objects.filter(file=oak_records["file"], outcome=AccessOutcome.EXPORTED, user=dsl_a).exists()


def test_the_bundle_html_holds_the_chronology_marks_referrals_and_the_receipt(oak_records, rf, dsl_a, today):
    from django.template.loader import render_to_string

    from safeguarding import selectors

    file = oak_records["file"]
    html = render_to_string(
        "safeguarding/bundle.html",
        {
            "file": file,
            "pupil": file.pupil,
            "entries": selectors.chronology(file),
            **selectors.file_summary(file, today=today),
        },
    )
    assert "Daddy hit me" in html.replace("&quot;", '"')
    assert "Purple bruise about 4 cm long" in html
    assert "MASH-1234" in html
    assert "Received by" in html and "Rise Park Primary" in html
