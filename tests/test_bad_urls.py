"""Every URL pattern of the site, with each parameter replaced by a NUL byte or a 5,000-character segment, asked
for anonymously and as the SENCO: never a server error."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

pytestmark = pytest.mark.django_db

BAD_VALUES = {"nul": "%00", "long": "x" * 5000, "nul_in_token": "a" * 20 + "%00" + "b" * 20}
ROUTE_PARAMETER = re.compile(r"<(?:[^>:]+:)?[^>]+>")
REGEX_GROUP = re.compile(r"\(\?P<[^>]+>(?:[^()]|\([^()]*\))*\)")


def _pattern_text(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    if isinstance(pattern, RegexPattern):
        return pattern._regex
    raise TypeError(pattern)


def _templates(patterns=None, prefix: str = "") -> list[str]:
    """Every URL of the site as a template: the route with its parameters marked {}."""
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        text = _pattern_text(entry.pattern)
        if isinstance(entry.pattern, RegexPattern):
            text = REGEX_GROUP.sub("{}", text).lstrip("^").rstrip("$").replace("\\", "")
        else:
            text = ROUTE_PARAMETER.sub("{}", text)
        if isinstance(entry, URLResolver):
            found.extend(_templates(entry.url_patterns, prefix + text))
        elif isinstance(entry, URLPattern):
            found.append(prefix + text)
    return sorted(set(found))


TEMPLATES = [template for template in _templates() if "{}" in template]


def test_the_walk_finds_the_sites_parameterised_urls():
    assert "deadlines/feed/{}.ics" in TEMPLATES
    assert "pupils/{}/" in TEMPLATES
    assert len(TEMPLATES) > 40


def _urls(bad: str) -> list[str]:
    return ["/" + template.replace("{}", bad) for template in TEMPLATES]


@pytest.mark.parametrize("bad", list(BAD_VALUES.values()), ids=list(BAD_VALUES))
def test_no_url_answers_a_server_error_to_an_anonymous_visitor(client, bad):
    failures = {url[:120]: status for url in _urls(bad) if (status := client.get(url).status_code) >= 500}

    assert failures == {}


@pytest.mark.parametrize("bad", list(BAD_VALUES.values()), ids=list(BAD_VALUES))
def test_no_url_answers_a_server_error_to_the_senco(login, senco_a, pupil_oak, bad):
    client = login(senco_a)

    failures = {}
    for url in _urls(bad):
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status >= 500:
                failures[f"{method} {url[:120]}"] = status

    assert failures == {}


def test_the_calendar_feed_with_a_nul_byte_is_not_found(client):
    assert client.get("/deadlines/feed/%00.ics").status_code == 404
