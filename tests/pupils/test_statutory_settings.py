"""The school's statutory calendar settings: transfer year groups (reg 2(1), 18), the transition review planning
day, and the school days allowed to tell parents about SEN support. SENCO only; bad input kept and explained."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.urls import reverse

from pupils.models import YearGroup

URL = reverse("pupils:statutory-settings")


def _post(client, **changes):
    data = {
        "transfer_year_groups": ["2"],
        "transition_review_by_month": "10",
        "transition_review_by_day": "15",
        "parents_told_school_days": "5",
        **changes,
    }
    return client.post(URL, data)


def test_the_senco_sets_an_infant_schools_transfer_and_the_planning_day(login, senco_a, school_a):
    client = login(senco_a)
    page = client.get(URL).content.decode()
    assert "Year groups that move to another phase next September" in page
    response = _post(client)
    assert response.status_code == 302
    school_a.refresh_from_db()
    assert school_a.phase_transfer_year_groups() == {YearGroup.YEAR_2}
    assert (school_a.transition_review_by_month, school_a.transition_review_by_day) == (10, 15)
    assert school_a.parents_told_school_days == 5
    assert LogEntry.objects.filter(object_pk=str(school_a.pk), actor=senco_a).exists()


def test_back_to_the_phase_defaults(login, senco_a, school_a):
    client = login(senco_a)
    _post(client)
    _post(client, uses_phase_defaults="on")
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
    response = _post(client, transfer_year_groups=["99"])
    assert response.status_code == 200 and "Select a valid choice." in response.content.decode()
    school_a.refresh_from_db()
    assert school_a.transfer_year_groups is None
