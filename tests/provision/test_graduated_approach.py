"""Support plans through assess, plan, do and review; parent meetings and their deadlines; passports; the
check at two; the SEND history page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline, DeadlineStatus
from provision import services
from provision.kinds import PARENT_MEETING_KEY, PLAN_REVIEW
from provision.models import Cycle, ParentMeeting, TermlyMeeting
from pupils.models import Term

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_planning_opens_a_review_deadline_for_the_class_teacher_without_the_pupils_name(provision_plan, teacher_a):
    cycle = provision_plan.cycles.get()
    deadline = Deadline.objects.get(kind=PLAN_REVIEW.key)
    assert deadline.source == cycle
    assert deadline.due_on == cycle.review_on
    assert deadline.responsible == teacher_a
    assert "Thistlewood" not in deadline.title and "Amara" not in deadline.title


def test_a_review_closes_the_deadline_and_opens_the_next_cycle_prefilled(provision_plan, teacher_a):
    cycle = provision_plan.cycles.get()
    outcome = cycle.outcomes.get()
    following = services.cycle_review(
        cycle=cycle,
        reviewed_on=TODAY,
        impact="Reading speed up from 25 to 34 words a minute.",
        outcome_reviews=[services.OutcomeReview(outcome.pk, "partly", "Timed read on 3 March: 34 wpm")],
        pupil_views="I like the phonics group.",
        parent_views="Reads at bedtime now.",
        next_steps="Continue the group.",
        actor=teacher_a,
    )
    deadline = Deadline.objects.get(kind=PLAN_REVIEW.key)
    assert deadline.status == DeadlineStatus.MET and deadline.met_on == TODAY
    assert following.number == 2
    assert following.needs_cognition == "Slow to decode unfamiliar words."
    assert following.pupil_views == "I like the phonics group."
    assert [o.description for o in following.outcomes.all()] == ["Reads 40 words a minute"]
    assert [s.description for s in following.supports.all()] == ["Phonics catch-up"]
    assert following.review_on is None  # a new review date is for the teacher to set
    # Reviewing twice changes nothing.
    again = services.cycle_review(
        cycle=cycle,
        reviewed_on=TODAY,
        impact="x",
        outcome_reviews=[],
        pupil_views="",
        parent_views="",
        next_steps="y",
        actor=teacher_a,
    )
    assert again == following and Cycle.objects.count() == 2


def test_achieved_outcomes_are_not_carried_into_the_next_cycle(provision_plan, teacher_a):
    cycle = provision_plan.cycles.get()
    outcome = cycle.outcomes.get()
    following = services.cycle_review(
        cycle=cycle,
        reviewed_on=TODAY,
        impact="Met.",
        outcome_reviews=[services.OutcomeReview(outcome.pk, "achieved", "45 wpm")],
        pupil_views="",
        parent_views="",
        next_steps="New targets.",
        actor=teacher_a,
    )
    assert not following.outcomes.exists()


def test_a_teacher_goes_from_a_flag_to_a_reviewed_plan_in_the_app(login, teacher_a, senco_a, pupil_oak, provision_flag):
    client = login(teacher_a)
    response = client.post(reverse("provision:flag-plan", args=[pupil_oak.pk, provision_flag.pk]))
    plan = pupil_oak.support_plans.get()
    assert response["Location"] == reverse("provision:plan-detail", args=[pupil_oak.pk, plan.pk])
    cycle = plan.cycles.get()
    assert (
        client.post(
            reverse("provision:cycle-assess", args=[pupil_oak.pk, cycle.pk]), {"needs_cognition": "Decoding"}
        ).status_code
        == 302
    )
    from .test_forms_bad_input import _plan_data

    assert client.post(reverse("provision:cycle-plan", args=[pupil_oak.pk, cycle.pk]), _plan_data()).status_code == 302
    senco = login(senco_a)
    assert senco.post(reverse("provision:cycle-agree", args=[pupil_oak.pk, cycle.pk])).status_code == 302
    assert (
        client.post(
            reverse("provision:cycle-note", args=[pupil_oak.pk, cycle.pk]),
            {"written_on": TODAY.isoformat(), "text": "Good session."},
        ).status_code
        == 302
    )
    outcome = cycle.outcomes.get()
    response = client.post(
        reverse("provision:cycle-review", args=[pupil_oak.pk, cycle.pk]),
        {
            "reviewed_on": TODAY.isoformat(),
            f"progress-{outcome.pk}": "achieved",
            f"evidence-{outcome.pk}": "Work book",
            "impact": "Writes sentences independently.",
            "next_steps": "Paragraphs next.",
            "confirm_moved": "on",  # reviewed before the day the plan set
        },
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.is_reviewed and cycle.agreed_by == senco_a
    page = client.get(reverse("provision:plan-detail", args=[pupil_oak.pk, plan.pk])).content.decode()
    assert "Cycle 2" in page and "Good session." not in page  # notes belong to cycle 1, shown under earlier cycles
    assert LogEntry.objects.filter(
        additional_data__pupil_id=str(pupil_oak.pk), content_type__app_label="provision"
    ).exists()


def test_changing_an_agreed_plan_needs_the_senco_to_agree_again(provision_plan, senco_a, teacher_a):
    cycle = provision_plan.cycles.get()
    services.cycle_agree(cycle=cycle, actor=senco_a)
    services.cycle_plan(
        cycle=cycle,
        adjustments="More",
        expected_impact="x",
        review_on=cycle.review_on,
        outcomes=[services.OutcomeInput("a", "b")],
        supports=[],
        actor=teacher_a,
    )
    cycle.refresh_from_db()
    assert cycle.agreed_at is None


@pytest.fixture
def terms(school_a):
    year = TODAY.year if TODAY.month >= 9 else TODAY.year - 1
    rows = [
        ("Autumn 1", date(year, 9, 3), date(year, 10, 24)),
        ("Autumn 2", date(year, 11, 3), date(year, 12, 19)),
        ("Spring", date(year + 1, 1, 5), date(year + 1, 3, 27)),
        ("Summer", date(year + 1, 4, 13), date(year + 1, 7, 22)),
    ]
    return [Term.objects.create(school=school_a, name=n, starts_on=s, ends_on=e) for n, s, e in rows]


def test_termly_meeting_deadlines_open_for_pupils_on_sen_support_due_the_last_day_of_term(
    school_a, oak_entry, pupil_ash, terms, teacher_a
):
    seen = services.parent_meetings_schedule(school=school_a, today=TODAY)
    again = services.parent_meetings_schedule(school=school_a, today=TODAY)
    assert seen == again == 1
    deadline = Deadline.objects.get(kind=PARENT_MEETING_KEY)
    assert deadline.pupil == oak_entry.pupil
    assert deadline.responsible == teacher_a
    assert deadline.due_on in {date(terms[1].ends_on.year, 12, 19), terms[2].ends_on, terms[3].ends_on}
    assert "Thistlewood" not in deadline.title


def test_recording_a_meeting_meets_that_terms_deadline(school_a, oak_entry, pupil_oak, terms, teacher_a):
    services.parent_meetings_schedule(school=school_a, today=TODAY)
    services.parent_meeting_record(
        pupil=pupil_oak,
        held_on=TODAY,
        attendees="Mum, class teacher, SENCO",
        outcomes="Agreed targets",
        actor=teacher_a,
    )
    deadline = Deadline.objects.get(kind=PARENT_MEETING_KEY)
    assert deadline.status == DeadlineStatus.MET and deadline.met_on == TODAY
    assert TermlyMeeting.objects.get().meeting == ParentMeeting.objects.get()


def test_pupils_behind_the_pace_of_meetings_are_listed_for_the_senco_and_their_teacher(
    login, senco_a, teacher_a, teacher_b, oak_entry, pupil_oak, terms
):
    for user, shown in ((senco_a, True), (teacher_a, True), (teacher_b, False)):
        page = login(user).get(reverse("provision:meetings-due")).content.decode()
        assert ("Thistlewood" in page) is shown
    services.parent_meeting_record(pupil=pupil_oak, held_on=TODAY, attendees="Dad", outcomes="x", actor=teacher_a)
    # The autumn meeting meets the pace in autumn; later terms need more meetings.
    from provision import terms as rules

    expected = rules.meetings_expected([(t.starts_on, t.ends_on) for t in terms], TODAY)
    page = login(senco_a).get(reverse("provision:meetings-due")).content.decode()
    assert ("Thistlewood" in page) is (expected > 1)


def test_a_passport_is_versioned_and_saving_the_same_words_adds_no_version(provision_passport, pupil_oak, teacher_a):
    same = services.passport_write(
        pupil=pupil_oak,
        important_to_me="My dog Biscuit and my nan.",
        like_and_admire="I am kind and funny.",
        how_to_support="Give me time to answer. Show me a picture.",
        in_own_words=True,
        actor=teacher_a,
    )
    assert same == provision_passport
    newer = services.passport_write(
        pupil=pupil_oak,
        important_to_me="Football.",
        like_and_admire="I am kind.",
        how_to_support="Time.",
        in_own_words=False,
        actor=teacher_a,
    )
    assert (provision_passport.version, newer.version) == (1, 2)


def test_a_teacher_sees_the_current_passport_of_each_pupil_in_their_class(
    login, teacher_a, pupil_oak, provision_passport, pupil_ash
):
    page = login(teacher_a).get(reverse("provision:passports")).content.decode()
    assert "My dog Biscuit" in page
    assert "Pemberton-Ashby" not in page


def test_the_check_at_two_is_recorded_for_a_nursery_child(senco_a, school_a):
    from tests.factories import PupilFactory

    toddler = PupilFactory(school=school_a, year_group=-2)
    check = services.progress_check_two_record(pupil=toddler, checked_on=TODAY, strengths="Chatty", actor=senco_a)
    assert check.pupil == toddler


def test_eal_pupils_flags_carry_the_reminder_that_eal_is_not_sen(login, senco_a, pupil_oak, provision_flag):
    pupil_oak.is_eal = True
    pupil_oak.first_language = "Polish"
    pupil_oak.save()
    page = login(senco_a).get(reverse("provision:flag-list")).content.decode()
    assert "not SEN in itself" in page and "slow progress may still be a sign of SEN" in page


def test_the_send_history_shows_everything_in_date_order(
    login, senco_a, teacher_a, pupil_oak, oak_entry, oak_concern, provision_flag, provision_plan, provision_passport
):
    services.parent_meeting_record(
        pupil=pupil_oak,
        held_on=TODAY - timedelta(days=3),
        attendees="Mum",
        outcomes="Talked about reading",
        actor=teacher_a,
    )
    response = login(senco_a).get(reverse("overview:history", args=[pupil_oak.pk]))
    events = response.context["events"]
    kinds = {e.kind for e in events}
    assert {
        "Register",
        "SEN concern",
        "Progress flag",
        "Support plan",
        "Parent meeting",
        "Passport",
        "Deadline",
    } <= kinds
    assert [e.on for e in events] == sorted(e.on for e in events)


def test_the_pupil_profile_links_to_the_graduated_approach(login, senco_a, pupil_oak):
    page = login(senco_a).get(reverse("overview:pupil", args=[pupil_oak.pk])).content.decode()
    assert reverse("overview:history", args=[pupil_oak.pk]) in page


def test_navigation_shows_provision_links_by_role(login, senco_a, governor_a, pupil_oak):
    assert (
        reverse("provision:flag-list")
        in login(senco_a).get(reverse("overview:pupil", args=[pupil_oak.pk])).content.decode()
    )
    assert (
        reverse("provision:flag-list") not in login(governor_a).get(reverse("pupils:register-summary")).content.decode()
    )
