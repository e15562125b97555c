"""The main menu: at most seven entries at the top for any role (the rest grouped under them, no JavaScript),
"My class" only for a teacher with a class, and the favicon served from the site's root."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

MAX_TOP_LEVEL = 7


def _menu(html: str) -> str:
    return html[html.index('<nav aria-label="Main"') : html.index("</nav>")]


def _top_level(menu: str) -> list[str]:
    """The labels at the top of the menu: a plain link or a group's <summary>, one per top-level <li>."""
    inner = menu[menu.index('<ul class="nav">') + len('<ul class="nav">') :]
    labels, depth = [], 0
    for tag in re.finditer(r"<(/?)(ul|li)\b[^>]*>|<summary>([^<]*)</summary>|<a [^>]*>([^<]*)</a>", inner):
        closing, name, summary, link = tag.groups()
        if name == "ul":
            depth += -1 if closing else 1
            if depth < 0:
                break
        elif depth == 0 and (summary or link):
            labels.append(summary or link)
    return labels


@pytest.mark.parametrize("role", ["senco_a", "teacher_a", "head_a", "governor_a", "dsl_a", "ta_a"])
def test_no_role_has_more_than_seven_entries_at_the_top_of_the_menu(request, login, class_oak, role):
    user = request.getfixturevalue(role)
    page = login(user).get("/accounts/").content.decode()

    labels = _top_level(_menu(page))

    assert 0 < len(labels) <= MAX_TOP_LEVEL, labels
    assert len(labels) == len(set(labels)), labels


def test_the_senco_finds_the_register_work_under_pupils_and_the_rest_grouped(login, senco_a):
    menu = _menu(login(senco_a).get("/accounts/").content.decode())

    assert _top_level(menu) == [
        "Dashboard",
        "Pupils",
        "Support and progress",
        "EHC",
        "Deadlines",
        "Safeguarding",
        "School",
    ]
    for label in ("All pupils", "SEN concerns", "Progress flags", "Calendar"):
        assert f">{label}</a>" in menu


@pytest.mark.parametrize(("role", "shown"), [("teacher_a", True), ("ta_a", False), ("head_a", False), ("dsl_a", False)])
def test_my_class_is_offered_only_to_a_teacher_with_a_class(request, login, class_oak, role, shown):
    page = login(request.getfixturevalue(role)).get("/accounts/").content.decode()

    assert (f'href="{reverse("pupils:my-class")}"' in _menu(page)) is shown


def test_the_favicon_is_served_at_the_root_on_every_page(login, head_a):
    response = Client().get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert '<link rel="icon" href="/favicon.ico"' in login(head_a).get("/accounts/").content.decode()
