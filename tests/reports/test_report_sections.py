"""The governors' report's provision and safeguarding sections against hand-worked figures: hours and spend by area
and wave, places suppressed with their totals, spend against the notional SEN budget, the impact table with
provisions named only, and concerns counted by category and term, suppressed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from provision.models import SenBudget
from reports import selectors
from reports.periods import Period
from safeguarding.models import Category
from tests.fixtures.maps import make_provision
from tests.fixtures.reports import concerns, half_terms, run_group

pytestmark = pytest.mark.django_db

TODAY = date(2026, 1, 10)
AUTUMN = Period(2025, "autumn")  # 1 September to 31 December 2025; financial year 2025 runs April 2025 to March 2026


@pytest.fixture
def provision_map(school_a, senco_a, make_pupils):
    """Reading boost (cognition and learning, wave 2, 120 pounds of other costs a group): 8 pupils, 10 weekly
    sessions of 30 minutes at 18.85 from 6 October 2025, changes +6 for six pupils and 0 for two. Calm space
    (SEMH, wave 3, no other costs): 2 pupils, 4 sessions of 60 minutes at 25.00 from 3 November, change +2."""
    pupils = make_pupils(12, school_a)
    reading = make_provision(school_a, senco_a)
    calm = make_provision(school_a, senco_a, name="Calm space", broad_area="semh", wave=3, non_hour_cost=Decimal(0))
    run_group(reading, pupils[:8], actor=senco_a, starts_on=date(2025, 10, 6), sessions=10, changes=[6, 6, 6, 0])
    run_group(
        calm,
        pupils[8:10],
        actor=senco_a,
        starts_on=date(2025, 11, 3),
        sessions=4,
        minutes=60,
        session_cost=Decimal("25.00"),
        changes=[2],
    )
    SenBudget.objects.create(
        school=school_a, financial_year=2025, notional_budget=Decimal(10000), top_up_funding=Decimal(2000)
    )
    return school_a


def _table(section, key):
    return next(t for t in section.tables if t.key == key)


def test_hours_and_spend_by_area_and_wave_match_a_hand_count(provision_map):
    section = selectors.provision_section(provision_map, AUTUMN, today=TODAY)

    assert section.available
    # Reading boost: 10 x 30 min = 5.0 hours; 10 x 18.85 = 188.50 staff + 120.00 other = 308.50.
    # Calm space: 4 x 60 min = 4.0 hours; 4 x 25.00 = 100.00. In all 9.0 hours and 408.50 (75.5% and 24.5%).
    areas = {row.label: row.cells for row in _table(section, "provision-areas").rows}
    assert areas["Cognition and learning"] == ["5.0", "£189", "£120", "£309", "75.5%"]
    assert areas["Social, emotional and mental health"] == ["4.0", "£100", "£0", "£100", "24.5%"]
    assert areas["Communication and interaction"] == ["0.0", "£0", "£0", "£0", "0.0%"]
    assert _table(section, "provision-areas").foot.cells == ["9.0", "£289", "£120", "£409", "100.0%"]
    waves = {row.label: row.cells for row in _table(section, "provision-waves").rows}
    assert waves["Wave 2: targeted small group"][0:4] == ["5.0", "£189", "£120", "£309"]
    assert waves["Wave 3: individual or specialist"][0:4] == ["4.0", "£100", "£0", "£100"]
    assert section.headline["hours"] == "9.0" and section.headline["spend"] == "£409"


def test_places_are_suppressed_so_no_total_gives_a_small_count_back(provision_map):
    section = selectors.provision_section(provision_map, AUTUMN, today=TODAY)
    places = _table(section, "provision-places")
    rows = {row.label: row.cells for row in places.rows}

    # The 2 SEMH places are fewer than 5 (and so SEMH's row and wave 3's column); the whole (10) minus wave 2's 8
    # would give them back, so wave 2's total is hidden, and then the 8 in cognition and learning with its row.
    assert rows["Social, emotional and mental health"] == ["0", "0", "fewer than 5", "fewer than 5"]
    assert rows["Cognition and learning"] == ["0", "hidden", "0", "hidden"]
    assert places.foot.cells == ["0", "hidden", "fewer than 5", "10"]
    assert places.note.endswith("Pupils receiving any provision: 10.")


def test_spend_is_set_against_the_notional_sen_budget_of_the_financial_year(provision_map):
    section = selectors.provision_section(provision_map, AUTUMN, today=TODAY)
    budget = {row.label: row.cells[0] for row in _table(section, "provision-budget").rows}

    # 10,000 + 2,000 = 12,000; 408.50 spent (3.4%); 11,591.50 left.
    assert budget["Notional SEN budget (element 2)"] == "£10,000"
    assert budget["Budget in all"] == "£12,000"
    assert budget["Spent on provision from 1 April 2025 to 10 January 2026"] == "£409"
    assert budget["Remaining"] == "£11,592"
    assert budget["Share of the budget spent"] == "3.4%"
    assert [c.key for c in section.charts] == ["provision-spend", "provision-hours", "provision-budget"]


def test_the_impact_table_names_provisions_only_and_hides_small_counts(provision_map):
    section = selectors.provision_section(provision_map, AUTUMN, today=TODAY)
    impact = {row.label: row.cells for row in _table(section, "provision-impact").rows}

    # Reading boost: mean (6 x 6 + 2 x 0) / 8 = 4.5, 6 of 8 improved; (188.50 + 120) / 8 = 38.56 a pupil.
    assert impact["Reading boost"] == ["Cognition and learning", "Wave 2", "8", "8", "+4.5", "75%", "–", "£39"]
    assert impact["Calm space"] == [
        "Social, emotional and mental health",
        "Wave 3",
        "fewer than 5",
        "fewer than 5",
        "fewer than 5 pupils",
        "fewer than 5 pupils",
        "–",
        "£50",
    ]
    assert list(impact) == ["Reading boost", "Calm space"]


def test_without_a_budget_the_report_says_so(provision_map):
    SenBudget.objects.all().delete()
    section = selectors.provision_section(provision_map, AUTUMN, today=TODAY)
    assert "No notional SEN budget is entered for 2025 to 2026" in _table(section, "provision-budget").note
    assert section.headline["budget"] == "not entered" and len(section.charts) == 2


def test_a_school_with_no_provision_is_told_plainly(school_a):
    section = selectors.provision_section(school_a, AUTUMN, today=TODAY)
    assert not section.available and "No provision is recorded for Autumn term 2025 to 2026" in section.message


# --- Safeguarding --------------------------------------------------------------------------------------------


@pytest.fixture
def concern_records(school_a, dsl_a, make_pupils):
    """Autumn 1 2025: 6 neglect, 2 online. Autumn 2: 7 neglect, 5 online, 1 not yet triaged. One in the
    previous year, outside the period."""
    half_terms(school_a, 2025)
    half_terms(school_a, 2024)
    neglect = Category.objects.create(school=school_a, name="Neglect")
    online = Category.objects.create(school=school_a, name="Online")
    pupils = iter(make_pupils(22, school_a))

    def take(n):
        return [next(pupils) for _ in range(n)]

    concerns(take(6), school=school_a, actor=dsl_a, on=date(2025, 10, 1), category=neglect)
    concerns(take(2), school=school_a, actor=dsl_a, on=date(2025, 10, 2), category=online)
    concerns(take(7), school=school_a, actor=dsl_a, on=date(2025, 11, 10), category=neglect)
    concerns(take(5), school=school_a, actor=dsl_a, on=date(2025, 11, 12), category=online)
    concerns(take(1), school=school_a, actor=dsl_a, on=date(2025, 11, 20), category=None)
    concerns(take(1), school=school_a, actor=dsl_a, on=date(2024, 11, 20), category=neglect)
    return school_a


def test_concerns_are_counted_by_category_and_term_and_suppressed(concern_records):
    section = selectors.safeguarding_section(concern_records, AUTUMN, today=TODAY)
    (table,) = section.tables

    assert table.columns == ["Category", "Autumn 1 2025", "Autumn 2 2025", "All terms"]
    rows = {row.label: row.cells for row in table.rows}
    # Primary: online in Autumn 1 (2), the uncategorised one and its row. Online's row (7) would give the 2 back:
    # its 5 is hidden; Autumn 1's total (8) would: neglect's 6 is hidden; the whole (21) minus neglect's 13 and
    # the 1 would give online's 7: it is hidden; then neglect's 13 minus its hidden 6 gives the 7: hidden too.
    assert rows == {
        "Neglect": ["hidden", "hidden", "13"],
        "Online": ["fewer than 5", "hidden", "hidden"],
        "Not yet categorised": ["0", "fewer than 5", "fewer than 5"],
    }
    assert table.foot.cells == ["8", "13", "21"]
    assert section.headline == {"concerns": "21"}


def test_the_dsls_counts_page_uses_the_same_rule(concern_records, login, governor_a):
    body = login(governor_a).get(reverse("safeguarding:counts")).content.decode()
    assert "<td>fewer than 5</td>" in body and "<td>hidden</td>" in body and "<td>c</td>" not in body


def test_without_terms_the_safeguarding_section_says_why(school_a):
    section = selectors.safeguarding_section(school_a, AUTUMN, today=TODAY)
    assert not section.available and "No school terms are set up" in section.message


def test_every_new_table_downloads_as_csv_and_a_provision_name_cannot_run_as_a_formula(
    provision_map, concern_records, login, governor_a
):
    from provision.models import Provision

    Provision.objects.filter(name="Calm space").update(name='=HYPERLINK("http://evil.example","click")')
    client = login(governor_a)
    keys = [
        "provision-areas",
        "provision-waves",
        "provision-places",
        "provision-budget",
        "provision-impact",
        "safeguarding-concerns",
    ]
    for key in keys:
        response = client.get(reverse("reports:governors-csv", args=[key]), {"period": "2025-autumn"})
        assert response.status_code == 200, key
        assert response["Content-Type"].startswith("text/csv")
        assert f"{provision_map.urn}-2025-autumn-{key}.csv" in response["Content-Disposition"]
    impact = client.get(reverse("reports:governors-csv", args=["provision-impact"]), {"period": "2025-autumn"})
    text = impact.content.decode()
    assert "'=HYPERLINK" in text and "\r\n=HYPERLINK" not in text
    assert text.splitlines()[1].startswith("Reading boost,Cognition and learning,Wave 2,8,8,+4.5,75%")
    concerns_csv = client.get(
        reverse("reports:governors-csv", args=["safeguarding-concerns"]), {"period": "2025-autumn"}
    )
    assert concerns_csv.content.decode().splitlines()[1] == "Neglect,hidden,hidden,13"


def test_the_governors_page_shows_both_sections_with_their_charts(provision_map, concern_records, login, governor_a):
    page = login(governor_a).get(reverse("reports:governors"), {"period": "2025-autumn"}).content.decode()
    for key in ("provision-spend", "provision-hours", "provision-budget"):
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in page
    for key in ("provision-areas", "provision-waves", "provision-places", "provision-budget", "provision-impact"):
        assert f'id="table-{key}"' in page
    assert 'id="table-safeguarding-concerns"' in page
    assert "style=" not in page.split("<main", 1)[1]
