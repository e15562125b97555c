"""Sign-in throttling: a lock per (username, address), per username from any address, and per address across
usernames (password spraying), each with its limit; a clear page with the time left; the head's unlock."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pupils import throttling
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and memorable passphrase"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def with_password():
    def _with_password(user):
        user.set_password(PASSWORD)
        user.save()
        return user

    return _with_password


def _attempt(username: str, password: str, ip: str):
    return Client().post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _signed_in(response) -> bool:
    return response.status_code == 302


def test_the_rules_in_settings_are_the_handlers_rules():
    assert throttling.lockout_parameters() == settings.AXES_LOCKOUT_PARAMETERS
    assert settings.AXES_FAILURE_LIMIT < settings.SEND_MIS_USERNAME_FAILURE_LIMIT < settings.SEND_MIS_IP_FAILURE_LIMIT


def test_a_wrong_password_is_answered_normally(teacher_a, with_password):
    with_password(teacher_a)

    response = _attempt("teacher_a", "wrong", "10.0.0.1")

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_one_account_from_one_address_locks_after_the_limit_and_says_how_long(teacher_a, with_password):
    with_password(teacher_a)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt("teacher_a", "wrong", "10.0.0.1")

    locked = _attempt("teacher_a", PASSWORD, "10.0.0.1")

    assert locked.status_code == 429
    content = locked.content.decode()
    assert "too many wrong passwords for this account from here" in content
    assert "Try again in 60 minutes" in content
    assert "ask your headteacher to unlock" in content
    # The same account from another address still signs in: the per-username limit is higher.
    assert _signed_in(_attempt("teacher_a", PASSWORD, "10.0.0.2"))


def test_one_account_guessed_from_many_addresses_locks_everywhere(teacher_a, with_password):
    with_password(teacher_a)
    for n in range(settings.SEND_MIS_USERNAME_FAILURE_LIMIT):
        _attempt("teacher_a", "wrong", f"10.0.1.{n}")

    locked = _attempt("teacher_a", PASSWORD, "10.0.2.1")

    assert locked.status_code == 429
    assert "too many wrong passwords for this account" in locked.content.decode()


def test_password_spraying_from_one_address_is_blocked_for_every_account(teacher_a, with_password):
    with_password(teacher_a)
    answered = 0
    for n in range(100):
        response = _attempt(f"staff{n % 25}", "Summer2026!", "10.0.3.1")
        if response.status_code == 429:
            break
        answered += 1

    # The wrong password that reaches the limit is already answered with the lockout page; after it every
    # attempt is, whichever account is named.
    assert answered == settings.SEND_MIS_IP_FAILURE_LIMIT - 1
    locked = _attempt("teacher_a", PASSWORD, "10.0.3.1")
    assert locked.status_code == 429
    assert "too many wrong passwords from this network" in locked.content.decode()
    # Another address is not affected, nor is any single account locked by the spray.
    assert _signed_in(_attempt("teacher_a", PASSWORD, "10.0.4.1"))


def test_a_lock_lifts_after_the_cool_off(teacher_a, with_password):
    with_password(teacher_a)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt("teacher_a", "wrong", "10.0.0.1")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=61))

    assert _signed_in(_attempt("teacher_a", PASSWORD, "10.0.0.1"))


def test_the_time_left_counts_from_the_last_failure():
    now = timezone.now()
    lockout = throttling.Lockout(reason="x", until=now + timezone.timedelta(minutes=12, seconds=5))

    assert lockout.minutes_left(now) == 13
    assert lockout.minutes_left(lockout.until) == 1


def test_the_head_sees_a_locked_colleague_and_unlocks_them(head_a, teacher_a, with_password, login):
    with_password(teacher_a)
    for n in range(settings.SEND_MIS_USERNAME_FAILURE_LIMIT):
        _attempt("teacher_a", "wrong", f"10.0.1.{n}")
    client = login(head_a)
    rows = {row["user"].username: row for row in client.get(reverse("accounts:staff-security")).context["rows"]}
    assert rows["teacher_a"]["locked"] and not rows["head_a"]["locked"]

    response = client.post(reverse("accounts:staff-unlock"), {"user": teacher_a.pk}, follow=True)

    assert "can sign in again" in response.content.decode()
    assert _signed_in(_attempt("teacher_a", PASSWORD, "10.0.2.1"))
    entry = LogEntry.objects.get(object_pk=str(teacher_a.pk), changes__has_key="sign-in lockout")
    assert entry.actor == head_a and entry.changes["sign-in lockout"] == ["locked", "unlocked"]


def test_unlocking_someone_not_locked_changes_nothing(head_a, teacher_a, login):
    response = login(head_a).post(reverse("accounts:staff-unlock"), {"user": teacher_a.pk}, follow=True)

    assert "was not locked out" in response.content.decode()
    assert not LogEntry.objects.filter(changes__has_key="sign-in lockout").exists()


def test_the_head_cannot_unlock_someone_from_another_school(head_a, senco_b, with_password, login):
    with_password(senco_b)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt("senco_b", "wrong", "10.0.0.1")

    login(head_a).post(reverse("accounts:staff-unlock"), {"user": senco_b.pk})

    assert _attempt("senco_b", PASSWORD, "10.0.0.1").status_code == 429


def test_a_user_with_no_password_guessed_is_unaffected_by_anothers_lock(teacher_a, with_password):
    with_password(teacher_a)
    other = with_password(UserFactory(username="other"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt("teacher_a", "wrong", "10.0.0.1")

    assert _signed_in(_attempt(other.username, PASSWORD, "10.0.0.1"))


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(rf, settings):
    settings.SEND_MIS_TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")

    # The left entry is whatever the client claimed; the proxy appended the address it really saw.
    assert throttling.client_ip(request) == "203.0.113.7"


def test_without_a_proxy_a_forwarded_header_is_ignored(rf, settings):
    settings.SEND_MIS_TRUSTED_PROXIES = 0
    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert throttling.client_ip(request) == "10.9.9.9"


def test_spraying_through_a_proxy_is_counted_per_client_not_per_proxy(teacher_a, with_password, settings):
    settings.SEND_MIS_TRUSTED_PROXIES = 1
    with_password(teacher_a)
    for n in range(settings.SEND_MIS_IP_FAILURE_LIMIT):
        Client().post(
            reverse("login"),
            {"username": f"staff{n % 25}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )

    sprayer = Client().post(
        reverse("login"),
        {"username": "teacher_a", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    colleague = Client().post(
        reverse("login"),
        {"username": "teacher_a", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )

    assert sprayer.status_code == 429
    assert _signed_in(colleague)
