"""The SENCO's statutory calendar settings: the transition review planning day and the school days allowed to
tell parents about SEN support; the transfer year groups (reg 2(1), 18) are shown, set by the head in the
school's details. SENCO only; bad input kept and explained."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.urls import reverse

from pupils.models import YearGroup

URL = reverse("pupils:statutory-settings")


def _post(client, **changes):
    data = {
        "transition_review_by_month": "10",
        "transition_review_by_day": "15",
        "parents_told_school_days": "5",
        **changes,
    }
    return client.post(URL, data)


def test_the_senco_sets_the_planning_day_and_sees_the_transfer_years(login, senco_a, school_a):
    client = login(senco_a)
    page = client.get(URL).content.decode()
    assert "Year groups that change phase next September: <strong>Year 6</strong>" in page
    assert "The head sets these in the school&#x27;s details" in page or "The head sets these" in page
    response = _post(client)
    assert response.status_code == 302
    school_a.refresh_from_db()
    assert (school_a.transition_review_by_month, school_a.transition_review_by_day) == (10, 15)
    assert school_a.parents_told_school_days == 5
    assert LogEntry.objects.filter(object_pk=str(school_a.pk), actor=senco_a).exists()


def test_the_senco_page_cannot_change_the_transfer_years(login, senco_a, school_a):
    _post(login(senco_a), transfer_year_groups=["2"], uses_phase_defaults="")
    school_a.refresh_from_db()
    assert school_a.transfer_year_groups is None
    assert school_a.phase_transfer_year_groups() == {YearGroup.YEAR_6}


def test_bad_settings_are_refused_with_the_data_kept(login, senco_a, school_a):
    client = login(senco_a)
    response = _post(
        client, transition_review_by_day="31", parents_told_school_days="0", transition_review_by_month="3"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value is less than or equal to 30." in page
    assert "Ensure this value is greater than or equal to 1." in page
    assert "Select a valid choice." in page
    assert 'value="31"' in page
