"""The garbage collector in a long-running web worker (gunicorn.conf.py's hooks call these).

A worker holds a few hundred thousand objects that live as long as it does: Django, the project's modules, the
URLconf, compiled templates and the statements kept by send_mis/statements.py. Python's cyclic collector scans
all of them in each full collection: 95 to 115 ms at a time, measured in a worker serving the 20,000-pupil
school's lists, one request in 25 to 100 paying it, and 3 to 5 ms a request of collecting in all.
`gc.freeze()` moves every object alive at that moment into a permanent generation that collections skip, so
they scan only what requests made since (the same pages: under 1 ms a request, the worst 9 ms).

A worker settles once it has loaded the application, with the URLconf and so every view imported, and again
after its first requests, when the templates and statements that the pages use have been compiled and kept.
A frozen object is still freed when nothing refers to it any more; only a reference cycle among frozen objects
is never collected. So each settling collects first, and what it freezes is the worker's lasting state plus, at
most, the leftovers of the request just served (twice in a worker's life; a worker is replaced after gunicorn's
``max_requests`` anyway when one is set).
"""

from __future__ import annotations

import gc

# After these many requests a worker settles again: the busy pages' templates and statements are kept by then.
SETTLE_AFTER_REQUESTS = frozenset({50, 500})


def settle() -> int:
    """Collect, then freeze what is left; return how many objects are frozen in all."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def settle_loaded_application() -> int:
    """For a worker that has just loaded the application: import the URLconf (and so every view), then settle."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (importing the URLconf is the point)
    return settle()


def settle_after_request(requests_served: int) -> bool:
    """After each request, with the worker's count of requests: settle at the counts chosen; whether it did."""
    if requests_served not in SETTLE_AFTER_REQUESTS:
        return False
    settle()
    return True
