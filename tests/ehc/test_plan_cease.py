"""Ceasing an EHC plan: ehc.services.plan_cease (validation, deadlines excused, idempotence, audit), the cease
page (pre-filled from an annual review whose LA decision was to cease; bad input re-displayed), and how a
ceased plan shows on the overview, plan and review pages, with the SEND register prompt for the SENCO."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline, DeadlineStatus
from ehc import services
from ehc.models import EhcPlan, PlanStatus, Recommendation
from pupils import services as pupil_services
from pupils.models import RegisterStatus
from tests.fixtures.ehc import SECTIONS

CEASED_ON = date(2026, 6, 15)


def deadlines_of(*sources) -> list[Deadline]:
    rows = []
    for source in sources:
        rows += Deadline.objects.filter(source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk))
    return rows


@pytest.fixture
def cease_review(ehc_review, senco_a):
    """ehc_review held on 11 May 2026; the LA decided on 1 June 2026 to cease the plan."""
    services.review_hold(review=ehc_review, held_on=date(2026, 5, 11), today=timezone.localdate(), actor=senco_a)
    return services.review_la_decision_record(
        review=ehc_review,
        decision=Recommendation.CEASE,
        decided_on=date(2026, 6, 1),
        today=timezone.localdate(),
        actor=senco_a,
    )


@pytest.fixture
def ehc_register_entry(pupil_oak, senco_a, needs):
    return pupil_services.register_entry_add(
        pupil=pupil_oak,
        status=RegisterStatus.EHC_PLAN,
        primary_need=needs["ASD"],
        started_on=date(2025, 6, 2),
        start_reason="EHC plan issued",
        actor=senco_a,
    )


# --- The service -------------------------------------------------------------------------------------------


def test_ceasing_marks_the_plan_ceased_on_the_day_given_and_keeps_why(ehc_plan, senco_a):
    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )

    ehc_plan.refresh_from_db()
    assert (ehc_plan.status, ehc_plan.ceased_on) == (PlanStatus.CEASED, CEASED_ON)
    assert ehc_plan.ceased_reason == "The LA's decision."


def test_ceasing_excuses_every_open_deadline_of_the_plan_and_its_reviews_with_the_date(
    cease_review, ehc_plan, ehc_reassessment, senco_a
):
    open_before = [d for d in deadlines_of(ehc_plan, cease_review, ehc_reassessment) if d.status == DeadlineStatus.OPEN]
    kinds = {d.kind for d in open_before}
    assert "ehc.annual_review" in kinds  # the next review, opened when the meeting was held
    assert "ehc.la_reassessment_decision" in kinds

    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )

    for row in open_before:
        row.refresh_from_db()
        assert row.status == DeadlineStatus.EXCUSED, row.kind
        assert row.excused_reason.startswith("EHC plan ceased on 15 June 2026"), row.excused_reason
        assert "The LA's decision." in row.excused_reason


def test_ceasing_leaves_deadlines_already_met_as_met(cease_review, ehc_plan, senco_a):
    met = [d for d in deadlines_of(ehc_plan, cease_review) if d.status == DeadlineStatus.MET]
    assert met, "holding the meeting meets the first annual review deadline"

    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )

    for row in met:
        row.refresh_from_db()
        assert row.status == DeadlineStatus.MET


def test_ceasing_leaves_other_pupils_deadlines_open(ehc_plan, pupil_ash, senco_a):
    other = services.plan_issue(
        pupil=pupil_ash,
        la_name="Nottingham City",
        issued_on=date(2025, 6, 2),
        names_school=True,
        named_school="",
        sections=SECTIONS,
        today=timezone.localdate(),
        actor=senco_a,
    )

    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )

    assert {d.status for d in deadlines_of(other)} == {DeadlineStatus.OPEN}


@pytest.mark.parametrize(
    ("ceased_on", "reason", "field", "message"),
    [
        (timezone.localdate() + timedelta(days=1), "The LA's decision.", "ceased_on", "cannot be in the future"),
        (date(2025, 6, 1), "The LA's decision.", "ceased_on", "cannot cease before it was issued on 2 June 2025"),
        (CEASED_ON, "   ", "reason", "Say why the plan ceased"),
    ],
    ids=["future", "before-issue", "no-reason"],
)
def test_ceasing_refuses_bad_input_and_changes_nothing(ehc_plan, senco_a, ceased_on, reason, field, message):
    with pytest.raises(ValidationError) as excinfo:
        services.plan_cease(
            plan=ehc_plan, ceased_on=ceased_on, reason=reason, today=timezone.localdate(), actor=senco_a
        )

    assert message in " ".join(excinfo.value.message_dict[field])
    ehc_plan.refresh_from_db()
    assert ehc_plan.status == PlanStatus.ACTIVE
    assert {d.status for d in deadlines_of(ehc_plan)} == {DeadlineStatus.OPEN}


def test_ceasing_on_the_day_it_was_issued_is_allowed(ehc_plan, senco_a):
    services.plan_cease(
        plan=ehc_plan,
        ceased_on=ehc_plan.issued_on,
        reason="Issued in error.",
        today=timezone.localdate(),
        actor=senco_a,
    )

    assert EhcPlan.objects.get(pk=ehc_plan.pk).ceased_on == ehc_plan.issued_on


def test_ceasing_twice_on_the_same_day_changes_nothing(ehc_plan, senco_a):
    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )
    entries = LogEntry.objects.count()

    again = services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="Something else.", today=timezone.localdate(), actor=senco_a
    )

    assert again.ceased_on == CEASED_ON
    assert LogEntry.objects.count() == entries
    assert "Something else." not in " ".join(d.excused_reason for d in deadlines_of(ehc_plan))


def test_ceasing_a_ceased_plan_on_another_day_says_when_it_ceased(ehc_plan, senco_a):
    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )

    with pytest.raises(ValidationError) as excinfo:
        services.plan_cease(
            plan=EhcPlan.objects.get(pk=ehc_plan.pk),
            ceased_on=date(2026, 7, 1),
            reason="The LA's decision.",
            today=timezone.localdate(),
            actor=senco_a,
        )

    assert "already ceased on 15 June 2026" in excinfo.value.message_dict["ceased_on"][0]
    assert EhcPlan.objects.get(pk=ehc_plan.pk).ceased_on == CEASED_ON


def test_ceasing_is_audited_with_the_senco_as_actor(ehc_plan, senco_a, pupil_oak):
    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )

    entry = LogEntry.objects.get_for_object(ehc_plan).order_by("-timestamp").first()
    assert entry.actor == senco_a
    assert "status" in entry.changes_dict and "ceased_on" in entry.changes_dict
    assert entry.additional_data["pupil_id"] == str(pupil_oak.pk)


def test_ceasing_does_not_change_the_send_register(ehc_plan, ehc_register_entry, senco_a):
    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )

    ehc_register_entry.refresh_from_db()
    assert ehc_register_entry.ended_on is None
    assert ehc_register_entry.status == RegisterStatus.EHC_PLAN


def test_a_ceased_plan_gets_no_new_review_but_the_pupil_may_get_a_new_plan(ehc_plan, pupil_oak, senco_a):
    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )

    with pytest.raises(ValidationError, match="ceased"):
        services.review_schedule(plan=ehc_plan, meeting_on=date(2026, 12, 1), actor=senco_a)
    new_plan = services.plan_issue(
        pupil=pupil_oak,
        la_name="Nottingham City",
        issued_on=date(2026, 7, 1),
        names_school=True,
        named_school="",
        sections=SECTIONS,
        today=timezone.localdate(),
        actor=senco_a,
    )
    assert new_plan.status == PlanStatus.ACTIVE


def test_recording_the_las_decision_to_cease_leaves_the_plan_active(cease_review, ehc_plan):
    ehc_plan.refresh_from_db()
    assert ehc_plan.status == PlanStatus.ACTIVE


# --- The pages ---------------------------------------------------------------------------------------------


def test_review_page_offers_the_cease_form_after_the_las_decision_to_cease(cease_review, ehc_plan, login, senco_a):
    page = login(senco_a).get(reverse("ehc:review-detail", args=[cease_review.pk])).content.decode()

    assert f"{reverse('ehc:plan-cease', args=[ehc_plan.pk])}?review={cease_review.pk}" in page
    assert "stays active here until you record it ceased" in page


def test_review_page_does_not_offer_ceasing_to_the_head(cease_review, ehc_plan, login, head_a):
    page = login(head_a).get(reverse("ehc:review-detail", args=[cease_review.pk])).content.decode()

    assert reverse("ehc:plan-cease", args=[ehc_plan.pk]) not in page


def test_cease_form_is_pre_filled_from_the_review(cease_review, ehc_plan, login, senco_a):
    url = reverse("ehc:plan-cease", args=[ehc_plan.pk]) + f"?review={cease_review.pk}"

    form = login(senco_a).get(url).context["form"]

    assert form.initial["ceased_on"] == date(2026, 6, 1)
    assert "The LA decided on 1 June 2026, after the annual review held on 11 May 2026" in form.initial["reason"]


@pytest.mark.parametrize("review", ["not-a-uuid", "6f1c3f6e-8a4e-4b0e-9a55-0d6f3b0b7c11"])
def test_cease_form_ignores_a_review_that_is_not_this_plans_decision_to_cease(ehc_plan, login, senco_a, review):
    response = login(senco_a).get(reverse("ehc:plan-cease", args=[ehc_plan.pk]) + f"?review={review}")

    assert response.status_code == 200
    assert response.context["form"].initial == {"ceased_on": timezone.localdate()}


def test_posting_the_cease_form_ceases_the_plan_and_shows_it_ceased(ehc_plan, login, senco_a):
    client = login(senco_a)
    response = client.post(
        reverse("ehc:plan-cease", args=[ehc_plan.pk]),
        {"ceased_on": "2026-06-15", "reason": "The LA's decision."},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("ehc:plan-detail", args=[ehc_plan.pk])
    page = response.content.decode()
    assert "This plan ceased on <strong>15 June 2026</strong>" in page
    assert reverse("ehc:review-new", args=[ehc_plan.pk]) not in page
    assert reverse("ehc:plan-amend", args=[ehc_plan.pk]) not in page
    assert EhcPlan.objects.get(pk=ehc_plan.pk).status == PlanStatus.CEASED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ceased_on": "", "reason": "The LA's decision."}, "This field is required"),
        ({"ceased_on": "15/06/2026x", "reason": "The LA's decision."}, "Enter a valid date"),
        (
            {"ceased_on": (timezone.localdate() + timedelta(days=3)).isoformat(), "reason": "x"},
            "cannot be in the future",
        ),
        ({"ceased_on": "2025-01-01", "reason": "The LA's decision."}, "cannot cease before it was issued"),
        ({"ceased_on": "2026-06-15", "reason": "   "}, "This field is required"),
        ({}, "This field is required"),
    ],
    ids=["no-date", "bad-date", "future", "before-issue", "blank-reason", "empty"],
)
def test_cease_form_redisplays_bad_input_with_the_reason(ehc_plan, login, senco_a, data, message):
    response = login(senco_a).post(reverse("ehc:plan-cease", args=[ehc_plan.pk]), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert EhcPlan.objects.get(pk=ehc_plan.pk).status == PlanStatus.ACTIVE


def test_opening_the_cease_form_of_a_ceased_plan_goes_back_to_the_plan(ehc_plan, login, senco_a):
    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )

    response = login(senco_a).get(reverse("ehc:plan-cease", args=[ehc_plan.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("ehc:plan-detail", args=[ehc_plan.pk])
    assert "This plan ceased on 15 June 2026." in response.content.decode()


def test_overview_shows_a_ceased_plan_without_a_new_review_action(ehc_plan, login, senco_a, pupil_oak):
    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )

    page = login(senco_a).get(reverse("ehc:overview", args=[pupil_oak.pk])).content.decode()

    assert "Ceased 15 June 2026" in page
    assert reverse("ehc:review-new", args=[ehc_plan.pk]) not in page
    assert reverse("ehc:plan-cease", args=[ehc_plan.pk]) not in page
    assert reverse("ehc:plan-new", args=[pupil_oak.pk]) in page  # a new plan may be recorded


def test_overview_offers_ceasing_an_active_plan_to_the_senco_only(ehc_plan, login, senco_a, head_a, pupil_oak):
    link = reverse("ehc:plan-cease", args=[ehc_plan.pk])
    url = reverse("ehc:overview", args=[pupil_oak.pk])

    assert link in login(senco_a).get(url).content.decode()
    assert link not in login(head_a).get(url).content.decode()


@pytest.mark.parametrize("name", ["ehc:overview", "ehc:plan-detail"])
def test_senco_is_prompted_to_change_the_register_entry_after_the_plan_ceased(
    ehc_plan, ehc_register_entry, login, senco_a, head_a, pupil_oak, name
):
    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )
    url = reverse(name, args=[pupil_oak.pk if name == "ehc:overview" else ehc_plan.pk])
    change = reverse("pupils:register-change", args=[pupil_oak.pk, ehc_register_entry.pk])

    assert change in login(senco_a).get(url).content.decode()
    assert change not in login(head_a).get(url).content.decode()  # the head may not change the register


def test_no_register_prompt_while_the_plan_is_active(ehc_plan, ehc_register_entry, login, senco_a, pupil_oak):
    page = login(senco_a).get(reverse("ehc:overview", args=[pupil_oak.pk])).content.decode()

    assert "Check the SEND register" not in page


def test_no_register_prompt_once_the_register_entry_no_longer_says_ehc_plan(
    ehc_plan, ehc_register_entry, login, senco_a, pupil_oak, needs
):
    services.plan_cease(
        plan=ehc_plan, ceased_on=CEASED_ON, reason="The LA's decision.", today=timezone.localdate(), actor=senco_a
    )
    pupil_services.register_entry_change(
        entry=ehc_register_entry,
        status=RegisterStatus.SEN_SUPPORT,
        primary_need=needs["ASD"],
        secondary_need=None,
        changed_on=CEASED_ON,
        reason="EHC plan ceased",
        actor=senco_a,
    )

    page = login(senco_a).get(reverse("ehc:overview", args=[pupil_oak.pk])).content.decode()

    assert "Check the SEND register" not in page
