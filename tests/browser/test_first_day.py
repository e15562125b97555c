"""The first day of a real school, in a real browser: a superuser on an empty database sets up the school, adds
a term and two classes, invites a SENCO and a teacher; the SENCO accepts the invitation, imports 60 pupils
from a CSV (a bad file first, refused with its row errors) and sees them on the dashboard; the teacher sees only
their class. Every page is checked with axe-core."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import totp

from pupils.models import Pupil
from tests.factories import UserFactory
from tests.pupils.test_mis_import import make_csv, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "first-day-password-42"


def _sign_in(page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _enrol_second_factor(page, check, name: str) -> None:
    """First sign-in of someone who needs a second factor (a superuser, a SENCO): set up the app from the key on
    the page (the test computes the code, as the app would), then go on past the recovery codes."""
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))
    check(page, f"first-day-{name}-second-factor")
    secret = page.locator(".secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Confirm and continue").click()
    page.get_by_role("link", name="I have kept my codes: continue").click()


def _accept_invitation(browser, live_url: str, email: str, check, name: str):
    message = next(m for m in mail.outbox if m.to == [email])
    link = re.search(r"http://\S+/school/invitation/\S+/", message.body).group(0)
    path = link.split("/school/", 1)[1]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_url}/school/{path}")
    check(page, f"first-day-{name}-invitation")
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    return page


def test_a_school_starts_from_nothing(live_server, browser, page, check_accessibility, needs, tmp_path):
    started = time.perf_counter()
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    root.set_password(PASSWORD)
    root.save()
    url = live_server.url

    # The superuser signs in to an empty installation and is asked to set up the school.
    _sign_in(page, url, "root", PASSWORD)
    _enrol_second_factor(page, check_accessibility, "root")
    page.wait_for_url(re.compile(r"/school/start/$"))
    check_accessibility(page, "first-day-01-start")
    page.get_by_role("link", name="Set up your school").click()
    check_accessibility(page, "first-day-02-details")
    page.get_by_label("School name").fill("Bluecoat Primary")
    page.get_by_label("URN").fill("123456")
    page.get_by_label("LA name").fill("Nottingham City")
    page.get_by_label("LA code").fill("892")
    page.get_by_label("Phase", exact=True).select_option("primary")
    page.get_by_label("Use the usual transfer year groups for the school's phase").check()
    page.get_by_label("Headteacher's name").fill("Jo Hardy")
    page.get_by_label("SENCO's name").fill("Sam Patel")
    page.get_by_role("button", name="Save and continue").click()

    # A term, then two classes.
    page.wait_for_url(re.compile(r"/terms/$"))
    check_accessibility(page, "first-day-03-terms")
    page.get_by_label("Name").fill("Autumn 1")
    page.get_by_label("First day").fill("2026-09-02")
    page.get_by_label("Last day").fill("2026-10-23")
    page.get_by_role("button", name="Add the term").click()
    assert page.get_by_role("cell", name="Autumn 1", exact=True).is_visible()
    page.get_by_role("link", name="Continue to year groups and classes").click()
    check_accessibility(page, "first-day-04-classes")
    for name, year in (("3 Oak", "3"), ("4 Ash", "4")):
        page.get_by_label("Class name").fill(name)
        page.get_by_label("Year group", exact=True).select_option(year)
        page.get_by_role("button", name="Add the class").click()
        assert page.get_by_role("cell", name=name, exact=True).is_visible()

    # Staff: a SENCO, and a teacher of 3 Oak.
    page.get_by_role("link", name="Continue to staff").click()
    check_accessibility(page, "first-day-05-staff")
    for first, last, email, role, klass in (
        ("Sam", "Patel", "sam.patel@bluecoat.example", "SENCO", None),
        ("Tom", "Okafor", "tom.okafor@bluecoat.example", "Teacher", "3 Oak"),
    ):
        page.get_by_role("link", name="Invite a member of staff").click()
        page.get_by_label("First name").fill(first)
        page.get_by_label("Last name").fill(last)
        page.get_by_label("Email").fill(email)
        page.get_by_label(role, exact=True).check()
        if klass:
            page.get_by_label(klass).check()
        check_accessibility(page, f"first-day-06-invite-{role.lower()}")
        page.get_by_role("button", name="Send the invitation").click()
        page.wait_for_url(re.compile(r"/staff/$"))
    assert page.get_by_role("cell", name="Tom Okafor", exact=True).is_visible()
    page.get_by_role("link", name="Summary").click()
    page.get_by_role("button", name="Finish the set-up").click()
    page.wait_for_url(re.compile(r"/staff/$"))

    # The SENCO accepts the invitation and signs in on the dashboard.
    senco = _accept_invitation(browser, url, "sam.patel@bluecoat.example", check_accessibility, "senco")
    _enrol_second_factor(senco, check_accessibility, "senco")
    senco.wait_for_url(re.compile(r"/dashboard/$"))
    check_accessibility(senco, "first-day-07-senco-dashboard")

    # A bad file first: checked, every bad row shown, and nothing imported without asking.
    # The menu groups its entries (<details>): open "School" first.
    senco.get_by_role("navigation", name="Main").locator("summary", has_text="School").click()
    senco.get_by_role("navigation", name="Main").get_by_role("link", name="Import pupils").click()
    check_accessibility(senco, "first-day-08-import")
    bad = tmp_path / "bad.csv"
    bad.write_text(make_csv([row(), row(UPN="A801200005001"), row(Class="9 Nowhere")]))
    senco.get_by_label("CSV file exported from your MIS").set_input_files(str(bad))
    senco.get_by_role("button", name="Check the file").click()
    senco.get_by_role("heading", name="Rows with errors").wait_for()
    assert senco.get_by_text("The check letter does not match").is_visible()
    assert senco.get_by_text("Class '9 Nowhere' is not one of the school's classes").is_visible()
    check_accessibility(senco, "first-day-09-import-errors")
    senco.get_by_role("button", name=re.compile(r"Import \d+ pupils")).click()
    assert senco.get_by_text("fix them, or import only the good rows").is_visible()
    assert not Pupil.objects.exists()

    # Then the good file of 60 pupils: 30 in each class.
    good = tmp_path / "good.csv"
    good.write_text(
        make_csv([row(Class=("3 Oak", "4 Ash")[i % 2], **{"Year group": ("3", "4")[i % 2]}) for i in range(60)])
    )
    # The menu groups its entries (<details>): open "School" first.
    senco.get_by_role("navigation", name="Main").locator("summary", has_text="School").click()
    senco.get_by_role("navigation", name="Main").get_by_role("link", name="Import pupils").click()
    senco.get_by_label("CSV file exported from your MIS").set_input_files(str(good))
    senco.get_by_role("button", name="Check the file").click()
    senco.get_by_role("button", name="Import 60 pupils").click()
    senco.get_by_text("60 pupils added").wait_for()
    check_accessibility(senco, "first-day-10-imported")
    senco.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    assert senco.get_by_text("60 pupils on roll").is_visible()

    # The teacher sees only 3 Oak.
    teacher = _accept_invitation(browser, url, "tom.okafor@bluecoat.example", check_accessibility, "teacher")
    teacher.wait_for_url(re.compile(r"/today/$"))  # the teacher lands on their to-do list
    check_accessibility(teacher, "first-day-11-teacher")
    teacher.goto(f"{url}/pupils/")
    assert teacher.get_by_text("(30 in all)").is_visible() or teacher.locator("table tbody tr").count() == 30
    oak = set(Pupil.objects.filter(school_class__name="3 Oak").values_list("pk", flat=True))
    links = teacher.locator("table tbody a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert {link.split("/")[2] for link in links} == {str(pk) for pk in oak}

    print(f"first day in the browser: {time.perf_counter() - started:.1f} s")
