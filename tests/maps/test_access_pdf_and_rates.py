"""Provision-map access beyond the single matrix (tests/test_access_matrix.py): the costed PDF (200, or 503 where
WeasyPrint's libraries are missing) and the head alone setting a staff rate."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "senco_a", "teacher_a", "teacher_b", "head_a", "governor_a", "dsl_a", "senco_b")


def _row(anonymous, senco_a, teacher_a, teacher_b, head_a, governor_a, dsl_a, senco_b):
    return dict(zip(ROLES, (anonymous, senco_a, teacher_a, teacher_b, head_a, governor_a, dsl_a, senco_b), strict=True))


# School-wide pages (senco_b sees their own school's, so 200 where a SENCO may).
STAFF = _row(302, 200, 200, 200, 200, 403, 200, 200)
MAP = _row(302, 200, 403, 403, 200, 403, 200, 200)
MANAGERS = _row(302, 200, 403, 403, 200, 403, 403, 200)
HEAD_ONLY = _row(302, 403, 403, 403, 200, 403, 403, 403)
# The oak group holds pupil_oak (3 Oak, teacher_a's); teacher_b neither leads it nor teaches its pupils.
GROUP_VIEW = _row(302, 200, 200, 404, 200, 404, 200, 404)
GROUP_RECORD = _row(302, 200, 200, 404, 200, 404, 403, 404)
GROUP_MANAGE = _row(302, 200, 403, 404, 200, 404, 403, 404)
# pupil_oak's pages: the core's sight of the pupil, then costs for the SENCO and head only.
PUPIL_VIEW = _row(302, 200, 200, 404, 200, 404, 200, 404)
PUPIL_COSTS = _row(302, 200, 403, 404, 200, 404, 403, 404)

G = lambda w: {"group_id": w["group"].pk}  # noqa: E731
P = lambda w: {"pupil_id": w["pupil"].pk}  # noqa: E731

MATRIX = {
    "map": (lambda w: {}, MAP),
    "map-xlsx": (lambda w: {}, MANAGERS),
    "catalogue": (lambda w: {}, STAFF),
    "provision-add": (lambda w: {}, MANAGERS),
    "provision-edit": (lambda w: {"provision_id": w["provision"].pk}, _row(302, 200, 403, 403, 200, 403, 403, 404)),
    "rates": (lambda w: {}, MANAGERS),
    "budget": (lambda w: {}, HEAD_ONLY),
    "costs": (lambda w: {}, MANAGERS),
    "impact": (lambda w: {}, MAP),
    "timetable": (lambda w: {}, STAFF),
    "class": (lambda w: {}, STAFF),
    "group-add": (lambda w: {}, MANAGERS),
    "group": (G, GROUP_VIEW),
    "group-allocate": (G, GROUP_MANAGE),
    "place-end": (lambda w: {"group_id": w["group"].pk, "allocation_id": w["place"].pk}, GROUP_MANAGE),
    "place-support": (lambda w: {"group_id": w["group"].pk, "allocation_id": w["place"].pk}, GROUP_MANAGE),
    "group-week": (G, GROUP_RECORD),
    "group-scores": (G, GROUP_RECORD),
    "pupil": (P, PUPIL_VIEW),
    "pupil-costed": (P, PUPIL_COSTS),
    "pupil-costed-xlsx": (P, PUPIL_COSTS),
    "pupil-costed-csv": (P, PUPIL_COSTS),
}
# The PDF needs WeasyPrint's libraries: 200, or 503 with what to install; the refusals are the same.
PDF = "pupil-costed-pdf"


@pytest.fixture
def world(
    oak_session, oak_group, pupil_oak, reading, senco_a, teacher_a, teacher_b, head_a, governor_a, dsl_a, senco_b
):
    return {
        "group": oak_group,
        "place": oak_group.allocations.get(),
        "pupil": pupil_oak,
        "provision": reading,
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


@pytest.mark.parametrize("role", ROLES)
def test_the_costed_pdf_follows_the_costs_rule(role, world, login):
    response = login(world["users"].get(role)).get(reverse(f"maps:{PDF}", kwargs=P(world)))
    expected = PUPIL_COSTS[role]
    assert response.status_code in ((200, 503) if expected == 200 else (expected,))


@pytest.mark.parametrize("role, expected", [("senco_a", 403), ("head_a", 302), ("teacher_a", 403), ("governor_a", 403)])
def test_only_the_head_sets_a_staff_rate(role, expected, world, login):
    response = login(world["users"][role]).post(
        reverse("maps:rates"),
        {"staff_type": "ta2", "hourly_rate": "12.00", "on_cost": "1.30", "valid_from": "2026-09-01"},
    )
    assert response.status_code == expected
