"""In a real headless browser: the SENCO sets up an authenticator app at first sign-in, signs out and in again
with a code, then uses a recovery code once (a second use is refused). Each page passes axe-core."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and memorable passphrase"


def _later(secret: str, steps_ahead: int) -> int:
    """The code an authenticator app with this key shows `steps_ahead` periods of 30 seconds from now."""
    generator = TOTP(b32decode(secret))
    generator.time = time.time() + 30 * steps_ahead
    return generator.token()


def _sign_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("senco_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page) -> None:
    page.locator("header").get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_the_senco_enrols_an_app_signs_in_with_a_code_and_uses_a_recovery_code_once(
    live_server, page, check_accessibility, senco_a
):
    senco_a.set_password(PASSWORD)
    senco_a.save()

    # First sign-in: the password is not enough; the SENCO sets up an app.
    _sign_in(page, live_server)
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))
    assert page.get_by_role("heading", name="Set up your authenticator app").is_visible()
    assert page.locator("figure.qr-code svg").is_visible()
    check_accessibility(page, "two-factor-01-setup")
    secret = page.locator(".secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(f"{_later(secret, 0):06d}")
    page.get_by_role("button", name="Confirm and continue").click()

    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    check_accessibility(page, "two-factor-02-recovery-codes")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept my codes: continue").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))

    # Signed out and in again: a code from the app (the next one: this period's was used to enrol).
    _sign_out(page)
    _sign_in(page, live_server)
    page.wait_for_url(re.compile(r"/accounts/two-factor/\?"))
    check_accessibility(page, "two-factor-03-enter-code")
    page.get_by_label("Code").fill(f"{_later(secret, 1):06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))

    # Phone left at home: a recovery code works once.
    _sign_out(page)
    _sign_in(page, live_server)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))

    _sign_out(page)
    _sign_in(page, live_server)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("That code is not right, or has been used already.").first.is_visible()
    assert "/accounts/two-factor/" in page.url
    check_accessibility(page, "two-factor-04-code-refused")
