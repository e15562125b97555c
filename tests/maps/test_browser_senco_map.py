"""In a real headless browser: the SENCO adds a provision, starts a group of four, records a week of sessions,
enters entry and exit scores, then opens the impact table and a pupil's costed map; every page passes axe-core,
and the costed map's spreadsheet opens with openpyxl holding the expected cells."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from provision.models import Group, Provision
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    # Signed in as after the whole sign-in, second factor included (tests.conftest.sign_in).
    client = sign_in(Client(), user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_senco_builds_a_group_records_a_week_and_reads_impact_and_cost(
    live_server, page, check_accessibility, senco_a, hlta_rate, pupil_oak, class_oak, make_pupils, today
):
    pupils = [pupil_oak, *make_pupils(3, class_oak.school, class_oak)]
    _sign_in(page, live_server, senco_a)

    page.goto(f"{live_server.url}/provision/maps/catalogue/")
    check_accessibility(page, "maps-01-catalogue")
    page.get_by_role("link", name="Add a provision").click()
    page.get_by_label("Name", exact=True).fill("Reading boost")
    page.get_by_label("Area of need").select_option(label="Cognition and learning")
    page.get_by_label("Intended outcome").fill("Reading age up six months in a term.")
    page.get_by_label("Entry and exit measure").fill("Salford reading test")
    page.get_by_label("Scale of the measure").select_option(label="Reading or spelling age (months)")
    page.get_by_label("Delivered by", exact=True).select_option(label="Higher level teaching assistant")
    page.get_by_label("Category of cost").select_option(label="Teaching assistant")
    page.get_by_label("Group size").fill("4")
    page.get_by_label("Session minutes").fill("30")
    page.get_by_label("Sessions per week").fill("3")
    page.get_by_label("Non-hour costs per group").fill("120.00")
    check_accessibility(page, "maps-02-provision-form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/provision/maps/catalogue/$"))
    assert page.get_by_text("Provision added to the catalogue.").is_visible()

    page.goto(f"{live_server.url}/provision/maps/groups/new/")
    page.get_by_label("Provision", exact=True).select_option(label="Reading boost")
    page.get_by_label("Name", exact=True).fill("Reading boost, Year 3")
    page.get_by_label("First session on or after").fill((today - timedelta(days=21)).isoformat())
    page.get_by_label("Ends on").fill((today + timedelta(days=60)).isoformat())
    page.get_by_label("Pupils").select_option([str(p.pk) for p in pupils])
    check_accessibility(page, "maps-03-group-form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/provision/maps/groups/[0-9a-f-]{36}/$"))
    group = Group.objects.get()
    assert group.allocations.count() == 4
    check_accessibility(page, "maps-04-group")

    page.get_by_role("link", name="Record this week's sessions").click()
    page.get_by_role("link", name="Previous week").click()
    page.wait_for_url(re.compile(r"\?week="))
    days = page.locator("form fieldset.field")
    for n in (0, 2, 4):
        days.nth(n).get_by_label("Delivered", exact=True).check()
    days.nth(2).get_by_label(f"{pupil_oak.display_name} absent").check()
    days.nth(1).get_by_label("Cancelled", exact=True).check()
    days.nth(1).get_by_label("Reason, if cancelled").fill("Staff training day")
    check_accessibility(page, "maps-05-week")
    page.get_by_role("button", name="Save the week").click()
    page.wait_for_url(re.compile(r"/provision/maps/groups/[0-9a-f-]{36}/$"))
    assert page.get_by_text("4 sessions recorded.").is_visible()
    assert sorted(group.sessions.values_list("present_count", flat=True)) == [0, 3, 4, 4]

    page.get_by_role("link", name="Entry and exit scores").click()
    page.get_by_label("Entry assessment on").fill((today - timedelta(days=21)).isoformat())
    page.get_by_label("Exit assessment on").fill(today.isoformat())
    for i, pupil in enumerate(pupils):
        page.get_by_label(f"Entry score for {pupil.display_name}").fill(str(80 + i))
        page.get_by_label(f"Exit score for {pupil.display_name}").fill(str(84 + 2 * i))
    check_accessibility(page, "maps-06-scores")
    page.get_by_role("button", name="Save scores").click()
    page.wait_for_url(re.compile(r"/provision/maps/groups/[0-9a-f-]{36}/$"))

    page.goto(f"{live_server.url}/provision/maps/impact/")
    row = page.locator("tr", has_text="Reading boost")
    assert "5.5" in row.inner_text()  # changes 4, 5, 6 and 7: a mean of 5.5, all four improved
    check_accessibility(page, "maps-07-impact")

    page.goto(f"{live_server.url}/provision/maps/pupils/{pupil_oak.pk}/costed/")
    check_accessibility(page, "maps-08-costed")
    with page.expect_download() as download:
        page.get_by_role("link", name="Spreadsheet (xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = book.active
    assert sheet["A1"].value == "Costed provision map"
    assert sheet["A2"].value == "Pupil" and sheet["B2"].value == "UPN"
    assert sheet["A3"].value == pupil_oak.display_name and sheet["B3"].value == pupil_oak.upn
    assert sheet["H3"].value == "Reading boost"
    headings = [c.value for c in sheet[2]]
    assert sheet.cell(3, headings.index("Annual cost per pupil (£)") + 1).value == 114.83
    # pupil_oak attended two sessions of four and none of three: 2 x 9.43 / 4, plus 30.00 of non-hour costs.
    assert sheet.cell(3, headings.index("Delivered cost to date (£)") + 1).value == 34.72
    assert Provision.objects.get().groups.count() == 1
