"""A governor reads the demo school's SEND report in a real browser: the charts render (the provision charts among
them), the safeguarding counts show, the page passes axe, and the PDF downloads with its charts. The public SEN
information report passes axe too, with no sign-in."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.conftest import enter_demo_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_governor_reads_the_report_with_its_charts_and_prints_it(demo_school, live_server, page, check_accessibility):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("governor")
    page.get_by_label("Password").fill("send-mis-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/reports/register-summary/$"))

    page.get_by_role("link", name="The full SEND report for governors").click()
    page.wait_for_url(re.compile(r"/reports/governors/$"))
    previous_year = page.locator("#period option", has_text=re.compile(r"^Academic year")).nth(1)
    page.select_option("#period", value=previous_year.get_attribute("value"))
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"period=\d{4}-year"))

    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() == 6  # trend, broad areas, progress; provision spend by area, hours by wave, budget
    for i in range(6):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
    assert page.locator("figure.chart svg polyline").count() >= 1
    assert page.get_by_role("heading", name="Progress: pupils with SEN and pupils without").is_visible()
    assert page.get_by_role("heading", name="Provision and its cost").is_visible()
    # Each provision chart is drawn with bars and followed by its table.
    spend = page.locator("figure.chart svg[aria-labelledby^='chart-provision-spend']")
    assert spend.locator("rect[stroke]").count() >= 2
    assert page.locator("#table-provision-areas table").is_visible()
    assert page.locator("#table-provision-impact").get_by_text("Phonics catch-up").is_visible()
    check_accessibility(page, "reports-01-governors-report")

    # This term: the safeguarding counts by category and term, and the provision charts again.
    page.select_option("#period", index=1)
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"period=\d{4}-(autumn|spring|summer)"))
    assert page.get_by_role("heading", name="Safeguarding", exact=True).is_visible()
    concerns = page.get_by_role("table", name=re.compile(r"^Safeguarding concerns by category and term"))
    assert concerns.is_visible() and concerns.get_by_role("row").count() >= 3
    assert page.locator("figure.chart svg[aria-labelledby^='chart-provision-']").count() == 3
    check_accessibility(page, "reports-01b-governors-report-this-term")

    href = page.get_by_role("link", name="Download the report as PDF").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Communication and interaction" in text and re.search(r"Spr \d\d/\d\d", text)
    assert "Impact of each provision" in text and "Spend against the notional SEN budget" in text

    page.get_by_role("link", name="SEN information report").click()
    page.wait_for_url(re.compile(r"/reports/information/\d{4}/$"))
    assert page.get_by_role("heading", name=re.compile(r"^SEN information report")).is_visible()
    check_accessibility(page, "reports-02-information-report-governor")


def test_the_public_sen_information_report_needs_no_sign_in_and_the_census_check_reads_well(
    demo_school, live_server, page, check_accessibility
):
    from demo.management.commands.seed_demo import DEMO_URN

    page.goto(f"{live_server.url}/sen-information-report/{DEMO_URN}/")
    assert page.get_by_role("heading", name=re.compile(r"^SEN information report")).is_visible()
    assert page.locator("section.report-section").count() == 23
    check_accessibility(page, "reports-03-public-information-report")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("senco")
    page.get_by_label("Password").fill("send-mis-demo")
    page.get_by_role("button", name="Sign in").click()
    enter_demo_code(page)  # the SENCO signs in with a second factor
    page.wait_for_url(re.compile(r"/dashboard/$"))
    page.goto(f"{live_server.url}/reports/census/")
    assert page.get_by_role("heading", name="What the census will reject or query").is_visible()
    check_accessibility(page, "reports-04-census-check")
