"""Security headers: a strict Content-Security-Policy, Permissions-Policy, and no caching of anything signed-in
or downloaded; asserted in this process and under production settings in a fresh one."""

from __future__ import annotations

import json

import pytest
from django.http import HttpResponse
from django.urls import reverse

from deadlines.services import calendar_feed_token_issue
from send_mis.headers import PrivateResponsesMiddleware
from tests.test_settings import good_env, run  # noqa: F401  (good_env is a fixture)

pytestmark = pytest.mark.django_db

CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def _policy(header: str) -> set[str]:
    return {directive.strip() for directive in header.split(";")}


def test_a_signed_in_page_is_private_and_never_stored(senco_a, login):
    response = login(senco_a).get(reverse("overview:dashboard"))

    assert response.status_code == 200
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}
    assert _policy(response["Content-Security-Policy"]) == CSP
    assert "camera=()" in response["Permissions-Policy"]


def test_the_sign_in_page_has_the_policies(client):
    response = client.get(reverse("login"))

    assert _policy(response["Content-Security-Policy"]) == CSP
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "headers",
    [{"Content-Type": "application/pdf"}, {"Content-Type": "text/plain", "Content-Disposition": "attachment"}],
)
def test_a_download_without_a_session_is_never_stored(rf, headers):
    response = HttpResponse(b"%PDF", headers={**headers, "Cache-Control": "max-age=3600"})

    answered = PrivateResponsesMiddleware(lambda request: response)(rf.get("/file"))

    assert set(answered["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}


def test_the_calendar_feed_is_never_stored(client, senco_a):
    token = calendar_feed_token_issue(user=senco_a, actor=senco_a)

    response = client.get(reverse("deadlines:feed", args=[token.token]))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_no_page_template_carries_inline_script_or_style():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "emails" not in path.parts
        and any(marker in path.read_text() for marker in ("<script", "<style", " style=", " onsubmit=", " onclick="))
    ]
    assert offenders == []


PRODUCTION_PROBE = """
import json
import django
django.setup()
from django.conf import settings
# Static files are not collected for this probe: plain storage, so templates render without a manifest.
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from django.test import Client
from pupils.models import Membership, School
user = get_user_model().objects.create_user("probe")
school = School.objects.create(
    name="Probe School", urn="100001", la_code="892", la_name="Nottingham City", phase="primary"
)
Membership.objects.create(user=user, school=school, role="teacher")
https = {"x-forwarded-proto": "https", "host": "example.org"}
signed_in = Client(headers=https)
signed_in.force_login(user)
page = signed_in.get("/my-class/")
anonymous = Client(headers=https).get("/accounts/login/")
print(json.dumps({
    "signed_in": [page.status_code, dict(page.headers)],
    "anonymous": [anonymous.status_code, dict(anonymous.headers)],
}))
"""


def test_production_sends_every_security_header(good_env):  # noqa: F811
    result = run(["-c", PRODUCTION_PROBE], good_env)

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    for name in ("signed_in", "anonymous"):
        status, headers = seen[name]
        assert status == 200, (name, status)
        assert _policy(headers["Content-Security-Policy"]) == CSP
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "microphone=()" in headers["Permissions-Policy"]
    assert set(seen["signed_in"][1]["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}
