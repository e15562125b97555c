"""The flag lists: a teacher's class, the SENCO's school, filters, pagination and the actions."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from provision import selectors, services
from provision.models import FlagStatus, ProgressFlag, ProgressScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_flags(class_oak, class_ash, make_pupils, provision_points, provision_subjects, senco_a):
    subjects = list(provision_subjects.values())
    for klass in (class_oak, class_ash):
        steady = make_pupils(4, klass.school, klass)
        stalled = make_pupils(12, klass.school, klass)
        ProgressScore.objects.bulk_create(
            [
                ProgressScore(pupil=p, subject=s, point=pt, score=v, entered_by=senco_a)
                for group, values in ((steady, (100, 106, 112)), (stalled, (100, 106, 106)))
                for p in group
                for s in subjects
                for pt, v in zip(provision_points, values, strict=False)
            ]
        )
    # These tests are about the lists, not identification: each stalled pupil shows one sign (6 points below
    # their own previous rate), so the school flags on any one sign with a previous-rate margin of 3.
    settings = selectors.settings_for(class_oak.school)
    settings.min_signs, settings.previous_rate_margin = 1, 3
    settings.save()
    services.flags_compute(school=class_oak.school, today=timezone.localdate())
    return ProgressFlag.objects.all()


def test_the_senco_sees_the_whole_school_paginated_and_the_page_keeps_the_filters(
    login, senco_a, many_flags, provision_subjects
):
    client = login(senco_a)
    first = client.get(reverse("provision:flag-list"))
    assert first.context["flag_count"] == 72  # 24 stalled pupils x 3 subjects
    assert first.context["page"].paginator.count == 24  # paged by pupil, 20 to a page
    assert [len(row.flags) for row in first.context["rows"]] == [3] * 20
    assert b"72 flags for 24 pupils; page 1 of 2." in first.content
    reading = provision_subjects["Reading"]
    filtered = client.get(reverse("provision:flag-list"), {"subject": reading.pk, "status": "open", "page": 1})
    assert filtered.context["flag_count"] == 24
    assert {flag.subject for row in filtered.context["rows"] for flag in row.flags} == {reading}
    assert f"subject={reading.pk}" in filtered.context["query"]


def test_a_teacher_sees_only_their_own_class(login, teacher_a, many_flags, class_oak):
    response = login(teacher_a).get(reverse("provision:flag-list"))
    pupils = {pupil.school_class_id for pupil in response.context["page"]}
    assert pupils == {class_oak.pk}
    assert response.context["flag_count"] == 36


def test_dismissed_flags_leave_the_default_list_but_can_be_found(login, senco_a, teacher_a, many_flags):
    flag = many_flags.first()
    services.flag_dismiss(flag=flag, reason="Known: long absence in spring.", actor=teacher_a)
    client = login(senco_a)
    assert client.get(reverse("provision:flag-list")).context["flag_count"] == 71
    page_two = client.get(reverse("provision:flag-list"), {"page": 2})
    assert all(f.status == FlagStatus.OPEN for row in page_two.context["rows"] for f in row.flags)
    dismissed = client.get(reverse("provision:flag-list"), {"status": "dismissed"})
    assert [f.pk for row in dismissed.context["rows"] for f in row.flags] == [flag.pk]
    assert b"Known: long absence" in dismissed.content


def test_a_head_sees_flags_but_no_actions(login, head_a, many_flags):
    response = login(head_a).get(reverse("provision:flag-list"))
    assert response.context["flag_count"] == 72
    assert b"Start a support plan" not in response.content


def test_a_bad_filter_falls_back_to_open_flags_not_an_error(login, senco_a, many_flags):
    response = login(senco_a).get(reverse("provision:flag-list"), {"subject": "not-a-uuid", "year_group": "99"})
    assert response.status_code == 200
    assert response.context["flag_count"] == 72


def test_dismissing_from_the_list_records_the_reason(login, teacher_a, many_flags, class_oak):
    flag = many_flags.filter(pupil__school_class=class_oak).first()
    response = login(teacher_a).post(
        reverse("provision:flag-dismiss", args=[flag.pupil_id, flag.pk]), {"reason": "Broken arm, could not write."}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.dismissed_reason) == (FlagStatus.DISMISSED, "Broken arm, could not write.")


def test_raising_a_concern_from_the_list_sends_it_to_the_senco(login, teacher_a, many_flags, class_oak):
    flag = many_flags.filter(pupil__school_class=class_oak).first()
    response = login(teacher_a).post(
        reverse("provision:flag-concern", args=[flag.pupil_id, flag.pk]),
        {"description": "Reading has stalled since the spring term."},
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CONCERN_RAISED and flag.concern.raised_by == teacher_a


def test_each_flags_links_on_the_list_reach_its_actions(login, teacher_a, many_flags, class_oak):
    """The list's links are made from one reverse() per action a page (send_mis/links.py): each row's must be
    the URL of its own pupil and flag."""
    client = login(teacher_a)
    page = client.get(reverse("provision:flag-list")).content.decode()
    shown = [flag for flag in many_flags.filter(pupil__school_class=class_oak) if str(flag.pk) in page]
    assert shown
    for flag in shown:
        args = [flag.pupil_id, flag.pk]
        dismiss = reverse("provision:flag-dismiss", args=args)
        concern = reverse("provision:flag-concern", args=args)
        plan = reverse("provision:flag-plan", args=args)
        assert f'href="{dismiss}"' in page and f'href="{concern}"' in page and f'action="{plan}"' in page
        assert f'href="{reverse("provision:pupil", args=[flag.pupil_id])}"' in page
    assert client.get(dismiss).status_code == 200 and client.get(concern).status_code == 200
