"""Query budgets: the teacher's class grid and the SENCO's flag list run the same number of queries whatever
the number of pupils."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from provision import selectors, services
from provision.models import ProgressScore

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _scored_class(make_pupils, school_class, points, subjects, user, n):
    pupils = make_pupils(n, school_class.school, school_class)
    ProgressScore.objects.bulk_create(
        ProgressScore(pupil=p, subject=s, point=pt, score=Decimal(90 + (i * 7 + j * 3 + k * 5) % 30), entered_by=user)
        for i, p in enumerate(pupils)
        for j, s in enumerate(subjects)
        for k, pt in enumerate(points)
    )
    return pupils


@pytest.mark.parametrize("small, large", [(3, 30)])
def test_the_class_grid_runs_a_fixed_number_of_queries(
    login, teacher_a, class_oak, make_pupils, provision_points, provision_subjects, small, large
):
    # session, user, memberships, school, class, class-is-teachable, point, pupils, subjects (exists + list),
    # settings, scores, open flags, plus the navigation's lookups: none per pupil.
    subjects = list(provision_subjects.values())
    client = login(teacher_a)
    url = reverse("provision:score-grid", args=[class_oak.pk, provision_points[-1].pk])
    _scored_class(make_pupils, class_oak, provision_points, subjects, teacher_a, small)
    services.flags_compute(school=class_oak.school, today=timezone.localdate())
    few = _queries(client, url)
    _scored_class(make_pupils, class_oak, provision_points, subjects, teacher_a, large - small)
    services.flags_compute(school=class_oak.school, today=timezone.localdate())
    many = _queries(client, url)
    assert few == many
    assert many <= 20


def _flag_on_one_sign(school) -> None:
    """The stalled pupils below show one sign (6 points below their own previous rate); these tests are about
    the lists' queries, not identification, so the school flags on any one sign with a margin of 3."""
    settings = selectors.settings_for(school)
    settings.min_signs, settings.previous_rate_margin = 1, 3
    settings.save()


def test_the_senco_flag_list_runs_a_fixed_number_of_queries(
    login, senco_a, class_oak, make_pupils, provision_points, provision_subjects
):
    # session, user, memberships, school, flag filter choices (subjects, points, classes), count, one page of
    # flags with pupil, class, subject and point joined, plus the navigation: none per flag.
    from provision.models import ProgressFlag

    subjects = list(provision_subjects.values())
    client = login(senco_a)
    url = reverse("provision:flag-list")
    _flag_on_one_sign(class_oak.school)
    pupils = make_pupils(5, class_oak.school, class_oak)
    for p in pupils:
        ProgressScore.objects.bulk_create(
            [
                ProgressScore(pupil=p, subject=s, point=pt, score=v, entered_by=senco_a)
                for s in subjects
                for pt, v in zip(provision_points, (100, 106, 112), strict=False)
            ]
        )
    stalled = make_pupils(3, class_oak.school, class_oak)
    for p in stalled:
        ProgressScore.objects.bulk_create(
            [
                ProgressScore(pupil=p, subject=s, point=pt, score=v, entered_by=senco_a)
                for s in subjects
                for pt, v in zip(provision_points, (100, 106, 106), strict=False)
            ]
        )
    services.flags_compute(school=class_oak.school, today=timezone.localdate())
    assert ProgressFlag.objects.count() == 9
    few = _queries(client, url)
    more_stalled = make_pupils(30, class_oak.school, class_oak)
    for p in more_stalled:
        ProgressScore.objects.bulk_create(
            [
                ProgressScore(pupil=p, subject=s, point=pt, score=v, entered_by=senco_a)
                for s in subjects
                for pt, v in zip(provision_points, (100, 106, 106), strict=False)
            ]
        )
    services.flags_compute(school=class_oak.school, today=timezone.localdate())
    assert ProgressFlag.objects.count() > 50  # more than one page
    many = _queries(client, url)
    assert few == many
    assert many <= 20


def test_the_teacher_flag_list_runs_a_fixed_number_of_queries(
    login, teacher_a, class_oak, make_pupils, provision_points, provision_subjects
):
    subjects = list(provision_subjects.values())
    client = login(teacher_a)
    url = reverse("provision:flag-list")
    counts = []
    _flag_on_one_sign(class_oak.school)
    for n in (4, 40):
        steady = make_pupils(5, class_oak.school, class_oak)
        stalled = make_pupils(n, class_oak.school, class_oak)
        ProgressScore.objects.bulk_create(
            [
                ProgressScore(pupil=p, subject=s, point=pt, score=v, entered_by=teacher_a)
                for group, values in ((steady, (100, 106, 112)), (stalled, (100, 106, 106)))
                for p in group
                for s in subjects
                for pt, v in zip(provision_points, values, strict=False)
            ]
        )
        services.flags_compute(school=class_oak.school, today=timezone.localdate())
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]
