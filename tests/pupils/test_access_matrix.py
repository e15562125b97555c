"""The access matrix: every URL of the pupils app (and the site's own) against every role, and anonymous.

Expected statuses follow DESIGN.md section 2: a 404 for a record outside what the user may see, a 403 for an
action they may not take on a record (or a school page) they may know exists, a redirect to the sign-in page
for anyone not signed in. A URL added to pupils/urls.py without a row here fails the suite.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from pupils import services
from pupils import urls as pupil_urls
from pupils.models import PupilAccessGrant
from tests.factories import UserFactory

ROLES = ("anonymous", "senco_a", "teacher_a", "teacher_b", "head_a", "governor_a", "dsl_a", "senco_b")


@dataclass(frozen=True)
class Redirect:
    """A 302 to the named URL."""

    to: str


class SignIn(Redirect):
    """The sign-in page, with `next` pointing back at the page asked for."""


LOGIN = SignIn("login")
OK, FORBIDDEN, MISSING = 200, 403, 404


@dataclass(frozen=True)
class Row:
    method: str
    expected: dict[str, int | Redirect]


def get(**expected) -> Row:
    return _row("get", expected)


def post(**expected) -> Row:
    return _row("post", expected)


def _row(method: str, expected: dict) -> Row:
    assert set(expected) == set(ROLES), f"a matrix row must name every role: {set(ROLES) ^ set(expected)}"
    return Row(method, expected)


def everyone(status) -> dict:
    return dict.fromkeys(ROLES, status)


# A pupil record outside what the user may see is a 404; an action on one they can see but may not take, 403.
PUPIL_SEEN = {
    "anonymous": LOGIN,
    "senco_a": OK,
    "teacher_a": OK,
    "head_a": OK,
    "dsl_a": OK,
    "teacher_b": MISSING,
    "governor_a": MISSING,
    "senco_b": MISSING,
}
SENCO_ONLY_ON_PUPIL = {
    "anonymous": LOGIN,
    "senco_a": OK,
    "teacher_a": FORBIDDEN,
    "head_a": FORBIDDEN,
    "dsl_a": FORBIDDEN,
    "teacher_b": MISSING,
    "governor_a": MISSING,
    "senco_b": MISSING,
}

MATRIX: dict[str, Row] = {
    # The site's own pages.
    "home": get(
        anonymous=LOGIN,
        senco_a=Redirect("pupils:dashboard"),
        teacher_a=Redirect("pupils:my-class"),
        teacher_b=Redirect("pupils:my-class"),
        head_a=Redirect("pupils:dashboard"),
        governor_a=Redirect("pupils:register-summary"),
        dsl_a=Redirect("pupils:dashboard"),
        senco_b=Redirect("pupils:dashboard"),
    ),
    "healthz": get(**everyone(OK)),
    "login": get(**everyone(OK)),
    "logout": post(**everyone(Redirect("login"))),  # Django 5: sign-out is POST only
    "password_reset": get(**everyone(OK)),
    # School-wide pages: each answers for the user's own school (senco_b sees school B's).
    "pupils:dashboard": get(
        anonymous=LOGIN,
        senco_a=OK,
        teacher_a=FORBIDDEN,
        teacher_b=FORBIDDEN,
        head_a=OK,
        governor_a=FORBIDDEN,
        dsl_a=OK,
        senco_b=OK,
    ),
    # POSTs school A's id: a school the user holds no role in is a 404.
    "pupils:school-choose": post(
        anonymous=LOGIN,
        senco_a=Redirect("home"),
        teacher_a=Redirect("home"),
        teacher_b=Redirect("home"),
        head_a=Redirect("home"),
        governor_a=Redirect("home"),
        dsl_a=Redirect("home"),
        senco_b=MISSING,
    ),
    "pupils:pupil-list": get(
        anonymous=LOGIN, senco_a=OK, teacher_a=OK, teacher_b=OK, head_a=OK, governor_a=FORBIDDEN, dsl_a=OK, senco_b=OK
    ),
    "pupils:pupil-add": get(
        anonymous=LOGIN,
        senco_a=OK,
        teacher_a=FORBIDDEN,
        teacher_b=FORBIDDEN,
        head_a=FORBIDDEN,
        governor_a=FORBIDDEN,
        dsl_a=FORBIDDEN,
        senco_b=OK,
    ),
    "pupils:my-class": get(
        anonymous=LOGIN, senco_a=OK, teacher_a=OK, teacher_b=OK, head_a=OK, governor_a=FORBIDDEN, dsl_a=OK, senco_b=OK
    ),
    "pupils:concern-queue": get(
        anonymous=LOGIN,
        senco_a=OK,
        teacher_a=FORBIDDEN,
        teacher_b=FORBIDDEN,
        head_a=FORBIDDEN,
        governor_a=FORBIDDEN,
        dsl_a=FORBIDDEN,
        senco_b=OK,
    ),
    "pupils:register-summary": get(
        anonymous=LOGIN,
        senco_a=OK,
        teacher_a=FORBIDDEN,
        teacher_b=FORBIDDEN,
        head_a=OK,
        governor_a=OK,
        dsl_a=FORBIDDEN,
        senco_b=OK,
    ),
    "pupils:audit-log": get(
        anonymous=LOGIN,
        senco_a=FORBIDDEN,
        teacher_a=FORBIDDEN,
        teacher_b=FORBIDDEN,
        head_a=OK,
        governor_a=FORBIDDEN,
        dsl_a=FORBIDDEN,
        senco_b=FORBIDDEN,
    ),
    "pupils:statutory-settings": get(
        anonymous=LOGIN,
        senco_a=OK,
        teacher_a=FORBIDDEN,
        teacher_b=FORBIDDEN,
        head_a=FORBIDDEN,
        governor_a=FORBIDDEN,
        dsl_a=FORBIDDEN,
        senco_b=OK,
    ),
    # pupil_oak's record and the actions on it.
    "pupils:pupil-detail": get(**PUPIL_SEEN),
    "pupils:concern-raise": get(**PUPIL_SEEN),
    "pupils:pupil-edit": get(**SENCO_ONLY_ON_PUPIL),
    "pupils:register-add": get(**SENCO_ONLY_ON_PUPIL),
    "pupils:register-change": get(**SENCO_ONLY_ON_PUPIL),
    "pupils:register-end": get(**SENCO_ONLY_ON_PUPIL),
    "pupils:grants": get(**SENCO_ONLY_ON_PUPIL),
    "pupils:grant-revoke": post(**{**SENCO_ONLY_ON_PUPIL, "senco_a": Redirect("pupils:grants")}),
    # Triage is school-wide (403 to all but a SENCO); another school's SENCO cannot find school A's concern.
    "pupils:concern-triage": get(
        anonymous=LOGIN,
        senco_a=OK,
        teacher_a=FORBIDDEN,
        teacher_b=FORBIDDEN,
        head_a=FORBIDDEN,
        governor_a=FORBIDDEN,
        dsl_a=FORBIDDEN,
        senco_b=MISSING,
    ),
}


@pytest.fixture
def world(
    request,
    school_a,
    senco_a,
    teacher_a,
    teacher_b,
    head_a,
    governor_a,
    dsl_a,
    senco_b,
    pupil_oak,
    pupil_ash,
    pupil_b,
    oak_entry,
    oak_concern,
    oak_grant,
):
    """The whole cast, plus the records the URLs point at: pupil_oak's open entry, concern and grant."""
    users = {name: request.getfixturevalue(name) for name in ROLES if name != "anonymous"}
    users["anonymous"] = None
    kwargs_for = {
        "pupil_id": pupil_oak.pk,
        "entry_id": oak_entry.pk,
        "grant_id": oak_grant.pk,
        "concern_id": oak_concern.pk,
    }
    post_data = {"pupils:school-choose": {"school": str(school_a.pk)}}
    return users, kwargs_for, post_data, pupil_oak


