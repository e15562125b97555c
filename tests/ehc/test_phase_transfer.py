"""Phase transfers for every pupil who needs one (reg 18), the LA's 14 weeks after agreeing to re-assess
(reg 27(2)), plans arriving from another LA (reg 15) and the register prompt when a plan is issued.

Dates are worked by hand in the comments. Services use past dates (they refuse future events)."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline, DeadlineState, DeadlineStatus, Party
from ehc import phases, selectors, services, statutory
from ehc.models import AssessmentDecision, PhaseTransfer, Recommendation
from ehc.tasks import phase_transfers_sweep_task
from pupils.models import Phase, RegisterEntry, RegisterStatus, YearGroup
from tests.fixtures.ehc import SECTIONS

D = date


def deadline(source, kind: str) -> Deadline:
    return Deadline.objects.get(
        source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk), kind=kind
    )


# --- Pure rules ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "args", "expected"),
    [
        # reg 27(2): notice + 14 weeks = + 98 days. 1 Dec 2026 + 98 = 9 Mar 2027 (31 Dec, 31 Jan, 28 Feb between)
        (statutory.la_reassessment_final_plan_due, (D(2026, 12, 1),), D(2027, 3, 9)),
        # across 29 Feb 2028: 1 Dec 2027 + 98 = 8 Mar 2028 (one day earlier than in a common year)
        (statutory.la_reassessment_final_plan_due, (D(2027, 12, 1),), D(2028, 3, 8)),
        # month end: 31 Jan 2027 + 98 = 9 May 2027
        (statutory.la_reassessment_final_plan_due, (D(2027, 1, 31),), D(2027, 5, 9)),
        # reg 15(4): transfer + 6 weeks = + 42 days. 30 Nov 2026 + 42 = 11 Jan 2027 (across the year end)
        (statutory.la_transfer_notice_due, (D(2026, 11, 30),), D(2027, 1, 11)),
        # 1 Feb 2028 + 42 = 14 Mar 2028 (29 Feb counted)
        (statutory.la_transfer_notice_due, (D(2028, 2, 1),), D(2028, 3, 14)),
        # reg 15(5): later of the usual day and the last day of the 3 months beginning with the transfer.
        # Transfer 30 Nov 2026 + 3 months = 28 Feb 2027 (no 30 Feb: the month end) - 1 day = 27 Feb 2027,
        # later than the usual 13 Jan 2027
        (statutory.transferred_review_due, (D(2027, 1, 13), D(2026, 11, 30)), D(2027, 2, 27)),
        # 30 Nov 2027 + 3 months = 29 Feb 2028 (leap year) - 1 day = 28 Feb 2028
        (statutory.transferred_review_due, (D(2028, 1, 13), D(2027, 11, 30)), D(2028, 2, 28)),
        # 15 Jan 2027 + 3 months = 15 Apr 2027 - 1 day = 14 Apr 2027: the period includes the transfer day, so
        # the anniversary itself would give the school a day more than the law
        (statutory.transferred_review_due, (D(2027, 1, 13), D(2027, 1, 15)), D(2027, 4, 14)),
        # 31 Dec 2026 + 3 months = 31 Mar 2027 - 1 day = 30 Mar 2027 (across the year end)
        (statutory.transferred_review_due, (D(2027, 1, 13), D(2026, 12, 31)), D(2027, 3, 30)),
        # the usual day is later: it stands
        (statutory.transferred_review_due, (D(2027, 6, 1), D(2026, 11, 30)), D(2027, 6, 1)),
        # reg 18 cap: a review usually due 9 Jun 2026 is due by the transfer day, 14 Feb 2026
        (statutory.review_due_capped, (D(2026, 6, 9), D(2026, 2, 14)), D(2026, 2, 14)),
        (statutory.review_due_capped, (D(2025, 11, 30), D(2026, 2, 14)), D(2025, 11, 30)),
        (statutory.review_due_capped, (D(2026, 6, 9), None), D(2026, 6, 9)),
        # transition review planning day: 1 Nov of the autumn before the September transfer
        (statutory.transition_review_by, (2027,), D(2026, 11, 1)),
        # reg 20(3) by post: meeting 16 Mar 2026, last day 2 Mar; posted 28 Feb (a common year) arrives 2 Mar
        (statutory.invitations_posted_late, (D(2026, 2, 28), D(2026, 3, 16)), False),
        # posted 1 Mar arrives 3 Mar: late
        (statutory.invitations_posted_late, (D(2026, 3, 1), D(2026, 3, 16)), True),
        # leap year: meeting 14 Mar 2028, last day 29 Feb; posted 27 Feb arrives 29 Feb (in time)
        (statutory.invitations_posted_late, (D(2028, 2, 27), D(2028, 3, 14)), False),
        (statutory.invitations_posted_late, (D(2028, 2, 28), D(2028, 3, 14)), True),
        # year end: meeting 12 Jan 2027, last day 29 Dec 2026; posted 27 Dec arrives 29 Dec
        (statutory.invitations_posted_late, (D(2026, 12, 27), D(2027, 1, 12)), False),
    ],
    ids=[
        "reassessment-final-plan-14-weeks-across-year-end",
        "reassessment-final-plan-across-29-february-2028",
        "reassessment-final-plan-from-month-end",
        "transfer-notice-6-weeks-across-year-end",
        "transfer-notice-across-29-february-2028",
        "transferred-review-3-months-clamped-to-28-february-less-a-day",
        "transferred-review-3-months-to-29-february-2028-less-a-day",
        "transferred-review-period-includes-the-transfer-day",
        "transferred-review-across-year-end",
        "transferred-review-usual-day-later",
        "review-capped-at-transfer-day",
        "review-earlier-than-transfer-day-stands",
        "review-no-transfer-pending",
        "transition-review-by-1-november",
        "posted-two-days-before-the-last-day-in-time",
        "posted-one-day-before-the-last-day-late",
        "posted-leap-year-in-time",
        "posted-leap-year-late",
        "posted-across-year-end-in-time",
    ],
)
def test_new_rule_gives_the_hand_worked_date(function, args, expected):
    assert function(*args) == expected


PRIMARY = {YearGroup.YEAR_6}
INFANT = {YearGroup.YEAR_2}
SECONDARY = {YearGroup.YEAR_11}


@pytest.mark.parametrize(
    ("year_group", "transfer_year_groups", "on", "expected"),
    [
        # the academic year 1 Sep 2025 to 31 Aug 2026 ends with a September 2026 transfer: due 14 Feb 2026
        (YearGroup.YEAR_6, PRIMARY, D(2025, 9, 1), (2026, D(2026, 2, 14), D(2025, 11, 1), False)),
        (YearGroup.YEAR_6, PRIMARY, D(2026, 8, 31), (2026, D(2026, 2, 14), D(2025, 11, 1), False)),
        # the next day is a new academic year: September 2027, due 14 Feb 2027
        (YearGroup.YEAR_6, PRIMARY, D(2026, 9, 1), (2027, D(2027, 2, 14), D(2026, 11, 1), False)),
        # year end inside the academic year changes nothing: 31 Dec 2026 -> September 2027
        (YearGroup.YEAR_6, PRIMARY, D(2026, 12, 31), (2027, D(2027, 2, 14), D(2026, 11, 1), False)),
        # infant to junior at Year 2, leap year 2028: still 14 Feb (the 29th does not move it)
        (YearGroup.YEAR_2, INFANT, D(2028, 2, 29), (2028, D(2028, 2, 14), D(2027, 11, 1), False)),
        # secondary to post-16: before 31 March, last day 30 March
        (YearGroup.YEAR_11, SECONDARY, D(2026, 10, 1), (2027, D(2027, 3, 30), D(2026, 11, 1), True)),
        # an all-through school has no transfer at Year 6
        (YearGroup.YEAR_6, SECONDARY, D(2026, 10, 1), None),
        (YearGroup.YEAR_5, PRIMARY, D(2026, 10, 1), None),
    ],
    ids=[
        "year-6-first-day-of-academic-year",
        "year-6-last-day-of-academic-year",
        "year-6-next-academic-year",
        "year-6-year-end-same-academic-year",
        "infant-to-junior-leap-day",
        "year-11-post16-30-march",
        "all-through-no-year-6-transfer",
        "year-5-no-transfer",
    ],
)
def test_transfer_for_each_year_group_and_setting(year_group, transfer_year_groups, on, expected):
    transfer = phases.transfer_for(year_group=year_group, transfer_year_groups=transfer_year_groups, on=on)
    got = (transfer.transfer_year, transfer.due_on, transfer.review_by, transfer.is_post16) if transfer else None
    assert got == expected


def test_school_phase_gives_default_transfers_until_the_school_says_otherwise(school_a):
    assert school_a.phase_transfer_year_groups() == {YearGroup.YEAR_6}
    school_a.phase = Phase.ALL_THROUGH
    assert school_a.phase_transfer_year_groups() == {YearGroup.YEAR_11}
    school_a.transfer_year_groups = [YearGroup.YEAR_2]  # an infant school
    assert school_a.phase_transfer_year_groups() == {YearGroup.YEAR_2}
    school_a.transfer_year_groups = []  # a school with no transfer at all
    assert school_a.phase_transfer_year_groups() == frozenset()


# --- Services: a Year 6 pupil whose last review was in Year 5 -------------------------------------------------


@pytest.fixture
def year6_plan(pupil_oak, senco_a):
    """pupil_oak in Year 6 in 2025-26 (transfer September 2026). Plan issued 3 June 2024 (Year 4); its first
    review held 10 June 2025 (Year 5), so the next is usually due 9 June 2026."""
    plan = services.plan_issue(
        pupil=pupil_oak,
        la_name="Nottingham City",
        issued_on=D(2024, 6, 3),
        names_school=True,
        named_school="",
        sections=SECTIONS,
        today=D(2024, 6, 3),
        actor=senco_a,
    )
    review = services.review_schedule(plan=plan, meeting_on=D(2025, 6, 10), actor=senco_a)
    services.review_hold(review=review, held_on=D(2025, 6, 10), today=D(2025, 6, 10), actor=senco_a)
    pupil_oak.year_group = YearGroup.YEAR_6  # moved up in September 2025
    pupil_oak.save()
    plan.pupil.year_group = YearGroup.YEAR_6
    return plan


def test_year_6_pupil_whose_last_review_was_in_year_5_has_the_14_february_deadline(year6_plan, school_a):
    last = year6_plan.reviews.get()
    assert deadline(last, "ehc.annual_review").due_on == D(2026, 6, 9)  # before the academic year opens
    assert services.phase_transfers_open(school=school_a, today=D(2025, 9, 1)) == 1
    transfer = PhaseTransfer.objects.get(plan=year6_plan)
    assert (transfer.transfer_year, transfer.due_on, transfer.review_by) == (2026, D(2026, 2, 14), D(2025, 11, 1))
    due = deadline(transfer, "ehc.phase_transfer")
    assert (due.due_on, due.party, due.status) == (D(2026, 2, 14), Party.SCHOOL, DeadlineStatus.OPEN)
    # the next annual review is brought forward from 9 June 2026 to the transfer day
    capped = deadline(last, "ehc.annual_review")
    assert capped.due_on == D(2026, 2, 14)
    assert "phase-transfer day" in capped.rule


def test_the_yearly_sweep_is_idempotent_and_re_dates_when_the_setting_changes(year6_plan, school_a):
    services.phase_transfers_open(school=school_a, today=D(2025, 9, 1))
    services.phase_transfers_open(school=school_a, today=D(2025, 9, 2))
    assert PhaseTransfer.objects.count() == 1
    assert Deadline.objects.filter(kind="ehc.phase_transfer").count() == 1
    school_a.transition_review_by_month, school_a.transition_review_by_day = 10, 15
    school_a.save()
    services.phase_transfers_open(school=school_a, today=D(2025, 9, 3))
    assert PhaseTransfer.objects.get().review_by == D(2025, 10, 15)
    school_a.transfer_year_groups = []  # the school says it has no transfer: nothing new opens
    school_a.save()
    assert services.phase_transfers_open(school=school_a, today=D(2025, 9, 4)) == 0


def test_the_celery_beat_entry_and_task_open_the_transfers(year6_plan, school_a, monkeypatch):
    from send_mis.celery import app

    entry = app.conf.beat_schedule["phase-transfers"]
    assert entry["task"] == "ehc.tasks.phase_transfers_sweep_task"
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2025, 9, 1))
    assert phase_transfers_sweep_task.delay().get() == 1
    assert PhaseTransfer.objects.filter(plan=year6_plan, transfer_year=2026).exists()


def test_issuing_a_plan_in_a_transfer_year_opens_the_transfer_at_once(pupil_oak, senco_a):
    pupil_oak.year_group = YearGroup.YEAR_6
    pupil_oak.save()
    # issued 6 Oct 2025 in Year 6: the first review would be due 5 Oct 2026, but the transfer is 14 Feb 2026
    plan = services.plan_issue(
        pupil=pupil_oak,
        la_name="",
        issued_on=D(2025, 10, 6),
        names_school=True,
        named_school="",
        sections=SECTIONS,
        today=D(2025, 10, 6),
        actor=senco_a,
    )
    transfer = plan.phase_transfers.get()
    assert deadline(transfer, "ehc.phase_transfer").due_on == D(2026, 2, 14)
    assert deadline(plan, "ehc.annual_review").due_on == D(2026, 2, 14)


def test_maintain_leaves_the_transfer_open_and_the_amended_plan_naming_the_school_meets_it(
    year6_plan, school_a, senco_a
):
    services.phase_transfers_open(school=school_a, today=D(2025, 9, 1))
    transfer = PhaseTransfer.objects.get()
    review = services.review_schedule(plan=year6_plan, meeting_on=D(2025, 10, 20), actor=senco_a)
    services.review_hold(review=review, held_on=D(2025, 10, 20), today=D(2025, 10, 20), actor=senco_a)
    # the transition review, held in the transfer year, is not capped: 12 months from 20 Oct 2025 end 19 Oct 2026
    assert deadline(review, "ehc.annual_review").due_on == D(2026, 10, 19)
    services.review_outcome_record(
        review=review,
        progress={},
        recommendation=Recommendation.MAINTAIN,
        pupil_views="",
        parent_views="",
        has_advocate=False,
        advocate_name="",
        actor=senco_a,
    )
    services.review_la_decision_record(
        review=review,
        decision=Recommendation.MAINTAIN,
        decided_on=D(2025, 11, 10),
        today=D(2025, 11, 10),
        actor=senco_a,
    )
    assert deadline(transfer, "ehc.phase_transfer").status == DeadlineStatus.OPEN
    services.plan_amend(
        plan=year6_plan,
        issued_on=D(2026, 2, 10),
        sections=SECTIONS,
        next_school="Hollygirt Secondary School",
        today=D(2026, 2, 10),
        actor=senco_a,
    )
    met = deadline(transfer, "ehc.phase_transfer")
    assert (met.status, met.met_on, met.state(D(2026, 3, 1))) == (DeadlineStatus.MET, D(2026, 2, 10), DeadlineState.MET)
    transfer.refresh_from_db()
    assert (transfer.next_school, transfer.met_on) == ("Hollygirt Secondary School", D(2026, 2, 10))


def test_an_amendment_without_the_next_school_does_not_meet_the_transfer(year6_plan, school_a, senco_a):
    services.phase_transfers_open(school=school_a, today=D(2025, 9, 1))
    services.plan_amend(
        plan=year6_plan, issued_on=D(2025, 12, 1), sections=SECTIONS, today=D(2025, 12, 1), actor=senco_a
    )
    assert deadline(PhaseTransfer.objects.get(), "ehc.phase_transfer").status == DeadlineStatus.OPEN


def test_ceasing_the_plan_excuses_the_transfer(year6_plan, school_a, senco_a):
    services.phase_transfers_open(school=school_a, today=D(2025, 9, 1))
    services.plan_cease(
        plan=year6_plan, ceased_on=D(2025, 9, 30), reason="Moved abroad", today=D(2025, 10, 1), actor=senco_a
    )
    assert deadline(PhaseTransfer.objects.get(), "ehc.phase_transfer").status == DeadlineStatus.EXCUSED


def test_a_pupil_who_has_left_gets_no_transfer(year6_plan, school_a, pupil_oak):
    pupil_oak.left_on = D(2025, 7, 20)
    pupil_oak.save()
    assert services.phase_transfers_open(school=school_a, today=D(2025, 9, 1)) == 0


# --- Re-assessment agreed: the LA's 14 weeks (reg 27(2)) ---------------------------------------------------


def test_reassessment_agreed_opens_the_las_14_week_final_plan_deadline_and_an_amendment_meets_it(
    ehc_reassessment, ehc_plan, senco_a
):
    today = timezone.localdate()
    services.reassessment_decision_record(
        request=ehc_reassessment,
        decision=AssessmentDecision.ASSESS,
        decided_on=D(2025, 9, 29),
        today=today,
        actor=senco_a,
    )
    # 29 Sep 2025 + 98 days = 5 Jan 2026 (across the year end)
    final = deadline(ehc_reassessment, "ehc.la_reassessment_final_plan")
    assert (final.due_on, final.party) == (D(2026, 1, 5), Party.LA)
    # corrected date re-dates it: 30 Sep 2025 + 98 = 6 Jan 2026
    services.reassessment_decision_record(
        request=ehc_reassessment,
        decision=AssessmentDecision.ASSESS,
        decided_on=D(2025, 9, 30),
        today=today,
        actor=senco_a,
    )
    assert deadline(ehc_reassessment, "ehc.la_reassessment_final_plan").due_on == D(2026, 1, 6)
    services.plan_amend(plan=ehc_plan, issued_on=D(2026, 1, 9), sections=SECTIONS, today=today, actor=senco_a)
    met = deadline(ehc_reassessment, "ehc.la_reassessment_final_plan")
    assert (met.status, met.met_on, met.state(today)) == (DeadlineStatus.MET, D(2026, 1, 9), DeadlineState.MET_LATE)


def test_reassessment_refused_opens_no_final_plan_deadline(ehc_reassessment, senco_a):
    services.reassessment_decision_record(
        request=ehc_reassessment,
        decision=AssessmentDecision.NOT_ASSESS,
        decided_on=D(2025, 9, 29),
        today=timezone.localdate(),
        actor=senco_a,
    )
    assert not Deadline.objects.filter(kind="ehc.la_reassessment_final_plan").exists()


# --- A plan from another LA (reg 15) -------------------------------------------------------------------------


def test_a_plan_from_another_la_opens_the_new_las_six_weeks_and_moves_the_review(ehc_plan, senco_a):
    today = timezone.localdate()
    # issued 2 Jun 2025: usually due 1 Jun 2026. Transferred 30 Apr 2026: the 3 months beginning with it end on
    # 29 Jul 2026 (30 Jul - 1 day), later.
    services.plan_transfer_in_record(
        plan=ehc_plan,
        transferred_on=D(2026, 4, 30),
        previous_la_name="Derbyshire",
        la_name="Nottingham City",
        today=today,
        actor=senco_a,
    )
    notice = deadline(ehc_plan, "ehc.la_transfer_notice")
    # 30 Apr 2026 + 42 days = 11 Jun 2026
    assert (notice.due_on, notice.party, notice.status) == (D(2026, 6, 11), Party.LA, DeadlineStatus.OPEN)
    review = deadline(ehc_plan, "ehc.annual_review")
    assert review.due_on == D(2026, 7, 29) and "reg 15(5)" in review.rule
    ehc_plan.refresh_from_db()
    assert (ehc_plan.previous_la_name, ehc_plan.transferred_in_on) == ("Derbyshire", D(2026, 4, 30))
    # correcting the day re-dates both; recording the family told closes the LA's duty
    services.plan_transfer_in_record(
        plan=ehc_plan,
        transferred_on=D(2026, 3, 2),
        previous_la_name="Derbyshire",
        la_name="",
        notified_on=D(2026, 4, 20),
        today=today,
        actor=senco_a,
    )
    notice = deadline(ehc_plan, "ehc.la_transfer_notice")
    # 2 Mar 2026 + 42 = 13 Apr 2026; told 20 Apr: met late
    assert (notice.due_on, notice.met_on, notice.state(today)) == (
        D(2026, 4, 13),
        D(2026, 4, 20),
        DeadlineState.MET_LATE,
    )
    # 2 Mar 2026 + 3 months = 2 Jun 2026 - 1 day = 1 Jun 2026: the same as the usual 1 Jun 2026 (the
    # anniversary, 2 Jun, would have given a day more than the law)
    assert deadline(ehc_plan, "ehc.annual_review").due_on == D(2026, 6, 1)
    assert LogEntry.objects.filter(object_pk=str(ehc_plan.pk)).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"previous_la_name": ""}, "previous_la_name"),
        ({"previous_la_name": "Nottingham City"}, "previous_la_name"),
        ({"transferred_on": D(2099, 1, 1)}, "transferred_on"),
        ({"transferred_on": D(2025, 1, 1)}, "transferred_on"),
        ({"notified_on": D(2026, 3, 1)}, "notified_on"),
    ],
    ids=["no-previous-la", "same-la", "future", "before-the-plan", "told-before-the-transfer"],
)
def test_a_bad_transfer_is_refused_on_its_field(ehc_plan, senco_a, fields, field):
    kwargs = {"transferred_on": D(2026, 3, 2), "previous_la_name": "Derbyshire", "la_name": "", **fields}
    with pytest.raises(ValidationError) as excinfo:
        services.plan_transfer_in_record(plan=ehc_plan, today=timezone.localdate(), actor=senco_a, **kwargs)
    assert field in excinfo.value.message_dict
    assert not Deadline.objects.filter(kind="ehc.la_transfer_notice").exists()


def test_the_transfer_in_form_keeps_the_data_and_says_what_is_wrong(login, senco_a, ehc_plan):
    url = reverse("ehc:plan-transfer-in", args=[ehc_plan.pk])
    response = login(senco_a).post(
        url, {"transferred_on": "2026-03-02", "previous_la_name": "Nottingham City", "la_name": "", "notified_on": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The previous LA must differ from the new one." in page
    assert 'value="2026-03-02"' in page
    response = login(senco_a).post(url, {"transferred_on": "not a date", "previous_la_name": ""})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    response = login(senco_a).post(url, {"transferred_on": "2026-03-02", "previous_la_name": "Derbyshire"})
    assert response.status_code == 302


# --- A new plan prompts the register K -> E (one click, audited) --------------------------------------------


def test_a_new_plan_prompts_the_register_and_one_click_moves_k_to_e(login, senco_a, oak_entry, ehc_plan, pupil_oak):
    client = login(senco_a)
    page = client.get(reverse("ehc:overview", args=[pupil_oak.pk])).content.decode()
    assert "Change the register to EHC plan from 2 June 2025" in page
    response = client.post(reverse("ehc:register-to-ehc", args=[pupil_oak.pk]))
    assert response.status_code == 302
    current = RegisterEntry.objects.get(pupil=pupil_oak, ended_on__isnull=True)
    assert (current.status, current.started_on, current.primary_need_id) == (
        RegisterStatus.EHC_PLAN,
        D(2025, 6, 2),
        oak_entry.primary_need_id,
    )
    oak_entry.refresh_from_db()
    assert oak_entry.ended_on == D(2025, 6, 2)
    assert LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(RegisterEntry), object_pk=str(current.pk), actor=senco_a
    ).exists()
    # the prompt is gone, and a second click changes nothing
    assert (
        "Change the register to EHC plan"
        not in client.get(reverse("ehc:overview", args=[pupil_oak.pk])).content.decode()
    )
    client.post(reverse("ehc:register-to-ehc", args=[pupil_oak.pk]))
    assert RegisterEntry.objects.filter(pupil=pupil_oak).count() == 2


def test_the_register_prompt_is_not_shown_to_those_who_cannot_change_the_register(
    login, head_a, oak_entry, ehc_plan, pupil_oak
):
    page = login(head_a).get(reverse("ehc:overview", args=[pupil_oak.pk])).content.decode()
    assert "Change the register to EHC plan" not in page


# --- Workspace and plan page show the transfer ----------------------------------------------------------------


def test_the_review_workspace_shows_the_transfer_and_the_review_by_date(year6_plan, school_a, senco_a, login):
    services.phase_transfers_open(school=school_a, today=D(2025, 9, 1))
    review = services.review_schedule(plan=year6_plan, meeting_on=D(2025, 10, 20), actor=senco_a)
    workspace = selectors.review_workspace(review, today=D(2025, 10, 1))
    assert workspace["is_transition"] and workspace["transfer_on"] == D(2026, 2, 14)
    page = login(senco_a).get(reverse("ehc:review-detail", args=[review.pk])).content.decode()
    assert "Hold this review by 1 November 2025" in page
    assert "14 February 2026" in page
    plan_page = login(senco_a).get(reverse("ehc:plan-detail", args=[year6_plan.pk])).content.decode()
    assert "Phase transfer, September 2026" in plan_page
