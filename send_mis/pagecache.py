"""Whole pages kept for the session that saw them, until anything they showed changes.

A busy page (the dashboard, the lists, a pupil's page) costs tens of queries and a large template; asked again
with nothing changed, it would come out byte for byte the same. So the rendered HTML is kept in the shared
cache (Redis in production) beside the **generations** it was rendered in, and served only while they are
still current. Generations are counters in the cache, bumped after every write to a table a page could show
(any INSERT, UPDATE or DELETE through Django's connections, raw SQL included, except the tables in
``UNSHOWN_TABLES``: sessions, the read log, sign-in counters and devices, and the time of a user's last sign-in,
which no cached page shows):

* the **global** generation, bumped by every such write;
* one generation **per table**, bumped by a write to that table; and one for **everything**, bumped by a
  statement whose tables cannot be told (DDL, a TRUNCATE) and when bumps were lost while the cache was away.

While a request runs, the tables its SELECTs read are noted (every model's table named anywhere in the SQL: the
session and user of the middleware, the access check, the page's own queries and its navigation). The page is
stored with the global generation it was rendered in and the generations of the tables it read. It is
served while the global generation is unchanged (one round trip: nothing was written anywhere), or else
while every table it read, and everything, still has its generation (a second round trip): a teacher logging a
session does not empty the SENCO's dashboard, which reads no session. A page during whose rendering anything
was written is kept only while nothing at all is written (its tables' generations read afterwards could be
newer than the rows it read).

The page's key is made of:

* the **session** and its **CSRF secret** (the page carries that session's CSRF token and the user's own
  navigation), plus what the caller names in ``vary`` (the school chosen in the session);
* the **day** in Europe/London (overdue and "due this week" change at midnight) and the **full path** with its
  query string.

What this guarantees: a page is never served to another session; a committed write to a table the page read
makes it render afresh on its next request; a page is kept at most ``SEND_MIS_PAGE_CACHE_SECONDS`` (10 minutes
by default) whatever happens, which bounds what nothing here can see (a change typed into ``psql`` by hand, a
cache that lost a bump while Redis was away).

Inside a transaction the generations of the tables written are bumped at the first write to each, again at a
write to one after anything was read since (so a page asked for inside the transaction, as in the tests, renders
afresh), and once more after it commits (so a page rendered from the old rows while the transaction ran, and
stored under an earlier bump's value, is never served). Outside one, every write is committed as it runs and
bumps them. The global generation is bumped before the tables' (whoever sees a table's new generation sees
the global one moved too). A page whose request carries a message to show, no CSRF cookie yet or anything
but a 200 HTML response is neither served from nor put in the cache. The caller decides who may see the page,
and logs the read, before `render_page`; `cached_response` is asked before a check only where that is safe (its
docstring says when).

Only the shared cache can keep this promise across processes, so it is on by default where the cache is Redis
and off with the in-process cache of the embedded default (``SEND_MIS_PAGE_CACHE`` overrides either way).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger(__name__)

GENERATION_KEY = "send_mis:pages:generation"
TABLE_KEY = "send_mis:pages:table:"  # + a table's name, or EVERYTHING
EVERYTHING = "*"
# Written on page views or sign-in and shown by no cached page: a write to these must not empty the cache.
UNSHOWN_TABLES = ("django_session", "auditlog_logentry", "axes_", "otp_", "django_otp_")
_READ = re.compile(r"\s*(SELECT|SAVEPOINT|RELEASE|ROLLBACK|COMMIT|BEGIN|SET|SHOW|EXPLAIN|PRAGMA)\b", re.I)
_WRITTEN = re.compile(r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.I)
_WORD = re.compile(r"\w+")
# A sign-in records its time on the user (django.contrib.auth's update_last_login), which no page shows: every
# page reads the signed-in user, and a morning's sign-ins would otherwise render every page afresh each time.
_SIGN_IN = re.compile(r'\s*UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"\."id" = %s\s*$')

# The tables read so far by the request this thread is serving (None outside a request).
_reads: ContextVar[set[str] | None] = ContextVar("send_mis_page_reads", default=None)


def enabled() -> bool:
    return bool(settings.SEND_MIS_PAGE_CACHE)


def _shown(table: str) -> bool:
    return not table.startswith(UNSHOWN_TABLES)


@functools.cache
def _model_tables() -> frozenset[str]:
    """Every table a model (or a many-to-many between models) is stored in, in lower case."""
    return frozenset(
        model._meta.db_table.lower()
        for model in apps.get_models(include_auto_created=True)
        if _shown(model._meta.db_table.lower())
    )


def read_tables(sql: str) -> frozenset[str]:
    """The shown tables a statement reads: every model's table named anywhere in it, quoted or not (joins,
    subqueries, comma joins and common table expressions of raw SQL alike); a column's table qualifier names
    the same table, so nothing is missed by reading the words rather than the grammar."""
    return _model_tables().intersection(_WORD.findall(sql.lower()))


def written_tables(sql: str) -> frozenset[str] | None:
    """The shown tables a write changes, or None when it cannot be told which (a DDL statement, say): then
    every page counts as changed."""
    tables = [table.lower() for table in _WRITTEN.findall(sql)]
    if not tables:
        return None
    return frozenset(table for table in tables if _shown(table))


# ---------------------------------------------------------------------------------------------------------------
# The generations


def generation() -> int:
    """The current global generation; a missing counter (a flushed cache) starts from the clock, never from an
    old value whose pages might still be stored."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return int(value)


