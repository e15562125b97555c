"""Each demo role signs in (password and second factor, as a person would) and follows the links of its pages in
a real browser: no link answers 403, 404 or 500, axe-core finds no serious or critical violation, and the list
pages stay short (pagination works).

Breadth first from the landing page to depth 2, one link of each shape (links that differ only in record ids
are one shape), at most PAGES_PER_ROLE pages a role, so the whole crawl stays under about two minutes. The
test-client crawl (tests/test_crawl.py) follows every shape deeper without a browser; this one adds what only
a browser sees: the rendered page's accessibility and height.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from demo.management.commands.seed_demo import DEMO_PASSWORD
from tests.conftest import SCREENSHOTS, enter_demo_code
from tests.test_crawl import SKIP, _shape

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The demo's five sign-in accounts (the deputy DSL has no demo authenticator: the test-client crawl covers them).
ROLES = ("senco", "teacher", "head", "governor", "dsl")
DEPTH = 2
PAGES_PER_ROLE = 14
# Lists that page: at 1280 x 900 none may run past this many pixels (the progress flags ran to 15,000, the
# calendar to 10,000 and the audit log to 24,700 before they paged).
LIST_PAGES = re.compile(r"^/(provision/flags|provision/scores|provision/meetings/due|audit|deadlines/calendar)/$")
LIST_HEIGHT_BOUND = 6000
# Files, not pages (the test-client crawl checks that they answer): a download never loads in the browser.
DOWNLOAD = re.compile(r"\.(pdf|csv|ics|xml|xlsx)$|/(pdf|csv|download|export)(/|$)")


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:
        enter_demo_code(page)
        page.wait_for_load_state()


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    found = []
    for href in hrefs:
        parts = urlsplit(urljoin(page.url, href))
        if f"{parts.scheme}://{parts.netloc}" != base or SKIP.search(parts.path) or DOWNLOAD.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _serious(page, axe_source: str) -> list[str]:
    page.evaluate(f"{axe_source}\n;true")  # through the debugging protocol: a <script> tag would break the CSP
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:2]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _phone_check(page, username: str) -> list[str]:
    """The landing page at 1366 and at 390 pixels (a phone): saved as screenshots, and at 390 nothing wider than
    the screen (the menu folds, wide tables scroll inside their own box)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        page.screenshot(path=str(SCREENSHOTS / f"landing-{username}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth") - width
        if width == 390 and overflow > 0:
            problems.append(f"{username}: the landing page is {overflow} px wider than a 390 px screen")
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


def _crawl(context, base: str, username: str, axe_source: str) -> tuple[dict[str, int], list[str]]:
    """Returns {path visited: page height} and the problems found."""
    page = context.new_page()
    _sign_in(page, base, username)
    landing = urlsplit(page.url).path
    problems = _phone_check(page, username)
    heights: dict[str, int] = {}
    seen, shapes = {landing}, Counter({_shape(landing): 1})
    frontier = [landing]
    for _depth in range(DEPTH + 1):
        following = []
        for path in frontier:
            if len(heights) >= PAGES_PER_ROLE:
                break
            try:
                response = page.goto(base + path)
            except PlaywrightError as error:
                if "Download is starting" not in str(error):
                    raise
                status = context.request.get(base + path).status
                if status in (403, 404, 500):
                    problems.append(f"{username}: {status} at {path}")
                continue
            status = response.status if response else 0
            if status in (403, 404, 500):
                problems.append(f"{username}: {status} at {path}")
                continue
            heights[path] = page.evaluate("document.documentElement.scrollHeight")
            problems += [f"{username}: {path}: {v}" for v in _serious(page, axe_source)]
            if LIST_PAGES.match(path) and heights[path] > LIST_HEIGHT_BOUND:
                problems.append(f"{username}: {path} is {heights[path]} px tall (bound {LIST_HEIGHT_BOUND})")
            for link in _links(page, base):
                if link not in seen and not shapes[_shape(link)]:
                    seen.add(link)
                    shapes[_shape(link)] += 1
                    following.append(link)
        # The lists first: they are what the height bound is for, and the page budget must not cut them off.
        frontier = sorted(following, key=lambda link: not LIST_PAGES.match(link))
    page.close()
    return heights, problems


def test_every_demo_role_follows_its_links_to_allowed_accessible_short_pages(
    demo_school, live_server, browser, axe_source
):
    problems: list[str] = []
    visited: dict[str, dict[str, int]] = {}
    refused: list[str] = []
    for username in ROLES:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.on(
            "console",
            lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
        )
        heights, found = _crawl(context, live_server.url, username, axe_source)
        context.close()
        visited[username], problems = heights, problems + found

    report = {username: len(pages) for username, pages in visited.items()}
    print("pages visited per role:", report)
    print(
        "list page heights:",
        {f"{u} {p}": h for u, pages in visited.items() for p, h in pages.items() if LIST_PAGES.match(p)},
    )
    assert not problems, "\n".join(problems)
    assert not refused, "\n".join(refused)
    assert all(count >= 5 for count in report.values()), report
    lists = {path for pages in visited.values() for path in pages if LIST_PAGES.match(path)}
    assert {"/provision/flags/", "/audit/", "/deadlines/calendar/", "/provision/scores/"} <= lists, lists
