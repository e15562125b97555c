"""The map's totals and the impact table are summed in the database; these check them against the pure cost and
impact functions applied row by row to the same fixture (three provisions, absences, a cancelled session,
scores with tenths, and termly scores for an effect size)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from provision import costs, impact, services
from provision import selectors_maps as selectors
from provision.models import (
    Allocation,
    AssessmentPoint,
    Attendance,
    ProgressScore,
    Scale,
    SchoolSettings,
    Session,
    SessionStatus,
    Subject,
)
from tests.fixtures.maps import make_provision

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(school_a, class_oak, make_pupils, senco_a, hlta_rate, today):
    subject = Subject.objects.create(school=school_a, name="Reading")
    SchoolSettings.objects.create(school=school_a, baseline_band_width=Decimal("10"))
    before = AssessmentPoint.objects.create(
        school=school_a, name="Before", academic_year=2025, assessed_on=today - timedelta(days=70)
    )
    after = AssessmentPoint.objects.create(
        school=school_a, name="After", academic_year=2025, assessed_on=today - timedelta(days=1)
    )
    pupils = make_pupils(30, school_a, class_oak)
    linked = make_provision(
        school_a, senco_a, name="Linked", subject=subject, measure_scale=Scale.STANDARDISED, group_size=12
    )
    ages = make_provision(school_a, senco_a, name="Ages", measure_scale=Scale.READING_AGE, non_hour_cost=Decimal("7"))
    rating = make_provision(
        school_a, senco_a, name="Rating", measure_scale=Scale.RATING, group_size=3, non_hour_cost=Decimal("0")
    )
    plan = [(linked, pupils[:12]), (ages, pupils[10:14]), (ages, pupils[14:17]), (rating, pupils[20:23])]
    for n, (provision, members) in enumerate(plan):
        group = services.group_start(
            provision=provision,
            name=f"Group {n}",
            lead=None,
            starts_on=today - timedelta(days=60),
            ends_on=today + timedelta(days=10),
            pupils=members,
            actor=senco_a,
        )
        services.sessions_record(
            group=group,
            sessions=[
                services.SessionInput(today - timedelta(days=9), True, 30),
                services.SessionInput(today - timedelta(days=8), True, 45, absent=frozenset({members[0].pk})),
                services.SessionInput(today - timedelta(days=7), False, 30, cancel_reason="Lead off sick"),
                services.SessionInput(today - timedelta(days=6), True, 20, absent=frozenset({m.pk for m in members})),
            ],
            today=today,
            actor=senco_a,
        )
        base = Decimal(0) if provision == rating else Decimal(78)  # a rating runs from 0 to 10
        services.scores_record(
            group=group,
            scores=[
                services.ScoreInput(a.pk, base + Decimal("2.5") + i, base + Decimal("1.9") + Decimal("1.7") * i)
                for i, a in enumerate(group.allocations.order_by("pupil__legal_surname"))
            ],
            entry_on=today - timedelta(days=60 - n),
            exit_on=today,
            actor=senco_a,
        )
    scores = []
    for i, p in enumerate(pupils):
        start = Decimal("78.5") + (i % 7) * 3
        scores += [(p, before, start), (p, after, start + Decimal(i % 5) - Decimal("1.3"))]
    ProgressScore.objects.bulk_create(
        ProgressScore(pupil=p, subject=subject, point=pt, score=s, entered_by=senco_a) for p, pt, s in scores
    )
    return {"subject": subject, "points": (before, after), "width": Decimal("10")}


def test_the_maps_database_totals_equal_the_pure_functions_row_by_row(world, school_a, today):
    period = selectors.Period.academic_year(today)
    full = selectors.school_map(school_a, period=period)
    delivered = list(Session.objects.filter(status=SessionStatus.DELIVERED))
    groups = {r.group.pk: r.provision for r in full.rows}
    expected = costs.to_pennies(
        sum((s.cost for s in delivered), Decimal(0)) + sum((p.non_hour_cost for p in groups.values()), Decimal(0))
    )
    assert full.totals.delivered_cost == expected
    assert full.totals.hours_delivered == Decimal(sum(s.minutes for s in delivered) / 60).quantize(Decimal("0.1"))
    assert full.totals.planned_cost == sum((r.planned_cost for r in full.rows), Decimal(0))
    assert (full.totals.places, full.totals.pupils) == (len(full.rows), len({r.pupil.pk for r in full.rows}))
    for row in full.rows:
        attended = [
            (a.session.cost, a.session.present_count)
            for a in Attendance.objects.filter(
                pupil=row.pupil, session__group=row.group, is_present=True, session__status=SessionStatus.DELIVERED
            ).select_related("session")
        ]
        allocated = Allocation.objects.filter(group=row.group).count()
        share = costs.non_hour_share(row.provision.non_hour_cost, allocated)
        assert row.delivered_cost == costs.pupil_delivered_cost(attended, non_hour_share=share)
        assert row.sessions_attended == len(attended)

    paged = selectors.school_map(school_a, period=period, page=2, page_size=5)
    assert [r.allocation.pk for r in paged.rows] == [r.allocation.pk for r in full.rows[5:10]]
    assert [r.delivered_cost for r in paged.rows] == [r.delivered_cost for r in full.rows[5:10]]
    assert paged.totals == full.totals and paged.page.paginator.count == len(full.rows)


def test_the_impact_tables_database_sums_equal_the_pure_functions(world, school_a, today):
    period = selectors.Period.academic_year(today)
    rows = {r.label: r for r in selectors.impact_table(school_a, period=period)}
    before, after = world["points"]
    at = {pt: dict(ProgressScore.objects.filter(point=pt).values_list("pupil_id", "score")) for pt in (before, after)}
    for name in ("Linked", "Ages", "Rating"):
        places = list(Allocation.objects.filter(group__provision__name=name))
        changes = [impact.change(p.entry_score, p.exit_score) for p in places]
        assert rows[name].summary == impact.summarise(changes)
        assert rows[name].pupils_allocated == len({p.pupil_id for p in places})
    ratios = [
        impact.ratio_gain(
            entry_months=p.entry_score,
            exit_months=p.exit_score,
            months_elapsed=impact.months_between(p.entry_on, p.exit_on),
        )
        for p in Allocation.objects.filter(group__provision__name="Ages")
    ]
    assert rows["Ages"].ratio_gain == (sum(ratios, Decimal(0)) / len(ratios)).quantize(Decimal("0.01"))

    recipients = set(Allocation.objects.filter(group__provision__name="Linked").values_list("pupil_id", flat=True))
    both = at[before].keys() & at[after].keys()
    treated = [at[after][p] - at[before][p] for p in recipients & both]
    candidates = [(at[before][p], at[after][p] - at[before][p]) for p in both - recipients]
    expected = impact.hedges_g(
        treated,
        impact.same_band_changes([at[before][p] for p in recipients & both], candidates, width=world["width"]),
    )
    assert expected.g is not None  # the fixture gives enough pupils on each side for an effect size
    assert rows["Linked"].effect == expected
    assert rows["Ages"].effect is None  # no progress subject linked


@pytest.mark.parametrize("by", ["area", "lead", "term"])
def test_the_other_groupings_sum_every_place(by, world, school_a, today):
    rows = selectors.impact_table(school_a, period=selectors.Period.academic_year(today), by=by)
    changes = [impact.change(p.entry_score, p.exit_score) for p in Allocation.objects.all()]
    if by == "area":
        assert sum(r.pupils_allocated for r in rows) == len({p.pupil_id for p in Allocation.objects.all()})
    else:
        [row] = rows
        assert row.summary == impact.summarise(changes)
