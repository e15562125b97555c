"""Every provision form, given bad input, answers the page again with the reason and saves nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from provision.forms import score_field_name
from provision.models import (
    AssessmentPoint,
    CycleNote,
    ParentMeeting,
    Passport,
    ProgressCheckTwo,
    ProgressScore,
    SchoolSettings,
    Subject,
    SupportPlan,
)
from pupils.models import SenConcern

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = (TODAY + timedelta(days=1)).isoformat()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()


def _errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_score_grid_redisplays_bad_values_with_the_reason_and_saves_nothing(
    login, teacher_a, class_oak, pupil_oak, provision_points, provision_subjects
):
    reading, maths = provision_subjects["Reading"], provision_subjects["Maths"]
    url = reverse("provision:score-grid", args=[class_oak.pk, provision_points[0].pk])
    response = login(teacher_a).post(
        url,
        {
            score_field_name(pupil_oak.pk, reading.pk): "ninety",
            score_field_name(pupil_oak.pk, maths.pk): "101",
            score_field_name(pupil_oak.pk, provision_subjects["Writing"].pk): "5000",
        },
    )
    page = _errors(response)
    assert "nothing has been saved" in page
    assert "Reading score for Amara Thistlewood: Enter a number." in page
    assert "Enter a score of 200" in page
    assert 'value="ninety"' in page and 'value="101"' in page  # nothing the teacher typed is lost
    assert not ProgressScore.objects.exists()


def test_the_score_grid_saves_a_good_grid(login, teacher_a, class_oak, pupil_oak, provision_points, provision_subjects):
    reading = provision_subjects["Reading"]
    url = reverse("provision:score-grid", args=[class_oak.pk, provision_points[0].pk])
    response = login(teacher_a).post(url, {score_field_name(pupil_oak.pk, reading.pk): "97.5"})
    assert response.status_code == 302
    assert ProgressScore.objects.get().score == 97.5
    # Emptying the box removes the score.
    login(teacher_a).post(url, {score_field_name(pupil_oak.pk, reading.pk): ""})
    assert not ProgressScore.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"score_min": "100", "score_max": "50"}, "The highest score must be above the lowest."),
        ({"slower_than_peers_margin": "-1"}, "greater than or equal to 0"),
        ({"min_peers": "0"}, "greater than or equal to 1"),
        ({"baseline_band_width": "abc"}, "Enter a number."),
        ({"min_signs": "0"}, "greater than or equal to 1"),
        ({"min_signs": "4"}, "less than or equal to 3"),
    ],
)
def test_settings_refuse_thresholds_that_make_no_sense(login, senco_a, school_a, data, message):
    base = {
        "expected_score": "100",
        "score_min": "0",
        "score_max": "200",
        "baseline_band_width": "5",
        "slower_than_peers_margin": "3",
        "min_peers": "3",
        "previous_rate_margin": "6",
        "gap_margin": "1",
        "min_signs": "2",
    }
    page = _errors(login(senco_a).post(reverse("provision:settings"), {**base, **data}))
    assert message in page
    assert not SchoolSettings.objects.filter(school=school_a).exclude(score_max=200).exists()


@pytest.mark.parametrize("name, message", [("", "This field is required."), ("reading", "already has a subject")])
def test_a_bad_subject_is_refused(login, senco_a, provision_subjects, name, message):
    page = _errors(login(senco_a).post(reverse("provision:subject-add"), {"name": name}))
    assert message in page
    assert Subject.objects.count() == 3


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "Mock", "assessed_on": "31/02/2027"}, "Enter a valid date."),
        ({"name": "Autumn test", "assessed_on": "2027-01-01"}, "already has an assessment point"),
    ],
)
def test_a_bad_assessment_point_is_refused(login, senco_a, provision_points, data, message):
    page = _errors(login(senco_a).post(reverse("provision:point-add"), data))
    assert message in page
    assert AssessmentPoint.objects.count() == 3


def test_dismissing_a_flag_needs_a_reason(login, teacher_a, pupil_oak, provision_flag):
    page = _errors(
        login(teacher_a).post(
            reverse("provision:flag-dismiss", args=[pupil_oak.pk, provision_flag.pk]), {"reason": " "}
        )
    )
    assert "This field is required." in page
    provision_flag.refresh_from_db()
    assert provision_flag.status == "open"


def test_a_concern_from_a_flag_needs_a_description(login, teacher_a, pupil_oak, provision_flag):
    page = _errors(
        login(teacher_a).post(
            reverse("provision:flag-concern", args=[pupil_oak.pk, provision_flag.pk]), {"description": "slow"}
        )
    )
    assert "at least 20 characters" in page
    assert not SenConcern.objects.filter(pupil=pupil_oak).exists()


def test_a_plan_cannot_start_in_the_future(login, teacher_a, pupil_oak):
    page = _errors(
        login(teacher_a).post(reverse("provision:plan-start", args=[pupil_oak.pk]), {"started_on": TOMORROW})
    )
    assert "cannot be in the future" in page
    assert not SupportPlan.objects.exists()


def test_recording_parents_told_needs_how(login, teacher_a, pupil_oak, provision_plan):
    page = _errors(
        login(teacher_a).post(
            reverse("provision:plan-parents-told", args=[pupil_oak.pk, provision_plan.pk]),
            {"told_on": YESTERDAY, "how": ""},
        )
    )
    assert "This field is required." in page
    provision_plan.refresh_from_db()
    assert provision_plan.parents_told_on is None


def test_an_assessment_needs_at_least_one_area_of_need(login, teacher_a, pupil_oak, provision_plan):
    cycle = provision_plan.cycles.get()
    page = _errors(
        login(teacher_a).post(
            reverse("provision:cycle-assess", args=[pupil_oak.pk, cycle.pk]),
            {"pupil_views": "I like reading with Miss."},
        )
    )
    assert "at least one broad area" in page
    cycle.refresh_from_db()
    assert cycle.needs_cognition == "Slow to decode unfamiliar words."


def _plan_data(**overrides):
    data = {
        "outcome-TOTAL_FORMS": "2",
        "outcome-INITIAL_FORMS": "0",
        "outcome-MIN_NUM_FORMS": "0",
        "outcome-MAX_NUM_FORMS": "1000",
        "support-TOTAL_FORMS": "1",
        "support-INITIAL_FORMS": "0",
        "support-MIN_NUM_FORMS": "0",
        "support-MAX_NUM_FORMS": "1000",
        "outcome-0-description": "Writes a sentence with a capital letter and full stop",
        "outcome-0-success_measure": "4 of 5 independent sentences in a week",
        "support-0-description": "Sentence-building group",
        "support-0-delivered_by": "Mrs Khan (TA)",
        "support-0-frequency": "Twice a week",
        "support-0-starts_on": TODAY.isoformat(),
        "adjustments": "Sentence starters",
        "expected_impact": "Writes independently",
        "review_on": (TODAY + timedelta(days=42)).isoformat(),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"outcome-0-description": "", "outcome-0-success_measure": ""}, "Add at least one outcome"),
        ({"outcome-0-success_measure": ""}, "Say how you will measure this outcome."),
        ({"review_on": YESTERDAY}, "The review date must be in the future."),
        ({"support-0-frequency": ""}, "Give what, who, how often and from when."),
        ({"outcome-TOTAL_FORMS": "x"}, "ManagementForm data is missing or has been tampered with"),
    ],
)
def test_a_plan_with_bad_input_is_refused(login, teacher_a, pupil_oak, provision_plan, overrides, message):
    cycle = provision_plan.cycles.get()
    page = _errors(
        login(teacher_a).post(reverse("provision:cycle-plan", args=[pupil_oak.pk, cycle.pk]), _plan_data(**overrides))
    )
    assert message in page
    assert [o.description for o in cycle.outcomes.all()] == ["Reads 40 words a minute"]


def test_a_note_needs_text_and_a_past_date(login, teacher_a, pupil_oak, provision_plan):
    cycle = provision_plan.cycles.get()
    page = _errors(
        login(teacher_a).post(
            reverse("provision:cycle-note", args=[pupil_oak.pk, cycle.pk]), {"written_on": TOMORROW, "text": ""}
        )
    )
    assert "cannot be in the future" in page and "This field is required." in page
    assert not CycleNote.objects.exists()


def test_a_review_needs_progress_on_every_outcome(login, teacher_a, pupil_oak, provision_plan):
    cycle = provision_plan.cycles.get()
    page = _errors(
        login(teacher_a).post(
            reverse("provision:cycle-review", args=[pupil_oak.pk, cycle.pk]),
            {
                "reviewed_on": YESTERDAY,
                "impact": "Some",
                "next_steps": "Carry on",
            },
        )
    )
    assert "Progress on: Reads 40 words a minute" in page
    cycle.refresh_from_db()
    assert cycle.reviewed_on is None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"held_on": YESTERDAY, "attendees": "", "outcomes": "Agreed"}, "This field is required."),
        (
            {"held_on": TODAY.isoformat(), "attendees": "Mum", "outcomes": "x", "shared_with_parents_on": YESTERDAY},
            "cannot be shared before the meeting",
        ),
        ({"held_on": "not a date", "attendees": "Mum", "outcomes": "x"}, "Enter a valid date."),
    ],
)
def test_a_meeting_with_bad_input_is_refused(login, teacher_a, pupil_oak, data, message):
    page = _errors(login(teacher_a).post(reverse("provision:meeting-add", args=[pupil_oak.pk]), data))
    assert message in page
    assert not ParentMeeting.objects.exists()


def test_a_passport_needs_every_section(login, teacher_a, pupil_oak):
    page = _errors(
        login(teacher_a).post(reverse("provision:passport-edit", args=[pupil_oak.pk]), {"important_to_me": "My dog"})
    )
    assert page.count("This field is required.") >= 2
    assert not Passport.objects.exists()


def test_the_check_at_two_is_only_for_nursery_children(login, teacher_a, pupil_oak):
    page = _errors(
        login(teacher_a).post(
            reverse("provision:check-two", args=[pupil_oak.pk]), {"checked_on": YESTERDAY, "strengths": "Chatty"}
        )
    )
    assert "for children in the nursery" in page
    assert not ProgressCheckTwo.objects.exists()


def test_the_check_at_two_cannot_be_shared_before_it_was_made(login, senco_a, school_a):
    from tests.factories import PupilFactory

    toddler = PupilFactory(school=school_a, year_group=-2, legal_surname="Smallwood")
    page = _errors(
        login(senco_a).post(
            reverse("provision:check-two", args=[toddler.pk]),
            {
                "checked_on": YESTERDAY,
                "strengths": "Chatty",
                "less_than_expected": "Running and climbing",
                "shared_with_parents_on": (TODAY - timedelta(days=5)).isoformat(),
            },
        )
    )
    assert "cannot be shared before it was made" in page
    assert "Say how the setting will respond" in page
    assert not ProgressCheckTwo.objects.exists()


def test_an_empty_post_to_the_meeting_form_says_what_is_missing(login, teacher_a, pupil_oak):
    # An empty POST binds the form: it must list the missing fields, not quietly show a blank form again.
    page = _errors(login(teacher_a).post(reverse("provision:meeting-add", args=[pupil_oak.pk]), {}))
    assert 'class="error-summary"' in page
    assert page.count("This field is required.") >= 2
    assert not ParentMeeting.objects.exists()
