"""A list's links built once a page: the URL of a view up to its object's id, which each row completes.

``{% url %}`` on every row of a fifty-row list is fifty ``reverse()`` calls; the prefix is one, and a row adds its
id (and what follows it): ``{{ pupil_url }}{{ pupil.pk }}/``."""

import uuid

from django.urls import reverse

ZERO_UUID = uuid.UUID(int=0)


def id_prefix(viewname: str, *, after: str = "") -> str:
    """The URL of `viewname` (one UUID argument) without that id and what `after` it: rows append
    ``{id}/{after}``."""
    return reverse(viewname, args=[ZERO_UUID]).removesuffix(f"{ZERO_UUID}/{after}")