def table_generation(table: str) -> int | None:
    """A table's generation (EVERYTHING for everything's), or None while nothing has bumped it."""
    return cache.get(TABLE_KEY + table)


class _Outage:
    """The cache is unreachable: said once in the log (not at every write), and a bump that failed is made at
    this process's next use of the cache (of everything: which tables were written is not kept), so its writes
    are not forgotten when the cache comes back."""

    down = False
    bump_owed = False

    @classmethod
    def failed(cls, what: str, error: Exception) -> None:
        if not cls.down:
            logger.warning(
                "page cache: the cache is unreachable (%s: %s); pages render in full", what, type(error).__name__
            )
        cls.down = True

    @classmethod
    def recovered(cls) -> None:
        if cls.down:
            logger.warning("page cache: the cache is reachable again")
        cls.down = False
        if cls.bump_owed:
            cls.bump_owed = False
            bump()


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # no counter yet (or the cache was flushed): a new one is a new generation
        cache.add(key, time.time_ns(), timeout=None)


def bump(tables: Iterable[str] | None = None) -> None:
    """Every stored page that read one of `tables` (every stored page, without them) is stale from now: the
    next request for each renders afresh. The global generation first, then the tables'."""
    names = [EVERYTHING] if tables is None else sorted(set(tables))
    if not names:
        return
    try:
        _incr(GENERATION_KEY)
        for name in names:
            _incr(TABLE_KEY + name)
    except Exception as error:  # unreachable: pages are not served from it either (see _ask)
        _Outage.bump_owed = True
        _Outage.failed("bump", error)
    else:
        if _Outage.down:
            _Outage.recovered()


class _Tables:
    """A set of tables, or of everything (``tables is None``)."""

    def __init__(self) -> None:
        self.tables: set[str] | None = set()

    def covers(self, tables: frozenset[str] | None) -> bool:
        return self.tables is None or (tables is not None and tables <= self.tables)

    def add(self, tables: frozenset[str] | None) -> None:
        if tables is None or self.tables is None:
            self.tables = None
        else:
            self.tables |= tables


class _AfterCommit(_Tables):
    """The bump a transaction owes when it commits: of the tables it wrote (or of everything)."""

    def __call__(self) -> None:
        bump(self.tables)


def writes_shown_table(sql: str) -> bool:
    """Whether a statement may change what a page shows: any write, unless every table it writes is unshown.
    A statement that is not plainly a read and names no table it writes (a DDL statement, say) counts."""
    if _READ.match(sql) or _SIGN_IN.match(sql):
        return False
    tables = written_tables(sql)
    return tables is None or bool(tables)


