"""Every EHC form with bad input: the form comes back (200) with the reason, what was typed is kept, and the
service wrote nothing. Then the whole annual review, run through the pages as a SENCO would."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from deadlines.models import Deadline, DeadlineStatus
from ehc.models import AnnualReview, EhcPlan
from tests.test_access_matrix import converters_of


def _url(name: str, ids: dict) -> str:
    return reverse(name, kwargs={key: ids[key] for key in converters_of(name)})


FUTURE = "2999-01-01"

BAD_INPUT = [
    ("ehc:assessment-new", {}, "This field is required"),
    ("ehc:assessment-new", {"requested_by": "school", "requested_on": FUTURE}, "cannot be in the future"),
    ("ehc:assessment-new", {"requested_by": "school", "requested_on": "31/02/2025"}, "Enter a valid date"),
    ("ehc:assessment-new", {"requested_by": "nobody", "requested_on": "2025-01-06"}, "Select a valid choice"),
    ("ehc:assessment-edit", {"requested_by": "school", "requested_on": FUTURE}, "cannot be in the future"),
    ("ehc:assessment-decision", {"decision": "assess", "decided_on": "2024-12-01"}, "cannot be before the request"),
    ("ehc:advice-request", {"received_on": "2024-12-01"}, "cannot come before the assessment"),
    ("ehc:advice", {"advice": "Our advice", "submitted_on": "2025-01-10"}, "cannot be sent before"),
    ("ehc:advice", {"advice": "", "submitted_on": ""}, "This field is required"),
    ("ehc:assessment-outcome", {"outcome": "maybe", "outcome_on": "2025-03-01"}, "Select a valid choice"),
    (
        "ehc:reassessment-new",
        {"requested_by": "parent", "requested_on": "2025-01-01"},
        "The plan was issued on 2 June 2025",
    ),
    ("ehc:reassessment-decision", {"decision": "assess", "decided_on": "2025-09-01"}, "cannot be before the request"),
    ("ehc:draft-new", {"received_on": FUTURE}, "cannot be in the future"),
    ("ehc:draft-edit", {"received_on": FUTURE}, "cannot be in the future"),
    ("ehc:draft-response", {"response": "", "submitted_on": "2025-04-10"}, "This field is required"),
    ("ehc:draft-response", {"response": "Our views", "submitted_on": "2025-03-01"}, "cannot be sent before the draft"),
    (
        "ehc:plan-new",
        {"issued_on": "2025-07-01", "names_school": "on", "review_interval_months": "12"},
        "already has an active EHC plan",
    ),
    ("ehc:plan-new", {"issued_on": "2025-07-01", "review_interval_months": "12"}, "Give the school"),
    (
        "ehc:plan-new",
        {"issued_on": "2025-07-01", "names_school": "on", "review_interval_months": "7"},
        "Select a valid choice",
    ),
    ("ehc:plan-amend", {"issued_on": "2025-01-01", "section_b": "Needs"}, "cannot be dated before"),
    ("ehc:review-new", {"meeting_on": "2025-01-01"}, "The plan was issued on 2 June 2025"),
    ("ehc:review-edit", {"meeting_on": "2026-05-11", "is_combined_with_pep": "on"}, "Only a looked-after child"),
    ("ehc:review-invitee-new", {"role": "health", "name": "Nurse", "email": "not-an-address"}, "valid email"),
    ("ehc:review-invitations-sent", {"sent_on": "2026-04-20"}, "Add the people to invite first"),
    ("ehc:review-advice-new", {"source": "", "requested_on": "2026-03-01"}, "This field is required"),
    ("ehc:review-advice-received", {"received_on": "2026-01-01"}, "The advice was requested on 2 March 2026"),
    ("ehc:review-circulated", {"circulated_on": "2026-05-20"}, "cannot be circulated after the meeting"),
    ("ehc:review-held", {"held_on": FUTURE}, "cannot be in the future"),
    ("ehc:review-outcome", {"recommendation": "maintain"}, "Record the meeting as held first"),
    ("ehc:review-outcome", {"recommendation": "maintain", "has_advocate": "on"}, "Give the advocate"),
    ("ehc:review-report-sent", {"sent_on": "2026-05-12"}, "Record the meeting as held first"),
    ("ehc:review-la-decision", {"decision": "cease", "decided_on": "2026-05-12"}, "Record the meeting as held first"),
    (
        "ehc:disagreement-new",
        {"raised_on": "2025-10-01", "summary": "Hours in F", "la_contacted_on": "2025-09-01"},
        "cannot be before the disagreement was raised",
    ),
    ("ehc:disagreement-edit", {"mediation_on": "2025-09-01"}, "cannot be before the disagreement was raised"),
]


@pytest.fixture
def forms_world(
    ehc_assessment, ehc_plan, ehc_review, ehc_review_advice, ehc_draft, ehc_reassessment, ehc_disagreement, pupil_oak
):
    return {
        "pupil_id": pupil_oak.pk,
        "assessment_id": ehc_assessment.pk,
        "plan_id": ehc_plan.pk,
        "review_id": ehc_review.pk,
        "advice_id": ehc_review_advice.pk,
        "draft_id": ehc_draft.pk,
        "request_id": ehc_reassessment.pk,
        "disagreement_id": ehc_disagreement.pk,
    }


@pytest.mark.parametrize(
    ("url_name", "data", "message"), BAD_INPUT, ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(BAD_INPUT)]
)
def test_bad_input_redisplays_the_form_with_the_reason(forms_world, login, senco_a, url_name, data, message):
    client = login(senco_a)
    audit_rows = LogEntry.objects.count()

    response = client.post(_url(url_name, forms_world), data)

    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert message in page
    assert "There is a problem" in page
    assert LogEntry.objects.count() == audit_rows, "a refused form must write nothing"


def test_what_was_typed_is_kept_when_the_form_comes_back(forms_world, login, senco_a):
    response = login(senco_a).post(
        _url("ehc:disagreement-new", forms_world),
        {"raised_on": "2025-10-01", "summary": "Parents want more speech therapy", "la_contacted_on": "2025-09-01"},
    )
    assert "Parents want more speech therapy" in response.content.decode()


def test_advice_form_is_prefilled_from_the_register(ehc_assessment, oak_entry, login, senco_a):
    page = login(senco_a).get(reverse("ehc:advice", args=[ehc_assessment.pk])).content.decode()
    assert "SEN support from 2 September 2024: Speech, language and communication needs (SLCN)" in page
    assert "Advice due by" in page and "17 March 2025" in page


def test_plan_detail_shows_each_section_with_its_label_and_the_version_history(ehc_plan, login, senco_a):
    page = login(senco_a).get(reverse("ehc:plan-detail", args=[ehc_plan.pk])).content.decode()
    assert "Section H1: Social care provision under section 2 of the Chronically Sick" in page
    assert "Section K: Advice and information" in page
    assert "All sections A to K are present" in page
    assert "Version history" in page


def test_a_senco_runs_a_whole_annual_review_through_the_pages(ehc_plan, pupil_oak, login, senco_a):
    client = login(senco_a)
    response = client.post(reverse("ehc:review-new", args=[ehc_plan.pk]), {"meeting_on": "2026-05-11"})
    review = AnnualReview.objects.get()
    assert response.status_code == 302 and response.url == reverse("ehc:review-detail", args=[review.pk])

    steps = [
        ("ehc:review-invitee-new", {"role": "parent", "name": "Grace Thistlewood", "email": "grace@example.org"}),
        ("ehc:review-invitee-new", {"role": "la_sen", "name": "Sam Officer"}),
        ("ehc:review-invitee-new", {"role": "head", "name": "Ms Head"}),
        ("ehc:review-invitee-new", {"role": "health", "name": "School nurse"}),
        ("ehc:review-role-not-applicable", {"role": "social_care", "reason": "No social care involvement."}),
        ("ehc:review-invitations-sent", {"sent_on": "2026-04-20"}),
        ("ehc:review-advice-new", {"source": "Speech and language therapist", "requested_on": "2026-03-02"}),
        ("ehc:review-circulated", {"circulated_on": "2026-04-24"}),
        ("ehc:review-held", {"held_on": "2026-05-11"}),
        (
            "ehc:review-outcome",
            {
                "progress_1": "Reads aloud in small groups.",
                "progress_2": "Uses it daily.",
                "recommendation": "amend",
                "pupil_views": "I like reading now.",
                "parent_views": "Happy with progress.",
                "has_advocate": "on",
                "advocate_name": "Pat Advocate",
                "recommended_amendments": "Section F: a weekly reading session.",
            },
        ),
        ("ehc:review-report-sent", {"sent_on": "2026-05-20"}),
        ("ehc:review-la-decision", {"decision": "amend", "decided_on": "2026-06-01"}),
    ]
    for name, data in steps:
        response = client.post(reverse(name, args=[review.pk]), data)
        assert response.status_code == 302, f"{name}: {response.content.decode()[:2000]}"

    review.refresh_from_db()
    assert (review.held_on, review.report_sent_on, review.la_decision) == (
        date(2026, 5, 11),
        date(2026, 5, 20),
        "amend",
    )
    states = dict(Deadline.objects.filter(source_id=str(review.pk)).values_list("kind", "status"))
    assert states == {
        "ehc.review_invitations": DeadlineStatus.MET,
        "ehc.review_advice_circulation": DeadlineStatus.MET,
        "ehc.review_report": DeadlineStatus.MET,
        "ehc.la_review_decision": DeadlineStatus.MET,
        "ehc.annual_review": DeadlineStatus.OPEN,
        "ehc.la_amended_plan": DeadlineStatus.OPEN,
    }
    report = client.get(reverse("ehc:review-report", args=[review.pk])).content.decode()
    assert "Reads aloud in small groups." in report and "Pat Advocate" in report

    overview = client.get(reverse("ehc:overview", args=[pupil_oak.pk])).content.decode()
    assert "Annual review meeting held" in overview and "Review report sent" in overview
    assert EhcPlan.objects.get().reviews.count() == 1
