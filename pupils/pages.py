"""Busy pages through the page cache (send_mis/pagecache.py), varied by what every page's navigation shows."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from send_mis import pagecache

from .access import page_vary


def render_page(request: HttpRequest, template_name: str, build: Callable[[], dict]) -> HttpResponse:
    """`render(request, template_name, build())`, from the cache while nothing has changed. The caller has
    already decided that the user may see the page (and logged the read); `build` runs only on a miss."""
    return pagecache.render_page(request, template_name, build, vary=page_vary(request))
