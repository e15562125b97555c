"""The page cache (send_mis/pagecache.py): busy pages served whole while nothing has changed, never to another
session, never past a write, a message, a lost role or a new day; the read log still written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pupils import services
from pupils.models import Membership, School
from send_mis import pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache():
    """A cache of this test's own: under CI the Redis cache is shared by every test process, whose writes bump
    the generation too (as they should), which would make these counts depend on what runs beside them."""
    from django.test import override_settings

    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        cache.clear()
        yield
    pagecache._Outage.down = pagecache._Outage.bump_owed = False  # an outage a test made ends with it


# A school page served from the cache runs only what a bare signed-in view runs: the session and the user. The
# access check is not repeated (it passed when this session's page was stored, and nothing it reads can change
# without a new generation); a page rendered in full runs the two, the memberships, the current school and more.
SIGNED_IN = 2
SCHOOL_PAGES = [
    "overview:dashboard",
    "pupils:pupil-list",
    "pupils:register-summary",
    "deadlines:deadline-list",
    "ehc:index",
    "provision:flag-list",
]
# A pupil's page, cached, still runs its access check and logs the read: the session, the user, the user's
# memberships, the pupil the user may see (one query: the visibility rule is a subquery) and the read (an
# insert).
PUPIL_PAGES = ["overview:pupil", "overview:history"]
PUPIL_PAGE_CACHED = 5


def _signed_in(login, user):
    """A client as after a real sign-in: the sign-in form has set its CSRF cookie (a request without one is
    never served from the cache, since the page's token would have nothing to match)."""
    client = login(user)
    client.get(reverse("accounts:account"))
    assert "csrftoken" in client.cookies
    return client


def _get(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, len(queries)


# --- Which statements empty the cache ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "shown"),
    [
        ('SELECT "pupils_pupil"."id" FROM "pupils_pupil"', False),
        ("  select 1", False),
        ('SAVEPOINT "s1_x1"', False),
        ('RELEASE SAVEPOINT "s1_x1"', False),
        ('INSERT INTO "pupils_pupil" ("id") VALUES (%s)', True),
        ('UPDATE "pupils_registerentry" SET "status" = %s', True),
        ('DELETE FROM "provision_progressflag" WHERE "id" IN (%s)', True),
        ("\n        INSERT INTO deadlines_reminder (id) SELECT gen_random_uuid() FROM deadlines_deadline d", True),
        ('INSERT OR IGNORE INTO "pupils_pupil" ("id") VALUES (%s)', True),
        ('WITH due AS (SELECT 1) UPDATE "deadlines_deadline" SET "status" = %s', True),
        ('ALTER TABLE "pupils_pupil" ADD COLUMN "x" integer', True),
        # Written on every page view or sign-in, and shown on no cached page:
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('INSERT INTO "auditlog_logentry" ("action") VALUES (%s)', False),
        ('UPDATE "otp_totp_totpdevice" SET "last_t" = %s', False),
        ('INSERT INTO "axes_accesslog" ("username") VALUES (%s)', False),
        ('UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"."id" = %s', False),  # a sign-in
        ('UPDATE "auth_user" SET "first_name" = %s, "last_login" = %s WHERE "auth_user"."id" = %s', True),
    ],
)
def test_only_writes_to_tables_a_page_may_show_count_as_a_change(sql, shown):
    assert pagecache.writes_shown_table(sql) is shown


@pytest.mark.django_db(transaction=True)
def test_a_write_bumps_the_generation_at_once_and_again_after_commit():
    """Committed for real (a transactional test): the bump after commit is the one that matters in production."""
    school = School.objects.create(name="Larkspur Primary", urn="100001")
    before = pagecache.generation()
    with transaction.atomic():
        school.name = "Renamed Primary"
        school.save()
        during = pagecache.generation()
        School.objects.get(pk=school.pk)  # something read since that bump (a page, say)
        for name in ("A", "B", "C"):  # then a run of writes with nothing read between them: one bump
            School.objects.filter(pk=school.pk).update(name=name)
        assert pagecache.generation() == during + 1
    assert during > before
    assert pagecache.generation() == during + 2  # and once after the commit


def test_session_and_read_log_writes_leave_the_generation_alone(senco_a, pupil_oak):
    from django.contrib.sessions.backends.db import SessionStore

    before = pagecache.generation()
    session = SessionStore()
    session["x"] = 1
    session.save()
    services.pupil_record_viewed(pupil=pupil_oak, actor=senco_a)
    assert pagecache.generation() == before


def test_a_flushed_cache_starts_a_generation_no_stored_page_can_have(school_a):
    old = pagecache.generation()
    cache.delete(pagecache.GENERATION_KEY)
    assert pagecache.generation() > old


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ('SELECT "pupils_pupil"."id" FROM "pupils_pupil" WHERE "pupils_pupil"."school_id" = %s', {"pupils_pupil"}),
        (
            'SELECT COUNT(*) FROM "pupils_registerentry" INNER JOIN "pupils_pupil" ON (x) WHERE "pupils_pupil".'
            '"school_class_id" IN (SELECT U0."id" FROM "pupils_schoolclass" U0)',
            {"pupils_registerentry", "pupils_pupil", "pupils_schoolclass"},
        ),
        # Raw SQL: unquoted, a comma join and a common table expression.
        (
            "WITH open AS (SELECT d.id FROM deadlines_deadline d) SELECT 1 FROM open, pupils_pupil p",
            {"deadlines_deadline", "pupils_pupil"},
        ),
        ('SELECT "django_session"."session_data" FROM "django_session"', set()),  # unshown
        ("SELECT 1", set()),
        ('SAVEPOINT "s1_x1"', set()),
    ],
)
def test_a_statement_reads_every_models_table_it_names(sql, tables):
    assert pagecache.read_tables(sql) == tables


