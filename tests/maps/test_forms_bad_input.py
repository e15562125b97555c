"""Every provision-map form with bad input: a clear message, what was typed kept, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from provision.models import Group, Provision, StaffRate

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


GOOD_PROVISION = {
    "name": "Lego therapy",
    "broad_area": "ci",
    "wave": "2",
    "intended_outcome": "Takes turns and shares in a group of three.",
    "measure_name": "Adult rating",
    "measure_scale": "rating",
    "staff_type": "ta3",
    "cost_category": "ta",
    "group_size": "3",
    "session_minutes": "40",
    "sessions_per_week": "2",
    "weeks": "10",
    "non_hour_cost": "60.00",
    "funding_source": "Notional SEN budget",
    "is_active": "on",
}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"name": ""}, "This field is required."),
        ({"group_size": "0"}, "greater than or equal to 1"),
        ({"session_minutes": "many"}, "Enter a whole number."),
        ({"non_hour_cost": "-5"}, "greater than or equal to 0"),
        ({"measure_scale": "shoe size"}, "Select a valid choice."),
    ],
)
def test_a_bad_provision_is_refused_and_kept(login, senco_a, change, message):
    page = _post(login(senco_a), reverse("maps:provision-add"), GOOD_PROVISION | change)
    assert message in page
    assert "Takes turns and shares in a group of three." in page
    assert not Provision.objects.exists()


def test_an_empty_provision_post_binds_and_says_what_is_missing(login, senco_a):
    response = login(senco_a).post(reverse("maps:provision-add"), {})

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["This field is required."]
    assert not Provision.objects.exists()


def test_a_provision_of_the_same_name_is_refused(login, senco_a, reading):
    page = _post(login(senco_a), reverse("maps:provision-add"), GOOD_PROVISION | {"name": reading.name})
    assert "already exists" in page


def test_a_good_provision_is_added(login, senco_a):
    response = login(senco_a).post(reverse("maps:provision-add"), GOOD_PROVISION)
    assert response.status_code == 302
    assert Provision.objects.get().name == "Lego therapy"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"staff_type": "ta2", "hourly_rate": "-1", "on_cost": "1.3", "valid_from": "2026-09-01"}, "greater than"),
        ({"staff_type": "ta2", "hourly_rate": "12", "on_cost": "0.5", "valid_from": "2026-09-01"}, "greater than"),
        ({"staff_type": "ta2", "hourly_rate": "12", "on_cost": "1.3", "valid_from": "1st Sept"}, "Enter a valid date."),
        ({"staff_type": "cook", "hourly_rate": "12", "on_cost": "1.3", "valid_from": "2026-09-01"}, "valid choice"),
    ],
)
def test_a_bad_rate_is_refused(login, head_a, data, message):
    page = _post(login(head_a), reverse("maps:rates"), data)
    assert message in page
    assert not StaffRate.objects.exists()


def test_a_bad_budget_is_refused_and_kept(login, head_a):
    page = _post(
        login(head_a),
        reverse("maps:budget"),
        {"financial_year": "2026", "notional_budget": "lots", "top_up_funding": "1500"},
    )
    assert "Enter a number." in page and 'value="1500"' in page


def test_a_group_that_ends_before_it_starts_is_refused(login, senco_a, reading, today):
    page = _post(
        login(senco_a),
        reverse("maps:group-add"),
        {
            "provision": reading.pk,
            "name": "Backwards",
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert "cannot end before it starts" in page and 'value="Backwards"' in page
    assert not Group.objects.exists()


def test_a_group_bigger_than_the_provision_is_refused(login, senco_a, reading, make_pupils, class_oak, today):
    pupils = make_pupils(5, class_oak.school, class_oak)
    page = _post(
        login(senco_a),
        reverse("maps:group-add"),
        {
            "provision": reading.pk,
            "name": "Crowd",
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "pupils": [p.pk for p in pupils],
        },
    )
    assert "at most 4 pupils" in page


def test_a_pupil_joining_outside_the_groups_dates_is_refused(login, senco_a, oak_group, pupil_ash, today):
    page = _post(
        login(senco_a),
        reverse("maps:group-allocate", args=[oak_group.pk]),
        {"pupil": pupil_ash.pk, "joined_on": (today + timedelta(days=365)).isoformat()},
    )
    assert "between the group&#x27;s start and end dates" in page


def test_leaving_before_joining_is_refused(login, senco_a, oak_group):
    place = oak_group.allocations.get()
    page = _post(
        login(senco_a),
        reverse("maps:place-end", args=[oak_group.pk, place.pk]),
        {"left_on": (place.joined_on - timedelta(days=1)).isoformat()},
    )
    assert "cannot leave before they joined" in page


def _week_data(oak_group, status, reason="", minutes="30"):
    return {"d0_status": status, "d0_minutes": minutes, "d0_reason": reason} | {
        f"d{n}_minutes": "30" for n in range(1, 5)
    }


def test_a_cancelled_session_needs_a_reason(login, senco_a, oak_group, today):
    url = reverse("maps:group-week", args=[oak_group.pk]) + f"?week={(today - timedelta(days=7)).isoformat()}"
    page = _post(login(senco_a), url, _week_data(oak_group, "cancelled"))
    assert "was cancelled" in page
    assert not oak_group.sessions.exists()


def test_bad_minutes_are_refused(login, senco_a, oak_group, today):
    url = reverse("maps:group-week", args=[oak_group.pk]) + f"?week={(today - timedelta(days=7)).isoformat()}"
    page = _post(login(senco_a), url, _week_data(oak_group, "delivered", minutes="0"))
    assert "greater than or equal to 1" in page


def test_a_session_in_the_future_is_refused(login, senco_a, oak_group, today):
    url = reverse("maps:group-week", args=[oak_group.pk]) + f"?week={(today + timedelta(days=7)).isoformat()}"
    page = _post(login(senco_a), url, _week_data(oak_group, "delivered"))
    assert "in the future" in page


def test_a_week_of_sessions_is_recorded(login, teacher_a, oak_group, hlta_rate, today):
    url = reverse("maps:group-week", args=[oak_group.pk]) + f"?week={(today - timedelta(days=7)).isoformat()}"
    place = oak_group.allocations.get()
    data = _week_data(oak_group, "delivered") | {"d1_status": "delivered", f"d1_absent_{place.pk}": "on"}
    response = login(teacher_a).post(url, data)
    assert response.status_code == 302
    assert sorted(oak_group.sessions.values_list("present_count", flat=True)) == [0, 1]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"entry": "300", "entry_on": "2026-09-01"}, "Enter a score of 240 or less."),
        ({"entry": "eighty"}, "Enter a number."),
        ({"entry": "84"}, "Give the date of the entry assessment."),
        ({"entry": "84", "exit": "90", "entry_on": "2026-12-01", "exit_on": "2026-09-01"}, "cannot come before"),
    ],
)
def test_bad_scores_are_refused_and_kept(login, senco_a, oak_group, data, message):
    place = oak_group.allocations.get()
    post = {"entry_on": data.get("entry_on", ""), "exit_on": data.get("exit_on", "")}
    post |= {f"entry_{place.pk}": data.get("entry", ""), f"exit_{place.pk}": data.get("exit", "")}
    page = _post(login(senco_a), reverse("maps:group-scores", args=[oak_group.pk]), post)
    assert message in page
    assert f'value="{data["entry"]}"' in page
    place.refresh_from_db()
    assert place.entry_score is None
