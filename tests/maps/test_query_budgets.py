"""Query budgets: the whole-school map, the class view and the impact table run the same number of queries
whatever the number of pupils, groups and sessions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provision import services
from provision.models import Scale, Subject
from tests.fixtures.maps import make_provision

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow(school, school_class, make_pupils, senco, today, *, groups: int, sessions: int, tag: str) -> None:
    """`groups` groups of four of the class's pupils, each with `sessions` delivered sessions and scores."""
    subject = Subject.objects.get_or_create(school=school, name="Reading")[0]
    provision = make_provision(
        school, senco, name=f"Provision {tag}", subject=subject, measure_scale=Scale.STANDARDISED
    )
    for g in range(groups):
        group = services.group_start(
            provision=provision,
            name=f"Group {tag}{g}",
            lead=None,
            starts_on=today - timedelta(days=40),
            ends_on=today + timedelta(days=10),
            pupils=make_pupils(4, school, school_class),
            actor=senco,
        )
        services.sessions_record(
            group=group,
            sessions=[services.SessionInput(today - timedelta(days=1 + n), True, 30) for n in range(sessions)],
            today=today,
            actor=senco,
        )
        services.scores_record(
            group=group,
            scores=[services.ScoreInput(a.pk, Decimal("85"), Decimal("91")) for a in group.allocations.all()],
            entry_on=today - timedelta(days=40),
            exit_on=today,
            actor=senco,
        )


@pytest.mark.parametrize(
    "who, url_name, budget",
    [
        # session, user, memberships, school; places, shares, group sessions, places per group, register, rates;
        # the navigation's lookups: none per pupil or session.
        ("senco_a", "maps:map", 14),
        # places of the user's classes (with classes), groups led, this week's sessions.
        ("teacher_a", "maps:class", 12),
        # places, staff shares per provision, assessment points, settings, comparison scores.
        ("senco_a", "maps:impact", 14),
    ],
)
def test_map_pages_run_a_fixed_number_of_queries(
    who, url_name, budget, request, login, school_a, class_oak, make_pupils, senco_a, hlta_rate, today
):
    client = login(request.getfixturevalue(who))
    url = reverse(url_name)
    _grow(school_a, class_oak, make_pupils, senco_a, today, groups=1, sessions=2, tag="a")
    few = _queries(client, url)
    _grow(school_a, class_oak, make_pupils, senco_a, today, groups=4, sessions=5, tag="b")
    many = _queries(client, url)
    assert few == many
    assert many <= budget
