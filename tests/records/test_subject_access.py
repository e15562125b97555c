"""The subject access export: the head alone, after a confirmation page, exports everything held about one
pupil as JSON or a PDF bundle. Every area's records are in it, nothing about another pupil, and not the child
protection file (the DSL answers that part). Each export is logged (audit and disclosure log); the file is named
by kind, initials and date."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from provision.services import healthcare_plan_record
from pupils.models import Contact, Disclosure
from records import subject_access
from safeguarding import services as safeguarding_services

pytestmark = pytest.mark.django_db

REQUEST = {"requested_by": "Mrs Thistlewood (mother)", "format": "json"}


@pytest.fixture
def oak_everywhere(
    pupil_oak,
    oak_entry,
    oak_concern,
    oak_grant,
    ehc_assessment,
    ehc_review,
    ehc_review_advice,
    provision_plan,
    provision_passport,
    provision_flag,
    oak_session,
    senco_a,
    teacher_a,
    today,
):
    """pupil_oak with a record in every area: contacts, register, concerns, a grant, EHC assessment, plan and
    review (with deadlines), support plan and cycle, passport, scores and a flag, a provision place and session,
    a healthcare plan, a disclosure; and a child protection file, which the export must leave out."""
    Contact.objects.create(pupil=pupil_oak, name="Jo Thistlewood", relationship="Mother")
    healthcare_plan_record(
        pupil=pupil_oak,
        condition="Asthma",
        plan_on=today - timedelta(days=30),
        review_on=today + timedelta(days=300),
        held_by="School office",
        today=today,
        actor=senco_a,
    )
    safeguarding_services.concern_report(
        pupil=pupil_oak,
        occurred_at=timezone.now() - timedelta(hours=1),
        location="Playground",
        account="A confidential account for the DSL only",
        immediate_action="Told the DSL",
        told_dsl_in_person=True,
        actor=teacher_a,
        now=timezone.now(),
    )
    return pupil_oak


@pytest.fixture
def other_pupil(pupil_ash, oak_group, senco_a, today):
    """Another pupil of the same school, in the same provision group, with a contact of their own."""
    from provision import services

    services.allocation_add(group=oak_group, pupil=pupil_ash, joined_on=today - timedelta(days=10), actor=senco_a)
    Contact.objects.create(pupil=pupil_ash, name="Sam Other-Parent", relationship="Father")
    return pupil_ash


def test_the_json_holds_a_record_of_every_area_and_nothing_of_another_pupil(oak_everywhere, other_pupil, today):
    data = subject_access.subject_access_data(oak_everywhere, today=today)
    labels = set(data["records"])

    expected = {
        "pupils.pupil",
        "pupils.contact",
        "pupils.registerentry",
        "pupils.senconcern",
        "pupils.pupilaccessgrant",
        "deadlines.deadline",
        "ehc.ehcassessment",
        "ehc.ehcplan",
        "ehc.ehcplanversion",
        "ehc.annualreview",
        "ehc.reviewadvice",
        "provision.supportplan",
        "provision.cycle",
        "provision.passport",
        "provision.progressscore",
        "provision.progressflag",
        "provision.allocation",
        "provision.attendance",
        "provision.session",
        "provision.healthcareplan",
    }
    assert expected <= labels, expected - labels
    assert data["audit_log"], "the audit log about the pupil is included"
    text = json.dumps(data, default=str)
    assert str(oak_everywhere.pk) in text
    for trace in (str(other_pupil.pk), other_pupil.legal_surname, "Sam Other-Parent"):
        assert trace not in text
    assert all(not label.startswith("safeguarding.") for label in labels)
    assert "A confidential account for the DSL only" not in text
    deadlines = data["records"]["deadlines.deadline"]
    assert deadlines and not [d for d in deadlines if d["fields"]["kind"].startswith("safeguarding.")]
    assert "Schedule 3 Part 5" in data["export"]["not_included"]


def test_the_page_confirms_first_and_says_the_dsl_answers_for_the_child_protection_file(login, head_a, pupil_oak):
    response = login(head_a).get(reverse("records:subject-access", args=[pupil_oak.pk]))

    page = response.content.decode()
    assert response.status_code == 200 and "Not included: the child protection file" in page
    assert "Data Protection Act 2018" in page
    assert not Disclosure.objects.exists()  # a GET writes nothing


def test_the_json_export_is_logged_and_named_by_kind_initials_and_date(login, head_a, oak_everywhere, today):
    response = login(head_a).post(reverse("records:subject-access", args=[oak_everywhere.pk]), REQUEST)

    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="subject-access-{oak_everywhere.initials}-{today:%Y-%m-%d}.json"'
    assert oak_everywhere.legal_surname not in disposition
    assert "ehc.ehcplan" in json.loads(response.content)["records"]
    disclosure = Disclosure.objects.get(document="subject_access")
    assert (disclosure.disclosed_by, disclosure.recipient, disclosure.purpose) == (
        head_a,
        "Mrs Thistlewood (mother)",
        "consent",
    )
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(oak_everywhere.pk), actor=head_a
    ).exists()


def test_the_pdf_bundle_reuses_the_send_file_and_lists_every_record(login, head_a, oak_everywhere):
    response = login(head_a).post(
        reverse("records:subject-access", args=[oak_everywhere.pk]), {**REQUEST, "format": "pdf"}
    )

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    for heading in ("Subject access export", "SEND register history", "Every record held", "Audit and access log"):
        assert heading in text, heading
    assert "Healthcare plans" in text and "child protection file" in text
    assert "A confidential account for the DSL only" not in text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "requested_by", "This field is required."),
        ({"requested_by": "   ", "format": "json"}, "requested_by", "This field is required."),
        ({"requested_by": "x" * 201, "format": "json"}, "requested_by", "at most 200 characters"),
        ({"requested_by": "Mum\x00", "format": "json"}, "requested_by", "Null characters are not allowed."),
        ({"requested_by": "Mrs Thistlewood", "format": "xml"}, "format", "Select a valid choice."),
        ({"requested_by": "Mrs Thistlewood"}, "format", "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_exported_or_logged(
    login, head_a, pupil_oak, data, field, message
):
    response = login(head_a).post(reverse("records:subject-access", args=[pupil_oak.pk]), data)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert any(message in error for error in response.context["form"].errors[field])
    if data.get("requested_by") == "Mrs Thistlewood":
        assert 'value="Mrs Thistlewood"' in response.content.decode()
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("senco_a", 403), ("dsl_a", 403), ("teacher_a", 403), ("senco_b", 404)])
def test_only_the_head_may_export(request, login, pupil_oak, role, status):
    response = login(request.getfixturevalue(role)).post(
        reverse("records:subject-access", args=[pupil_oak.pk]), REQUEST
    )

    assert response.status_code == status
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize(
    ("role", "shown"), [("head_a", True), ("senco_a", False), ("dsl_a", False), ("teacher_a", False)]
)
def test_the_pupil_page_links_to_the_export_for_the_head_only(request, login, pupil_oak, role, shown):
    page = login(request.getfixturevalue(role)).get(reverse("overview:pupil", args=[pupil_oak.pk])).content.decode()

    assert (reverse("records:subject-access", args=[pupil_oak.pk]) in page) is shown
