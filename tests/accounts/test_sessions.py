"""Sessions end after the school's idle timeout and after an absolute limit; a password change signs out every
other session; changing one's own email or password needs the current password."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pupils import session_limits

pytestmark = pytest.mark.django_db

PASSWORD = "a long and memorable passphrase"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _shift(client: Client, *, started_ago: timedelta, last_seen_ago: timedelta) -> None:
    session = client.session
    now = timezone.now()
    session[session_limits.STARTED_KEY] = (now - started_ago).isoformat()
    session[session_limits.LAST_SEEN_KEY] = (now - last_seen_ago).isoformat()
    session.save()


def test_a_session_idle_for_more_than_thirty_minutes_is_signed_out(senco_a, login):
    client = login(senco_a)
    _shift(client, started_ago=timedelta(hours=1), last_seen_ago=timedelta(minutes=31))

    response = client.get(reverse("overview:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/dashboard/"
    page = client.get(response["Location"])
    assert "signed out after 30 minutes without activity" in page.content.decode()
    assert client.get(reverse("overview:dashboard")).status_code == 302


def test_a_session_used_within_the_idle_timeout_carries_on(senco_a, login):
    client = login(senco_a)
    _shift(client, started_ago=timedelta(hours=1), last_seen_ago=timedelta(minutes=29))

    assert client.get(reverse("overview:dashboard")).status_code == 200
    last_seen = datetime.fromisoformat(client.session[session_limits.LAST_SEEN_KEY])
    assert timezone.now() - last_seen < timedelta(seconds=10)


def test_the_last_activity_is_written_at_most_once_a_minute(senco_a, login):
    client = login(senco_a)
    _shift(client, started_ago=timedelta(hours=1), last_seen_ago=timedelta(seconds=20))
    before = client.session[session_limits.LAST_SEEN_KEY]

    client.get(reverse("overview:dashboard"))

    assert client.session[session_limits.LAST_SEEN_KEY] == before


def test_the_schools_idle_timeout_applies_from_the_next_sign_in(senco_a, school_a, login):
    school_a.idle_timeout_minutes = 10
    school_a.save()
    client = login(senco_a)
    _shift(client, started_ago=timedelta(hours=1), last_seen_ago=timedelta(minutes=11))

    response = client.get(reverse("overview:dashboard"))

    assert response.status_code == 302
    assert "after 10 minutes" in client.get(response["Location"]).content.decode()


def test_the_strictest_school_sets_the_idle_timeout(senco_a, school_a, school_b):
    from pupils.models import Membership, Role

    Membership.objects.create(user=senco_a, school=school_b, role=Role.TEACHER)
    school_b.idle_timeout_minutes = 15
    school_b.save()

    assert session_limits.idle_minutes_for(senco_a) == 15


def test_an_active_session_still_ends_after_the_absolute_limit(senco_a, login, settings):
    client = login(senco_a)
    _shift(
        client, started_ago=timedelta(hours=settings.SEND_MIS_SESSION_MAX_HOURS, minutes=1), last_seen_ago=timedelta()
    )

    response = client.get(reverse("overview:dashboard"))

    assert response.status_code == 302
    assert "signed in for 8 hours" in client.get(response["Location"]).content.decode()


def test_a_session_without_its_times_is_treated_as_ended(senco_a, login):
    client = login(senco_a)
    session = client.session
    del session[session_limits.STARTED_KEY]
    session.save()

    assert client.get(reverse("overview:dashboard")).status_code == 302


def test_changing_ones_password_signs_out_every_other_session(senco_a, login):
    senco_a.set_password(PASSWORD)
    senco_a.save()
    here, elsewhere = login(senco_a), login(senco_a)
    assert elsewhere.get(reverse("overview:dashboard")).status_code == 200

    response = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another quite long passphrase",
            "new_password2": "another quite long passphrase",
        },
    )

    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert here.get(reverse("overview:dashboard")).status_code == 200
    assert elsewhere.get(reverse("overview:dashboard"))["Location"].startswith(reverse("login"))


def test_a_password_change_needs_the_current_password(senco_a, login):
    senco_a.set_password(PASSWORD)
    senco_a.save()

    response = login(senco_a).post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "another quite long passphrase",
            "new_password2": "another quite long passphrase",
        },
    )

    assert response.status_code == 200 and response.context["form"].errors["old_password"]
    senco_a.refresh_from_db()
    assert senco_a.check_password(PASSWORD)


def test_a_password_reset_signs_out_every_session(senco_a, login):
    client = login(senco_a)

    senco_a.set_password("a reset passphrase of some length")
    senco_a.save()

    assert client.get(reverse("overview:dashboard"))["Location"].startswith(reverse("login"))


def test_changing_ones_email_needs_the_current_password(senco_a, login):
    senco_a.set_password(PASSWORD)
    senco_a.save()
    client = login(senco_a)

    wrong = client.post(reverse("accounts:email-change"), {"email": "new@example.org", "password": "guess"})
    right = client.post(reverse("accounts:email-change"), {"email": "New@Example.org", "password": PASSWORD})

    assert wrong.status_code == 200 and "not your current password" in wrong.content.decode()
    assert wrong.context["form"]["email"].value() == "new@example.org"
    assert AccessAttempt.objects.filter(username="senco_a").exists()  # counted towards a lockout
    assert right.status_code == 302
    senco_a.refresh_from_db()
    assert senco_a.email == "new@example.org"
    entry = LogEntry.objects.get(object_pk=str(senco_a.pk), changes__has_key="email")
    assert entry.actor == senco_a and entry.changes["email"][1] == "new@example.org"


@pytest.mark.parametrize(
    "data",
    [{}, {"email": "not an email", "password": PASSWORD}, {"email": "a@b.c" + "x" * 300, "password": PASSWORD}],
)
def test_bad_email_changes_are_explained(senco_a, login, data):
    senco_a.set_password(PASSWORD)
    senco_a.save()

    response = login(senco_a).post(reverse("accounts:email-change"), data)

    assert response.status_code == 200 and response.context["form"].errors
    senco_a.refresh_from_db()
    assert senco_a.email == "senco_a@example.org"


def test_an_email_another_account_uses_is_refused(senco_a, teacher_a, login):
    senco_a.set_password(PASSWORD)
    senco_a.save()

    response = login(senco_a).post(reverse("accounts:email-change"), {"email": teacher_a.email, "password": PASSWORD})

    assert "Another account uses this email address" in response.content.decode()