# Answered by send_mis.health.HealthCheckMiddleware before routing, so it has no URL name to reverse.
FIXED_PATHS = {"healthz": "/healthz"}


def _url(name: str, kwargs_for: dict) -> str:
    if name in FIXED_PATHS:
        return FIXED_PATHS[name]
    pattern = next((p for p in pupil_urls.urlpatterns if f"pupils:{p.name}" == name), None)
    names = list(pattern.pattern.converters) if pattern is not None else []
    return reverse(name, kwargs={key: kwargs_for[key] for key in names})


CASES = [pytest.param(name, role, id=f"{name}-{role}") for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_every_url_answers_every_role_as_the_design_says(world, login, url_name, role):
    users, kwargs_for, post_data, pupil_oak = world
    row = MATRIX[url_name]
    expected = row.expected[role]
    url = _url(url_name, kwargs_for)
    client = login(users[role])

    response = getattr(client, row.method)(url, post_data.get(url_name, {}))

    if isinstance(expected, Redirect):
        assert response.status_code == 302, f"{row.method.upper()} {url} as {role}: {response.status_code}"
        target = urlsplit(response.url)
        if isinstance(expected, SignIn):
            assert target.path == reverse("login")
            assert f"next={url}" in response.url.replace("%2F", "/")
        elif expected.to == "pupils:grants":
            assert target.path == reverse("pupils:grants", kwargs={"pupil_id": pupil_oak.pk})
        else:
            assert target.path == reverse(expected.to)
    else:
        assert response.status_code == expected, f"{row.method.upper()} {url} as {role}: {response.status_code}"


def test_every_pupils_url_has_a_row_in_the_access_matrix():
    names = {f"pupils:{pattern.name}" for pattern in pupil_urls.urlpatterns}
    rows = {name for name in MATRIX if name.startswith("pupils:")}
    assert names - rows == set(), "URLs without a row in the access matrix"
    assert rows - names == set(), "matrix rows for URLs that no longer exist"


# --- What the matrix cannot show: which pupils a page lists, and that governors see no names -----------


def test_teacher_sees_only_their_own_class_in_the_pupil_list(login, teacher_a, pupil_oak, pupil_ash, pupil_b):
    response = login(teacher_a).get(reverse("pupils:pupil-list"))

    assert response.status_code == 200
    listed = {pupil.pk for pupil in response.context["page"].object_list}
    assert listed == {pupil_oak.pk}
    assert pupil_oak.legal_surname in response.content.decode()
    assert pupil_ash.legal_surname not in response.content.decode()


def test_teacher_cannot_see_other_class(login, teacher_b, pupil_oak):
    assert login(teacher_b).get(reverse("pupils:pupil-detail", args=[pupil_oak.pk])).status_code == 404


def test_governor_pages_never_name_a_pupil(
    login, governor_a, senco_a, pupil_oak, pupil_ash, oak_entry, make_pupils, school_a
):
    bulk = make_pupils(6, school_a)
    surnames = [pupil_oak.legal_surname, pupil_ash.legal_surname] + [p.legal_surname for p in bulk]
    # The same names are on the SENCO's list, so a leak would be visible to this test.
    senco_page = login(senco_a).get(reverse("pupils:pupil-list")).content.decode()
    assert all(surname in senco_page for surname in surnames)

    governor = login(governor_a)
    pages = [governor.get(reverse("home"), follow=True)]
    pages += [
        governor.get(_url(name, {}))
        for name, row in MATRIX.items()
        if row.method == "get" and row.expected["governor_a"] == OK
    ]

    assert any(page.request["PATH_INFO"] == reverse("pupils:register-summary") for page in pages)
    for page in pages:
        assert page.status_code == 200
        content = page.content.decode()
        for surname in surnames:
            assert surname not in content, f"{page.request['PATH_INFO']} names {surname}"


def test_a_grant_lets_another_teacher_see_one_pupil_until_it_is_revoked(login, senco_a, teacher_b, pupil_oak):
    detail = reverse("pupils:pupil-detail", args=[pupil_oak.pk])
    client = login(teacher_b)
    pupil_type = ContentType.objects.get_for_model(PupilAccessGrant)
    assert client.get(detail).status_code == 404

    grant = services.pupil_access_grant(pupil=pupil_oak, user=teacher_b, reason="Covering 3 Oak", actor=senco_a)

    assert client.get(detail).status_code == 200
    created = LogEntry.objects.get(content_type=pupil_type, object_pk=str(grant.pk), action=LogEntry.Action.CREATE)
    assert created.actor == senco_a
    # A grant gives sight, not the class teacher's actions.
    assert client.get(reverse("pupils:concern-raise", args=[pupil_oak.pk])).status_code == 403

    services.pupil_access_revoke(grant=grant, actor=senco_a)

    assert client.get(detail).status_code == 404
    revoked = LogEntry.objects.get(content_type=pupil_type, object_pk=str(grant.pk), action=LogEntry.Action.UPDATE)
    assert revoked.actor == senco_a
    assert "revoked_at" in revoked.changes_dict


def test_a_granted_pupil_appears_in_the_grantees_pupil_list(login, senco_a, teacher_b, pupil_oak, pupil_ash):
    services.pupil_access_grant(pupil=pupil_oak, user=teacher_b, reason="Covering 3 Oak", actor=senco_a)

    response = login(teacher_b).get(reverse("pupils:pupil-list"))

    assert {pupil.pk for pupil in response.context["page"].object_list} == {pupil_oak.pk, pupil_ash.pk}


def test_revoking_through_the_page_takes_sight_away(login, senco_a, ta_a, pupil_oak, oak_grant):
    detail = reverse("pupils:pupil-detail", args=[pupil_oak.pk])
    assert login(ta_a).get(detail).status_code == 200

    response = login(senco_a).post(reverse("pupils:grant-revoke", args=[pupil_oak.pk, oak_grant.pk]))

    assert response.status_code == 302
    assert login(ta_a).get(detail).status_code == 404


def test_a_pupil_can_be_granted_again_after_a_revoke(login, senco_a, teacher_b, pupil_oak):
    first = services.pupil_access_grant(pupil=pupil_oak, user=teacher_b, reason="Covering 3 Oak", actor=senco_a)
    services.pupil_access_revoke(grant=first, actor=senco_a)

    second = services.pupil_access_grant(pupil=pupil_oak, user=teacher_b, reason="Covering again", actor=senco_a)

    assert second.pk != first.pk
    assert login(teacher_b).get(reverse("pupils:pupil-detail", args=[pupil_oak.pk])).status_code == 200


def test_a_signed_in_user_with_no_role_anywhere_sees_nothing(login, pupil_oak):
    client = login(UserFactory(username="no_role"))

    assert client.get(reverse("home")).status_code == 403
    assert client.get(reverse("pupils:pupil-list")).status_code == 403
    assert client.get(reverse("pupils:pupil-detail", args=[pupil_oak.pk])).status_code == 404


@pytest.mark.parametrize("url_name", [name for name, row in MATRIX.items() if row.method == "post"])
def test_post_only_urls_refuse_a_get_from_a_signed_in_user(world, login, senco_a, url_name):
    _, kwargs_for, _, _ = world

    assert login(senco_a).get(_url(url_name, kwargs_for)).status_code == 405


def test_the_governors_summary_shows_counts_under_five_as_fewer_than_five(login, governor_a, oak_entry, pupil_ash):
    response = login(governor_a).get(reverse("pupils:register-summary"))

    sen_support = next(t for t in response.context["counts"].by_status if t.key == "K")
    assert sen_support.count == 1
    content = response.content.decode()
    assert '<td class="num">fewer than 5</td>' in content
    assert '<td class="num">1</td>' not in content and '<td class="num">2</td>' not in content
