"""The named cast shared by every test: two schools, their staff in each role, and three pupils.

School A is Claremont Primary and Nursery School (Nottingham City); school B is another school in the same
LA. Each person's comment says what they may see (DESIGN.md section 2). Everyone else comes from
tests/factories.py. Staff sign in with `client.force_login` (django-axes wraps `client.login`).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from pupils import services, twofactor
from pupils.census import NEED_TYPES
from pupils.models import (
    ConcernStatus,
    NeedType,
    Phase,
    Pupil,
    RegisterEntry,
    RegisterStatus,
    Role,
    School,
    SchoolClass,
    SenConcern,
)
from tests.factories import MembershipFactory, PupilFactory, SchoolClassFactory, SchoolFactory, UserFactory, next_upn
from tests.fixtures.deadlines import *  # noqa: F403  (each area's records, shared by the access matrix)
from tests.fixtures.ehc import *  # noqa: F403
from tests.fixtures.maps import *  # noqa: F403
from tests.fixtures.provision import *  # noqa: F403


def _clear_local_caches() -> None:
    # A Redis cache is left alone: clearing it flushes the database the Celery broker shares.
    for cache in caches.all():
        if "redis" not in type(cache).__module__:
            cache.clear()


@pytest.fixture(autouse=True)
def _clear_caches():
    """Nothing cached by one test leaks into the next. Per-request caches (roles on request.user, the school
    on the request) die with their request."""
    _clear_local_caches()
    yield
    _clear_local_caches()


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in the test process, even when REDIS_URL is set in the environment. Celery reads its settings
    once, so this sets the app's own config, and the setting services read to choose between computing now and
    queueing; the integration test turns it off for itself."""
    from django.test import override_settings

    from send_mis.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _page_cache_off():
    """Pages render in full, so tests can read `response.context` and count a page's queries; the page cache's
    own tests (tests/test_page_cache.py) turn it on with the `page_cache` fixture."""
    from django.test import override_settings

    with override_settings(SEND_MIS_PAGE_CACHE=False):
        yield


@pytest.fixture(autouse=True)
def _statement_check():
    """Every reuse of a kept statement (send_mis/statements.py) is compiled anyway and compared with the kept
    SQL, so a key that misses an input of its statement fails the test that varies that input."""
    from django.test import override_settings

    with override_settings(SEND_MIS_STATEMENT_CHECK=True):
        yield


@pytest.fixture
def page_cache(_page_cache_off):
    """Busy pages served from the page cache, as in production."""
    from django.test import override_settings

    with override_settings(SEND_MIS_PAGE_CACHE=True):
        yield


# --- Schools and classes ------------------------------------------------------------------------------


@pytest.fixture
def school_a(db) -> School:
    return School.objects.create(
        name="Claremont Primary and Nursery School",
        urn="122000",
        la_code="892",
        la_name="Nottingham City",
        phase=Phase.PRIMARY_NURSERY,
    )


@pytest.fixture
def school_b(db) -> School:
    return SchoolFactory(name="Rise Park Primary and Nursery School", urn="122610", phase=Phase.PRIMARY_NURSERY)


@pytest.fixture
def class_oak(school_a, teacher_a) -> SchoolClass:
    return SchoolClassFactory(school=school_a, name="3 Oak", year_group=3, teachers=[teacher_a])


@pytest.fixture
def class_ash(school_a, teacher_b) -> SchoolClass:
    return SchoolClassFactory(school=school_a, name="4 Ash", year_group=4, teachers=[teacher_b])


@pytest.fixture
def class_b(school_b) -> SchoolClass:
    return SchoolClassFactory(school=school_b, name="3 Willow", year_group=3)


# --- Staff ---------------------------------------------------------------------------------------------


def _member(username: str, first: str, last: str, school: School, role: str):
    user = UserFactory(username=username, first_name=first, last_name=last)
    MembershipFactory(user=user, school=school, role=role)
    return user


@pytest.fixture
def senco_a(school_a):
    # SENCO of school A: every pupil of school A by name; changes the register; triages concerns; grants access.
    return _member("senco_a", "Sophie", "Ndlovu", school_a, Role.SENCO)


@pytest.fixture
def teacher_a(school_a):
    # Teacher of 3 Oak: only 3 Oak's pupils (and any pupil granted to them); raises concerns about them.
    return _member("teacher_a", "Tom", "Okafor", school_a, Role.TEACHER)


