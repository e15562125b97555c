"""EHC section F as structured lines against the provision delivered this term: the pure rule with worked
figures, the comparison on the database, the access rows per URL and role, and the form's bad input."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ehc import services as ehc_services
from overview import section_f, selectors
from overview.services import section_f_line_add
from provision import services
from pupils.models import Term
from tests.fixtures.maps import make_provision


@pytest.mark.parametrize(
    "terms, starts_on, up_to, weeks",
    [
        ([(date(2026, 9, 2), date(2026, 10, 23))], date(2026, 9, 2), date(2026, 9, 15), Decimal("2.0")),  # 10 days
        ([(date(2026, 9, 2), date(2026, 10, 23))], date(2026, 9, 2), date(2026, 9, 6), Decimal("0.6")),  # Wed-Fri
        # Half term (26 to 30 October) is not owed: 2 days before, 5 after.
        (
            [(date(2026, 9, 2), date(2026, 10, 23)), (date(2026, 11, 2), date(2026, 12, 18))],
            date(2026, 10, 22),
            date(2026, 11, 6),
            Decimal("1.4"),
        ),
    ],
)
def test_school_weeks_count_weekdays_in_term(terms, starts_on, up_to, weeks):
    assert section_f.school_weeks(terms, starts_on, up_to) == weeks


@pytest.mark.parametrize(
    "per_week, weeks, delivered, expected",
    [
        (60, Decimal("10"), 300, section_f.Delivery(600, 300, 50, True)),  # half of what was owed
        (150, Decimal("10"), 1350, section_f.Delivery(1500, 1350, 90, False)),  # exactly 90% is not short
        (150, Decimal("10"), 1349, section_f.Delivery(1500, 1349, 90, True)),  # just under
        (30, Decimal("0"), 0, section_f.Delivery(0, 0, None, False)),  # nothing owed yet
    ],
)
def test_delivery_against_what_was_specified(per_week, weeks, delivered, expected):
    assert section_f.compare(minutes_per_week=per_week, weeks=weeks, delivered_minutes=delivered) == expected


# --- On the database ----------------------------------------------------------------------------------


@pytest.fixture
def plan(pupil_oak, senco_a, class_oak):
    return ehc_services.plan_issue(
        pupil=pupil_oak,
        la_name="Nottingham City",
        issued_on=date(2025, 6, 2),
        names_school=True,
        named_school="",
        sections={"section_f": "Speech and language therapy, an hour a week."},
        today=timezone.localdate(),
        actor=senco_a,
    )


@pytest.fixture
def salt_line(plan, school_a, senco_a, head_a, pupil_oak):
    today = timezone.localdate()
    Term.objects.create(
        school=school_a, name="This term", starts_on=today - timedelta(days=27), ends_on=today + timedelta(days=30)
    )
    services.staff_rate_set(
        school=school_a,
        staff_type="external",
        hourly_rate=Decimal("65"),
        on_cost=Decimal("1"),
        valid_from=today - timedelta(days=400),
        actor=head_a,
    )
    salt = make_provision(
        school_a,
        senco_a,
        name="Speech and language therapy",
        staff_type="external",
        group_size=1,
        session_minutes=30,
        sessions_per_week=1,
    )
    group = services.group_start(
        provision=salt,
        name="SALT",
        lead=None,
        starts_on=today - timedelta(days=27),
        ends_on=today + timedelta(days=30),
        pupils=[pupil_oak],
        actor=senco_a,
    )
    weekly = [today - timedelta(days=n) for n in range(27, -1, -7) if (today - timedelta(days=n)).weekday() < 5]
    services.sessions_record(
        group=group, sessions=[services.SessionInput(d, True, 30) for d in weekly], today=today, actor=senco_a
    )
    return section_f_line_add(
        plan=plan,
        description="Speech and language therapy",
        minutes_per_week=60,
        delivered_by="Speech and language therapist",
        provisions=[salt],
        actor=senco_a,
    ), len(weekly)


@pytest.mark.django_db
def test_half_the_specified_therapy_is_flagged_as_a_shortfall(salt_line, plan):
    line, sessions = salt_line
    _, [row] = selectors.specified_vs_delivered(plan, today=timezone.localdate())
    assert row.line == line
    assert row.delivery.delivered_minutes == 30 * sessions
    assert row.delivery.is_short


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"description": "", "minutes_per_week": "60", "delivered_by": "SLT"}, "This field is required."),
        ({"description": "Therapy", "minutes_per_week": "0", "delivered_by": "SLT"}, "greater than or equal to 1"),
        ({"description": "Therapy", "minutes_per_week": "an hour", "delivered_by": "SLT"}, "Enter a whole number."),
    ],
)
def test_a_bad_line_is_refused_and_kept(data, message, plan, senco_a, login):
    response = login(senco_a).post(reverse("overview:section-f-add", args=[plan.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'value="SLT"' in page
    assert not plan.section_f_lines.exists()


@pytest.mark.django_db
def test_the_senco_adds_a_line_and_sees_it(plan, senco_a, login):
    client = login(senco_a)
    response = client.post(
        reverse("overview:section-f-add", args=[plan.pk]),
        {"description": "Therapy", "minutes_per_week": "60", "delivered_by": "SLT"},
    )
    assert response.status_code == 302
    assert "Therapy" in client.get(reverse("overview:section-f", args=[plan.pk])).content.decode()


@pytest.mark.django_db
def test_a_withdrawn_session_is_not_counted_as_delivered(salt_line, plan, senco_a):
    from provision.models import Group

    group = Group.objects.get(name="SALT")
    day = timezone.localdate() - timedelta(days=1)
    while day.weekday() > 4:  # the latest weekday before today
        day -= timedelta(days=1)
    [extra] = services.sessions_record(
        group=group, sessions=[services.SessionInput(day, True, 45)], today=timezone.localdate(), actor=senco_a
    )
    _, [counted] = selectors.specified_vs_delivered(plan, today=timezone.localdate())
    services.session_withdraw(session=extra, reason="Recorded for the wrong pupil", now=timezone.now(), actor=senco_a)
    _, [row] = selectors.specified_vs_delivered(plan, today=timezone.localdate())
    assert row.delivery.delivered_minutes == counted.delivery.delivered_minutes - 45


@pytest.mark.django_db
def test_the_composed_review_report_adds_section_f_and_the_ehc_areas_own_does_not(salt_line, plan, login, senco_a):
    review = ehc_services.review_schedule(
        plan=plan, meeting_on=timezone.localdate() + timedelta(days=20), actor=senco_a
    )
    client = login(senco_a)
    composed = client.get(reverse("overview:review-report", args=[review.pk])).content.decode()
    assert "section F) specified and delivered" in composed and "Shortfall" in composed
    assert reverse("overview:review-report-pdf", args=[review.pk]) in composed
    own = client.get(reverse("ehc:review-report", args=[review.pk])).content.decode()
    assert "EHC plan annual review report" in own and "specified and delivered" not in own
