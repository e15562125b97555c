"""Fixtures for the graduated approach, on top of the shared cast in tests/conftest.py."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from provision import selectors, services
from provision.models import AssessmentPoint, ProgressScore, Season, Subject


@pytest.fixture
def provision_points(school_a) -> list[AssessmentPoint]:
    """Three assessment points of school A, a term apart, before today."""
    today = timezone.localdate()
    return [
        AssessmentPoint.objects.create(
            school=school_a, name=name, season=season, academic_year=2025, assessed_on=today - timedelta(days=days)
        )
        for name, season, days in (
            ("Autumn test", Season.AUTUMN, 240),
            ("Spring test", Season.SPRING, 120),
            ("Summer test", Season.SUMMER, 10),
        )
    ]


@pytest.fixture
def provision_subjects(school_a) -> dict[str, Subject]:
    for ordering, name in enumerate(services.DEFAULT_SUBJECTS):
        Subject.objects.create(school=school_a, name=name, ordering=ordering)
    return {s.name: s for s in selectors.subjects_for(school_a)}


def put_scores(pupil, subject, points, values, user) -> None:
    for point, value in zip(points, values, strict=False):
        if value is not None:
            ProgressScore.objects.create(
                pupil=pupil, subject=subject, point=point, score=Decimal(value), entered_by=user
            )


@pytest.fixture
def provision_oak_cohort(pupil_oak, class_oak, make_pupils, provision_points, provision_subjects, senco_a):
    """3 Oak: six classmates who gain 6 points a term in reading, and pupil_oak who starts level with them and
    stalls: slower than peers, below own rate, and a gap opening."""
    classmates = make_pupils(6, class_oak.school, class_oak)
    reading = provision_subjects["Reading"]
    for pupil in classmates:
        put_scores(pupil, reading, provision_points, [94, 100, 106], senco_a)
    put_scores(pupil_oak, reading, provision_points, [94, 100, 100], senco_a)
    return classmates


@pytest.fixture
def provision_flag(provision_oak_cohort, school_a, pupil_oak):
    services.flags_compute(school=school_a, today=timezone.localdate())
    return pupil_oak.progress_flags.get()


@pytest.fixture
def provision_plan(pupil_oak, teacher_a):
    """pupil_oak's support plan, with cycle 1 assessed and planned (review in 6 weeks)."""
    plan = services.support_plan_start(
        pupil=pupil_oak, started_on=timezone.localdate() - timedelta(days=7), actor=teacher_a
    )
    cycle = plan.cycles.get()
    services.cycle_assess(cycle=cycle, data={"needs_cognition": "Slow to decode unfamiliar words."}, actor=teacher_a)
    services.cycle_plan(
        cycle=cycle,
        adjustments="Word mat on the desk.",
        expected_impact="Reads Year 2 books fluently.",
        review_on=timezone.localdate() + timedelta(days=42),
        outcomes=[services.OutcomeInput("Reads 40 words a minute", "Timed read of a Year 2 book")],
        supports=[services.SupportInput("Phonics catch-up", "Teaching assistant", "3 times a week", date(2026, 1, 5))],
        actor=teacher_a,
    )
    return plan


@pytest.fixture
def provision_passport(pupil_oak, teacher_a):
    return services.passport_write(
        pupil=pupil_oak,
        important_to_me="My dog Biscuit and my nan.",
        like_and_admire="I am kind and funny.",
        how_to_support="Give me time to answer. Show me a picture.",
        in_own_words=True,
        actor=teacher_a,
    )
