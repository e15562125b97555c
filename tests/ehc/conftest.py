"""EHC fixtures on top of the shared cast (tests/conftest.py): one pupil (pupil_oak, in 3 Oak, taught by
teacher_a) with a whole EHC history, every record the EHC URLs need. All dates are in the past, as the
services refuse future dates for events."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from ehc import services
from ehc.models import PLAN_SECTIONS

SECTIONS = {field: f"Section {letter} text for the test plan." for field, letter, _ in PLAN_SECTIONS}
SECTIONS["section_e"] = "Reads a short text aloud with confidence\nUses a visual timetable independently"


@pytest.fixture
def ehc_assessment(pupil_oak, senco_a):
    """An assessment requested by the school on 6 January 2025; the LA asked for advice on 3 February 2025."""
    assessment = services.assessment_request(
        pupil=pupil_oak, requested_by="school", requested_on=date(2025, 1, 6), today=timezone.localdate(), actor=senco_a
    )
    return services.advice_request_receive(
        assessment=assessment, received_on=date(2025, 2, 3), today=timezone.localdate(), actor=senco_a
    )


@pytest.fixture
def ehc_plan(pupil_oak, senco_a, class_oak):
    """A final plan naming the school, issued 2 June 2025 by Nottingham City, sections A to K all present."""
    return services.plan_issue(
        pupil=pupil_oak,
        la_name="Nottingham City",
        issued_on=date(2025, 6, 2),
        names_school=True,
        named_school="",
        sections=SECTIONS,
        today=timezone.localdate(),
        actor=senco_a,
    )


@pytest.fixture
def ehc_review(ehc_plan, senco_a):
    """An annual review of ehc_plan, meeting on 11 May 2026 (not yet held)."""
    return services.review_schedule(plan=ehc_plan, meeting_on=date(2026, 5, 11), actor=senco_a)


@pytest.fixture
def ehc_draft(pupil_oak, senco_a):
    return services.draft_receive(
        pupil=pupil_oak, received_on=date(2025, 4, 1), today=timezone.localdate(), actor=senco_a
    )


@pytest.fixture
def ehc_reassessment(ehc_plan, senco_a):
    return services.reassessment_request(
        plan=ehc_plan, requested_by="parent", requested_on=date(2025, 9, 15), today=timezone.localdate(), actor=senco_a
    )


@pytest.fixture
def ehc_disagreement(pupil_oak, senco_a):
    return services.disagreement_record(
        pupil=pupil_oak,
        raised_on=date(2025, 10, 1),
        summary="Parents disagree with section F hours.",
        la_contacted_on=date(2025, 10, 1),
        today=timezone.localdate(),
        actor=senco_a,
    )


@pytest.fixture
def ehc_review_advice(ehc_review, senco_a):
    return services.review_advice_request(
        review=ehc_review,
        source="Educational psychologist",
        requested_on=date(2026, 3, 2),
        today=timezone.localdate(),
        actor=senco_a,
    )
