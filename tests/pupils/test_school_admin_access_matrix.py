"""The access matrix of the school set-up, settings and staff pages (pupils.school_urls) and the set-up's
finishing step (records). Every URL against every role of the cast, anonymous, and a superuser with no role
in any school. School A's pages: the head and a superuser; other staff of school A 403; school B's SENCO 404.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from pupils import school_urls, staff
from pupils.models import ImportStatus, PupilImport, Term
from tests.factories import UserFactory

ROLES = ("anonymous", "senco_a", "teacher_a", "teacher_b", "head_a", "governor_a", "dsl_a", "senco_b", "superuser")
OK, FORBIDDEN, MISSING, BAD = 200, 403, 404, 400
LOGIN = "login"
REDIRECT = "redirect"

HEAD_ONLY = {
    "anonymous": LOGIN,
    "senco_a": FORBIDDEN,
    "teacher_a": FORBIDDEN,
    "teacher_b": FORBIDDEN,
    "head_a": OK,
    "governor_a": FORBIDDEN,
    "dsl_a": FORBIDDEN,
    "senco_b": MISSING,
    "superuser": OK,
}
HEAD_ONLY_POST = {**HEAD_ONLY, "head_a": REDIRECT, "superuser": REDIRECT}
SUPERUSER_ONLY = {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN, "superuser": OK}

# url name: (method, expected by role)
MATRIX: dict[str, tuple[str, dict]] = {
    "school:start": ("get", SUPERUSER_ONLY),
    "school:create": ("get", SUPERUSER_ONLY),
    # Anyone holding the link may set the invitee's password: the signed token is the credential.
    "school:invitation-accept": ("get", dict.fromkeys(ROLES, OK)),
    "school:settings": ("get", HEAD_ONLY),
    "school:details": ("get", HEAD_ONLY),
    "school:terms": ("get", HEAD_ONLY),
    "school:term-remove": ("post", HEAD_ONLY_POST),
    "school:classes": ("get", HEAD_ONLY),
    "school:class-remove": ("post", HEAD_ONLY_POST),
    "school:staff": ("get", HEAD_ONLY),
    "school:staff-invite": ("get", HEAD_ONLY),
    "school:staff-edit": ("get", HEAD_ONLY),
    "school:staff-remove": ("post", HEAD_ONLY_POST),
    "records:setup-finish": ("post", HEAD_ONLY_POST),
    # Pupils from the MIS: the SENCO and the head (and a superuser).
    "school:pupil-import": ("get", {**HEAD_ONLY, "senco_a": OK}),
    "school:pupil-import-detail": ("get", {**HEAD_ONLY, "senco_a": OK}),
    "school:pupil-import-confirm": ("post", {**HEAD_ONLY_POST, "senco_a": REDIRECT}),
    # The school's own statutory calendar: the SENCO's qualification, the accessibility plan, the first SEN
    # information report's date. The head's (and a superuser's).
    "school:duties": ("get", HEAD_ONLY),
    "school:duties-senco": ("get", HEAD_ONLY),
    "school:duties-accessibility-plan": ("get", HEAD_ONLY),
    # A joiner's CTF: the SENCO and the head (and a superuser); the confirmation without a signed file goes back.
    "school:ctf-import": ("get", {**HEAD_ONLY, "senco_a": OK}),
    "school:ctf-import-confirm": ("post", {**HEAD_ONLY_POST, "senco_a": REDIRECT}),
}


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def world(request, school_a, class_oak, class_ash, superuser, needs):
    users = {name: request.getfixturevalue(name) for name in ROLES if name not in ("anonymous", "superuser")}
    users["anonymous"] = None
    users["superuser"] = superuser
    term = Term.objects.create(school=school_a, name="Autumn 1", starts_on=date(2026, 9, 2), ends_on=date(2026, 10, 23))
    invitee = UserFactory(username="invitee")
    pupil_import = PupilImport.objects.create(
        school=school_a, uploaded_by=users["senco_a"], file_name="pupils.csv", status=ImportStatus.CHECKED
    )
    kwargs = {
        "school_id": school_a.pk,
        "class_id": class_ash.pk,
        "ref": staff.staff_ref(users["teacher_a"]),
        "token": staff.invitation_token(invitee),
        "import_id": pupil_import.pk,
    }
    post_data = {"school:term-remove": {"term": str(term.pk)}}
    return users, kwargs, post_data


def _url(name: str, kwargs: dict) -> str:
    if name.startswith("records:"):
        return reverse(name, kwargs={"school_id": kwargs["school_id"]})
    pattern = next(p for p in school_urls.urlpatterns if f"school:{p.name}" == name)
    return reverse(name, kwargs={key: kwargs[key] for key in pattern.pattern.converters})


CASES = [pytest.param(name, role, id=f"{name}-{role}") for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_every_school_admin_url_answers_every_role(world, login, url_name, role):
    users, kwargs, post_data = world
    method, by_role = MATRIX[url_name]
    expected = by_role[role]
    url = _url(url_name, kwargs)

    response = getattr(login(users[role]), method)(url, post_data.get(url_name, {}))

    if expected == LOGIN:
        assert response.status_code == 302
        assert urlsplit(response.url).path == reverse("login")
    elif expected == REDIRECT:
        assert response.status_code == 302, f"{method} {url} as {role}: {response.status_code}"
        assert urlsplit(response.url).path.startswith("/school/")
    else:
        assert response.status_code == expected, f"{method} {url} as {role}: {response.status_code}"


def test_every_school_admin_url_has_a_row():
    names = {f"school:{p.name}" for p in school_urls.urlpatterns} | {"records:setup-finish"}
    assert names == set(MATRIX)


@pytest.mark.parametrize("url_name", [name for name, (method, _) in MATRIX.items() if method == "post"])
def test_post_only_school_admin_urls_refuse_a_get(world, login, head_a, url_name):
    _, kwargs, _ = world

    assert login(head_a).get(_url(url_name, kwargs)).status_code == 405


def test_a_bad_invitation_token_is_told_it_does_not_work(login, db):
    response = login(None).get(reverse("school:invitation-accept", args=["not-a-token"]))

    assert response.status_code == BAD
    assert "This link does not work" in response.content.decode()
