"""A list's links built once a page: the URL of a view up to its object's id, which each row completes.

``{% url %}`` on every row of a fifty-row list is fifty ``reverse()`` calls; the prefix is one, and a row adds its
id (and what follows it): ``{{ pupil_url }}{{ pupil.pk }}/``. A view with two ids (a pupil's flag) gets a
maker, ``url_maker(viewname, 2)``, that fills both into the URL reversed once."""

import uuid
from collections.abc import Callable

from django.urls import reverse

ZERO_UUID = uuid.UUID(int=0)


def id_prefix(viewname: str, *, after: str = "") -> str:
    """The URL of `viewname` (one UUID argument) without that id and what `after` it: rows append
    ``{id}/{after}``."""
    return reverse(viewname, args=[ZERO_UUID]).removesuffix(f"{ZERO_UUID}/{after}")


def url_maker(viewname: str, ids: int) -> Callable[..., str]:
    """`reverse(viewname, args=ids)` for the ids given later, `make(pupil.pk, flag.pk)`: reversed once with
    stand-in UUIDs, each then replaced by a place for its id."""
    stand_ins = [str(uuid.UUID(int=n + 1)) for n in range(ids)]
    pattern = reverse(viewname, args=stand_ins).replace("{", "{{").replace("}", "}}")
    for n, stand_in in enumerate(stand_ins):
        pattern = pattern.replace(stand_in, f"{{{n}}}")
    return pattern.format
