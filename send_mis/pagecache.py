"""Whole pages kept for the session that saw them, until anything they could show changes.

A busy page (the dashboard, the lists, a pupil's page) costs tens of queries and a large template; asked again
with nothing changed, it would come out byte for byte the same. So the rendered HTML is kept in the shared
cache (Redis in production) beside the **generation** it was rendered in, and served only while that generation
is still current (page and generation are read in one round trip). The generation is a counter in the cache,
bumped after every write to a table a page could show: any INSERT, UPDATE or DELETE through Django's
connections, raw SQL included, except the tables in ``UNSHOWN_TABLES`` (sessions, the read log, sign-in counters
and devices, which no cached page shows). The page's key is made of:

* the **session** and its **CSRF secret** (the page carries that session's CSRF token and the user's own
  navigation), plus what the caller names in ``vary`` (the school chosen in the session);
* the **day** in Europe/London (overdue and "due this week" change at midnight) and the **full path** with its
  query string.

What this guarantees: a page is never served to another session; a committed write anywhere makes every page
render afresh on its next request; a page is kept at most ``SEND_MIS_PAGE_CACHE_SECONDS`` (10 minutes by
default) whatever happens, which bounds what nothing here can see (a change typed into ``psql`` by hand, a
cache that lost a bump while Redis was away).

Inside a transaction the counter is bumped at its first write, again at a write after anything was read since
(so a page asked for inside the transaction, as in the tests, renders afresh), and once more after it commits
(so a page rendered from the old rows while the transaction ran, and stored under an earlier bump's value, is
never served). Outside one, every write is committed as it runs and bumps it. A page whose request carries a
message to show, no CSRF cookie yet or anything but a 200 HTML response is neither served from nor put in the
cache. The caller decides who may see the page, and logs the read, before `render_page`; `cached_response` is
asked before a check only where that is safe (its docstring says when).

Only the shared cache can keep this promise across processes, so it is on by default where the cache is Redis
and off with the in-process cache of the embedded default (``SEND_MIS_PAGE_CACHE`` overrides either way).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

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
# Written on page views or sign-in and shown by no cached page: a write to these must not empty the cache.
UNSHOWN_TABLES = ("django_session", "auditlog_logentry", "axes_", "otp_", "django_otp_")
_READ = re.compile(r"\s*(SELECT|SAVEPOINT|RELEASE|ROLLBACK|COMMIT|BEGIN|SET|SHOW|EXPLAIN|PRAGMA)\b", re.I)
_WRITTEN = re.compile(r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.I)


def enabled() -> bool:
    return bool(settings.SEND_MIS_PAGE_CACHE)


# ---------------------------------------------------------------------------------------------------------------
# The generation


def generation() -> int:
    """The current generation; a missing counter (a flushed cache) starts from the clock, never from an old
    value whose pages might still be stored."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return int(value)


class _Outage:
    """The cache is unreachable: said once in the log (not at every write), and a bump that failed is made at
    this process's next use of the cache, so its writes are not forgotten when the cache comes back."""

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


def bump() -> None:
    """Every stored page is stale from now: the next request for each renders afresh."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no counter yet (or the cache was flushed): a new one is a new generation
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception as error:  # unreachable: pages are not served from it either (see _lookup)
        _Outage.bump_owed = True
        _Outage.failed("bump", error)
    else:
        if _Outage.down:
            _Outage.recovered()


def _bump_after_commit() -> None:
    bump()


def writes_shown_table(sql: str) -> bool:
    """Whether a statement may change what a page shows: any write, unless every table it writes is unshown.
    A statement that is not plainly a read and names no table it writes (a DDL statement, say) counts."""
    if _READ.match(sql):
        return False
    tables = _WRITTEN.findall(sql)
    return not tables or not all(table.lower().startswith(UNSHOWN_TABLES) for table in tables)


def _watch_writes(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    result = execute(sql, params, many, context)
    connection = context["connection"]
    if not writes_shown_table(sql):
        connection._pagecache_read = True  # type: ignore[attr-defined]
    elif not connection.in_atomic_block:
        bump()  # autocommit: the write is already committed
    else:
        # At the transaction's first write, and at a write after anything was read since the last bump (a page
        # rendered inside the transaction, as in the tests), but not at each row of a run of writes.
        first = not any(func is _bump_after_commit for _, func, _ in connection.run_on_commit)
        if first or getattr(connection, "_pagecache_read", True):
            bump()
            connection._pagecache_read = False  # type: ignore[attr-defined]
        if first:
            transaction.on_commit(_bump_after_commit, using=connection.alias, robust=True)
    return result


def watch_connection(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: every statement on this connection passes `_watch_writes`. Installed
    whether or not pages are cached here, so that another process that caches them learns of this one's
    writes (a worker, a command, the embedded server beside a production one)."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


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
    """(key, generation, the stored page if it is of this generation), in one round trip to the cache; all None
    when the request may not use the cache or the cache is away. Asked once per request: a miss found before
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
    except Exception as error:  # the cache is away: render as if there were none
        _Outage.failed("read", error)
        return None, None, None
    if _Outage.down or _Outage.bump_owed:
        _Outage.recovered()
        return key, None, None  # a bump owed: this page may be stale, and its generation is not known now
    if stored is not None and stored[0] == current:
        return key, current, stored[1]
    return key, current, None


def _response(content: bytes) -> HttpResponse:
    return HttpResponse(content, content_type="text/html; charset=utf-8")


def cached_response(request: HttpRequest, *, vary: Iterable[object] = ()) -> HttpResponse | None:
    """The stored page for this request, or None. Asked before an access check only where the page was stored
    for this same session after that check passed, and where nothing that decides access can change without a
    write (so without a new generation) or a new day: `pupils.access.school_action_required` does."""
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
            cache.set(key, (current, response.content), timeout=settings.SEND_MIS_PAGE_CACHE_SECONDS)
        except Exception as error:
            _Outage.failed("store", error)
    return response
