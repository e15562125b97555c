"""Each demo role's landing page in a real browser, at a laptop's width (1366 px) and a phone's (390 px): axe-clean,
with a screenshot of each saved under var/screenshots/ (CI keeps them as artefacts). Then the pupil page prints
its SEND summary on one side of A4 with no contacts on it."""

import io
import re

import pytest
from pypdf import PdfReader

from provision.models import Passport, SupportPlan
from pupils.models import Contact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# username: the page the role lands on after signing in.
LANDING = {
    "teacher": r"/today/$",
    "senco": r"/dashboard/$",
    "head": r"/dashboard/$",
    "dsl": r"/safeguarding/",
    "governor": r"/register-summary/$",
}
WIDTHS = {"wide": (1366, 900), "phone": (390, 844)}


def _sign_in(page, base: str, username: str) -> None:
    from tests.conftest import enter_demo_code

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("send-mis-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:
        enter_demo_code(page)


# The landing pages this work owns must not scroll sideways on a phone; the others' layouts are the navigation's.
NO_SIDEWAYS_SCROLL = {"teacher", "senco", "head"}


def test_each_roles_landing_page_reads_well_on_a_laptop_and_a_phone(
    demo_school, live_server, page, check_accessibility
):
    for username, landing in LANDING.items():  # one demo load for every role: it takes most of the time
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1366, "height": 900})
        _sign_in(page, live_server.url, username)
        page.wait_for_url(re.compile(landing))
        for name, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            page.reload()
            check_accessibility(page, f"landing-{username}-{name}")
            if username in NO_SIDEWAYS_SCROLL:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= width + 1, f"{username}'s page is {scroll} px wide at {width} px"


def test_the_teachers_today_links_to_where_each_duty_is_done(demo_school, live_server, page):
    _sign_in(page, live_server.url, "teacher")
    page.wait_for_url(re.compile(r"/today/$"))
    assert page.get_by_role("heading", name=re.compile(r"^Overdue")).is_visible()
    page.locator("#overdue-heading ~ ul a").first.click()
    page.wait_for_url(re.compile(r"/provision/pupils/.+/plans/.+/$"))
    assert page.get_by_text("Overdue").first.is_visible()  # the plan's own page says so


def test_the_pupil_page_prints_on_one_side_of_a4_without_contacts(demo_school, live_server, page):
    plan = (
        SupportPlan.objects.filter(
            ended_on__isnull=True,
            pupil__school_class__name="3 Oak",
            pupil__in=Passport.objects.values("pupil"),
        )
        .select_related("pupil")
        .first()
    )
    pupil = plan.pupil
    contact = Contact.objects.filter(pupil=pupil).first()
    _sign_in(page, live_server.url, "teacher")
    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    assert page.get_by_role("heading", name="SEND summary").is_visible()
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) == 1, f"{len(pdf.pages)} pages"
    assert "SEND summary" in text and "Outcomes we are working towards" in text
    assert contact is None or contact.phone not in text
    assert "Contacts" not in text
