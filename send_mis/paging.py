"""Pages (and a panel's first rows) of a list with their count in the same query.

Django's Paginator asks the database twice: COUNT(*) of the whole list, then the page's rows. For the first
page (the one nearly every visit shows) counted_page asks once, the count riding on each row as an
uncorrelated scalar subquery, ``(SELECT COUNT(*) FROM (the list's ids))``, that the database computes once (a
window function, ``COUNT(*) OVER ()``, would read every row of a 20,000-pupil list to show 50). Later pages
keep Django's two queries: a page number past the end then still costs two (the count, then the last page).

A list no index can give in its order is read and sorted whole to find its first rows anyway; for one of those
windowed_rows counts in that same pass, rather than building the list a second time in the subquery.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, QuerySet, Subquery, Window

from send_mis import statements

TOTAL = "_counted_page_total"


class _Count(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def counted_rows(queryset: QuerySet, limit: int, *, key: tuple | None = None) -> tuple[list, int]:
    """The first `limit` rows of `queryset` and how many it has in all, in one query (a dashboard panel's ten
    rows and its total). With `key`, its SQL is compiled once per process for that key (send_mis/statements.py:
    the key names every input of the queryset)."""
    return rows_and_count_of(queryset, limit, queryset, key=key)


def rows_and_count_of(
    queryset: QuerySet, limit: int, counted: QuerySet, *, key: tuple | None = None
) -> tuple[list, int]:
    """The first `limit` rows of `queryset` and how many rows another list, `counted`, has, in one query: for a
    list whose total is cheaper found from a figure the page has already (e.g. those on SEN support, less the
    few of them with a plan) than by counting the list itself. No rows: a count of 0. With `key`, as in
    counted_rows (it names the inputs of both querysets; the limit is added here)."""
    first = queryset.annotate(**{TOTAL: _Count(counted.order_by().values("pk"))})[:limit]
    rows = list(first) if key is None else statements.rows(first, key=("counted", limit, *key))
    return rows, getattr(rows[0], TOTAL) if rows else 0


def windowed_rows(queryset: QuerySet, limit: int) -> tuple[list, int]:
    """As counted_rows, for a list the database must build whole before its first rows are known (ordered by
    something no index gives, after joins and an anti-join): the count is a window over that one pass,
    ``COUNT(*) OVER ()``. On a list an index can give in order, stopping after `limit` rows, it would read every
    row instead: use counted_rows there."""
    rows = list(queryset.annotate(**{TOTAL: Window(Count("*"))})[:limit])
    return rows, getattr(rows[0], TOTAL) if rows else 0


def counted_page(queryset: QuerySet, number, per_page: int | None = None, *, key: tuple | None = None) -> Page:
    """The page `number` (1 when missing or not a number) of `queryset`, with ``page.paginator.count`` set. With
    `key`, the first page's statement is compiled once per process for that key (as counted_rows)."""
    per_page = per_page or settings.PAGE_SIZE
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    paginator = Paginator(queryset, per_page)
    if wanted > 1:
        return paginator.get_page(number)
    rows, paginator.count = counted_rows(queryset, per_page, key=key)  # type: ignore[misc]  # cached_property
    page = paginator.page(1)
    page.object_list = rows
    return page