def test_a_write_whose_tables_cannot_be_told_counts_as_a_change_to_everything():
    assert pagecache.written_tables('ALTER TABLE "pupils_pupil" ADD COLUMN "x" integer') is None
    assert pagecache.written_tables('UPDATE "pupils_pupil" SET "year_group" = 1') == {"pupils_pupil"}
    assert pagecache.written_tables('UPDATE "django_session" SET "session_data" = %s') == set()


def test_inside_a_transaction_each_table_is_bumped_at_its_first_write(school_a, senco_a):
    """A page asked for inside the transaction (as in the tests) must not be served across a write to a table
    it read, even with nothing read between that write and an earlier one to another table."""
    with transaction.atomic():
        School.objects.filter(pk=school_a.pk).update(name="Renamed Primary")
        pupils_before = pagecache.table_generation("pupils_membership")
        Membership.objects.filter(user=senco_a).update(school=school_a)
        assert pagecache.table_generation("pupils_membership") != pupils_before


def test_the_generations_stored_with_a_page_are_those_it_was_rendered_in(school_a):
    current = pagecache.generation()
    stored = pagecache._table_generations(current, {"pupils_pupil", "pupils_term"})
    assert set(stored) == {pagecache.EVERYTHING, "pupils_pupil", "pupils_term"}
    assert all(isinstance(value, int) for value in stored.values())  # counters made where none was yet
    pagecache.bump({"provision_senbudget"})  # anything written since the rendering began
    assert pagecache._table_generations(current, {"pupils_pupil"}) is None


# --- Pages -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCHOOL_PAGES)
def test_a_school_page_asked_again_is_served_whole_from_the_cache(page_cache, login, senco_a, pupil_oak, name):
    client = _signed_in(login, senco_a)
    url = reverse(name)
    first, full = _get(client, url)
    again, cached = _get(client, url)

    assert again.content == first.content
    assert cached == SIGNED_IN < full
    assert again.context is None  # no template rendered


@pytest.mark.parametrize("name", PUPIL_PAGES)
def test_a_pupil_page_from_the_cache_still_logs_the_read(page_cache, login, senco_a, pupil_oak, name):
    client = _signed_in(login, senco_a)
    url = reverse(name, args=[pupil_oak.pk])
    first, full = _get(client, url)
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(pupil_oak.pk)).count()

    again, cached = _get(client, url)

    assert again.content == first.content
    assert cached == PUPIL_PAGE_CACHED < full
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(pupil_oak.pk)).count() == reads + 1


def test_any_write_shows_on_the_next_request(page_cache, login, senco_a, pupil_oak):
    client = _signed_in(login, senco_a)
    list_url, pupil_url = reverse("pupils:pupil-list"), reverse("overview:pupil", args=[pupil_oak.pk])
    _get(client, list_url)
    _get(client, pupil_url)

    pupil_oak.legal_surname = "Marchbank"
    services.pupil_save(pupil=pupil_oak, actor=senco_a)

    for url in (list_url, pupil_url):
        response, queries = _get(client, url)
        assert "Marchbank" in response.content.decode()
        assert queries > PUPIL_PAGE_CACHED


def test_a_write_through_a_form_shows_on_the_next_request(page_cache, login, senco_a, pupil_oak):
    """The whole way round, as a SENCO does it: a page, a change through its form, the page again."""
    client = _signed_in(login, senco_a)
    url = reverse("overview:pupil", args=[pupil_oak.pk])
    _get(client, url)
    assert "Thistlewood" in _get(client, url)[0].content.decode()

    response = client.post(reverse("pupils:pupil-edit", args=[pupil_oak.pk]), _edited(pupil_oak))

    assert response.status_code == 302, response.content.decode()[:2000]
    page = _get(client, url)[0].content.decode()
    assert "Featherstonehaugh" in page and "Thistlewood" not in page


