"""Provision lists beyond the access matrix (tests/test_access_matrix.py): names never leak to those who may
not see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    request,
    class_oak,
    pupil_oak,
    provision_flag,
    provision_plan,
    provision_passport,
    provision_points,
    senco_a,
    teacher_a,
    teacher_b,
    head_a,
    governor_a,
    dsl_a,
    senco_b,
):
    return {
        "class": class_oak,
        "pupil": pupil_oak,
        "flag": provision_flag,
        "plan": provision_plan,
        "cycle": provision_plan.cycles.get(),
        "point": provision_points[-1],
        "users": {
            "senco_a": senco_a,
            "teacher_a": teacher_a,
            "teacher_b": teacher_b,
            "head_a": head_a,
            "governor_a": governor_a,
            "dsl_a": dsl_a,
            "senco_b": senco_b,
        },
    }


@pytest.mark.parametrize("role", ["teacher_b", "governor_a", "senco_b"])
def test_pupil_names_do_not_leak_to_those_who_may_not_see_them(role, world, login):
    client = login(world["users"][role])
    for name in ("flag-list", "meetings-due", "passports"):
        response = client.get(reverse(f"provision:{name}"))
        assert b"Thistlewood" not in response.content