@pytest.fixture
def teacher_b(school_a):
    # Teacher of 4 Ash: only 4 Ash's pupils; never 3 Oak's unless the SENCO grants one.
    return _member("teacher_b", "Priya", "Shah", school_a, Role.TEACHER)


@pytest.fixture
def head_a(school_a):
    # Headteacher of school A: every pupil by name, read only; raises concerns; the only reader of the audit log.
    return _member("head_a", "Helen", "Whitfield", school_a, Role.HEAD)


@pytest.fixture
def governor_a(school_a):
    # Governor of school A: anonymised register counts only; never a pupil's name or record.
    return _member("governor_a", "Graham", "Lister", school_a, Role.GOVERNOR)


@pytest.fixture
def dsl_a(school_a):
    # DSL of school A: every pupil by name, read only; raises concerns; no register changes, no reports.
    return _member("dsl_a", "Diane", "Kowalski", school_a, Role.DSL)


@pytest.fixture
def ta_a(school_a):
    # Teaching assistant in school A (a teacher membership, no class): only pupils granted to them by name.
    return _member("ta_a", "Tina", "Marsh", school_a, Role.TEACHER)


@pytest.fixture
def senco_b(school_b):
    # SENCO of school B: everything in school B, nothing at all in school A.
    return _member("senco_b", "Samir", "Haddad", school_b, Role.SENCO)


# --- Pupils (surnames are unusual so a page that leaks one is caught by a plain substring test) --------


@pytest.fixture
def pupil_oak(class_oak) -> Pupil:
    return PupilFactory(
        school=class_oak.school,
        school_class=class_oak,
        legal_forename="Amara",
        legal_surname="Thistlewood",
        date_of_birth=date(2017, 11, 3),
        year_group=3,
    )


@pytest.fixture
def pupil_ash(class_ash) -> Pupil:
    return PupilFactory(
        school=class_ash.school,
        school_class=class_ash,
        legal_forename="Jonah",
        legal_surname="Pemberton-Ashby",
        date_of_birth=date(2016, 5, 21),
        year_group=4,
    )


@pytest.fixture
def pupil_b(class_b) -> Pupil:
    return PupilFactory(
        school=class_b.school,
        school_class=class_b,
        legal_forename="Leila",
        legal_surname="Brackenridge",
        date_of_birth=date(2017, 7, 9),
        year_group=3,
        upn=next_upn(establishment="2610"),
    )


@pytest.fixture
def needs(db) -> dict[str, NeedType]:
    """The census type-of-need codes by code (loaded by migration 0002; recreated if a flush removed them)."""
    for ordering, (code, name, area, sen_support_only) in enumerate(NEED_TYPES):
        NeedType.objects.get_or_create(
            code=code,
            defaults={"name": name, "broad_area": area, "sen_support_only": sen_support_only, "ordering": ordering},
        )
    return {need.code: need for need in NeedType.objects.all()}


@pytest.fixture
def oak_entry(pupil_oak, senco_a, needs) -> RegisterEntry:
    """pupil_oak's open register entry: SEN support for speech, language and communication."""
    return services.register_entry_add(
        pupil=pupil_oak,
        status=RegisterStatus.SEN_SUPPORT,
        primary_need=needs["SLCN"],
        started_on=date(2024, 9, 2),
        start_reason="Speech and language therapist's report",
        actor=senco_a,
    )


@pytest.fixture
def oak_concern(pupil_oak, teacher_a) -> SenConcern:
    """An open SEN concern about pupil_oak, raised by their class teacher."""
    return services.concern_raise(
        pupil=pupil_oak,
        description="Struggles to follow two-step instructions in maths lessons.",
        actor=teacher_a,
    )


@pytest.fixture
def oak_grant(pupil_oak, ta_a, senco_a):
    """The SENCO's grant of pupil_oak's record to the teaching assistant."""
    return services.pupil_access_grant(
        pupil=pupil_oak, user=ta_a, reason="Teaching assistant supporting in 3 Oak", actor=senco_a
    )