def test_a_request_without_a_csrf_cookie_is_neither_served_nor_stored(page_cache, login, senco_a, pupil_oak):
    client = login(senco_a)
    url = reverse("overview:dashboard")
    _, first = _get(client, url)  # sets the cookie: the page carries a token for it, so it is not stored
    _, second = _get(client, url)
    _, third = _get(client, url)
    assert first == second > third == SIGNED_IN


def test_a_message_is_shown_once_and_the_page_cached_without_it(page_cache, login, senco_a, pupil_oak):
    client = _signed_in(login, senco_a)
    url = reverse("overview:pupil", args=[pupil_oak.pk])
    client.post(reverse("pupils:pupil-edit", args=[pupil_oak.pk]), _edited(pupil_oak))

    shown, _ = _get(client, url)  # the message, on a page neither served from nor put in the cache
    after, _ = _get(client, url)
    again, queries = _get(client, url)

    assert "Pupil details saved." in shown.content.decode()
    assert "Pupil details saved." not in after.content.decode()
    assert again.content == after.content
    assert queries == PUPIL_PAGE_CACHED


def _edited(pupil) -> dict:
    return {
        "upn": pupil.upn,
        "legal_forename": pupil.legal_forename,
        "legal_surname": "Featherstonehaugh",
        "preferred_forename": "",
        "preferred_surname": "",
        "date_of_birth": pupil.date_of_birth.isoformat(),
        "gender": pupil.gender,
        "year_group": str(pupil.year_group),
        "school_class": str(pupil.school_class_id),
        "first_language": pupil.first_language,
        "admitted_on": pupil.admitted_on.isoformat() if pupil.admitted_on else "",
        "left_on": "",
    }


def test_another_session_of_the_same_user_never_gets_the_page(page_cache, login, senco_a, pupil_oak):
    url = reverse("overview:dashboard")
    first = _signed_in(login, senco_a)
    _get(first, url)
    _get(first, url)

    _, queries = _get(_signed_in(login, senco_a), url)

    assert queries > SIGNED_IN


def test_each_query_string_is_its_own_page(page_cache, login, senco_a, pupil_oak):
    client = _signed_in(login, senco_a)
    url = reverse("pupils:pupil-list")
    _get(client, url)
    response, queries = _get(client, url + "?q=nobody-is-called-this")
    assert queries > SIGNED_IN
    assert "Thistlewood" not in response.content.decode()


def test_a_role_taken_away_is_refused_at_once(page_cache, login, senco_a, head_a, pupil_oak):
    from pupils.staff import staff_remove

    client = _signed_in(login, senco_a)
    url = reverse("pupils:pupil-list")
    _get(client, url)
    _get(client, url)

    staff_remove(school=senco_a.memberships.first().school, user=senco_a, actor=head_a)

    assert not Membership.objects.filter(user=senco_a).exists()
    assert client.get(url).status_code == 403


def test_a_new_day_renders_the_page_afresh(page_cache, login, senco_a, pupil_oak, monkeypatch):
    client = _signed_in(login, senco_a)
    url = reverse("deadlines:deadline-list")
    _get(client, url)
    _get(client, url)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    _, queries = _get(client, url)

    assert queries > SIGNED_IN


