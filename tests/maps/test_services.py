"""Services and selectors of the provision map on the real database: sessions, attendance and costs to the
penny, pupils joining and leaving part-way, dated rates, scores, the element-2 meter, the impact table."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from provision import selectors_maps as selectors
from provision import services
from provision.models import AssessmentPoint, Attendance, ProgressScore, Scale, SchoolSettings, Subject
from tests.fixtures.maps import make_provision

pytestmark = pytest.mark.django_db


@pytest.fixture
def four(make_pupils, class_oak):
    return make_pupils(4, class_oak.school, class_oak)


@pytest.fixture
def group_of_four(reading, four, senco_a, today, hlta_rate):
    return services.group_start(
        provision=reading,
        name="Reading boost, group A",
        lead=None,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        pupils=four,
        actor=senco_a,
    )


def _week(group, today, *, absent_second=frozenset(), actor):
    days = [today - timedelta(days=n) for n in (9, 8, 7)]
    return services.sessions_record(
        group=group,
        sessions=[
            services.SessionInput(days[0], True, 30),
            services.SessionInput(days[1], True, 30, absent=absent_second),
            services.SessionInput(days[2], True, 30),
        ],
        today=today,
        actor=actor,
    )


def test_a_week_of_sessions_records_attendance_and_costs_at_the_days_rate(group_of_four, four, senco_a, today):
    sessions = _week(group_of_four, today, absent_second=frozenset({four[3].pk}), actor=senco_a)
    assert [s.cost for s in sessions] == [Decimal("9.43")] * 3  # 30 minutes at 18.85 an hour
    assert [s.present_count for s in sessions] == [4, 3, 4]
    assert Attendance.objects.filter(session=sessions[1], is_present=False).get().pupil_id == four[3].pk
    assert LogEntry.objects.get_for_object(sessions[0]).get().actor == senco_a


def test_costs_per_pupil_are_shares_of_sessions_attended_to_the_penny(group_of_four, four, senco_a, today):
    _week(group_of_four, today, absent_second=frozenset({four[3].pk}), actor=senco_a)
    result = selectors.school_map(group_of_four.provision.school, period=selectors.Period.academic_year(today))
    by_pupil = {r.pupil.pk: r for r in result.rows}
    # Present at all three: 9.43/4 + 9.43/3 + 9.43/4 = 7.8583, plus a quarter of 120.00 non-hour costs.
    assert by_pupil[four[0].pk].delivered_cost == Decimal("37.86")
    # Absent once: 2 x 9.43/4 = 4.715, plus 30.00 = 34.715, half up to 34.72.
    assert by_pupil[four[3].pk].delivered_cost == Decimal("34.72")
    assert by_pupil[four[3].pk].sessions_attended == 2
    # Planned: 18 hours x 18.85 / 4 + 120 / 4 = 114.825 -> 114.83.
    assert by_pupil[four[0].pk].planned_cost == Decimal("114.83")
    assert result.totals.delivered_cost == Decimal("148.29")  # 3 x 9.43 + 120.00
    assert result.totals.hours_delivered == Decimal("1.5")


def test_a_pupil_who_joins_part_way_is_not_expected_at_earlier_sessions(group_of_four, four, pupil_oak, senco_a, today):
    place = group_of_four.allocations.get(pupil=four[0])
    services.allocation_end(allocation=place, left_on=today - timedelta(days=9), actor=senco_a)
    services.allocation_add(group=group_of_four, pupil=pupil_oak, joined_on=today - timedelta(days=8), actor=senco_a)
    sessions = _week(group_of_four, today, actor=senco_a)
    assert [s.present_count for s in sessions] == [4, 4, 4]
    attended = Attendance.objects.filter(pupil=pupil_oak).values_list("session__held_on", flat=True)
    assert sorted(attended) == [sessions[1].held_on, sessions[2].held_on]
    assert not Attendance.objects.filter(pupil=four[0], session__held_on__gt=sessions[0].held_on).exists()


def test_a_group_takes_no_more_pupils_than_its_size(group_of_four, make_pupils, class_oak, pupil_oak, senco_a, today):
    with pytest.raises(ValidationError, match="full"):
        services.allocation_add(group=group_of_four, pupil=pupil_oak, joined_on=today, actor=senco_a)
    with pytest.raises(ValidationError, match="at most 4"):
        services.group_start(
            provision=group_of_four.provision,
            name="Too many",
            lead=None,
            starts_on=today,
            ends_on=today,
            pupils=make_pupils(5, class_oak.school, class_oak),
            actor=senco_a,
        )


def test_a_pupil_who_leaves_drops_out_of_later_attendance(group_of_four, four, senco_a, today):
    _week(group_of_four, today, actor=senco_a)
    place = group_of_four.allocations.get(pupil=four[0])
    services.allocation_end(allocation=place, left_on=today - timedelta(days=9), actor=senco_a)
    assert Attendance.objects.filter(pupil=four[0]).count() == 1
    sessions = _week(group_of_four, today, actor=senco_a)
    assert [s.present_count for s in sessions] == [4, 3, 3]


def test_a_new_rate_re_costs_sessions_from_its_date_only(group_of_four, head_a, senco_a, today):
    sessions = _week(group_of_four, today, actor=senco_a)
    services.staff_rate_set(
        school=group_of_four.provision.school,
        staff_type="hlta",
        hourly_rate=Decimal("15.00"),
        on_cost=Decimal("1.30"),
        valid_from=sessions[1].held_on,
        actor=head_a,
    )
    costs = [type(s).objects.get(pk=s.pk).cost for s in sessions]
    assert costs == [Decimal("9.43"), Decimal("9.75"), Decimal("9.75")]  # 0.5 h x 19.50 from the new rate


def test_sessions_without_a_rate_are_recorded_but_not_costed(reading, pupil_oak, senco_a, today):
    group = services.group_start(
        provision=reading,
        name="1:1",
        lead=None,
        starts_on=today - timedelta(days=5),
        ends_on=today,
        pupils=[pupil_oak],
        actor=senco_a,
    )
    session = services.sessions_record(
        group=group, sessions=[services.SessionInput(today, True, 30)], today=today, actor=senco_a
    )[0]
    assert session.cost is None
    result = selectors.school_map(reading.school, period=selectors.Period.academic_year(today))
    assert result.totals.uncosted_sessions == 1


@pytest.mark.parametrize(
    "entry, message",
    [
        (lambda t: services.SessionInput(t + timedelta(days=1), True, 30), "in the future"),
        (lambda t: services.SessionInput(t - timedelta(days=90), True, 30), "outside the group's dates"),
        (lambda t: services.SessionInput(t, False, 30, cancel_reason="  "), "say why"),
    ],
)
def test_sessions_that_cannot_be_recorded_are_refused_with_the_reason(group_of_four, senco_a, today, entry, message):
    with pytest.raises(ValidationError, match=message):
        services.sessions_record(group=group_of_four, sessions=[entry(today)], today=today, actor=senco_a)


def test_a_cancelled_session_costs_nothing_and_keeps_its_reason(group_of_four, senco_a, today):
    session = services.sessions_record(
        group=group_of_four,
        sessions=[services.SessionInput(today, False, 30, cancel_reason="HLTA covering a class")],
        today=today,
        actor=senco_a,
    )[0]
    assert (session.cost, session.present_count, session.cancel_reason) == (None, 0, "HLTA covering a class")


def test_scores_are_checked_against_the_measures_scale(group_of_four, senco_a, today):
    place = group_of_four.allocations.first()
    with pytest.raises(ValidationError, match="outside the scale"):
        services.scores_record(
            group=group_of_four,
            scores=[services.ScoreInput(place.pk, Decimal("300"), None)],
            entry_on=today,
            exit_on=None,
            actor=senco_a,
        )
    changed = services.scores_record(
        group=group_of_four,
        scores=[services.ScoreInput(place.pk, Decimal("84"), Decimal("90"))],
        entry_on=today - timedelta(days=91),
        exit_on=today,
        actor=senco_a,
    )
    place.refresh_from_db()
    assert (changed, place.entry_score, place.exit_score) == (1, Decimal("84"), Decimal("90"))


def test_the_meter_lists_a_pupil_whose_planned_year_reaches_the_threshold(school_a, pupil_oak, senco_a, today):
    from provision import costs

    services.staff_rate_set(
        school=school_a,
        staff_type="teacher",
        hourly_rate=Decimal("40"),
        on_cost=Decimal("1.25"),
        valid_from=today - timedelta(days=400),
        actor=senco_a,
    )
    one_to_one = make_provision(
        school_a,
        senco_a,
        name="Daily 1:1 teacher",
        staff_type="teacher",
        group_size=1,
        session_minutes=60,
        sessions_per_week=5,
        weeks=38,
        non_hour_cost=Decimal("0"),
        measure_scale=Scale.RATING,
    )
    services.group_start(
        provision=one_to_one,
        name="1:1",
        lead=None,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=100),
        pupils=[pupil_oak],
        actor=senco_a,
    )
    result = selectors.school_map(school_a, period=selectors.Period.academic_year(today))
    [cost] = selectors.pupil_costs(result.rows)
    assert cost.planned == Decimal("9500.00")
    assert cost.meter == costs.Meter.ABOVE and cost.percent == 100


def test_the_impact_table_gives_hedges_g_against_same_band_pupils(school_a, class_oak, make_pupils, senco_a, today):
    subject = Subject.objects.create(school=school_a, name="Reading")
    SchoolSettings.objects.create(school=school_a, baseline_band_width=Decimal("10"))
    before = AssessmentPoint.objects.create(
        school=school_a, name="Before", academic_year=2025, assessed_on=today - timedelta(days=70)
    )
    after = AssessmentPoint.objects.create(
        school=school_a, name="After", academic_year=2025, assessed_on=today - timedelta(days=1)
    )
    provision = make_provision(school_a, senco_a, subject=subject, measure_scale=Scale.STANDARDISED, group_size=12)
    recipients, others = make_pupils(10, school_a, class_oak), make_pupils(12, school_a, class_oak)
    far = make_pupils(3, school_a, class_oak)  # another baseline band: never a comparison
    group = services.group_start(
        provision=provision,
        name="Group",
        lead=None,
        starts_on=today - timedelta(days=60),
        ends_on=today - timedelta(days=2),
        pupils=recipients,
        actor=senco_a,
    )
    rows = []
    for i, p in enumerate(recipients):  # changes 2, 4, ..., 20 from 82
        rows += [(p, before, 82), (p, after, 82 + 2 * (i + 1))]
    for i, p in enumerate(others[:10]):  # changes -1, 1, ..., 17 from 85
        rows += [(p, before, 85), (p, after, 84 + 2 * i)]
    for p in far:
        rows += [(p, before, 120), (p, after, 60)]
    ProgressScore.objects.bulk_create(
        ProgressScore(pupil=p, subject=subject, point=pt, score=Decimal(s), entered_by=senco_a) for p, pt, s in rows
    )
    services.scores_record(
        group=group,
        scores=[services.ScoreInput(a.pk, Decimal("82"), Decimal("88")) for a in group.allocations.all()],
        entry_on=today - timedelta(days=60),
        exit_on=today,
        actor=senco_a,
    )
    [row] = selectors.impact_table(school_a, period=selectors.Period.academic_year(today))
    assert (row.summary.pupils, row.summary.mean_change, row.summary.percent_improved) == (10, Decimal("6.0"), 100)
    assert (row.effect.g, row.effect.treated, row.effect.comparison) == (0.47, 10, 10)  # the hand calculation


def test_an_effect_size_needs_ten_pupils_and_says_so(group_of_four, four, senco_a, today):
    school = group_of_four.provision.school
    subject = Subject.objects.create(school=school, name="Reading")
    group_of_four.provision.subject = subject
    group_of_four.provision.save()
    [row] = selectors.impact_table(school, period=selectors.Period.academic_year(today))
    assert row.effect.g is None and row.effect.reason == "No pupil has an exit score yet."

    points = [
        AssessmentPoint.objects.create(school=school, name=n, academic_year=2025, assessed_on=today - timedelta(days=d))
        for n, d in (("Before", 40), ("After", 1))
    ]
    ProgressScore.objects.bulk_create(
        ProgressScore(pupil=p, subject=subject, point=pt, score=Decimal(90), entered_by=senco_a)
        for p in four
        for pt in points
    )
    services.scores_record(
        group=group_of_four,
        scores=[services.ScoreInput(a.pk, Decimal("85"), Decimal("90")) for a in group_of_four.allocations.all()],
        entry_on=today - timedelta(days=30),
        exit_on=today,
        actor=senco_a,
    )
    [row] = selectors.impact_table(school, period=selectors.Period.academic_year(today))
    assert row.effect.g is None
    assert row.effect.reason == "4 pupils with entry and exit scores; an effect size needs 10."


def test_places_appear_in_the_pupils_send_history(login, senco_a, oak_group, pupil_oak):
    page = login(senco_a).get(reverse("overview:history", args=[pupil_oak.pk])).content.decode()
    assert "Joined Reading boost" in page and reverse("maps:pupil", args=[pupil_oak.pk]) in page


@pytest.mark.parametrize("by", ["area", "lead", "term"])
def test_the_impact_table_groups_by_need_lead_and_term(by, group_of_four, senco_a, today):
    services.scores_record(
        group=group_of_four,
        scores=[services.ScoreInput(a.pk, Decimal("84"), Decimal("90")) for a in group_of_four.allocations.all()],
        entry_on=today - timedelta(days=30),
        exit_on=today,
        actor=senco_a,
    )
    [row] = selectors.impact_table(group_of_four.provision.school, period=selectors.Period.academic_year(today), by=by)
    assert (row.summary.pupils, row.summary.mean_change, row.effect) == (4, Decimal("6.0"), None)
    assert row.label in ("Cognition and learning", "No lead named") or row.label.endswith(
        f"term {selectors.Period.academic_year(today).label}"
    )


def _support_line(pupil, actor, today):
    from provision.models import Cycle, Support, SupportPlan

    plan = SupportPlan.objects.create(pupil=pupil, started_on=today - timedelta(days=30), created_by=actor)
    cycle = Cycle.objects.create(plan=plan, number=1)
    return Support.objects.create(
        cycle=cycle, description="Reading boost group", delivered_by="HLTA", frequency="3 a week", starts_on=today
    )


def test_a_place_links_to_its_pupils_support_plan_line(login, senco_a, oak_group, pupil_oak, pupil_ash, today):
    place = oak_group.allocations.get()
    own, other = _support_line(pupil_oak, senco_a, today), _support_line(pupil_ash, senco_a, today)
    with pytest.raises(ValidationError, match="own support plan"):
        services.allocation_support_link(allocation=place, support=other, actor=senco_a)
    url = reverse("maps:place-support", args=[oak_group.pk, place.pk])
    assert login(senco_a).post(url, {"support": own.pk}).status_code == 302
    place.refresh_from_db()
    assert place.support == own
    page = login(senco_a).post(url, {"support": other.pk}).content.decode()
    assert "Select a valid choice." in page  # another pupil's lines are not offered
