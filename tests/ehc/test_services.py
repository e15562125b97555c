"""ehc.services: each step of the workflow, its date validation, the deadlines it opens, re-computes and
closes (with the due dates of STATUTORY.md), and the audit rows it writes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from deadlines.models import Deadline, DeadlineState, DeadlineStatus, Party
from ehc import selectors, services, statutory
from ehc.models import (
    AssessmentDecision,
    AssessmentOutcome,
    EhcAssessment,
    EhcPlan,
    PlanReadConfirmation,
    Recommendation,
)
from pupils.models import Term, YearGroup
from tests.fixtures.ehc import SECTIONS

TODAY = timezone.localdate


def deadline(source, kind: str) -> Deadline:
    return Deadline.objects.get(
        source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk), kind=kind
    )


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- EHC needs assessment ----------------------------------------------------------------------


def test_assessment_request_opens_the_las_three_deadlines_as_theirs(pupil_oak, senco_a):
    assessment = services.assessment_request(
        pupil=pupil_oak, requested_by="parent", requested_on=date(2025, 1, 6), today=timezone.localdate(), actor=senco_a
    )
    decision = deadline(assessment, "ehc.la_assessment_decision")
    no_plan = deadline(assessment, "ehc.la_no_plan_notice")
    final = deadline(assessment, "ehc.la_final_plan")
    assert (decision.due_on, no_plan.due_on, final.due_on) == (date(2025, 2, 17), date(2025, 4, 28), date(2025, 5, 26))
    assert {decision.party, no_plan.party, final.party} == {Party.LA}
    assert decision.rule == statutory.RULES["la_assessment_decision"]
    assert not Deadline.objects.filter(pupil=pupil_oak, party=Party.SCHOOL).exists()
    assert assessment.la_name == "Nottingham City"


def test_deadline_titles_never_name_the_pupil(ehc_assessment, ehc_review, ehc_draft, pupil_oak):
    titles = list(Deadline.objects.filter(pupil=pupil_oak).values_list("title", flat=True))
    assert titles
    assert not [t for t in titles if pupil_oak.legal_surname in t or pupil_oak.legal_forename in t]


def test_correcting_the_request_date_recomputes_the_las_deadlines(ehc_assessment, senco_a):
    services.assessment_request_correct(
        assessment=ehc_assessment,
        requested_by="school",
        requested_on=date(2025, 1, 13),
        la_name="",
        today=timezone.localdate(),
        actor=senco_a,
    )
    assert deadline(ehc_assessment, "ehc.la_assessment_decision").due_on == date(2025, 2, 24)
    assert deadline(ehc_assessment, "ehc.la_final_plan").due_on == date(2025, 6, 2)
    assert Deadline.objects.filter(kind="ehc.la_final_plan").count() == 1


def test_request_in_the_future_is_refused(pupil_oak, senco_a):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_request(
            pupil=pupil_oak,
            requested_by="school",
            requested_on=TODAY() + timedelta(days=1),
            today=timezone.localdate(),
            actor=senco_a,
        )
    assert "requested_on" in errors_of(excinfo)
    assert not EhcAssessment.objects.exists()


def test_la_decision_late_closes_its_deadline_as_met_late(ehc_assessment, senco_a):
    services.assessment_decision_record(
        assessment=ehc_assessment,
        decision=AssessmentDecision.ASSESS,
        decided_on=date(2025, 2, 20),
        today=timezone.localdate(),
        actor=senco_a,
    )
    decided = deadline(ehc_assessment, "ehc.la_assessment_decision")
    assert decided.status == DeadlineStatus.MET and decided.met_on == date(2025, 2, 20)
    assert decided.state(TODAY()) == DeadlineState.MET_LATE
    assert deadline(ehc_assessment, "ehc.la_final_plan").status == DeadlineStatus.OPEN


def test_la_decision_not_to_assess_excuses_the_plan_deadlines_with_a_reason(ehc_assessment, senco_a):
    services.assessment_decision_record(
        assessment=ehc_assessment,
        decision=AssessmentDecision.NOT_ASSESS,
        decided_on=date(2025, 2, 10),
        today=timezone.localdate(),
        actor=senco_a,
    )
    for kind in ("ehc.la_no_plan_notice", "ehc.la_final_plan"):
        excused = deadline(ehc_assessment, kind)
        assert excused.status == DeadlineStatus.EXCUSED
        assert "not to carry out an assessment" in excused.excused_reason
    assert deadline(ehc_assessment, "ehc.la_assessment_decision").state(TODAY()) == DeadlineState.MET


def test_la_decision_before_the_request_is_refused(ehc_assessment, senco_a):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_decision_record(
            assessment=ehc_assessment,
            decision=AssessmentDecision.ASSESS,
            decided_on=date(2025, 1, 1),
            today=timezone.localdate(),
            actor=senco_a,
        )
    assert "decided_on" in errors_of(excinfo)


def test_advice_request_received_opens_only_the_schools_six_week_deadline(pupil_oak, senco_a):
    assessment = services.assessment_request(
        pupil=pupil_oak, requested_by="school", requested_on=date(2025, 1, 6), today=timezone.localdate(), actor=senco_a
    )
    services.advice_request_receive(
        assessment=assessment, received_on=date(2025, 2, 3), today=timezone.localdate(), actor=senco_a
    )
    ours = Deadline.objects.filter(pupil=pupil_oak, party=Party.SCHOOL)
    assert [(d.kind, d.due_on, d.responsible) for d in ours] == [("ehc.advice", date(2025, 3, 17), senco_a)]
    assert ours[0].rule == statutory.RULES["advice"]


def test_correcting_the_advice_request_date_recomputes_the_advice_deadline(ehc_assessment, senco_a):
    services.advice_request_receive(
        assessment=ehc_assessment, received_on=date(2025, 2, 10), today=timezone.localdate(), actor=senco_a
    )
    assert deadline(ehc_assessment, "ehc.advice").due_on == date(2025, 3, 24)


def test_advice_submitted_closes_the_advice_deadline(ehc_assessment, senco_a):
    services.advice_submit(
        assessment=ehc_assessment,
        advice="Our advice.",
        submitted_on=date(2025, 3, 10),
        today=timezone.localdate(),
        actor=senco_a,
    )
    closed = deadline(ehc_assessment, "ehc.advice")
    assert (closed.status, closed.met_on) == (DeadlineStatus.MET, date(2025, 3, 10))
    assert closed.state(TODAY()) == DeadlineState.MET


@pytest.mark.parametrize(
    "advice, submitted_on, field",
    [
        ("Our advice.", date(2025, 2, 2), "submitted_on"),  # before the request arrived
        ("Our advice.", date(2999, 1, 1), "submitted_on"),  # in the future
        ("   ", date(2025, 3, 10), "advice"),  # nothing written
    ],
)
def test_advice_submission_with_bad_dates_or_no_text_is_refused(ehc_assessment, senco_a, advice, submitted_on, field):
    with pytest.raises(ValidationError) as excinfo:
        services.advice_submit(
            assessment=ehc_assessment,
            advice=advice,
            submitted_on=submitted_on,
            today=timezone.localdate(),
            actor=senco_a,
        )
    assert field in errors_of(excinfo)
    assert deadline(ehc_assessment, "ehc.advice").status == DeadlineStatus.OPEN


def test_advice_cannot_be_sent_before_the_las_request_is_recorded(pupil_oak, senco_a):
    assessment = services.assessment_request(
        pupil=pupil_oak, requested_by="school", requested_on=date(2025, 1, 6), today=timezone.localdate(), actor=senco_a
    )
    with pytest.raises(ValidationError):
        services.advice_submit(
            assessment=assessment, advice="x", submitted_on=date(2025, 2, 1), today=timezone.localdate(), actor=senco_a
        )


def test_plan_issued_from_an_assessment_meets_the_final_plan_deadline(ehc_assessment, pupil_oak, senco_a):
    services.plan_issue(
        pupil=pupil_oak,
        la_name="",
        issued_on=date(2025, 5, 20),
        names_school=True,
        named_school="",
        sections=SECTIONS,
        assessment=ehc_assessment,
        today=timezone.localdate(),
        actor=senco_a,
    )
    final = deadline(ehc_assessment, "ehc.la_final_plan")
    assert (final.status, final.met_on) == (DeadlineStatus.MET, date(2025, 5, 20))
    assert deadline(ehc_assessment, "ehc.la_no_plan_notice").status == DeadlineStatus.EXCUSED
    ehc_assessment.refresh_from_db()
    assert ehc_assessment.outcome == AssessmentOutcome.PLAN


def test_no_plan_outcome_meets_the_notice_deadline_and_excuses_the_final_plan(ehc_assessment, senco_a):
    services.assessment_outcome_record(
        assessment=ehc_assessment,
        outcome=AssessmentOutcome.NO_PLAN,
        outcome_on=date(2025, 4, 1),
        today=timezone.localdate(),
        actor=senco_a,
    )
    assert deadline(ehc_assessment, "ehc.la_no_plan_notice").status == DeadlineStatus.MET
    assert deadline(ehc_assessment, "ehc.la_final_plan").status == DeadlineStatus.EXCUSED


def test_closure_exception_is_shown_when_the_advice_request_fell_in_the_window(pupil_oak, senco_a, school_a):
    Term.objects.create(school=school_a, name="Summer", starts_on=date(2026, 4, 13), ends_on=date(2026, 7, 19))
    Term.objects.create(school=school_a, name="Autumn", starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 18))
    inside = services.assessment_request(
        pupil=pupil_oak, requested_by="school", requested_on=date(2026, 6, 1), today=timezone.localdate(), actor=senco_a
    )
    services.advice_request_receive(
        assessment=inside, received_on=date(2026, 7, 15), today=timezone.localdate(), actor=senco_a
    )
    outside = services.assessment_request(
        pupil=pupil_oak, requested_by="school", requested_on=date(2026, 6, 1), today=timezone.localdate(), actor=senco_a
    )
    services.advice_request_receive(
        assessment=outside, received_on=date(2026, 7, 10), today=timezone.localdate(), actor=senco_a
    )
    overview = selectors.pupil_overview(pupil_oak, today=date(2026, 11, 1))
    flags = {a.pk: a.closure_exception for a in overview["assessments"]}
    assert flags == {inside.pk: True, outside.pk: False}
    assert deadline(inside, "ehc.advice").due_on == date(2026, 8, 26)  # the exception never moves the date


def test_reassessment_request_opens_the_las_fifteen_day_decision(ehc_reassessment, senco_a):
    due = deadline(ehc_reassessment, "ehc.la_reassessment_decision")
    assert (due.due_on, due.party) == (date(2025, 9, 30), Party.LA)
    services.reassessment_decision_record(
        request=ehc_reassessment,
        decision=AssessmentDecision.ASSESS,
        decided_on=date(2025, 9, 29),
        today=timezone.localdate(),
        actor=senco_a,
    )
    assert deadline(ehc_reassessment, "ehc.la_reassessment_decision").state(TODAY()) == DeadlineState.MET


# --- Draft plan --------------------------------------------------------------------------------


def test_draft_received_opens_the_fifteen_day_views_deadline(ehc_draft):
    due = deadline(ehc_draft, "ehc.draft_views")
    assert (due.due_on, due.party) == (date(2025, 4, 15), Party.SCHOOL)


def test_draft_received_date_corrected_recomputes_the_views_deadline(ehc_draft, senco_a):
    services.draft_received_correct(
        draft=ehc_draft, received_on=date(2025, 4, 3), today=timezone.localdate(), actor=senco_a
    )
    assert deadline(ehc_draft, "ehc.draft_views").due_on == date(2025, 4, 17)


def test_draft_response_closes_the_deadline_and_refuses_a_date_before_receipt(ehc_draft, senco_a):
    with pytest.raises(ValidationError) as excinfo:
        services.draft_respond(
            draft=ehc_draft, response="Views", submitted_on=date(2025, 3, 31), today=timezone.localdate(), actor=senco_a
        )
    assert "submitted_on" in errors_of(excinfo)
    services.draft_respond(
        draft=ehc_draft, response="Views", submitted_on=date(2025, 4, 16), today=timezone.localdate(), actor=senco_a
    )
    assert deadline(ehc_draft, "ehc.draft_views").state(TODAY()) == DeadlineState.MET_LATE


# --- Plans -------------------------------------------------------------------------------------


def test_plan_issue_holds_each_section_and_opens_the_annual_review(ehc_plan):
    version = selectors.current_version(ehc_plan)
    assert version.number == 1 and version.section_h1 == SECTIONS["section_h1"]
    assert [s["letter"] for s in version.sections()] == ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]
    review_due = deadline(ehc_plan, "ehc.annual_review")
    assert review_due.due_on == date(2026, 6, 1)  # issued 2 June 2025: the 12 months end on 1 June 2026
    assert review_due.rule == statutory.RULES["annual_review"]


def test_plan_naming_the_school_asks_each_teacher_of_the_class_to_confirm(ehc_plan, teacher_a, teacher_b):
    pending = PlanReadConfirmation.objects.filter(version__plan=ehc_plan)
    assert [(c.teacher, c.confirmed_at) for c in pending] == [(teacher_a, None)]


def test_plan_not_naming_the_school_asks_no_teacher(pupil_oak, senco_a, class_oak):
    services.plan_issue(
        pupil=pupil_oak,
        la_name="",
        issued_on=date(2025, 6, 2),
        names_school=False,
        named_school="Elsewhere Special School",
        sections=SECTIONS,
        today=timezone.localdate(),
        actor=senco_a,
    )
    assert not PlanReadConfirmation.objects.exists()


def test_read_confirmation_is_recorded_once(ehc_plan, teacher_a):
    version = selectors.current_version(ehc_plan)
    first = services.plan_read_confirm(version=version, actor=teacher_a)
    again = services.plan_read_confirm(version=version, actor=teacher_a)
    assert first.confirmed_at is not None and again.confirmed_at == first.confirmed_at
    assert PlanReadConfirmation.objects.count() == 1


def test_second_active_plan_is_refused(ehc_plan, pupil_oak, senco_a):
    with pytest.raises(ValidationError):
        services.plan_issue(
            pupil=pupil_oak,
            la_name="",
            issued_on=date(2025, 7, 1),
            names_school=True,
            named_school="",
            sections=SECTIONS,
            today=timezone.localdate(),
            actor=senco_a,
        )
    assert EhcPlan.objects.count() == 1


def test_plan_for_an_under_five_reviewed_within_six_months(school_a, senco_a):
    from tests.factories import PupilFactory

    child = PupilFactory(school=school_a, date_of_birth=date(2022, 3, 1), year_group=YearGroup.NURSERY_2)
    assert services.is_under_five(child, date(2025, 8, 31))
    plan = services.plan_issue(
        pupil=child,
        la_name="",
        issued_on=date(2025, 8, 31),
        names_school=True,
        named_school="",
        review_interval_months=6,
        sections=SECTIONS,
        today=timezone.localdate(),
        actor=senco_a,
    )
    due = deadline(plan, "ehc.annual_review")
    assert due.due_on == date(2026, 2, 28)  # month end: 31 August + 6 months
    assert "CoP 9.178" in due.rule


def test_amendment_becomes_the_current_version_and_asks_teachers_again(ehc_plan, senco_a, teacher_a):
    amended = services.plan_amend(
        plan=ehc_plan,
        issued_on=date(2025, 12, 1),
        sections={**SECTIONS, "section_f": "More hours."},
        today=timezone.localdate(),
        actor=senco_a,
    )
    assert selectors.current_version(ehc_plan) == amended and amended.number == 2
    assert PlanReadConfirmation.objects.filter(version=amended, teacher=teacher_a, confirmed_at=None).exists()
    with pytest.raises(ValidationError):
        services.plan_amend(
            plan=ehc_plan, issued_on=date(2025, 11, 1), sections=SECTIONS, today=timezone.localdate(), actor=senco_a
        )


# --- Annual review -----------------------------------------------------------------------------


def test_review_scheduled_opens_invitations_and_circulation_two_weeks_before(ehc_review):
    assert deadline(ehc_review, "ehc.review_invitations").due_on == date(2026, 4, 27)
    assert deadline(ehc_review, "ehc.review_advice_circulation").due_on == date(2026, 4, 27)
    assert not Deadline.objects.filter(kind__in=["ehc.review_report", "ehc.la_review_decision"]).exists()
    assert not Deadline.objects.filter(kind="ehc.phase_transfer").exists()  # Year 3 is no transition


def test_moving_the_meeting_recomputes_its_deadlines(ehc_review, senco_a):
    services.review_reschedule(
        review=ehc_review, meeting_on=date(2026, 5, 18), is_combined_with_pep=False, actor=senco_a
    )
    assert deadline(ehc_review, "ehc.review_invitations").due_on == date(2026, 5, 4)
    assert deadline(ehc_review, "ehc.review_advice_circulation").due_on == date(2026, 5, 4)


def test_review_combined_with_pep_only_for_a_looked_after_child(ehc_plan, senco_a, pupil_oak):
    with pytest.raises(ValidationError) as excinfo:
        services.review_schedule(plan=ehc_plan, meeting_on=date(2026, 5, 11), is_combined_with_pep=True, actor=senco_a)
    assert "is_combined_with_pep" in errors_of(excinfo)
    pupil_oak.is_looked_after = True
    pupil_oak.save()
    ehc_plan.pupil.is_looked_after = True
    review = services.review_schedule(
        plan=ehc_plan, meeting_on=date(2026, 5, 11), is_combined_with_pep=True, actor=senco_a
    )
    assert review.is_combined_with_pep


def test_parents_with_parental_responsibility_are_invited_by_default(ehc_plan, pupil_oak, senco_a):
    pupil_oak.contacts.create(name="Grace Thistlewood", relationship="Mother", email="grace@example.org")
    pupil_oak.contacts.create(name="Neighbour", relationship="Neighbour", has_parental_responsibility=False)
    review = services.review_schedule(plan=ehc_plan, meeting_on=date(2026, 5, 11), actor=senco_a)
    assert [(i.role, i.name) for i in review.invitees.all()] == [("parent", "Grace Thistlewood")]


def test_invitations_sent_to_everyone_close_the_invitation_deadline(ehc_review, senco_a):
    # reg 20(2): each of the five is invited, or recorded as not applying
    for role, name in (
        ("parent", "Grace Thistlewood"),
        ("head", "Head"),
        ("la_sen", "LA officer"),
        ("health", "Nurse"),
    ):
        services.review_invitee_add(review=ehc_review, role=role, name=name, today=timezone.localdate(), actor=senco_a)
    services.review_role_not_applicable(
        review=ehc_review, role="social_care", reason="No social care involvement.", actor=senco_a
    )
    with pytest.raises(ValidationError):
        services.review_invitations_send(
            review=ehc_review, sent_on=date(2026, 5, 12), today=timezone.localdate(), actor=senco_a
        )
    services.review_invitations_send(
        review=ehc_review, sent_on=date(2026, 4, 20), today=timezone.localdate(), actor=senco_a
    )
    closed = deadline(ehc_review, "ehc.review_invitations")
    assert (closed.status, closed.met_on) == (DeadlineStatus.MET, date(2026, 4, 20))


def test_invitations_cannot_be_recorded_with_no_one_to_invite(ehc_review, senco_a):
    with pytest.raises(ValidationError) as excinfo:
        services.review_invitations_send(
            review=ehc_review, sent_on=date(2026, 4, 20), today=timezone.localdate(), actor=senco_a
        )
    assert "sent_on" in errors_of(excinfo)


def test_advice_circulated_late_closes_as_met_late(ehc_review, ehc_review_advice, senco_a):
    services.review_advice_receive(
        advice=ehc_review_advice, received_on=date(2026, 4, 20), today=timezone.localdate(), actor=senco_a
    )
    services.review_circulate(
        review=ehc_review, circulated_on=date(2026, 4, 29), today=timezone.localdate(), actor=senco_a
    )
    assert deadline(ehc_review, "ehc.review_advice_circulation").state(TODAY()) == DeadlineState.MET_LATE
    with pytest.raises(ValidationError):
        services.review_advice_receive(
            advice=ehc_review_advice, received_on=date(2026, 3, 1), today=timezone.localdate(), actor=senco_a
        )


def test_meeting_held_opens_report_la_decision_and_the_next_review(ehc_review, ehc_plan, senco_a):
    services.review_hold(review=ehc_review, held_on=date(2026, 5, 11), today=timezone.localdate(), actor=senco_a)
    assert deadline(ehc_review, "ehc.review_report").due_on == date(2026, 5, 25)
    la = deadline(ehc_review, "ehc.la_review_decision")
    assert (la.due_on, la.party) == (date(2026, 6, 8), Party.LA)
    # CFA s.44(1): the 12 months starting with 11 May 2026 end on 10 May 2027
    assert deadline(ehc_review, "ehc.annual_review").due_on == date(2027, 5, 10)
    met = deadline(ehc_plan, "ehc.annual_review")
    assert (met.status, met.met_on) == (DeadlineStatus.MET, date(2026, 5, 11))
    assert [p.outcome for p in ehc_review.outcome_progress.all()] == [
        "Reads a short text aloud with confidence",
        "Uses a visual timetable independently",
    ]


def test_correcting_the_day_held_recomputes_everything_after_it(ehc_review, ehc_plan, senco_a):
    services.review_hold(review=ehc_review, held_on=date(2026, 5, 11), today=timezone.localdate(), actor=senco_a)
    services.review_hold(
        review=ehc_review, held_on=date(2026, 5, 12), today=timezone.localdate(), actor=senco_a, confirm_moved=True
    )
    assert deadline(ehc_review, "ehc.review_report").due_on == date(2026, 5, 26)
    assert deadline(ehc_review, "ehc.la_review_decision").due_on == date(2026, 6, 9)
    assert deadline(ehc_review, "ehc.annual_review").due_on == date(2027, 5, 11)
    assert deadline(ehc_plan, "ehc.annual_review").met_on == date(2026, 5, 12)
    assert ehc_review.outcome_progress.count() == 2


def test_second_review_meets_the_deadline_the_first_one_set(ehc_review, ehc_plan, senco_a):
    services.review_hold(review=ehc_review, held_on=date(2026, 5, 11), today=timezone.localdate(), actor=senco_a)
    later = services.review_schedule(plan=ehc_plan, meeting_on=date(2026, 11, 2), actor=senco_a)
    services.review_hold(review=later, held_on=date(2026, 11, 2), today=timezone.localdate(), actor=senco_a)
    assert deadline(ehc_review, "ehc.annual_review").met_on == date(2026, 11, 2)
    assert deadline(ehc_plan, "ehc.annual_review").met_on == date(2026, 5, 11)


def test_meeting_held_in_the_future_is_refused(ehc_review, senco_a):
    with pytest.raises(ValidationError) as excinfo:
        services.review_hold(
            review=ehc_review, held_on=TODAY() + timedelta(days=2), today=timezone.localdate(), actor=senco_a
        )
    assert "held_on" in errors_of(excinfo)


def test_outcome_needs_the_meeting_held_and_an_advocates_name(ehc_review, senco_a):
    kwargs = {
        "progress": {},
        "recommendation": Recommendation.MAINTAIN,
        "pupil_views": "",
        "parent_views": "",
        "has_advocate": False,
        "advocate_name": "",
        "actor": senco_a,
    }
    with pytest.raises(ValidationError):
        services.review_outcome_record(review=ehc_review, **kwargs)
    services.review_hold(review=ehc_review, held_on=date(2026, 5, 11), today=timezone.localdate(), actor=senco_a)
    with pytest.raises(ValidationError) as excinfo:
        services.review_outcome_record(review=ehc_review, **{**kwargs, "has_advocate": True})
    assert "advocate_name" in errors_of(excinfo)
    services.review_outcome_record(review=ehc_review, **{**kwargs, "progress": {1: "Reads aloud now."}})
    assert ehc_review.outcome_progress.get(position=1).progress == "Reads aloud now."


def test_report_sent_closes_its_deadline_and_not_before_the_meeting(ehc_review, senco_a):
    services.review_hold(review=ehc_review, held_on=date(2026, 5, 11), today=timezone.localdate(), actor=senco_a)
    services.review_outcome_record(
        review=ehc_review,
        progress={},
        recommendation=Recommendation.AMEND,
        pupil_views="",
        parent_views="",
        has_advocate=False,
        advocate_name="",
        recommended_amendments="Section F: add a weekly speech and language session.",
        actor=senco_a,
    )
    with pytest.raises(ValidationError):
        services.review_report_send(
            review=ehc_review, sent_on=date(2026, 5, 10), today=timezone.localdate(), actor=senco_a
        )
    services.review_report_send(review=ehc_review, sent_on=date(2026, 5, 22), today=timezone.localdate(), actor=senco_a)
    assert deadline(ehc_review, "ehc.review_report").state(TODAY()) == DeadlineState.MET


def test_la_decision_to_amend_opens_the_amended_plan_deadline_met_by_the_amendment(ehc_review, ehc_plan, senco_a):
    services.review_hold(review=ehc_review, held_on=date(2026, 5, 11), today=timezone.localdate(), actor=senco_a)
    services.review_la_decision_record(
        review=ehc_review,
        decision=Recommendation.AMEND,
        decided_on=date(2026, 6, 1),
        today=timezone.localdate(),
        actor=senco_a,
    )
    assert deadline(ehc_review, "ehc.la_review_decision").state(TODAY()) == DeadlineState.MET
    amended = deadline(ehc_review, "ehc.la_amended_plan")
    assert (amended.due_on, amended.party) == (date(2026, 7, 27), Party.LA)
    services.plan_amend(
        plan=ehc_plan, issued_on=date(2026, 8, 3), sections=SECTIONS, today=timezone.localdate(), actor=senco_a
    )
    assert deadline(ehc_review, "ehc.la_amended_plan").state(TODAY()) == DeadlineState.MET_LATE


def test_la_decision_before_the_meeting_is_refused(ehc_review, senco_a):
    services.review_hold(review=ehc_review, held_on=date(2026, 5, 11), today=timezone.localdate(), actor=senco_a)
    with pytest.raises(ValidationError) as excinfo:
        services.review_la_decision_record(
            review=ehc_review,
            decision=Recommendation.MAINTAIN,
            decided_on=date(2026, 5, 1),
            today=timezone.localdate(),
            actor=senco_a,
        )
    assert "decided_on" in errors_of(excinfo)


# --- Disagreements -----------------------------------------------------------------------------


def test_disagreement_dates_must_follow_the_day_it_was_raised(ehc_disagreement, pupil_oak, senco_a):
    with pytest.raises(ValidationError) as excinfo:
        services.disagreement_record(
            pupil=pupil_oak,
            raised_on=date(2025, 10, 1),
            summary="x",
            la_contacted_on=date(2025, 9, 30),
            today=timezone.localdate(),
            actor=senco_a,
        )
    assert "la_contacted_on" in errors_of(excinfo)
    updated = services.disagreement_update(
        disagreement=ehc_disagreement,
        la_contacted_on=date(2025, 10, 1),
        mediation_on=date(2025, 11, 3),
        tribunal_on=None,
        outcome="Agreed at mediation.",
        resolved_on=date(2025, 11, 3),
        today=timezone.localdate(),
        actor=senco_a,
    )
    assert updated.resolved_on == date(2025, 11, 3)


# --- Audit -------------------------------------------------------------------------------------


def test_each_step_writes_an_audit_row_naming_the_actor_school_and_pupil(ehc_assessment, senco_a, pupil_oak):
    rows = LogEntry.objects.get_for_object(ehc_assessment)
    assert rows.count() == 2  # requested, then the LA's request for advice received
    assert {row.actor for row in rows} == {senco_a}
    assert rows.first().additional_data == {"school_id": str(pupil_oak.school_id), "pupil_id": str(pupil_oak.pk)}
    advice_deadline = deadline(ehc_assessment, "ehc.advice")
    assert LogEntry.objects.get_for_object(advice_deadline).filter(actor=senco_a).exists()


def test_review_steps_are_audited_under_the_pupil(ehc_review, senco_a, pupil_oak):
    services.review_hold(review=ehc_review, held_on=date(2026, 5, 11), today=timezone.localdate(), actor=senco_a)
    rows = LogEntry.objects.get_for_object(ehc_review)
    assert rows.count() == 2
    assert all(row.additional_data["pupil_id"] == str(pupil_oak.pk) for row in rows)


# --- Re-assessment: the earliest date counts from the latest assessment or re-assessment (reg 24) ----------


def test_reassessment_earliest_counts_from_the_latest_assessment_not_the_first(ehc_plan, pupil_oak, senco_a):
    today = timezone.localdate()
    first = services.assessment_request(
        pupil=pupil_oak, requested_by="school", requested_on=date(2023, 1, 9), today=today, actor=senco_a
    )
    services.assessment_decision_record(
        assessment=first, decision=AssessmentDecision.ASSESS, decided_on=date(2023, 2, 13), today=today, actor=senco_a
    )
    services.assessment_outcome_record(
        assessment=first, outcome=AssessmentOutcome.PLAN, outcome_on=date(2023, 5, 31), today=today, actor=senco_a
    )
    # 31 May 2023 + 6 months = 30 November 2023 (no 31 November: the month end)
    assert selectors.reassessment_earliest_for(pupil_oak) == date(2023, 11, 30)
    request = services.reassessment_request(
        plan=ehc_plan, requested_by="parent", requested_on=date(2025, 8, 18), today=today, actor=senco_a
    )
    services.reassessment_decision_record(
        request=request, decision=AssessmentDecision.ASSESS, decided_on=date(2025, 8, 31), today=today, actor=senco_a
    )
    # the re-assessment agreed 31 August 2025 is now the latest: + 6 months = 28 February 2026 (clamped)
    assert selectors.reassessment_earliest_for(pupil_oak) == date(2026, 2, 28)


def test_a_refused_reassessment_does_not_move_the_earliest_date(ehc_reassessment, pupil_oak, senco_a):
    services.reassessment_decision_record(
        request=ehc_reassessment,
        decision=AssessmentDecision.NOT_ASSESS,
        decided_on=date(2025, 9, 25),
        today=timezone.localdate(),
        actor=senco_a,
    )
    assert selectors.reassessment_earliest_for(pupil_oak) is None