def _watch_writes(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    result = execute(sql, params, many, context)
    connection = context["connection"]
    if not writes_shown_table(sql):
        connection._pagecache_bumped = None  # type: ignore[attr-defined]  # something read since: none bumped
        reads = _reads.get()
        if reads is not None:
            reads.update(read_tables(sql))
        return result
    tables = written_tables(sql)
    if not connection.in_atomic_block:
        bump(tables)  # autocommit: the write is already committed
        return result
    # At the transaction's first write, and at a write to a table not bumped since anything was last read (a
    # page rendered inside the transaction, as in the tests), but not at each row of a run of writes.
    owed = next((func for _, func, _ in connection.run_on_commit if isinstance(func, _AfterCommit)), None)
    bumped = getattr(connection, "_pagecache_bumped", None) or _Tables()
    if owed is None:
        owed = _AfterCommit()
        transaction.on_commit(owed, using=connection.alias, robust=True)
        bumped = _Tables()
    if not bumped.covers(tables):
        bump(tables)
        bumped.add(tables)
    connection._pagecache_bumped = bumped  # type: ignore[attr-defined]
    owed.add(tables)
    return result


def watch_connection(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: every statement on this connection passes `_watch_writes`. Installed
    whether or not pages are cached here, so that another process that caches them learns of this one's
    writes (a worker, a command, the embedded server beside a production one)."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def request_started(**kwargs: Any) -> None:
    """`request_started` receiver: note the tables this request reads, from its first query (the session's)."""
    _reads.set(set() if enabled() else None)


def request_finished(**kwargs: Any) -> None:
    _reads.set(None)


# ---------------------------------------------------------------------------------------------------------------
# Pages


def _key(request: HttpRequest, vary: Iterable[object]) -> str | None:
    """The page's key (the generation is stored with the page, not in its key), or None when this request may
    not use the cache at all."""
    if not enabled() or request.method != "GET":
        return None
    session_key = getattr(request, "session", None) and request.session.session_key
    csrf_secret = request.META.get("CSRF_COOKIE")
    if not session_key or not csrf_secret or len(get_messages(request)):
        return None
    parts = [session_key, csrf_secret, timezone.localdate().isoformat(), request.get_full_path(), *map(str, vary)]
    return "send_mis:page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _lookup(request: HttpRequest, vary: Iterable[object]) -> tuple[str | None, int | None, bytes | None]:
    """(key, global generation, the stored page if it is still current), in one round trip to the cache when
    nothing was written, two when something was; all None when the request may not use the cache or the cache
    is away. Asked once per request: a miss found before
    the access check (`cached_response`) is not asked again when the page renders."""
    vary = tuple(vary)
    asked = getattr(request, "_send_mis_page_lookup", None)
    if asked is not None and asked[0] == vary:
        return asked[1]
    found = _ask(request, vary)
    if not (found[0] is not None and found[1] is None):  # not the answer given while a bump was owed
        request._send_mis_page_lookup = (vary, found)  # type: ignore[attr-defined]
    return found


def _ask(request: HttpRequest, vary: tuple[object, ...]) -> tuple[str | None, int | None, bytes | None]:
    try:
        key = _key(request, vary)
        if key is None:
            return None, None, None
        found = cache.get_many([GENERATION_KEY, key])
        current = found.get(GENERATION_KEY)
        if current is None:
            current = generation()
        stored = found.get(key)
        content = _still_current(stored, current)
    except Exception as error:  # the cache is away: render as if there were none
        _Outage.failed("read", error)
        return None, None, None
    if _Outage.down or _Outage.bump_owed:
        _Outage.recovered()
        return key, None, None  # a bump owed: this page may be stale, and its generation is not known now
    return key, current, content


def _still_current(stored: Any, current: int) -> bytes | None:
    """The stored page's content if nothing it showed has changed since it was rendered: nothing written at all
    (the global generation), or nothing to the tables it read (their generations, a second round trip)."""
    if not isinstance(stored, tuple) or len(stored) != 3:
        return None
    rendered_in, tables, content = stored
    if rendered_in == current:
        return content
    if tables is None:
        return None
    now = cache.get_many([TABLE_KEY + name for name in tables])
    return content if all(now.get(TABLE_KEY + name) == value for name, value in tables.items()) else None


def _table_generations(current: int, tables: set[str] | None) -> dict[str, int] | None:
    """The generations of the tables a page read (and everything's), to store with it; None when the page
    could hold rows older than them (anything was written since the lookup that began its rendering, or its
    reads were not noted): then it is kept only while nothing at all is written. Counters never bumped are made
    first, so that a table's generation stored with a page is never "none yet"."""
    if tables is None:
        return None
    names = [EVERYTHING, *sorted(tables)]
    keys = [TABLE_KEY + name for name in names]
    found = cache.get_many([*keys, GENERATION_KEY])
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, time.time_ns(), timeout=None)
        found = cache.get_many([*keys, GENERATION_KEY])
    if found.get(GENERATION_KEY) != current or any(key not in found for key in keys):
        return None
    return {name: found[key] for name, key in zip(names, keys, strict=True)}


def _response(content: bytes) -> HttpResponse:
    return HttpResponse(content, content_type="text/html; charset=utf-8")


def cached_response(request: HttpRequest, *, vary: Iterable[object] = ()) -> HttpResponse | None:
    """The stored page for this request, or None. Asked before an access check only where the page was stored
    for this same session after that check passed (so the tables the check read are among the page's), and
    where nothing that decides access can change without a write (so without a new generation) or a new day:
    `pupils.access.school_action_required` does."""
    content = _lookup(request, vary)[2]
    return _response(content) if content is not None else None


def render_page(
    request: HttpRequest, template_name: str, build: Callable[[], dict], *, vary: Iterable[object] = ()
) -> HttpResponse:
    """`render(request, template_name, build())`, or the same bytes from the cache when nothing has changed.
    `build` (the expensive part: the queries) runs only when the page is rendered."""
    key, current, content = _lookup(request, vary)
    if content is not None:
        return _response(content)
    response = render(request, template_name, build())
    if key and current is not None and response.status_code == 200 and not len(get_messages(request)):
        try:
            tables = _table_generations(current, _reads.get())
            cache.set(key, (current, tables, response.content), timeout=settings.SEND_MIS_PAGE_CACHE_SECONDS)
        except Exception as error:
            _Outage.failed("store", error)
    return response
