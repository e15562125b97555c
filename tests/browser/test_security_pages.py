"""In a real headless browser: the head's staff sign-in page, the disclosure log, the account page and the
locked-out page pass axe-core, and no page breaks the Content-Security-Policy."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from pupils import services
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _browser_sign_in(page, live_server, user) -> None:
    client = sign_in(Client(), user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_heads_security_pages_pass_axe(live_server, page, check_accessibility, head_a, senco_a, pupil_oak):
    services.disclosure_record(
        pupil=pupil_oak,
        document="ehc_plan",
        actor=senco_a,
        now=timezone.now(),
        recipient="Head of Bulwell Academy",
        purpose="next_setting",
    )
    _browser_sign_in(page, live_server, head_a)

    page.goto(f"{live_server.url}/accounts/staff/")
    assert page.get_by_role("heading", name="Staff sign-in at Claremont Primary and Nursery School").is_visible()
    check_accessibility(page, "security-01-staff-sign-in")

    page.goto(f"{live_server.url}/disclosures/pupils/{pupil_oak.pk}/")
    assert page.get_by_text("Head of Bulwell Academy").is_visible()
    check_accessibility(page, "security-02-disclosure-log")

    page.goto(f"{live_server.url}/disclosures/pupils/{pupil_oak.pk}/new/")
    check_accessibility(page, "security-03-disclosure-form")

    page.goto(f"{live_server.url}/accounts/")
    check_accessibility(page, "security-04-account")


def test_the_locked_out_page_passes_axe(live_server, page, check_accessibility, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("nobody")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()

    assert page.get_by_role("heading", name="Sign-in paused").is_visible()
    check_accessibility(page, "security-05-locked-out")


def test_the_ehc_release_form_and_the_subject_access_page_pass_axe(
    live_server, page, check_accessibility, head_a, ehc_review, pupil_oak
):
    _browser_sign_in(page, live_server, head_a)

    page.goto(f"{live_server.url}/ehc/reviews/{ehc_review.pk}/report.pdf")
    assert page.get_by_role("heading", name="Before you download the EHC annual review report").is_visible()
    page.get_by_label("It will leave the school").check()
    page.get_by_role("button", name="Record and download").click()
    assert page.get_by_text("Say who the document is sent to.").first.is_visible()
    check_accessibility(page, "security-06-ehc-release-errors")

    page.goto(f"{live_server.url}/records/pupils/{pupil_oak.pk}/subject-access/")
    assert page.get_by_text("Not included: the child protection file").is_visible()
    check_accessibility(page, "security-07-subject-access")
