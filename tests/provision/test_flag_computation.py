"""Flags computed by a task when scores are saved, the page saying "updating" meanwhile, and repeats judging only
the cohorts whose scores changed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from provision import selectors, services
from provision.models import FlagComputation, ProgressFlag
from tests.fixtures.provision import put_scores

pytestmark = pytest.mark.django_db

UPDATING = "Updating: the flags are being worked out again"


def test_saved_scores_queue_the_task_and_the_page_says_updating_until_it_has_run(
    login,
    senco_a,
    school_a,
    provision_oak_cohort,
    pupil_oak,
    provision_points,
    provision_subjects,
    django_capture_on_commit_callbacks,
):
    client = login(senco_a)
    url = reverse("provision:flag-list")
    assert UPDATING not in client.get(url).content.decode()
    reading = provision_subjects["Reading"]
    # With a broker, saving a grid queues the computation once the scores are committed (Celery runs eagerly
    # in tests, so executing the on-commit callback runs the task itself).
    with (
        override_settings(CELERY_TASK_ALWAYS_EAGER=False),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        services.scores_save(
            point=provision_points[-1],
            values={(pupil_oak.pk, reading.pk): Decimal(90)},
            today=timezone.localdate(),
            actor=senco_a,
        )
    assert len(callbacks) == 1
    assert FlagComputation.objects.get(school=school_a).pending
    assert not ProgressFlag.objects.exists()  # nothing computed yet
    page = client.get(url).content.decode()
    assert UPDATING in page
    callbacks[0]()  # the task runs
    assert not FlagComputation.objects.get(school=school_a).pending
    assert ProgressFlag.objects.filter(pupil=pupil_oak, subject=reading).exists()
    assert UPDATING not in client.get(url).content.decode()


def test_the_task_computes_the_school_flags(school_a, provision_oak_cohort, pupil_oak):
    from provision.tasks import flags_compute_task

    assert flags_compute_task.delay(str(school_a.pk), timezone.localdate().isoformat()).get() == 1
    assert ProgressFlag.objects.get().pupil == pupil_oak


def test_without_a_broker_the_flags_are_computed_as_the_scores_are_saved(
    school_a, senco_a, provision_oak_cohort, pupil_oak, provision_points, provision_subjects
):
    services.scores_save(
        point=provision_points[-1],
        values={(pupil_oak.pk, provision_subjects["Reading"].pk): Decimal(90)},
        today=timezone.localdate(),
        actor=senco_a,
    )
    assert ProgressFlag.objects.filter(pupil=pupil_oak).exists()
    assert not FlagComputation.objects.get(school=school_a).pending


def test_a_repeat_judges_only_the_cohorts_whose_scores_changed(
    school_a, senco_a, provision_oak_cohort, pupil_ash, provision_points, provision_subjects
):
    today = timezone.localdate()
    first = services.flags_compute(school=school_a, today=today)
    assert (first.cohorts, first.cohorts_unchanged, first.flags) == (1, 0, 1)  # reading in Year 3
    repeat = services.flags_compute(school=school_a, today=today)
    assert (repeat.cohorts, repeat.pupils_judged, repeat.cohorts_unchanged, repeat.flags) == (0, 0, 1, 1)
    # A Year 4 pupil's reading scores: a new cohort is judged, Year 3's is not.
    put_scores(pupil_ash, provision_subjects["Reading"], provision_points, [94, 100, 100], senco_a)
    after = services.flags_compute(school=school_a, today=today)
    assert (after.cohorts, after.pupils_judged, after.cohorts_unchanged) == (1, 1, 1)


def test_a_change_of_threshold_judges_every_cohort_again(school_a, provision_oak_cohort, pupil_oak):
    today = timezone.localdate()
    services.flags_compute(school=school_a, today=today)
    settings = selectors.settings_for(school_a)
    settings.min_signs = 3
    settings.save()
    run = services.flags_compute(school=school_a, today=today)
    assert (run.cohorts, run.flags) == (1, 0)  # two pieces of evidence are no longer enough
    assert not ProgressFlag.objects.exists()


def test_a_changed_score_judges_its_cohort_again(
    school_a, provision_oak_cohort, pupil_oak, provision_points, provision_subjects
):
    today = timezone.localdate()
    services.flags_compute(school=school_a, today=today)
    score = pupil_oak.progress_scores.get(point=provision_points[-1], subject=provision_subjects["Reading"])
    score.score = Decimal(112)  # caught up with the classmates: no flag
    score.save()
    run = services.flags_compute(school=school_a, today=today)
    assert run.cohorts == 1
    assert not ProgressFlag.objects.exists()
