"""A SENCO walks the EHC pages of the demo school, and each page passes axe (no serious or critical issue)."""

import re

import pytest

from tests.conftest import enter_demo_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_senco_reads_the_ehc_caseload_a_plan_and_a_review(demo_school, live_server, page, check_accessibility):
    from ehc.models import AnnualReview

    # The review held last week, its report not yet sent: the richest review workspace in the demo.
    review = AnnualReview.objects.select_related("plan__pupil").get(held_on__isnull=False, report_sent_on__isnull=True)
    pupil = review.plan.pupil

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("senco")
    page.get_by_label("Password").fill("send-mis-demo")
    page.get_by_role("button", name="Sign in").click()
    enter_demo_code(page)
    page.wait_for_url(re.compile(r"/dashboard/$"))

    page.goto(f"{live_server.url}/ehc/")
    assert page.get_by_role("heading", name="Active EHC plans (11)").is_visible()
    assert page.get_by_role("heading", name="Open EHC deadlines").is_visible()
    check_accessibility(page, "ehc-01-index")

    page.locator(f'a[href="/ehc/pupils/{pupil.pk}/"]').first.click()
    page.wait_for_url(re.compile(rf"/ehc/pupils/{pupil.pk}/$"))
    assert page.get_by_role("heading", name="Annual reviews").is_visible()
    check_accessibility(page, "ehc-02-pupil-overview")

    page.get_by_role("link", name=re.compile(r"Nottingham City plan, issued")).click()
    page.wait_for_url(re.compile(rf"/ehc/plans/{review.plan.pk}/$"))
    assert page.get_by_text("Outcomes").first.is_visible()
    check_accessibility(page, "ehc-03-plan-detail")

    page.locator(f'a[href="/ehc/reviews/{review.pk}/"]').first.click()
    page.wait_for_url(re.compile(rf"/ehc/reviews/{review.pk}/$"))
    check_accessibility(page, "ehc-04-review-workspace")

    # The letters as the school sends them: letterhead, date, the invitee greeted by name, a named signatory.
    page.goto(f"{live_server.url}/ehc/reviews/{review.pk}/invitation/")
    assert page.get_by_text("Dear Jo Hardy,").is_visible()
    assert page.get_by_text("Claremont Road").first.is_visible()
    check_accessibility(page, "ehc-04b-invitation-letters")
    page.goto(f"{live_server.url}/ehc/reviews/{review.pk}/report/")
    assert page.get_by_text("David Marsh").last.is_visible()
    check_accessibility(page, "ehc-04c-review-report")

    page.goto(f"{live_server.url}/ehc/")
    page.get_by_role("link", name="LA timeliness").click()
    page.wait_for_url(re.compile(r"/ehc/la-timeliness/$"))
    check_accessibility(page, "ehc-05-la-timeliness")
