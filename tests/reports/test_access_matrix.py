"""The access matrix for the reports area: every URL in reports/urls.py against every role, and anonymous.

Governors' report: governor, head and SENCO. SEN information report: the head or SENCO edits, a governor
approves, the three read every version; the approved version is public (no sign-in). National figures: the
head. Census check: the SENCO and the head (its checklist names pupils). senco_b answers for school B: a page
of their own school, or a 404 for school A's records. A URL without a row here fails the suite.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports import urls as report_urls
from reports.information import SECTION_KEYS
from reports.periods import current_term

ROLES = ("anonymous", "senco_a", "teacher_a", "teacher_b", "head_a", "governor_a", "dsl_a", "senco_b")
OK, FORBIDDEN, MISSING = 200, 403, 404


@dataclass(frozen=True)
class Redirect:
    to: str


LOGIN = Redirect("login")


@dataclass(frozen=True)
class Row:
    method: str
    expected: dict


def _row(method: str, **expected) -> Row:
    assert set(expected) == set(ROLES), f"a matrix row must name every role: {set(ROLES) ^ set(expected)}"
    return Row(method, expected)


def get(**expected) -> Row:
    return _row("get", **expected)


def post(**expected) -> Row:
    return _row("post", **expected)


GOVERNORS = {
    "anonymous": LOGIN,
    "senco_a": OK,
    "teacher_a": FORBIDDEN,
    "teacher_b": FORBIDDEN,
    "head_a": OK,
    "governor_a": OK,
    "dsl_a": FORBIDDEN,
    "senco_b": OK,
}
EDITORS = {**GOVERNORS, "governor_a": FORBIDDEN}
HEAD_ONLY = {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN, "head_a": OK}
PUBLIC = dict.fromkeys(ROLES, OK)

MATRIX: dict[str, Row] = {
    "reports:governors": get(**GOVERNORS),
    "reports:governors-pdf": get(**GOVERNORS),
    "reports:governors-csv": get(**GOVERNORS),
    "reports:national-figures": get(**HEAD_ONLY),
    "reports:information": get(**GOVERNORS),
    "reports:information-edit": get(**EDITORS),
    # School A's version: senco_b may read reports in school B, but school A's version is not there (404).
    "reports:information-version": get(**{**GOVERNORS, "senco_b": MISSING}),
    "reports:information-approve": post(
        anonymous=LOGIN,
        senco_a=FORBIDDEN,
        teacher_a=FORBIDDEN,
        teacher_b=FORBIDDEN,
        head_a=FORBIDDEN,
        governor_a=Redirect("reports:information-version"),
        dsl_a=FORBIDDEN,
        senco_b=FORBIDDEN,
    ),
    "reports:census": get(**EDITORS),
    "reports:census-csv": get(**EDITORS),
    "reports:public-information": get(**PUBLIC),
    "reports:public-information-pdf": get(**PUBLIC),
}


@pytest.fixture(autouse=True)
def _no_real_pdf_render(monkeypatch):
    """Access is what this module checks; the real WeasyPrint render is tested in test_governors_report."""
    monkeypatch.setattr("reports.pdf.html_to_pdf", lambda html: b"%PDF-1.7 access-matrix stand-in")


def test_every_reports_url_has_a_row():
    assert {f"reports:{p.name}" for p in report_urls.urlpatterns} == set(MATRIX)


@pytest.fixture
def world(request, school_a, senco_a, teacher_a, teacher_b, head_a, governor_a, dsl_a, senco_b, oak_entry):
    """The cast, school A's approved report (version 1) and a newer draft (version 2)."""
    users = {name: request.getfixturevalue(name) for name in ROLES if name != "anonymous"}
    users["anonymous"] = None
    today = timezone.localdate()
    year = current_term(today).academic_year
    texts = {key: f"The school's words for {key}." for key in SECTION_KEYS}
    approved = services.information_report_save(
        school=school_a, academic_year=year, texts=texts, today=today, actor=senco_a
    )
    services.information_report_approve(version=approved, today=today, actor=governor_a)
    draft = services.information_report_save(
        school=school_a, academic_year=year, texts=texts, today=today, actor=head_a
    )
    kwargs_for = {
        "academic_year": year,
        "version_id": draft.pk,
        "key": "register-needs",
        "urn": school_a.urn,
    }
    return users, kwargs_for


def _url(name: str, kwargs_for: dict) -> str:
    pattern = next(p for p in report_urls.urlpatterns if f"reports:{p.name}" == name)
    return reverse(name, kwargs={key: kwargs_for[key] for key in pattern.pattern.converters})


CASES = [pytest.param(name, role, id=f"{name}-{role}") for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_every_reports_url_answers_every_role_as_the_design_says(world, login, url_name, role):
    users, kwargs_for = world
    row = MATRIX[url_name]
    expected = row.expected[role]
    url = _url(url_name, kwargs_for)

    response = getattr(login(users[role]), row.method)(url)

    if isinstance(expected, Redirect):
        assert response.status_code == 302, f"{row.method.upper()} {url} as {role}: {response.status_code}"
        target = urlsplit(response.url).path
        if expected is LOGIN:
            assert target == reverse("login")
        else:
            assert target == reverse(expected.to, kwargs={k: kwargs_for[k] for k in ("academic_year", "version_id")})
    else:
        assert response.status_code == expected, f"{row.method.upper()} {url} as {role}: {response.status_code}"
