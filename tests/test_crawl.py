"""Every link a demo role is shown leads somewhere it may go: a crawl of the demo school, one role at a time.

For each demo account the test client follows every link (`<a href>`) from the landing page, breadth first, to
a bounded depth, and asserts that none answers 403, 404 or 500. A link that answers 403 is a control the role
should never have been offered (docs/ACCESS.md: templates show controls from the `can` mapping the view built).

Links that differ only in their record ids (one per pupil row, say) are one *shape*; a few of each shape are
followed, so a list of 400 pupils costs a handful of requests while every kind of link is still tried.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import sign_in

DEMO_ROLES = ("senco", "teacher", "head", "governor", "dsl", "deputy")
DEPTH = 3  # the landing page is depth 0
PER_SHAPE = 3  # links of one shape followed per role
BAD = (403, 404, 500)
# Not pages: sign-out is a form, the admin is Django's own, static files are not ours to crawl.
SKIP = re.compile(r"^/(admin|static|media)/|^/accounts/logout/")
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?<=/)\d+(?=/)")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _links(page_url: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(page_url, href))
        if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
            continue  # mailto:, tel:, other sites
        if SKIP.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _shape(url: str) -> str:
    path, _, query = url.partition("?")
    return ID.sub("<id>", path) + ("?" + re.sub(r"=[^&]*", "=", query) if query else "")


def crawl(
    client: Client, *, start: str = "/", depth: int = DEPTH, per_shape: int = PER_SHAPE
) -> tuple[dict[str, str], list[str]]:
    """Breadth first from `start`: returns {url visited: the page that linked to it} and the failures found."""
    linked_from: dict[str, str] = {start: ""}
    shapes: Counter[str] = Counter({_shape(start): 1})
    frontier, failures = [start], []
    for _level in range(depth + 1):
        following = []
        for url in frontier:
            response = client.get(url, follow=True)
            if response.status_code in BAD:
                failures.append(f"{response.status_code} {url} (linked from {linked_from[url] or 'the start'})")
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            page = response.redirect_chain[-1][0] if response.redirect_chain else url
            for link in _links(page, response.content.decode()):
                shape = _shape(link)
                if link in linked_from or shapes[shape] >= per_shape:
                    continue
                shapes[shape] += 1
                linked_from[link] = url
                following.append(link)
        frontier = following
    return linked_from, failures


@pytest.fixture(scope="module")
def demo_school(django_db_setup, django_db_blocker):
    """The demo school, seeded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_no_link_a_demo_role_is_shown_answers_403_404_or_500(demo_school, db, username):
    client = sign_in(Client(), get_user_model().objects.get(username=username))
    visited, failures = crawl(client)
    print(f"{username}: {len(visited)} links followed")
    assert not failures, f"{username}: {len(failures)} bad links of {len(visited)}:\n" + "\n".join(failures)
    # A crawl that never left the landing page would prove nothing.
    assert len(visited) > 10, visited


def test_the_crawl_reports_a_link_that_answers_403(db, school_a, head_a, pupil_oak):
    """The crawler itself: a link the reader may not follow is reported with the page that offered it."""
    forbidden = reverse("provision:meeting-add", args=[pupil_oak.pk])
    _visited, failures = crawl(sign_in(Client(), head_a), start=forbidden, depth=0)
    assert failures == [f"403 {forbidden} (linked from the start)"]
    links = _links("/", f'<a href="{forbidden}">x</a><a href="mailto:a@b.c">m</a><a href="/static/x.css">s</a>')
    assert links == [forbidden]
    assert _shape(f"{forbidden}?page=2") == "/provision/pupils/<id>/meetings/new/?page="
