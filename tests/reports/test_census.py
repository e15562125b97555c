"""The census check: E, K and N add up to the roll, needs are ranked, the checklist finds what the census would
reject, the CSV is formula-safe, and a bad census day is explained rather than a 500."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ehc.models import EhcPlan
from pupils import services as pupil_services
from pupils.models import RegisterStatus
from reports.census import census_figures

pytestmark = pytest.mark.django_db

DAY = date(2026, 1, 15)


@pytest.fixture
def plan_not_on_register(pupil_ash, senco_a, needs):
    """pupil_ash: an EHC plan issued in December, but the register still says SEN support."""
    pupil_services.register_entry_add(
        pupil=pupil_ash,
        status=RegisterStatus.SEN_SUPPORT,
        primary_need=needs["SEMH"],
        secondary_need=needs["SLCN"],
        started_on=date(2024, 9, 2),
        start_reason="Fixture",
        actor=senco_a,
    )
    EhcPlan.objects.create(pupil=pupil_ash, la_name="Nottingham City", issued_on=date(2025, 12, 1), created_by=senco_a)
    return pupil_ash


def test_e_k_and_n_add_up_to_the_roll_and_needs_are_ranked(school_a, make_pupils, oak_entry, plan_not_on_register):
    make_pupils(40, school_a)  # 2 K (SLCN), 2 E (ASD), 2 monitoring (N to the census)

    figures = census_figures(school_a, day=DAY)

    e, k, n = (int(row.cells[0]) for row in figures.provision.rows)
    assert (e, k) == (2, 4)  # oak (SLCN) and ash (SEMH, secondary SLCN) are both K
    assert e + k + n == int(figures.provision.foot.cells[0]) == 42
    ranked = {row.cells[0]: row.cells[1:] for row in figures.needs.rows}
    assert ranked["SLCN"] == ["3", "1"] and ranked["SEMH"] == ["1", "0"] and ranked["ASD"] == ["2", "0"]
    assert figures.needs.rows[0].cells[0] == "SLCN"  # most common first


def test_the_checklist_finds_a_plan_issued_while_the_register_says_k(school_a, plan_not_on_register, oak_entry):
    figures = census_figures(school_a, day=DAY)
    by_title = {check.title: check.pupils for check in figures.checks}
    assert by_title["EHC plan issued, register not showing E"] == [plan_not_on_register]
    assert by_title["SEN support with no type of need"] == []
    assert figures.problems == 1
    # Before the plan was issued there is nothing to put right.
    assert census_figures(school_a, day=date(2025, 11, 1)).problems == 0


def test_the_senco_sees_the_checklist_by_name_and_downloads_the_figures(login, senco_a, plan_not_on_register):
    client = login(senco_a)
    page = client.get(reverse("reports:census"), {"day": "2026-01-15"}).content.decode()
    assert "1 record to put right" in page and plan_not_on_register.legal_surname in page

    response = client.get(reverse("reports:census-csv"), {"day": "2026-01-15"})
    assert response.status_code == 200
    assert 'filename="census-122000-2026-01-15.csv"' in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "SEN provision,Pupils" and "K: SEN support,1" in lines
    assert plan_not_on_register.legal_surname not in response.content.decode()


def test_a_bad_census_day_is_explained_not_a_500(login, senco_a, school_a):
    response = login(senco_a).get(reverse("reports:census"), {"day": "31/02/2026"})
    assert response.status_code == 200
    assert "Census day: Enter a valid date." in response.content.decode()
