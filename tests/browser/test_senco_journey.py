import re

import pytest

from tests.conftest import enter_demo_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_senco_signs_in_follows_a_dashboard_count_and_opens_a_pupil(
    demo_school, live_server, page, check_accessibility
):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    check_accessibility(page, "01-login")

    page.get_by_label("Username").fill("senco")
    page.get_by_label("Password").fill("send-mis-demo")
    page.get_by_role("button", name="Sign in").click()
    enter_demo_code(page)
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.get_by_role("heading", name="SEND dashboard").is_visible()
    check_accessibility(page, "02-dashboard")

    card = page.locator(".stat-card a", has_text="SEN support")
    count = int(card.locator(".stat-number").inner_text())
    assert count > 0
    card.click()
    page.wait_for_url(re.compile(r"/pupils/\?status=K"))
    rows = page.locator("table tbody tr")
    assert rows.count() == min(count, 50)
    assert page.get_by_text(f"({count} in all)").is_visible() or count <= 50
    check_accessibility(page, "03-pupil-list-sen-support")

    first = rows.first.get_by_role("link")
    first.click()
    page.wait_for_url(re.compile(r"/pupils/[0-9a-f-]{36}/$"))
    assert page.get_by_role("heading", name="SEND register history").is_visible()
    assert page.locator(".tag-k").first.is_visible()
    check_accessibility(page, "04-pupil-profile")


def test_keyboard_user_reaches_main_content_through_the_skip_link(demo_school, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    # The username field has autofocus; from the top of the page the skip link is the first control.
    page.evaluate("document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"

    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_username"
