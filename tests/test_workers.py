"""A web worker's lasting objects are frozen out of the garbage collector's way (send_mis/workers.py), through
gunicorn.conf.py's hooks: once the application is loaded, and again at the request counts chosen."""

from __future__ import annotations

import gc
import runpy
import weakref
from pathlib import Path
from types import SimpleNamespace

import pytest

from send_mis import workers

ROOT = Path(__file__).resolve().parent.parent


class Node:
    def __init__(self):
        self.other = None


@pytest.fixture(autouse=True)
def _unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def _tracked(obj) -> bool:
    """Whether the collector's generations hold `obj` (frozen objects are in none of them)."""
    return any(candidate is obj for candidate in gc.get_objects())


def test_settling_frees_garbage_first_then_freezes_what_lives():
    alive = [Node()]
    garbage = Node()
    garbage.other = Node()
    garbage.other.other = garbage  # a cycle only the collector frees
    freed = weakref.ref(garbage)
    del garbage
    assert _tracked(alive)

    frozen = workers.settle()

    assert freed() is None
    assert not _tracked(alive)
    assert frozen == gc.get_freeze_count() > 0


def test_a_worker_settles_at_the_chosen_request_counts_only():
    settled = [n for n in range(1, 1001) if workers.settle_after_request(n)]
    assert settled == sorted(workers.SETTLE_AFTER_REQUESTS) == [50, 500]


def test_the_gunicorn_hooks_settle_the_worker():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    config["post_worker_init"](SimpleNamespace(nr=0))
    after_loading = gc.get_freeze_count()
    assert after_loading > 0

    made_since = [Node()]
    config["post_request"](SimpleNamespace(nr=49), None, {}, None)
    assert _tracked(made_since)
    config["post_request"](SimpleNamespace(nr=50), None, {}, None)
    assert not _tracked(made_since)
    assert gc.get_freeze_count() > after_loading
