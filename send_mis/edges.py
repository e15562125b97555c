"""Bad input at the edges of the site, refused before it reaches a view or the database.

- A NUL byte anywhere in the path or query string: PostgreSQL refuses NUL in text, so a lookup would fail with
  a server error; the path answers 404, a query string 400.
- Tokens in URLs (a calendar feed's) match their own converter: URL-safe characters, bounded length, so a
  5,000-character or binary segment never resolves (404).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest


class UrlTokenConverter:
    """A URL-safe token (letters, digits, '-' and '_') of 16 to 128 characters, as secrets.token_urlsafe makes."""

    regex = r"[A-Za-z0-9_-]{16,128}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class RejectNulMiddleware:
    """404 for a NUL byte in the path, 400 for one in the query string."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404("No such page.")
        if "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest("The address holds a character that is not allowed.")
        return self.get_response(request)
