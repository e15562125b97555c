"""Fixtures for the provision map, on top of the shared cast in tests/conftest.py: a rate, a reading provision
and a group of pupil_oak's with a delivered session."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from provision import services
from provision.models import Provision, Scale, StaffType


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def hlta_rate(school_a, head_a, today):
    """HLTA at 14.50 an hour with 30% on-costs (18.85 loaded), from a year ago."""
    return services.staff_rate_set(
        school=school_a,
        staff_type=StaffType.HLTA,
        hourly_rate=Decimal("14.50"),
        on_cost=Decimal("1.30"),
        valid_from=today - timedelta(days=365),
        actor=head_a,
    )


def make_provision(school, actor, **overrides) -> Provision:
    fields = {
        "name": "Reading boost",
        "broad_area": "cl",
        "wave": 2,
        "intended_outcome": "Reading age up by six months in a term.",
        "measure_name": "Salford reading test",
        "measure_scale": Scale.READING_AGE,
        "staff_type": StaffType.HLTA,
        "cost_category": "ta",
        "group_size": 4,
        "session_minutes": 30,
        "sessions_per_week": 3,
        "weeks": 12,
        "non_hour_cost": Decimal("120.00"),
    } | overrides
    return services.provision_save(provision=Provision(school=school, **fields), actor=actor)


@pytest.fixture
def reading(school_a, senco_a) -> Provision:
    return make_provision(school_a, senco_a)


@pytest.fixture
def oak_group(reading, pupil_oak, teacher_b, senco_a, today):
    """Reading boost led by teacher_b (who does not teach pupil_oak), with pupil_oak in it since 60 days ago."""
    return services.group_start(
        provision=reading,
        name="Reading boost, Tuesdays",
        lead=None,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=30),
        weekday=1,
        pupils=[pupil_oak],
        actor=senco_a,
    )


@pytest.fixture
def oak_session(oak_group, hlta_rate, senco_a, today):
    return services.sessions_record(
        group=oak_group,
        sessions=[services.SessionInput(held_on=today - timedelta(days=7), delivered=True, minutes=30)],
        today=today,
        actor=senco_a,
    )[0]
