"""The head's sign-in settings for the school: a second factor for everyone, and the idle timeout."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "accounts:school-security"


def test_the_head_requires_a_second_factor_of_everyone(login, head_a, teacher_a, school_a):
    response = login(head_a).post(reverse(URL), {"requires_two_factor_for_all": "on", "idle_timeout_minutes": "20"})

    assert response.status_code == 302
    school_a.refresh_from_db()
    assert (school_a.requires_two_factor_for_all, school_a.idle_timeout_minutes) == (True, 20)
    entry = LogEntry.objects.get(object_pk=str(school_a.pk), actor=head_a, action=LogEntry.Action.UPDATE)
    assert entry.changes == {"second factor for all staff": ["False", "True"], "idle timeout (minutes)": ["30", "20"]}
    # The teacher's next sign-in asks for a second factor.
    teacher = Client()
    teacher.force_login(teacher_a)
    assert reverse("accounts:two-factor-setup") in teacher.get(reverse("pupils:my-class"))["Location"]


def test_saving_the_same_settings_changes_nothing(login, head_a, school_a):
    login(head_a).post(reverse(URL), {"idle_timeout_minutes": "30"})

    # (Creating the school is logged too, as every set-up change is; saving the same settings adds nothing.)
    assert not LogEntry.objects.filter(object_pk=str(school_a.pk), action=LogEntry.Action.UPDATE).exists()


@pytest.mark.parametrize("minutes", ["", "4", "481", "abc", "\x00", "9" * 30])
def test_a_bad_idle_timeout_is_explained_and_nothing_changes(login, head_a, school_a, minutes):
    response = login(head_a).post(reverse(URL), {"requires_two_factor_for_all": "on", "idle_timeout_minutes": minutes})

    assert response.status_code == 200 and response.context["form"].errors["idle_timeout_minutes"]
    school_a.refresh_from_db()
    assert (school_a.requires_two_factor_for_all, school_a.idle_timeout_minutes) == (False, 30)


def test_the_staff_page_shows_the_current_settings(login, head_a, school_a):
    school_a.idle_timeout_minutes = 45
    school_a.save()

    response = login(head_a).get(reverse("accounts:staff-security"))

    assert response.context["settings_form"].initial["idle_timeout_minutes"] == 45
