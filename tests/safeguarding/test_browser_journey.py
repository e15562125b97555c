"""In a real browser: a teacher reports a concern and places a body-map mark with the keyboard alone; the DSL,
with a recent second factor, triages it, records a referral and shares the file with the SENCO; the SENCO reads
it. Every page passes axe (no serious or critical issue)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from pupils import twofactor
from safeguarding.models import BodyMark, Entry, EntryKind, Share

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-1"


def _sign_in(page, live_server, user, *, second_factor: bool) -> None:
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username", exact=True).fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if second_factor:
        # What the two-factor sign-in writes on success: the time of the verification, in the session.
        cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
        session = SessionStore(session_key=cookie["value"])
        twofactor.mark_verified(session, now=timezone.now())
        session.save()
        page.goto(f"{live_server.url}/")


def test_report_triage_refer_share_and_the_senco_reads(
    browser, live_server, check_accessibility, pupil_oak, teacher_a, dsl_a, senco_a
):
    # The teacher reports, by keyboard for the body map.
    teacher = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(teacher, live_server, teacher_a, second_factor=False)
    # The menu groups its entries (<details>): open "Safeguarding" first.
    teacher.get_by_role("navigation", name="Main").locator("summary", has_text="Safeguarding").click()
    teacher.get_by_role("navigation", name="Main").get_by_role("link", name="Report a safeguarding concern").click()
    teacher.wait_for_url(re.compile(r"/safeguarding/report/$"))
    check_accessibility(teacher, "safeguarding-01-report")
    teacher.get_by_label("The child", exact=True).select_option(str(pupil_oak.pk))
    teacher.get_by_label("Date", exact=True).fill((timezone.localdate() - timedelta(days=1)).isoformat())
    teacher.get_by_label("Where", exact=True).fill("Playground")
    teacher.get_by_label("What you saw or heard", exact=True).fill('She said "Daddy hit me" and showed her arm.')
    teacher.get_by_label("What you did straight away", exact=True).fill("Listened and came to the DSL.")
    teacher.get_by_label("No", exact=True).focus()
    teacher.keyboard.press("Space")
    teacher.keyboard.press("Tab")  # into the body map's grid: front, row 1, column 1
    assert teacher.evaluate("document.activeElement.value") == "front-1-1"
    teacher.keyboard.press("Space")
    for _ in range(13):  # six squares a row: two rows down and one along
        teacher.keyboard.press("ArrowRight")
    assert teacher.evaluate("document.activeElement.value") == "front-3-2"
    assert teacher.locator('input[value="front-3-2"]').is_checked()
    teacher.keyboard.press("Tab")
    teacher.keyboard.type("Bruise on the upper arm, about 3 cm")
    check_accessibility(teacher, "safeguarding-02-report-filled")
    teacher.get_by_role("button", name="Send to the DSL team").click()
    teacher.wait_for_url(re.compile(r"/safeguarding/concerns/[0-9a-f-]+/receipt/$"))
    assert teacher.get_by_role("heading", name="Your concern has been received").is_visible()
    assert "Daddy" not in teacher.content()
    check_accessibility(teacher, "safeguarding-03-receipt")
    concern = Entry.objects.get(kind=EntryKind.CONCERN)
    mark = BodyMark.objects.get(entry=concern)
    assert (mark.side, mark.row, mark.column) == ("front", 3, 2)

    # The DSL, with a recent second factor, triages, refers and shares with the SENCO.
    dsl = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(dsl, live_server, dsl_a, second_factor=True)
    dsl.get_by_role("navigation", name="Main").locator("summary", has_text="Safeguarding").click()
    dsl.get_by_role("navigation", name="Main").get_by_role("link", name="Safeguarding", exact=True).click()
    dsl.wait_for_url(re.compile(r"/safeguarding/$"))
    check_accessibility(dsl, "safeguarding-04-dashboard")
    dsl.get_by_role("link", name="Triage the concern about Amara Thistlewood").first.click()
    check_accessibility(dsl, "safeguarding-05-triage")
    dsl.get_by_label("Category", exact=True).select_option(label="Physical abuse")
    dsl.get_by_label("Decision and reasons", exact=True).fill("Disclosure with an injury: refer to MASH today.")
    dsl.get_by_role("button", name="Save").click()
    dsl.wait_for_url(re.compile(r"/safeguarding/files/[0-9a-f-]+/$"))
    check_accessibility(dsl, "safeguarding-06-file")
    dsl.get_by_role("link", name="Referral", exact=True).click()
    dsl.get_by_label("Referred to", exact=True).select_option(label="Children's social care / MASH")
    dsl.get_by_label("Date", exact=True).fill(timezone.localdate().isoformat())
    dsl.get_by_label("Reference number", exact=True).fill("MASH-777")
    dsl.get_by_label("Who you spoke to", exact=True).fill("Duty social worker")
    dsl.get_by_label("What was referred and why", exact=True).fill("Disclosure of physical harm.")
    check_accessibility(dsl, "safeguarding-07-referral")
    dsl.get_by_role("button", name="Save").click()
    dsl.wait_for_url(re.compile(r"/safeguarding/files/[0-9a-f-]+/$"))
    assert dsl.get_by_text("MASH-777").is_visible()
    dsl.get_by_role("link", name="Share", exact=True).click()
    dsl.get_by_label("Member of staff", exact=True).select_option(label="Sophie Ndlovu")
    dsl.get_by_label("Until", exact=True).fill((timezone.localdate() + timedelta(days=14)).isoformat())
    dsl.get_by_label("Why they need to know", exact=True).fill("SEND support plan review")
    dsl.get_by_role("button", name="Share", exact=True).click()
    dsl.wait_for_url(re.compile(r"/shares/$"))
    check_accessibility(dsl, "safeguarding-08-shares")
    assert Share.objects.filter(user=senco_a, revoked_at__isnull=True).exists()

    # The SENCO reads the shared file.
    senco = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    _sign_in(senco, live_server, senco_a, second_factor=True)
    senco.goto(f"{live_server.url}/safeguarding/files/{concern.file_id}/")
    assert senco.get_by_role("heading", name="Child protection file: Amara Thistlewood").is_visible()
    assert senco.get_by_text("MASH-777").is_visible()
    check_accessibility(senco, "safeguarding-09-senco-reads")
    for page in (teacher, dsl, senco):
        page.context.close()