def sign_in(client: Client, user, *, second_factor: bool = True) -> Client:
    """Sign `user` in on `client` as after a full sign-in: password and (unless `second_factor` is False) a
    second-factor code just now, so pages that need one open as they would for the real person."""
    client.force_login(user)
    if second_factor:
        session = client.session
        twofactor.mark_verified(session, now=timezone.now())
        session.save()
    return client


@pytest.fixture
def login() -> Callable[..., Client]:
    """A fresh test client signed in as `user` (or anonymous for None), second factor passed just now."""

    def _login(user=None, *, second_factor: bool = True) -> Client:
        client = Client()
        if user is not None:
            sign_in(client, user, second_factor=second_factor)
        return client

    return _login


# --- Bulk data -----------------------------------------------------------------------------------------

_bulk_names = itertools.count()


@pytest.fixture
def make_pupils(db, needs) -> Callable[..., list[Pupil]]:
    """make_pupils(n, school, school_class=None): n pupils made with bulk_create. Three in every twenty (15%)
    are on the register (SEN support, EHC plan, monitoring in turn) and have an open SEN concern, so pages
    that read register and concern data really do."""
    loader = UserFactory(username="data-loader", first_name="Data", last_name="Loader")
    statuses = [
        (RegisterStatus.SEN_SUPPORT, needs["SLCN"]),
        (RegisterStatus.EHC_PLAN, needs["ASD"]),
        (RegisterStatus.MONITORING, None),
    ]

    def _make(n: int, school: School, school_class: SchoolClass | None = None) -> list[Pupil]:
        pupils = []
        for i in range(n):
            serial = next(_bulk_names)
            pupils.append(
                Pupil(
                    school=school,
                    upn=next_upn(establishment=school.urn[-4:]),
                    legal_forename=f"Forename{serial}",
                    legal_surname=f"Bulksurname{serial:05d}",
                    date_of_birth=date(2015, 1 + i % 12, 1 + i % 28),
                    gender="F" if i % 2 else "M",
                    year_group=school_class.year_group if school_class else i % 7,
                    school_class=school_class,
                    is_eal=i % 5 == 0,
                    first_language="Polish" if i % 5 == 0 else "English",
                    admitted_on=date(2021, 9, 1),
                )
            )
        Pupil.objects.bulk_create(pupils)
        on_register = [(i, p) for i, p in enumerate(pupils) if i % 20 < 3]
        RegisterEntry.objects.bulk_create(
            RegisterEntry(
                pupil=pupil,
                school_id=pupil.school_id,
                status=statuses[i % 20][0],
                primary_need=statuses[i % 20][1],
                started_on=date(2024, 9, 2),
                start_reason="Bulk test data",
                created_by=loader,
            )
            for i, pupil in on_register
        )
        SenConcern.objects.bulk_create(
            SenConcern(
                pupil=pupil,
                raised_by=loader,
                description="Finds written work hard to start without support.",
                status=ConcernStatus.OPEN,
            )
            for _, pupil in on_register
        )
        return pupils

    return _make


# --- Browser tests: headless chromium (Debian's package) driven by Playwright, with axe-core injected -----
# Session fixtures live here, once, so every test module shares one Playwright instance.

ROOT = Path(__file__).resolve().parents[1]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _missing(what: str) -> None:
    """Under CI a missing part fails the run; on a developer's machine the browser tests are skipped."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required under CI", pytrace=False)
    pytest.skip(f"{what} not installed")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        _missing("Debian's chromium (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        _missing("axe-core (npm install)")
    return AXE_JS.read_text()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser page; the test fails if any page it visits breaks the Content-Security-Policy."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    context.close()
    assert not refused, "\n".join(refused)


def enter_demo_code(page) -> None:
    """On the second-factor page after signing in as a demo account, enter the code the demo key gives now."""
    from base64 import b32decode

    from django_otp.oath import totp

    from demo.management.commands.seed_demo import DEMO_TOTP_SECRET

    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    page.get_by_label("Code").fill(f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}")
    page.get_by_role("button", name="Continue").click()


@pytest.fixture
def check_accessibility(axe_source):
    """Run axe-core on the page; fail on any serious or critical violation; save a screenshot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def check(page, name: str) -> list[dict]:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        # Evaluated through the browser's debugging protocol: a <script> tag would break the page's CSP.
        page.evaluate(f"{axe_source}\n;true")
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in serious
        )
        return result["violations"]

    return check
