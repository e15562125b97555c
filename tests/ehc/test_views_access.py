"""The EHC access matrix: every URL of the ehc app against every role, and anonymous (DESIGN.md s.2).

SENCO views and changes; head and DSL view; a teacher reads only their own pupil's plan summary (403 on
everything else EHC about that pupil, 404 on other classes' pupils); governors see nothing EHC (404 on a
pupil's pages, 403 on school-wide ones); another school's staff get 404. A URL added to ehc/urls.py without
a row here fails the suite.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from ehc import urls as ehc_urls

ROLES = ("anonymous", "senco_a", "teacher_a", "teacher_b", "head_a", "governor_a", "dsl_a", "senco_b")
LOGIN = "login"
OK, REDIRECT, FORBIDDEN, MISSING = 200, 302, 403, 404


@dataclass(frozen=True)
class Row:
    method: str
    expected: dict


def _row(method: str, expected: dict) -> Row:
    assert set(expected) == set(ROLES), f"a matrix row must name every role: {set(ROLES) ^ set(expected)}"
    return Row(method, expected)


def get(**expected) -> Row:
    return _row("get", expected)


def post(**expected) -> Row:
    return _row("post", expected)


# pupil_oak's EHC record: the SENCO, head and DSL see it; their teacher may not (403); nobody else finds it.
VIEWERS = {
    "anonymous": LOGIN,
    "senco_a": OK,
    "teacher_a": FORBIDDEN,
    "teacher_b": MISSING,
    "head_a": OK,
    "governor_a": MISSING,
    "dsl_a": OK,
    "senco_b": MISSING,
}
# A step of the workflow: the SENCO alone.
SENCO_ONLY = {**VIEWERS, "head_a": FORBIDDEN, "dsl_a": FORBIDDEN}
SUMMARY = {**VIEWERS, "teacher_a": OK}

MATRIX: dict[str, Row] = {
    # School-wide: each answers for the user's own school (senco_b sees school B's).
    "ehc:index": get(
        anonymous=LOGIN,
        senco_a=OK,
        teacher_a=FORBIDDEN,
        teacher_b=FORBIDDEN,
        head_a=OK,
        governor_a=FORBIDDEN,
        dsl_a=OK,
        senco_b=OK,
    ),
    "ehc:la-timeliness": get(
        anonymous=LOGIN,
        senco_a=OK,
        teacher_a=FORBIDDEN,
        teacher_b=FORBIDDEN,
        head_a=OK,
        governor_a=FORBIDDEN,
        dsl_a=FORBIDDEN,
        senco_b=OK,
    ),
    "ehc:overview": get(**VIEWERS),
    "ehc:plan-detail": get(**VIEWERS),
    "ehc:review-detail": get(**VIEWERS),
    "ehc:review-report": get(**VIEWERS),
    "ehc:review-report-pdf": get(**VIEWERS),
    "ehc:review-invitation": get(**VIEWERS),
    "ehc:review-invitation-pdf": get(**VIEWERS),
    "ehc:advice-cover": get(**VIEWERS),
    "ehc:advice-cover-pdf": get(**VIEWERS),
    "ehc:plan-summary": get(**SUMMARY),
    # Only a teacher of the pupil confirms reading; the SENCO, head and DSL see the page but not this action.
    "ehc:plan-confirm-read": post(**{**SENCO_ONLY, "senco_a": FORBIDDEN, "teacher_a": REDIRECT}),
    "ehc:assessment-new": get(**SENCO_ONLY),
    "ehc:assessment-edit": get(**SENCO_ONLY),
    "ehc:assessment-decision": get(**SENCO_ONLY),
    "ehc:advice-request": get(**SENCO_ONLY),
    "ehc:advice": get(**SENCO_ONLY),
    "ehc:assessment-outcome": get(**SENCO_ONLY),
    "ehc:reassessment-new": get(**SENCO_ONLY),
    "ehc:reassessment-decision": get(**SENCO_ONLY),
    "ehc:draft-new": get(**SENCO_ONLY),
    "ehc:draft-edit": get(**SENCO_ONLY),
    "ehc:draft-response": get(**SENCO_ONLY),
    "ehc:plan-new": get(**SENCO_ONLY),
    "ehc:plan-amend": get(**SENCO_ONLY),
    "ehc:plan-cease": get(**SENCO_ONLY),
    "ehc:plan-transfer-in": get(**SENCO_ONLY),
    # One click from the register prompt: only those who change the register (the SENCO) may.
    "ehc:register-to-ehc": post(**{**SENCO_ONLY, "senco_a": REDIRECT}),
    "ehc:review-new": get(**SENCO_ONLY),
    "ehc:review-edit": get(**SENCO_ONLY),
    "ehc:review-invitee-new": get(**SENCO_ONLY),
    "ehc:review-invitations-sent": get(**SENCO_ONLY),
    "ehc:review-advice-new": get(**SENCO_ONLY),
    "ehc:review-role-not-applicable": get(**SENCO_ONLY),
    "ehc:review-advice-received": get(**SENCO_ONLY),
    "ehc:review-circulated": get(**SENCO_ONLY),
    "ehc:review-held": get(**SENCO_ONLY),
    "ehc:review-outcome": get(**SENCO_ONLY),
    "ehc:review-report-sent": get(**SENCO_ONLY),
    "ehc:review-la-decision": get(**SENCO_ONLY),
    "ehc:disagreement-new": get(**SENCO_ONLY),
    "ehc:disagreement-edit": get(**SENCO_ONLY),
}


@pytest.fixture
def ehc_world(
    request,
    teacher_b,
    head_a,
    governor_a,
    dsl_a,
    senco_b,
    pupil_ash,
    pupil_b,
    ehc_assessment,
    ehc_plan,
    ehc_review,
    ehc_review_advice,
    ehc_draft,
    ehc_reassessment,
    ehc_disagreement,
    pupil_oak,
):
    users = {name: request.getfixturevalue(name) for name in ROLES if name != "anonymous"}
    users["anonymous"] = None
    kwargs_for = {
        "pupil_id": pupil_oak.pk,
        "assessment_id": ehc_assessment.pk,
        "plan_id": ehc_plan.pk,
        "review_id": ehc_review.pk,
        "advice_id": ehc_review_advice.pk,
        "draft_id": ehc_draft.pk,
        "request_id": ehc_reassessment.pk,
        "disagreement_id": ehc_disagreement.pk,
    }
    return users, kwargs_for


def _url(name: str, kwargs_for: dict) -> str:
    pattern = next(p for p in ehc_urls.urlpatterns if f"ehc:{p.name}" == name)
    return reverse(name, kwargs={key: kwargs_for[key] for key in pattern.pattern.converters})


CASES = [pytest.param(name, role, id=f"{name}-{role}") for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_every_ehc_url_answers_every_role_as_the_design_says(ehc_world, login, url_name, role):
    users, kwargs_for = ehc_world
    row = MATRIX[url_name]
    expected = row.expected[role]
    url = _url(url_name, kwargs_for)

    response = getattr(login(users[role]), row.method)(url)

    where = f"{row.method.upper()} {url} as {role}"
    if expected == LOGIN:
        assert response.status_code == 302, f"{where}: {response.status_code}"
        assert urlsplit(response.url).path == reverse("login")
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}"


def test_every_ehc_url_has_a_row_in_the_access_matrix():
    names = {f"ehc:{pattern.name}" for pattern in ehc_urls.urlpatterns}
    assert names - set(MATRIX) == set(), "URLs without a row in the access matrix"
    assert set(MATRIX) - names == set(), "matrix rows for URLs that no longer exist"


# --- What the matrix cannot show -------------------------------------------------------------------------


def test_teacher_summary_shows_needs_outcomes_and_provision_only(ehc_plan, login, teacher_a, pupil_oak):
    page = login(teacher_a).get(reverse("ehc:plan-summary", args=[pupil_oak.pk])).content.decode()
    for letter in ("B", "E", "F"):
        assert f"Section {letter} text" in page or letter == "E"
    assert "Reads a short text aloud" in page
    for letter in ("A", "C", "D", "G", "H1", "H2", "I", "J", "K"):
        assert f"Section {letter} text" not in page
    assert "I have read the plan summary" in page


def test_teacher_confirms_reading_the_summary(ehc_plan, login, teacher_a, pupil_oak):
    client = login(teacher_a)
    response = client.post(reverse("ehc:plan-confirm-read", args=[pupil_oak.pk]), follow=True)
    assert "You confirmed you had read this summary" in response.content.decode()
    assert ehc_plan.versions.get().read_confirmations.get(teacher=teacher_a).confirmed_at is not None


def test_pupil_profile_links_to_the_ehc_record_for_viewers_and_the_summary_for_the_teacher(
    ehc_plan, login, senco_a, teacher_a, pupil_oak
):
    profile = reverse("pupils:pupil-detail", args=[pupil_oak.pk])
    senco_page = login(senco_a).get(profile).content.decode()
    teacher_page = login(teacher_a).get(profile).content.decode()
    overview = f'href="{reverse("ehc:overview", args=[pupil_oak.pk])}"'
    assert overview in senco_page
    assert f'href="{reverse("ehc:plan-summary", args=[pupil_oak.pk])}"' in teacher_page
    assert overview not in teacher_page


def test_nav_shows_ehc_to_the_senco_and_not_to_the_governor_or_teacher(login, senco_a, governor_a, teacher_a):
    link = f'href="{reverse("ehc:index")}"'
    assert link in login(senco_a).get(reverse("pupils:my-class")).content.decode()
    assert link not in login(teacher_a).get(reverse("pupils:my-class")).content.decode()
    assert link not in login(governor_a).get(reverse("pupils:register-summary")).content.decode()


def test_school_b_senco_sees_none_of_school_as_ehc_records_in_their_lists(
    ehc_plan, ehc_assessment, login, senco_b, pupil_oak
):
    for name in ("ehc:index", "ehc:la-timeliness"):
        assert pupil_oak.legal_surname not in login(senco_b).get(reverse(name)).content.decode()
    assert login(senco_b).get(reverse("ehc:la-timeliness")).context["rows"] == []
