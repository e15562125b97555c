"""Every provision URL for every role of the cast, and anonymous. Teachers reach their own pupils only;
governors nothing (404 for a pupil, 403 for a school-wide page); another school's SENCO gets 404s."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import URLPattern, reverse

from provision import services as provision_services
from provision import urls as provision_urls

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "senco_a", "teacher_a", "teacher_b", "head_a", "governor_a", "dsl_a", "senco_b")


def _row(anonymous, senco_a, teacher_a, teacher_b, head_a, governor_a, dsl_a, senco_b):
    values = (anonymous, senco_a, teacher_a, teacher_b, head_a, governor_a, dsl_a, senco_b)
    return dict(zip(ROLES, values, strict=True))


# Pupil-scoped pages about pupil_oak (3 Oak, taught by teacher_a).
PUPIL_VIEW = _row(302, 200, 200, 404, 200, 404, 200, 404)
PUPIL_WORK = _row(302, 200, 200, 404, 403, 404, 403, 404)
PUPIL_WORK_POST = _row(302, 302, 302, 404, 403, 404, 403, 404)
PUPIL_AGREE_POST = _row(302, 302, 403, 404, 403, 404, 403, 404)
# School-wide pages (senco_b sees their own school's).
SCHOOL_LISTS = _row(302, 200, 200, 200, 200, 403, 200, 200)
SCHOOL_SCORES = _row(302, 200, 200, 200, 403, 403, 403, 200)
SENCO_ONLY = _row(302, 200, 403, 403, 403, 403, 403, 200)
SENCO_ONLY_POST = _row(302, 302, 403, 403, 403, 403, 403, 302)
OAK_GRID = _row(302, 200, 200, 403, 403, 403, 403, 404)

# url name -> (method, kwargs from the world, expected statuses)
MATRIX = {
    "scores": ("get", lambda w: {}, SCHOOL_SCORES),
    "score-grid": ("get", lambda w: {"class_id": w["class"].pk, "point_id": w["point"].pk}, OAK_GRID),
    "score-import": ("get", lambda w: {}, SENCO_ONLY),
    "year-set-up": ("post", lambda w: {}, SENCO_ONLY_POST),
    "settings": ("get", lambda w: {}, SENCO_ONLY),
    "subject-add": ("get", lambda w: {}, SENCO_ONLY),
    "point-add": ("get", lambda w: {}, SENCO_ONLY),
    "flag-list": ("get", lambda w: {}, SCHOOL_LISTS),
    "flags-compute": ("post", lambda w: {}, SENCO_ONLY_POST),
    "flag-dismiss": ("get", lambda w: {"pupil_id": w["pupil"].pk, "flag_id": w["flag"].pk}, PUPIL_WORK),
    "flag-concern": ("get", lambda w: {"pupil_id": w["pupil"].pk, "flag_id": w["flag"].pk}, PUPIL_WORK),
    "flag-plan": ("post", lambda w: {"pupil_id": w["pupil"].pk, "flag_id": w["flag"].pk}, PUPIL_WORK_POST),
    "pupil": ("get", lambda w: {"pupil_id": w["pupil"].pk}, PUPIL_VIEW),
    "plan-start": ("get", lambda w: {"pupil_id": w["pupil"].pk}, PUPIL_WORK),
    "plan-detail": ("get", lambda w: {"pupil_id": w["pupil"].pk, "plan_id": w["plan"].pk}, PUPIL_VIEW),
    "plan-parents-told": ("get", lambda w: {"pupil_id": w["pupil"].pk, "plan_id": w["plan"].pk}, PUPIL_WORK),
    "plan-end": ("get", lambda w: {"pupil_id": w["pupil"].pk, "plan_id": w["plan"].pk}, PUPIL_WORK),
    "cycle-assess": ("get", lambda w: {"pupil_id": w["pupil"].pk, "cycle_id": w["cycle"].pk}, PUPIL_WORK),
    "cycle-plan": ("get", lambda w: {"pupil_id": w["pupil"].pk, "cycle_id": w["cycle"].pk}, PUPIL_WORK),
    "cycle-note": ("get", lambda w: {"pupil_id": w["pupil"].pk, "cycle_id": w["cycle"].pk}, PUPIL_WORK),
    "cycle-review": ("get", lambda w: {"pupil_id": w["pupil"].pk, "cycle_id": w["cycle"].pk}, PUPIL_WORK),
    "cycle-agree": ("post", lambda w: {"pupil_id": w["pupil"].pk, "cycle_id": w["cycle"].pk}, PUPIL_AGREE_POST),
    "meeting-add": ("get", lambda w: {"pupil_id": w["pupil"].pk}, PUPIL_WORK),
    "meetings-due": ("get", lambda w: {}, SCHOOL_LISTS),
    "passport": ("get", lambda w: {"pupil_id": w["pupil"].pk}, PUPIL_VIEW),
    "passport-edit": ("get", lambda w: {"pupil_id": w["pupil"].pk}, PUPIL_WORK),
    "passport-pdf": ("get", lambda w: {"pupil_id": w["pupil"].pk}, PUPIL_VIEW),
    "passports": ("get", lambda w: {}, SCHOOL_LISTS),
    "check-two": ("get", lambda w: {"pupil_id": w["pupil"].pk}, PUPIL_WORK),
    "history": ("get", lambda w: {"pupil_id": w["pupil"].pk}, PUPIL_VIEW),
    # Individual healthcare plans: the pupil's teachers see them (they need to know); the SENCO and the class
    # teacher record them.
    "healthcare-plans": ("get", lambda w: {"pupil_id": w["pupil"].pk}, PUPIL_VIEW),
    "healthcare-plan-new": ("get", lambda w: {"pupil_id": w["pupil"].pk}, PUPIL_WORK),
    "healthcare-plan-review": (
        "get",
        lambda w: {"pupil_id": w["pupil"].pk, "healthcare_plan_id": w["healthcare_plan"].pk},
        PUPIL_WORK,
    ),
}


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
        "healthcare_plan": provision_services.healthcare_plan_record(
            pupil=pupil_oak,
            condition="Asthma",
            plan_on=date(2025, 9, 8),
            review_on=date(2026, 9, 7),
            held_by="School office and class",
            today=date(2025, 9, 8),
            actor=senco_a,
        ),
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
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_expected_answer_from_each_url(name, role, world, login):
    method, kwargs, expected = MATRIX[name]
    client = login(world["users"].get(role))
    url = reverse(f"provision:{name}", kwargs=kwargs(world))
    response = getattr(client, method)(url)
    assert response.status_code == expected[role], f"{role} {method.upper()} {name}"
    if expected[role] == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_every_provision_url_has_a_row_in_the_matrix():
    names = {p.name for p in provision_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(MATRIX)


@pytest.mark.parametrize("role", ["teacher_b", "governor_a", "senco_b"])
def test_pupil_names_do_not_leak_to_those_who_may_not_see_them(role, world, login):
    client = login(world["users"][role])
    for name in ("flag-list", "meetings-due", "passports"):
        response = client.get(reverse(f"provision:{name}"))
        assert b"Thistlewood" not in response.content
