"""Two-factor sign-in: who must use it, enrolment on first sign-in, codes and recovery codes, step-up, and the
head's reset of a colleague's second factor."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pupils import twofactor
from send_mis import urls as site_urls

from .conftest import totp_code

pytestmark = pytest.mark.django_db


def _redirected_to(response, url_name: str) -> dict[str, list[str]]:
    assert response.status_code == 302, response.status_code
    parts = urlsplit(response["Location"])
    assert parts.path == reverse(url_name)
    return parse_qs(parts.query)


def _password_only(user) -> Client:
    """A client signed in with a password and no second factor yet (as just after the sign-in form)."""
    client = Client()
    client.force_login(user)
    return client


# --- Who must use a second factor -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["senco_a", "head_a", "dsl_a"])
def test_a_senco_head_or_dsl_without_an_app_is_sent_to_set_one_up(request, role):
    user = request.getfixturevalue(role)

    response = _password_only(user).get(reverse("pupils:pupil-list"), {"q": "x"})

    assert _redirected_to(response, "accounts:two-factor-setup") == {"next": ["/pupils/?q=x"]}


def test_an_enrolled_senco_who_has_not_entered_a_code_is_asked_for_one(senco_a, enrol):
    enrol(senco_a)

    response = _password_only(senco_a).get(reverse("overview:dashboard"))

    assert _redirected_to(response, "accounts:two-factor-verify") == {"next": ["/dashboard/"]}


@pytest.mark.parametrize("role", ["teacher_a", "governor_a"])
def test_a_teacher_or_governor_signs_in_with_a_password_alone_by_default(request, role):
    user = request.getfixturevalue(role)

    response = _password_only(user).get(reverse("home"))

    assert response.status_code == 302
    assert "two-factor" not in response["Location"]


def test_a_school_can_require_a_second_factor_of_everyone(school_a, teacher_a):
    school_a.requires_two_factor_for_all = True
    school_a.save()

    response = _password_only(teacher_a).get(reverse("pupils:my-class"))

    assert _redirected_to(response, "accounts:two-factor-setup") == {"next": ["/my-class/"]}


def test_another_schools_setting_does_not_reach_this_schools_teacher(school_b, teacher_a):
    school_b.requires_two_factor_for_all = True
    school_b.save()

    assert _password_only(teacher_a).get(reverse("pupils:my-class")).status_code == 200


def test_signing_out_works_before_the_second_factor(senco_a):
    client = _password_only(senco_a)

    response = client.post(reverse("logout"))

    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("overview:dashboard"))["Location"].startswith(reverse("login"))


def test_the_requirement_is_decided_at_sign_in_and_costs_signed_in_pages_no_query(senco_a, login):
    client = login(senco_a)

    assert client.session[twofactor.REQUIRED_KEY] is True
    assert twofactor.verified_at(client.session) is not None


# --- Enrolment on first sign-in -------------------------------------------------------------------------


def test_the_setup_page_shows_a_qr_code_and_the_key_without_a_script(senco_a):
    response = _password_only(senco_a).get(reverse("accounts:two-factor-setup"), {"next": "/dashboard/"})

    assert response.status_code == 200
    content = response.content.decode()
    device = TOTPDevice.objects.get(user=senco_a, confirmed=False)
    assert "<svg" in content and "<script" not in content
    assert twofactor.base32_secret(device)[:4] in content
    # Reloading the page shows the same secret, not a new one.
    _password_only(senco_a).get(reverse("accounts:two-factor-setup"))
    assert TOTPDevice.objects.filter(user=senco_a).count() == 1


def test_a_wrong_code_at_setup_is_explained_and_nothing_is_enrolled(senco_a):
    client = _password_only(senco_a)
    client.get(reverse("accounts:two-factor-setup"))

    response = client.post(reverse("accounts:two-factor-setup"), {"code": "000000", "next": "/dashboard/"})

    assert response.status_code == 200
    assert "That code did not match" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=senco_a, confirmed=True).exists()
    assert client.get(reverse("overview:dashboard")).status_code == 302


@pytest.mark.parametrize("code", ["", "x" * 33, "12 34;56", "\x00"])
def test_malformed_codes_at_setup_get_a_message_not_an_error(senco_a, code):
    client = _password_only(senco_a)

    response = client.post(reverse("accounts:two-factor-setup"), {"code": code})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_senco_enrols_sees_recovery_codes_once_and_is_in(senco_a):
    client = _password_only(senco_a)
    client.get(reverse("accounts:two-factor-setup"))
    device = TOTPDevice.objects.get(user=senco_a)

    response = client.post(reverse("accounts:two-factor-setup"), {"code": totp_code(device), "next": "/dashboard/"})

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(StaticToken.objects.filter(device__user=senco_a).values_list("token", flat=True)) == set(codes)
    assert response.context["next"] == "/dashboard/"
    assert client.get(reverse("overview:dashboard")).status_code == 200
    entry = LogEntry.objects.get(object_pk=str(senco_a.pk), changes__has_key="second factor")
    assert entry.actor == senco_a and entry.changes["second factor"] == ["none", "authenticator app"]
    assert device.key not in str(entry.changes) and codes[0] not in str(entry.changes)


def test_an_enrolled_user_visiting_setup_is_sent_to_enter_a_code(senco_a, enrol):
    enrol(senco_a)

    response = _password_only(senco_a).get(reverse("accounts:two-factor-setup"), {"next": "/dashboard/"})

    assert _redirected_to(response, "accounts:two-factor-verify") == {"next": ["/dashboard/"]}


# --- Entering a code ------------------------------------------------------------------------------------


def test_the_code_from_the_app_opens_the_page_asked_for(senco_a, enrol):
    device, _ = enrol(senco_a)
    client = _password_only(senco_a)

    response = client.post(
        reverse("accounts:two-factor-verify"), {"code": totp_code(device, steps_ahead=1), "next": "/pupils/"}
    )

    assert response.status_code == 302 and response["Location"] == "/pupils/"
    assert client.get(reverse("pupils:pupil-list")).status_code == 200


def test_a_code_cannot_be_used_twice(senco_a, enrol):
    device, _ = enrol(senco_a)
    code = totp_code(device, steps_ahead=1)
    assert _password_only(senco_a).post(reverse("accounts:two-factor-verify"), {"code": code}).status_code == 302

    response = _password_only(senco_a).post(reverse("accounts:two-factor-verify"), {"code": code})

    assert response.status_code == 200
    assert "has been used already" in response.content.decode()


def test_a_recovery_code_works_once_then_is_refused(senco_a, enrol):
    _, codes = enrol(senco_a)

    first = _password_only(senco_a).post(reverse("accounts:two-factor-verify"), {"code": codes[0].upper()})
    again = _password_only(senco_a).post(reverse("accounts:two-factor-verify"), {"code": codes[0]})

    assert first.status_code == 302
    assert again.status_code == 200 and again.context["form"].errors
    assert StaticToken.objects.filter(device__user=senco_a).count() == 9


def test_a_next_pointing_at_another_site_is_ignored(senco_a, enrol):
    device, _ = enrol(senco_a)

    response = _password_only(senco_a).post(
        reverse("accounts:two-factor-verify"),
        {"code": totp_code(device, steps_ahead=1), "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("home")


def test_a_user_without_an_app_asked_for_a_code_is_sent_to_set_one_up(teacher_a):
    response = _password_only(teacher_a).get(reverse("accounts:two-factor-verify"), {"next": "/my-class/"})

    assert _redirected_to(response, "accounts:two-factor-setup") == {"next": ["/my-class/"]}


def test_new_recovery_codes_replace_the_old_set(senco_a, enrol, login):
    _, old = enrol(senco_a)

    response = login(senco_a).post(reverse("accounts:recovery-codes"))

    new = response.context["codes"]
    assert set(StaticToken.objects.filter(device__user=senco_a).values_list("token", flat=True)) == set(new)
    assert not set(old) & set(new)


# --- Step-up: sensitive pages ask for a recent code ------------------------------------------------------


@twofactor.require_recent_second_factor(minutes=15)
def _sensitive(request):
    return HttpResponse("sensitive")


urlpatterns = [path("sensitive/", _sensitive, name="sensitive"), *site_urls.urlpatterns]


def _client_verified(user, minutes_ago: float) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    twofactor.mark_verified(session, now=timezone.now() - timedelta(minutes=minutes_ago))
    session.save()
    return client


@pytest.mark.urls(__name__)
def test_a_sensitive_page_opens_within_fifteen_minutes_of_a_code(dsl_a):
    assert _client_verified(dsl_a, 14).get("/sensitive/").content == b"sensitive"


@pytest.mark.urls(__name__)
def test_a_sensitive_page_asks_for_a_new_code_after_fifteen_minutes(dsl_a, enrol):
    device, _ = enrol(dsl_a)
    client = _client_verified(dsl_a, 16)

    response = client.get("/sensitive/?tab=1")

    assert _redirected_to(response, "accounts:two-factor-verify") == {"next": ["/sensitive/?tab=1"]}
    page = client.get(response["Location"])
    assert page.context["is_step_up"]
    after = client.post(response["Location"], {"code": totp_code(device, steps_ahead=1), "next": "/sensitive/?tab=1"})
    assert after["Location"] == "/sensitive/?tab=1"
    assert client.get("/sensitive/").status_code == 200


@pytest.mark.urls(__name__)
def test_a_sensitive_page_sends_an_anonymous_visitor_to_sign_in():
    response = Client().get("/sensitive/")

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.urls(__name__)
def test_a_verification_time_from_the_future_or_garbage_does_not_count(dsl_a):
    client = _client_verified(dsl_a, -5)
    assert client.get("/sensitive/").status_code == 302
    session = client.session
    session[twofactor.VERIFIED_AT_KEY] = "not a date"
    session.save()
    assert client.get("/sensitive/").status_code == 302


# --- The head resets a colleague's second factor -----------------------------------------------------------


def test_the_head_resets_a_colleagues_second_factor_and_signs_them_out(head_a, senco_a, enrol, login):
    enrol(senco_a)
    senco_client = login(senco_a)
    assert senco_client.get(reverse("overview:dashboard")).status_code == 200

    response = login(head_a).post(reverse("accounts:staff-second-factor-reset"), {"user": senco_a.pk})

    assert response.status_code == 302 and response["Location"] == reverse("accounts:staff-security")
    assert not TOTPDevice.objects.filter(user=senco_a).exists()
    assert not StaticDevice.objects.filter(user=senco_a).exists()
    assert senco_client.get(reverse("overview:dashboard"))["Location"].startswith(reverse("login"))
    entry = LogEntry.objects.get(object_pk=str(senco_a.pk), changes__has_key="second factor", actor=head_a)
    assert entry.changes["second factor"] == ["set up", "reset"]
    assert entry.additional_data == {"school_id": str(head_a.memberships.get().school_id)}
    # Signed in again with the password, the SENCO must enrol a new app.
    assert _redirected_to(_password_only(senco_a).get("/dashboard/"), "accounts:two-factor-setup")


def test_the_head_keeps_their_own_session_when_resetting_someone(head_a, senco_a, enrol, login):
    enrol(senco_a)
    client = login(head_a)

    client.post(reverse("accounts:staff-second-factor-reset"), {"user": senco_a.pk})

    assert client.get(reverse("accounts:staff-security")).status_code == 200
    assert Session.objects.count() == 1


def test_a_head_cannot_reset_someone_from_another_school(head_a, senco_b, enrol, login):
    enrol(senco_b)

    response = login(head_a).post(reverse("accounts:staff-second-factor-reset"), {"user": senco_b.pk}, follow=True)

    assert "Choose a member of staff of this school" in response.content.decode()
    assert TOTPDevice.objects.filter(user=senco_b, confirmed=True).exists()


@pytest.mark.parametrize("role", ["senco_a", "dsl_a", "teacher_a", "governor_a"])
def test_only_the_head_may_reset_a_second_factor(request, role, head_a, enrol, login):
    enrol(head_a)
    user = request.getfixturevalue(role)

    response = login(user).post(reverse("accounts:staff-second-factor-reset"), {"user": head_a.pk})

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=head_a).exists()


def test_resetting_a_colleague_needs_a_recent_code(head_a, senco_a, enrol):
    enrol(senco_a)

    response = _client_verified(head_a, 30).post(reverse("accounts:staff-second-factor-reset"), {"user": senco_a.pk})

    assert _redirected_to(response, "accounts:two-factor-verify")
    assert TOTPDevice.objects.filter(user=senco_a).exists()


def test_the_staff_page_lists_each_colleague_with_their_second_factor(head_a, senco_a, teacher_a, enrol, login):
    enrol(senco_a)

    response = login(head_a).get(reverse("accounts:staff-security"))

    rows = {row["user"].username: row for row in response.context["rows"]}
    assert rows["senco_a"]["enrolled"] and not rows["teacher_a"]["enrolled"]
    assert "senco_b" not in rows


# --- Every new URL for every role (the coordinator folds these rows into the access matrix) ---------------

ROLES = ("anonymous", "senco_a", "teacher_a", "teacher_b", "head_a", "governor_a", "dsl_a", "senco_b")
LOGIN, OK, FORBIDDEN, NOT_ALLOWED = "login", 200, 403, 405


def _all(status) -> dict:
    return dict.fromkeys(ROLES, status)


HEAD_ONLY = {**_all(FORBIDDEN), "anonymous": LOGIN, "head_a": OK}
# POSTs name teacher_a, a colleague in school A: the head resets or unlocks (302); senco_b's head would see no
# such colleague (there is none in the cast), so senco_b is refused as a non-head (403).
HEAD_ONLY_POST = {**_all(FORBIDDEN), "anonymous": LOGIN, "head_a": 302}

ACCESS: dict[str, tuple[str, dict]] = {
    "accounts:account": ("get", {**_all(OK), "anonymous": LOGIN}),
    "accounts:email-change": ("get", {**_all(OK), "anonymous": LOGIN}),
    "accounts:password-reset": ("get", _all(OK)),
    # A signed-in user who has passed a second factor is asked again (step-up) or sent to set one up.
    "accounts:two-factor-verify": ("get", {**_all(302), "anonymous": LOGIN, "senco_a": OK}),
    "accounts:two-factor-setup": ("get", {**_all(OK), "anonymous": LOGIN, "senco_a": 302}),
    "accounts:recovery-codes": ("post", {**_all(FORBIDDEN), "anonymous": LOGIN, "senco_a": OK}),
    "accounts:staff-security": ("get", HEAD_ONLY),
    "accounts:staff-second-factor-reset": ("post", HEAD_ONLY_POST),
    "accounts:staff-unlock": ("post", HEAD_ONLY_POST),
    # The generic POST carries no settings: the head gets the form back with its errors.
    "accounts:school-security": ("post", {**_all(FORBIDDEN), "anonymous": LOGIN, "head_a": OK}),
}


def test_every_accounts_url_has_a_row():
    from pupils import account_urls

    assert {f"accounts:{p.name}" for p in account_urls.urlpatterns} == set(ACCESS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", list(ACCESS))
def test_accounts_url_by_role(request, url_name, role, login, enrol, senco_a, teacher_a, school_a):
    method, expected = ACCESS[url_name]
    enrol(senco_a)
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = login(user)

    response = getattr(client, method)(reverse(url_name), {"user": teacher_a.pk} if method == "post" else {})

    if expected[role] == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected[role]


def test_sign_out_ends_the_verified_session(senco_a, login):
    client = login(senco_a)
    client.post(reverse("logout"))

    assert not Session.objects.exists()
