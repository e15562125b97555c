"""Ending a support plan: provision.services.support_plan_end (validation, the review deadline excused with
the reason, idempotence, audit, no new cycles afterwards) and its confirmation page (who may end a plan, bad
input re-displayed, how an ended plan shows, the SEND history keeping everything)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline, DeadlineStatus
from provision import services
from provision.kinds import PLAN_REVIEW
from provision.models import Cycle, SupportPlan

pytestmark = pytest.mark.django_db

REASON = "Outcomes met; reading is now at the expected standard."


def review_deadline(cycle) -> Deadline:
    return Deadline.objects.get(
        source_type=ContentType.objects.get_for_model(Cycle), source_id=str(cycle.pk), kind=PLAN_REVIEW.key
    )


def today():
    return timezone.localdate()


def end(plan, user, *, ended_on=None, reason=REASON):
    return services.support_plan_end(plan=plan, ended_on=ended_on or today(), reason=reason, today=today(), actor=user)


def test_ending_sets_the_end_date_and_excuses_the_review_deadline_with_the_reason(provision_plan, senco_a):
    cycle = provision_plan.cycles.get()
    assert review_deadline(cycle).status == DeadlineStatus.OPEN

    end(provision_plan, senco_a)

    assert SupportPlan.objects.get(pk=provision_plan.pk).ended_on == today()
    deadline = review_deadline(cycle)
    assert deadline.status == DeadlineStatus.EXCUSED
    assert deadline.excused_reason == f"Support plan ended on {today():%-d %B %Y}: {REASON}"


def test_ending_leaves_a_review_deadline_already_met_as_met(provision_plan, teacher_a, senco_a):
    cycle = provision_plan.cycles.get()
    outcome = cycle.outcomes.get()
    services.cycle_review(
        cycle=cycle,
        reviewed_on=today(),
        outcome_reviews=[services.OutcomeReview(outcome.pk, "achieved", "Timed read")],
        impact="Good progress.",
        pupil_views="",
        parent_views="",
        next_steps="",
        actor=teacher_a,
    )

    end(provision_plan, senco_a)

    assert review_deadline(cycle).status == DeadlineStatus.MET


def test_the_class_teacher_may_end_their_pupils_plan_and_the_reason_is_kept_on_the_plan(provision_plan, teacher_a):
    end(provision_plan, teacher_a)

    stored = SupportPlan.objects.get(pk=provision_plan.pk)
    assert (stored.ended_on, stored.end_reason) == (today(), REASON)
    assert LogEntry.objects.get_for_object(stored).filter(actor=teacher_a).exists()


@pytest.mark.parametrize(
    ("days", "reason", "field", "message"),
    [
        (1, REASON, "ended_on", "cannot be in the future"),
        (-30, REASON, "ended_on", "cannot end before it started"),
        (0, "  ", "reason", "Say why the support plan is ending"),
    ],
    ids=["future", "before-start", "no-reason"],
)
def test_ending_refuses_bad_input_and_changes_nothing(provision_plan, senco_a, days, reason, field, message):
    with pytest.raises(ValidationError) as excinfo:
        end(provision_plan, senco_a, ended_on=today() + timedelta(days=days), reason=reason)

    assert message in " ".join(excinfo.value.message_dict[field])
    assert SupportPlan.objects.get(pk=provision_plan.pk).ended_on is None
    assert review_deadline(provision_plan.cycles.get()).status == DeadlineStatus.OPEN


def test_ending_twice_on_the_same_day_changes_nothing(provision_plan, senco_a):
    end(provision_plan, senco_a)
    entries = LogEntry.objects.count()

    end(provision_plan, senco_a, reason="Another reason")

    assert LogEntry.objects.count() == entries
    assert SupportPlan.objects.get(pk=provision_plan.pk).end_reason == REASON


def test_ending_an_ended_plan_on_another_day_says_when_it_ended(provision_plan, senco_a):
    end(provision_plan, senco_a)

    with pytest.raises(ValidationError) as excinfo:
        end(SupportPlan.objects.get(pk=provision_plan.pk), senco_a, ended_on=today() - timedelta(days=1))

    assert "already ended on" in excinfo.value.message_dict["ended_on"][0]


def test_ending_is_audited_with_the_actor(provision_plan, senco_a, pupil_oak):
    end(provision_plan, senco_a)

    entry = LogEntry.objects.get_for_object(provision_plan).order_by("-timestamp").first()
    assert entry.actor == senco_a
    assert "ended_on" in entry.changes_dict
    assert entry.additional_data["pupil_id"] == str(pupil_oak.pk)


def test_an_ended_plan_gets_no_new_cycle_and_no_more_work(provision_plan, teacher_a):
    cycle = provision_plan.cycles.get()
    end(provision_plan, teacher_a)
    cycle = Cycle.objects.select_related("plan").get(pk=cycle.pk)
    outcome = cycle.outcomes.get()

    with pytest.raises(ValidationError, match="ended on"):
        services.cycle_review(
            cycle=cycle,
            reviewed_on=today(),
            outcome_reviews=[services.OutcomeReview(outcome.pk, "achieved", "")],
            impact="",
            pupil_views="",
            parent_views="",
            next_steps="",
            actor=teacher_a,
        )
    with pytest.raises(ValidationError, match="ended on"):
        services.cycle_assess(cycle=cycle, data={"needs_cognition": "More"}, actor=teacher_a)
    with pytest.raises(ValidationError, match="ended on"):
        services.cycle_note_add(cycle=cycle, written_on=today(), text="A note", actor=teacher_a)
    assert provision_plan.cycles.count() == 1


def test_a_new_plan_may_start_after_one_ended(provision_plan, pupil_oak, teacher_a):
    end(provision_plan, teacher_a)

    new_plan = services.support_plan_start(pupil=pupil_oak, started_on=today(), actor=teacher_a)

    assert new_plan.pk != provision_plan.pk and new_plan.ended_on is None


# --- The page ----------------------------------------------------------------------------------------------


def _end_url(plan):
    return reverse("provision:plan-end", args=[plan.pupil_id, plan.pk])


def test_posting_the_confirmation_ends_the_plan_and_shows_it_ended(provision_plan, login, teacher_a):
    response = login(teacher_a).post(
        _end_url(provision_plan), {"ended_on": today().isoformat(), "reason": REASON}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "provision:plan-detail", args=[provision_plan.pupil_id, provision_plan.pk]
    )
    page = response.content.decode()
    assert "This support plan ended on" in page and REASON in page
    cycle = provision_plan.cycles.get()
    for name in ("cycle-review", "cycle-plan", "cycle-assess", "cycle-note"):
        assert reverse(f"provision:{name}", args=[provision_plan.pupil_id, cycle.pk]) not in page
    assert _end_url(provision_plan) not in page


def test_plan_page_offers_ending_to_the_senco_and_class_teacher_only(
    provision_plan, login, senco_a, teacher_a, head_a, dsl_a
):
    url = reverse("provision:plan-detail", args=[provision_plan.pupil_id, provision_plan.pk])
    for user, shown in ((senco_a, True), (teacher_a, True), (head_a, False), (dsl_a, False)):
        assert (_end_url(provision_plan) in login(user).get(url).content.decode()) is shown, user.username


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ended_on": "", "reason": REASON}, "This field is required"),
        ({"ended_on": "31/02/2026", "reason": REASON}, "Enter a valid date"),
        (
            {"ended_on": (timezone.localdate() + timedelta(days=2)).isoformat(), "reason": REASON},
            "cannot be in the future",
        ),
        (
            {"ended_on": (timezone.localdate() - timedelta(days=60)).isoformat(), "reason": REASON},
            "cannot end before it started",
        ),
        ({"ended_on": timezone.localdate().isoformat(), "reason": "   "}, "This field is required"),
        ({}, "This field is required"),
    ],
    ids=["no-date", "bad-date", "future", "before-start", "blank-reason", "empty"],
)
def test_confirmation_redisplays_bad_input_with_the_reason(provision_plan, login, senco_a, data, message):
    response = login(senco_a).post(_end_url(provision_plan), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert SupportPlan.objects.get(pk=provision_plan.pk).ended_on is None


def test_another_pupils_plan_is_not_found_through_this_pupil(provision_plan, pupil_ash, login, senco_a):
    url = reverse("provision:plan-end", args=[pupil_ash.pk, provision_plan.pk])

    assert login(senco_a).get(url).status_code == 404


def test_opening_the_confirmation_of_an_ended_plan_goes_back_to_the_plan(provision_plan, login, senco_a):
    end(provision_plan, senco_a)

    response = login(senco_a).get(_end_url(provision_plan), follow=True)

    assert response.redirect_chain[-1][0].endswith(f"/plans/{provision_plan.pk}/")
    assert "This support plan ended on" in response.content.decode()


def test_send_history_keeps_the_cycles_and_shows_the_end_with_its_reason(provision_plan, login, senco_a, pupil_oak):
    end(provision_plan, senco_a)

    page = login(senco_a).get(reverse("overview:history", args=[pupil_oak.pk])).content.decode()

    assert "SEN support plan started" in page
    assert "Cycle 1 planned" in page
    assert "SEN support plan ended" in page and REASON in page
    assert "Support plan review: Excused" in page


def test_pupil_page_marks_the_plan_ended_and_offers_a_new_one(provision_plan, login, teacher_a, pupil_oak):
    end(provision_plan, teacher_a)

    page = login(teacher_a).get(reverse("provision:pupil", args=[pupil_oak.pk])).content.decode()

    assert "Ended" in page
    assert reverse("provision:plan-start", args=[pupil_oak.pk]) in page
