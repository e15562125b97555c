"""The flag service on stored scores: cohorts per year group and subject, statuses kept, register untouched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from provision import selectors, services
from provision.models import FlagStatus, ProgressFlag
from pupils.identification import Sign
from pupils.models import RegisterEntry
from tests.fixtures.provision import put_scores

pytestmark = pytest.mark.django_db


def test_a_stalled_pupil_is_flagged_with_the_signs_and_the_numbers(provision_oak_cohort, school_a, pupil_oak):
    run = services.flags_compute(school=school_a, today=timezone.localdate())
    flag = ProgressFlag.objects.get()
    assert flag.pupil == pupil_oak
    assert flag.subject.name == "Reading"
    assert flag.point.name == "Summer test"
    # Two pieces of evidence, enough under the default min_signs of 2. Gained 0 after 6 is exactly the default
    # previous-rate margin of 6, so "below own rate" does not fire.
    assert flag.signs == [Sign.SLOWER_THAN_PEERS, Sign.GAP_WIDENING]
    assert flag.figures["gain"] == 0 and flag.figures["peer_median_gain"] == 6
    assert "from Spring test to Summer test" in flag.evidence[0]
    assert run.flags == 1
    assert (run.cohorts, run.pupils_judged) == (1, 7)  # only reading has scores: one cohort of seven


def test_flags_never_put_a_pupil_on_the_register(provision_oak_cohort, school_a):
    services.flags_compute(school=school_a, today=timezone.localdate())
    assert ProgressFlag.objects.exists()
    assert not RegisterEntry.objects.filter(pupil__school=school_a).exclude(start_reason="Bulk test data").exists()


def test_pupils_are_compared_only_with_their_own_year_group(
    provision_oak_cohort, school_a, pupil_ash, provision_points, provision_subjects, senco_a
):
    # A Year 4 pupil who stalls has no Year 4 peers to compare with: only their own rate can fire, so the school
    # flags on any one sign with a previous-rate margin of 3 for this test.
    settings = selectors.settings_for(school_a)
    settings.min_signs, settings.previous_rate_margin = 1, 3
    settings.save()
    put_scores(pupil_ash, provision_subjects["Reading"], provision_points, [94, 100, 100], senco_a)
    services.flags_compute(school=school_a, today=timezone.localdate())
    ash_flag = ProgressFlag.objects.get(pupil=pupil_ash)
    assert ash_flag.signs == [Sign.BELOW_OWN_RATE]


def test_a_dismissed_flag_keeps_its_status_when_recomputed(provision_flag, school_a, teacher_a):
    services.flag_dismiss(flag=provision_flag, reason="Absent for the spring test week.", actor=teacher_a)
    services.flags_compute(school=school_a, today=timezone.localdate())
    flag = ProgressFlag.objects.get(pk=provision_flag.pk)
    assert flag.status == FlagStatus.DISMISSED
    assert flag.dismissed_reason == "Absent for the spring test week."


def test_an_open_flag_that_no_longer_fires_is_removed(
    provision_flag, school_a, pupil_oak, provision_points, provision_subjects
):
    score = pupil_oak.progress_scores.get(point=provision_points[-1], subject=provision_subjects["Reading"])
    score.score = 106
    score.save()
    services.flags_compute(school=school_a, today=timezone.localdate())
    assert not ProgressFlag.objects.filter(pupil=pupil_oak).exists()


def test_a_pupil_new_to_the_school_with_one_score_is_not_flagged(
    provision_oak_cohort, school_a, class_oak, make_pupils, provision_points, provision_subjects, senco_a
):
    newcomer = make_pupils(1, school_a, class_oak)[0]
    put_scores(newcomer, provision_subjects["Reading"], provision_points, [None, None, 80], senco_a)
    services.flags_compute(school=school_a, today=timezone.localdate())
    assert not ProgressFlag.objects.filter(pupil=newcomer).exists()


def test_a_pupil_who_has_left_is_not_judged(provision_oak_cohort, school_a, pupil_oak):
    pupil_oak.left_on = timezone.localdate() - timedelta(days=1)
    pupil_oak.save()
    services.flags_compute(school=school_a, today=timezone.localdate())
    assert not ProgressFlag.objects.exists()


def test_the_schools_thresholds_are_used(provision_oak_cohort, school_a, pupil_oak):
    settings = selectors.settings_for(school_a)
    settings.slower_than_peers_margin = 10
    settings.previous_rate_margin = 10
    settings.gap_margin = 10
    settings.save()
    services.flags_compute(school=school_a, today=timezone.localdate())
    assert not ProgressFlag.objects.exists()


def test_the_schools_min_signs_is_used(provision_oak_cohort, school_a, pupil_oak):
    # pupil_oak shows two pieces of evidence (slower than peers; the gap widening): flagged at 2, not at 3.
    settings = selectors.settings_for(school_a)
    assert (settings.min_signs, settings.thresholds().min_signs) == (2, 2)
    services.flags_compute(school=school_a, today=timezone.localdate())
    assert ProgressFlag.objects.filter(pupil=pupil_oak).exists()
    settings.min_signs = 3
    settings.save()
    services.flags_compute(school=school_a, today=timezone.localdate())
    assert not ProgressFlag.objects.exists()


def test_another_schools_scores_do_not_enter_the_cohort(provision_oak_cohort, school_a, school_b):
    services.flags_compute(school=school_b, today=timezone.localdate())
    assert not ProgressFlag.objects.exists()


def test_raising_a_concern_from_a_flag_joins_the_senco_queue(provision_flag, teacher_a):
    concern = services.flag_raise_concern(
        flag=provision_flag, description="Reading has stalled since spring; " * 2, actor=teacher_a
    )
    provision_flag.refresh_from_db()
    assert provision_flag.status == FlagStatus.CONCERN_RAISED
    assert provision_flag.concern == concern
    assert concern.status == "open"


def test_starting_a_plan_from_a_flag_marks_it(provision_flag, pupil_oak, teacher_a):
    plan = services.support_plan_start(
        pupil=pupil_oak, started_on=timezone.localdate(), flag=provision_flag, actor=teacher_a
    )
    provision_flag.refresh_from_db()
    assert provision_flag.status == FlagStatus.PLAN_STARTED
    assert plan.cycles.get().number == 1
    assert not RegisterEntry.objects.filter(pupil=pupil_oak).exists()


def test_a_flag_acted_on_takes_the_new_evidence_when_scores_change(
    provision_flag, school_a, teacher_a, pupil_oak, provision_points, provision_subjects
):
    services.flag_dismiss(flag=provision_flag, reason="Absent for the summer test week.", actor=teacher_a)
    score = pupil_oak.progress_scores.get(point=provision_points[-1], subject=provision_subjects["Reading"])
    score.score = 98
    score.save()
    services.flags_compute(school=school_a, today=timezone.localdate())
    flag = ProgressFlag.objects.get(pk=provision_flag.pk)
    assert flag.status == FlagStatus.DISMISSED
    assert flag.figures["gain"] == -2
    assert "Fell 2 points" in flag.evidence[0]


def test_a_repeat_computation_over_unchanged_scores_writes_nothing(provision_flag, school_a, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        services.flags_compute(school=school_a, today=timezone.localdate())
    writes = [q["sql"] for q in captured if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