def test_pages_still_open_when_the_cache_is_away(page_cache, login, senco_a, pupil_oak, monkeypatch):
    def away(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    from django.core.cache import caches

    for method in ("get", "get_many", "set", "add", "incr"):
        monkeypatch.setattr(caches["default"], method, away)

    response, _ = _get(login(senco_a), reverse("overview:dashboard"))
    assert "Dashboard" in response.content.decode()


def test_with_the_page_cache_off_every_request_renders(login, senco_a, pupil_oak):
    client = _signed_in(login, senco_a)
    url = reverse("overview:dashboard")
    _, full = _get(client, url)
    again, queries = _get(client, url)
    assert queries == full
    assert again.context is not None


@pytest.mark.parametrize("name", SCHOOL_PAGES)
def test_a_refused_page_stays_refused(page_cache, login, governor_a, senco_a, pupil_oak, name):
    """A 403 is never stored, and a page stored for the SENCO's session is nobody else's."""
    senco = _signed_in(login, senco_a)
    _get(senco, reverse(name))
    governor = _signed_in(login, governor_a)
    allowed = name == "pupils:register-summary"  # the governors' anonymised counts
    for _ in range(2):
        assert governor.get(reverse(name)).status_code == (200 if allowed else 403)


def test_a_bump_lost_while_the_cache_was_away_is_made_when_it_returns(
    page_cache, login, senco_a, pupil_oak, monkeypatch, caplog
):
    """A write while the cache is unreachable cannot bump the generation; this process owes the bump, makes it
    at its next use of the cache, and serves nothing from the cache until then. The outage is logged once."""
    from django.core.cache import caches

    client = _signed_in(login, senco_a)
    url = reverse("pupils:pupil-list")
    _get(client, url)
    assert _get(client, url)[1] == SIGNED_IN
    before = pagecache.generation()

    def away(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    with monkeypatch.context() as m:
        m.setattr(caches["default"], "incr", away)
        m.setattr(caches["default"], "add", away)
        for surname in ("Marchbank", "Featherstonehaugh"):
            pupil_oak.legal_surname = surname
            services.pupil_save(pupil=pupil_oak, actor=senco_a)
    assert pagecache.generation() == before
    assert sum("unreachable" in r.getMessage() for r in caplog.records) == 1
    assert "Traceback" not in caplog.text

    response, queries = _get(client, url)  # the cache is back: the owed bump is made, the page rendered

    assert "Featherstonehaugh" in response.content.decode()
    assert queries > SIGNED_IN
    assert pagecache.generation() > before
    again, queries = _get(client, url)  # rendered after the owed bump, so stored and served again
    assert queries == SIGNED_IN and again.content == response.content


def test_a_write_to_tables_a_page_did_not_read_leaves_it_served(
    page_cache, login, senco_a, pupil_oak, make_pupils, class_oak, reading, hlta_rate, today
):
    """The day's commonest write, a teacher recording a week of a group's sessions, empties none of the school
    pages (none of them reads sessions or attendance): each is served again from the cache, checked against its
    tables' generations (a second round trip to the cache, no query)."""
    from datetime import timedelta

    from provision import services as provision_services

    group = provision_services.group_start(
        provision=reading,
        name="Reading boost, group A",
        lead=None,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        pupils=make_pupils(2, class_oak.school, class_oak),
        actor=senco_a,
    )
    client = _signed_in(login, senco_a)
    first = {name: _get(client, reverse(name))[0].content for name in SCHOOL_PAGES}
    before = pagecache.generation()

    provision_services.sessions_record(
        group=group,
        sessions=[provision_services.SessionInput(today - timedelta(days=1), True, 30)],
        today=today,
        actor=senco_a,
    )

    assert pagecache.generation() > before  # the write was seen
    for name in SCHOOL_PAGES:
        again, queries = _get(client, reverse(name))
        assert (queries, again.content) == (SIGNED_IN, first[name]), name


def test_a_write_whose_tables_cannot_be_told_renders_every_page_afresh(page_cache, login, senco_a, pupil_oak):
    client = _signed_in(login, senco_a)
    url = reverse("pupils:pupil-list")
    _get(client, url)
    with connection.cursor() as cursor:
        # DDL names no table a page shows. (Not ANALYZE: its row counts outlive the test's rolled-back
        # transaction, and later tests' queries would be planned on them.)
        cursor.execute("CREATE TEMPORARY TABLE page_cache_probe (id integer)")
    assert _get(client, url)[1] > SIGNED_IN


def test_a_page_rendered_while_anything_was_written_is_not_served_after_the_next_write(
    page_cache, login, senco_a, pupil_oak, monkeypatch
):
    """Its tables' generations, read after it was rendered, may be newer than the rows it read: it is kept only
    while nothing at all is written, so even a write elsewhere renders it afresh."""
    client = _signed_in(login, senco_a)
    url = reverse("pupils:pupil-list")
    original = pagecache._table_generations

    def written_meanwhile(current, tables):
        pagecache.bump({"provision_senbudget"})  # another process's write, while this page rendered
        return original(current, tables)

    with monkeypatch.context() as m:
        m.setattr(pagecache, "_table_generations", written_meanwhile)
        _get(client, url)
    assert _get(client, url)[1] > SIGNED_IN  # rendered afresh, now with its tables' generations
    pagecache.bump({"provision_senbudget"})
    assert _get(client, url)[1] == SIGNED_IN


def test_someone_signing_in_leaves_the_pages_served(page_cache, login, senco_a, teacher_a, pupil_oak):
    """A sign-in records its time on the user, which no page shows: the morning's sign-ins do not render every
    page afresh (every page reads the signed-in user)."""
    client = _signed_in(login, senco_a)
    url = reverse("overview:dashboard")
    _get(client, url)
    before = teacher_a.last_login

    _signed_in(login, teacher_a)

    teacher_a.refresh_from_db()
    assert teacher_a.last_login != before  # the sign-in was recorded
    assert _get(client, url)[1] == SIGNED_IN
