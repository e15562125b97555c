"""In a real headless browser: a teacher enters a class's scores, sees a flag, raises an SEN concern; each
page passes axe-core (no serious or critical violations)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from pupils.models import SenConcern
from tests.fixtures.provision import put_scores

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_teacher_enters_scores_sees_a_flag_and_raises_a_concern(
    live_server,
    page,
    check_accessibility,
    teacher_a,
    pupil_oak,
    class_oak,
    make_pupils,
    provision_points,
    provision_subjects,
):
    reading = provision_subjects["Reading"]
    for classmate in make_pupils(6, class_oak.school, class_oak):
        put_scores(classmate, reading, provision_points, [94, 100, 106], teacher_a)
    put_scores(pupil_oak, reading, provision_points[:2], [94, 100], teacher_a)
    _sign_in(page, live_server, teacher_a)

    page.goto(f"{live_server.url}/provision/scores/")
    check_accessibility(page, "provision-01-scores")
    page.get_by_role("link", name=re.compile(r"^Partial for 3 Oak, Summer test$")).click()
    page.wait_for_url(re.compile(r"/provision/scores/[0-9a-f-]{36}/[0-9a-f-]{36}/$"))
    check_accessibility(page, "provision-02-grid")
    page.get_by_label("Reading score for Amara Thistlewood").fill("100")
    page.get_by_role("button", name="Save scores").click()
    page.wait_for_load_state()
    assert page.get_by_text("Scores saved").is_visible()
    flag = page.locator(".card", has_text="Amara Thistlewood")
    assert flag.is_visible() and "Slower progress than peers" in flag.inner_text()

    flag.get_by_role("link", name="See the evidence and act").click()
    page.wait_for_url(re.compile(r"/provision/flags/"))
    check_accessibility(page, "provision-03-flags")
    page.get_by_role("link", name="Raise an SEN concern about Amara Thistlewood").click()
    page.wait_for_url(re.compile(r"/concern/$"))
    check_accessibility(page, "provision-04-concern")
    page.get_by_label("What have you tried so far?").fill("Extra reading with the TA twice a week.")
    page.get_by_role("button", name="Send to the SENCO").click()
    page.wait_for_url(re.compile(r"/provision/flags/"))
    assert page.get_by_text("Concern sent to the SENCO.").is_visible()
    assert SenConcern.objects.filter(pupil=pupil_oak, raised_by=teacher_a).exists()


def test_the_graduated_approach_pages_pass_axe(
    live_server,
    page,
    check_accessibility,
    senco_a,
    pupil_oak,
    provision_flag,
    provision_plan,
    provision_passport,
    oak_entry,
):
    from django.urls import reverse

    cycle = provision_plan.cycles.get()
    _sign_in(page, live_server, senco_a)
    pages = {
        "pupil": reverse("provision:pupil", args=[pupil_oak.pk]),
        "plan": reverse("provision:plan-detail", args=[pupil_oak.pk, provision_plan.pk]),
        "plan-form": reverse("provision:cycle-plan", args=[pupil_oak.pk, cycle.pk]),
        "review-form": reverse("provision:cycle-review", args=[pupil_oak.pk, cycle.pk]),
        "meetings-due": reverse("provision:meetings-due"),
        "passport": reverse("provision:passport", args=[pupil_oak.pk]),
        "passports": reverse("provision:passports"),
        "history": reverse("overview:history", args=[pupil_oak.pk]),
        "settings": reverse("provision:settings"),
        "import": reverse("provision:score-import"),
    }
    for name, url in pages.items():
        page.goto(f"{live_server.url}{url}")
        check_accessibility(page, f"provision-{name}")
