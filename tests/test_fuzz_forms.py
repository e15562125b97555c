"""Property-based fuzzing (hypothesis): every form the cast can open is posted generated bad values (NUL bytes,
huge strings, impossible dates, numbers out of range, markup, other records' ids) as the SENCO and as a class
teacher. No post answers a server error, and a form that comes back with errors has saved nothing."""

from __future__ import annotations

import re
from html import unescape

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.forms import BaseForm, BaseFormSet
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deadlines.models import Deadline
from tests.fixtures.ehc import (  # noqa: F401  (fixtures)
    ehc_assessment,
    ehc_disagreement,
    ehc_draft,
    ehc_plan,
    ehc_reassessment,
    ehc_review,
    ehc_review_advice,
)
from tests.fixtures.provision import (  # noqa: F401  (fixtures)
    provision_flag,
    provision_oak_cohort,
    provision_passport,
    provision_plan,
    provision_points,
    provision_subjects,
)

pytestmark = pytest.mark.django_db

# Posting to these would end the session or is not a form of the product.
SKIPPED = {"logout", "login", "password_reset", "accounts:password-reset", "pupils:school-choose"}
APPS_WRITTEN = ("pupils", "ehc", "provision", "deadlines", "auditlog")

BAD_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=10).map(lambda s: s + "\x00"),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "x" * 10_000,
            "-1",
            "0",
            "9" * 40,
            "1e309",
            "NaN",
            "2026-02-30",
            "0000-00-00",
            "31/13/2026",
            "9999-12-31",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "00000000-0000-0000-0000-000000000000",
            "on",
            "true",
        ]
    ),
    st.uuids().map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


def _routes(patterns=None, prefix: str = "", namespace: str = ""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


ROUTES = {
    name: re.findall(r"<(?:\w+:)?(\w+)>", route)
    for name, route in _routes()
    if not name.startswith("admin:") and name not in SKIPPED and "<str:" not in route and "<urltoken:" not in route
}


@pytest.fixture
def records(
    pupil_oak,
    class_oak,
    oak_entry,
    oak_concern,
    oak_grant,
    ehc_assessment,  # noqa: F811
    ehc_plan,  # noqa: F811
    ehc_review,  # noqa: F811
    ehc_draft,  # noqa: F811
    ehc_reassessment,  # noqa: F811
    ehc_disagreement,  # noqa: F811
    ehc_review_advice,  # noqa: F811
    provision_plan,  # noqa: F811
    provision_flag,  # noqa: F811
    provision_points,  # noqa: F811
    provision_passport,  # noqa: F811
) -> dict:
    """A record of every kind the forms work on, by URL parameter (some names differ by app)."""
    deadline = Deadline.objects.filter(pupil=pupil_oak).first()
    return {
        "pupil_id": pupil_oak.pk,
        "class_id": class_oak.pk,
        "entry_id": oak_entry.pk,
        "concern_id": oak_concern.pk,
        "grant_id": oak_grant.pk,
        "assessment_id": ehc_assessment.pk,
        "ehc:plan_id": ehc_plan.pk,
        "provision:plan_id": provision_plan.pk,
        "review_id": ehc_review.pk,
        "draft_id": ehc_draft.pk,
        "request_id": ehc_reassessment.pk,
        "disagreement_id": ehc_disagreement.pk,
        "advice_id": ehc_review_advice.pk,
        "cycle_id": provision_plan.cycles.first().pk,
        "flag_id": provision_flag.pk if provision_flag else None,
        "point_id": provision_points[0].pk,
        "deadline_id": deadline.pk if deadline else None,
    }


def _url(name: str, params: list[str], records: dict) -> str | None:
    values = {}
    for param in params:
        value = records.get(f"{name.split(':')[0]}:{param}", records.get(param))
        if value is None:
            return None
        values[param] = value
    return reverse(name, kwargs=values)


def _field_names(html: str) -> list[str]:
    names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html)
    return sorted({unescape(n) for n in names} - {"csrfmiddlewaretoken"})


def _rows_written() -> int:
    return sum(
        model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in APPS_WRITTEN and not model._meta.proxy
    )


def _forms_with_errors(response) -> list:
    found = []
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, BaseForm | BaseFormSet) and value.is_bound and value.errors:
                found.append(value)
    return found


def _fuzz(client, url: str, fields: list[str]) -> None:
    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(fields, BAD_TEXT)))
    def post_bad_values(data):
        before, logged = _rows_written(), LogEntry.objects.count()
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
        if response.status_code == 200 and _forms_with_errors(response):
            assert (_rows_written(), LogEntry.objects.count()) == (before, logged), (url, data)

    post_bad_values()


EXAMPLES_PER_FORM = 10


@pytest.mark.parametrize(
    ("role", "at_least"),
    [
        # The SENCO opens nearly every form of the product; a class teacher the forms about their own pupils.
        ("senco_a", 55),
        ("teacher_a", 18),
    ],
)
def test_bad_values_to_every_form_never_cause_a_server_error_or_a_save(request, login, records, role, at_least):
    client = login(request.getfixturevalue(role))
    fuzzed = []
    for url_name in sorted(ROUTES):
        url = _url(url_name, ROUTES[url_name], records)
        if url is None:
            continue
        page = client.get(url)
        is_page = page.status_code == 200 and page["Content-Type"].startswith("text/html")
        html = page.content.decode() if is_page else ""
        fields = _field_names(html)
        if 'method="post"' not in html or not fields:
            continue
        _fuzz(client, url, fields)
        fuzzed.append(url_name)

    print(f"{role}: {len(fuzzed)} forms fuzzed, up to {EXAMPLES_PER_FORM} posts each: {', '.join(fuzzed)}")
    assert len(fuzzed) >= at_least, fuzzed
