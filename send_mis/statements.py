"""A busy page's statements turned into SQL once per process for the same inputs; their rows read every time.

Django builds a statement's SQL afresh at every evaluation of a queryset: for a dashboard panel's ten rows with
their count, joined to the pupil and the member of staff responsible, that is 1.5 to 2.5 ms of Python, more than
PostgreSQL takes to run it. A page at 420 pupils spends a quarter to a third of its time there (the dashboard
16 ms of 60, a pupil's page 18 of 56), and the same school and day give the same SQL all day.

`rows(queryset, key=...)` evaluates a queryset as `list(queryset)` does, but the SQL and parameters Django
compiled for it are kept in this process under `key`, and reused by the next evaluation with the same key: the
queryset is still built by the caller (so everything it carries, the model, the relations to fill, is its own),
only its compiling is skipped. The rows always come from the database: a kept statement can never show stale
rows, only the wrong ones if its key is wrong.

So the key must name **everything the SQL depends on**: the statement (a name unique to the call site) and
each input that reaches it (the school's id, the day, a limit, a filter's value). Never use it for a statement
whose SQL depends on something read from the database while it is built (a user's roles, say: the visibility
querysets of the access modules) unless the key carries that too; the pages use it after the access check, for
statements of one school or one pupil. With ``SEND_MIS_STATEMENT_CHECK`` on (DEBUG, and the whole test suite),
every reuse compiles the queryset anyway and raises `StatementKeyError` if the SQL or its parameters differ
from the kept ones, so a key that misses an input fails the tests that vary it.

The keeping is per process (the ``MAX_KEPT`` keys used last; keys with a day in them are renewed daily), per
database alias, and for querysets Django can compile (one that it knows to be empty, such as ``pk__in=[]``, is
evaluated as usual and not kept). Statements of the same shape share their SQL text and the part of Django's
compiler that turns rows into objects, so a key costs about 1 KiB.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

MAX_KEPT = 5000  # keys, the least recently used dropped first (about 1 KiB each); shapes are a few dozen

_kept: OrderedDict[tuple, tuple[SQLCompiler, str, tuple]] = OrderedDict()  # by key: (reading part, SQL, params)
_shapes: dict[tuple, tuple[SQLCompiler, str]] = {}  # by model, iterable and SQL: (reading part, SQL)
_lock = threading.Lock()


class StatementKeyError(RuntimeError):
    """A kept statement's key did not determine its SQL: an input that reaches the SQL is missing from it."""


def rows(queryset: QuerySet, *, key: tuple[Hashable, ...]) -> list[Any]:
    """`list(queryset)`, compiling its SQL only the first time this process sees `key` (see the module's
    docstring for what the key must name)."""
    full_key = (queryset.db, queryset.model._meta.label, queryset._iterable_class, *key)
    run = queryset._chain()
    kept = _kept_under(full_key)
    if kept is None:
        compiler = run.query.get_compiler(using=run.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return list(run)
        kept = _keep(full_key, compiler, sql, params)
    elif settings.SEND_MIS_STATEMENT_CHECK:
        try:
            fresh = run.query.get_compiler(using=run.db).as_sql()
        except EmptyResultSet:  # no SQL at all, where the key has some kept
            fresh = ("", ())
        if (fresh[0], tuple(fresh[1])) != kept[1:]:
            raise StatementKeyError(f"the key {key!r} does not name every input of its SQL")
    _pin(run, *kept)
    return list(run)


def first(queryset: QuerySet, *, key: tuple[Hashable, ...]) -> Any:
    """`queryset.first()` (of an ordered queryset) as `rows` keeps it, or None."""
    found = rows(queryset[:1], key=("first", *key))
    return found[0] if found else None


def sql(queryset: QuerySet, *, key: tuple[Hashable, ...]) -> tuple[str, tuple]:
    """`queryset.query.sql_with_params()`, kept under `key` as `rows` keeps it: for a statement that becomes
    part of raw SQL. Raises EmptyResultSet, as Django does, for a queryset that can have no rows."""
    full_key = ("sql", queryset.db, queryset.model._meta.label, *key)
    kept = _kept_under(full_key)
    if kept is not None and not settings.SEND_MIS_STATEMENT_CHECK:
        return kept[1], kept[2]
    compiler = queryset.query.get_compiler(using=queryset.db)
    text, params = compiler.as_sql()
    if kept is not None and (text, tuple(params)) != kept[1:]:
        raise StatementKeyError(f"the key {key!r} does not name every input of its SQL")
    return _keep(full_key, compiler, text, params)[1:]


def chosen(filters: dict) -> tuple:
    """A form's cleaned filters as a part of a key: by name, a record chosen by its id, a list as a tuple."""

    def plain(value: Any) -> Hashable:
        if isinstance(value, list | tuple):
            return tuple(plain(item) for item in value)
        return getattr(value, "pk", value)

    return tuple(sorted((name, plain(value)) for name, value in filters.items()))


def _keep(full_key: tuple, compiler: SQLCompiler, text: str, params) -> tuple[SQLCompiler, str, tuple]:
    """Keep a compiled statement. Statements of the same shape (the same SQL for another school or day) share
    one SQL string and one reading part of a compiler, so each key costs little more than its parameters."""
    shape_key = (full_key[:3], text)
    with _lock:
        if len(_kept) >= MAX_KEPT:
            _kept.popitem(last=False)
        if len(_shapes) >= MAX_KEPT:
            _shapes.clear()
        shape = _shapes.get(shape_key)
        if shape is None:
            shape = _shapes[shape_key] = (_reading_part(compiler), text)
        kept = _kept[full_key] = (*shape, tuple(params))
    return kept


def _kept_under(full_key: tuple) -> tuple[SQLCompiler, str, tuple] | None:
    with _lock:
        kept = _kept.get(full_key)
        if kept is not None:
            _kept.move_to_end(full_key)
    return kept


def _reading_part(compiler: SQLCompiler) -> SQLCompiler:
    """What of a compiler turns rows into objects (the selected columns, the related models to fill, the
    annotations' positions), without the query it compiled and its clauses."""
    kept = copy.copy(compiler)
    kept.query = kept.where = kept.having = kept.qualify = None  # type: ignore[assignment]
    kept.quote_cache = {}
    return kept


def _pin(run: QuerySet, compiled: SQLCompiler, sql: str, params: tuple) -> None:
    """Give `run` a compiler that answers with the kept SQL and parameters: a copy of the one that compiled it
    first, which also holds what Django reads to turn each row into objects (the selected columns, the related
    models to fill, the annotations' positions), bound to this thread's connection and this query."""
    compiler = copy.copy(compiled)
    compiler.query = run.query
    compiler.connection = connections[run.db]
    compiler.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign]
    run.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]


def forget() -> None:
    """Drop every kept statement (tests; a process whose models changed under it)."""
    with _lock:
        _kept.clear()
        _shapes.clear()
