"""Bad input at the edges of the site, refused before it reaches a view or the database.

- A NUL byte in the path: PostgreSQL refuses NUL in text, so a lookup would fail with a server error; it
  answers 404. (Query strings and forms go through form fields, which refuse NUL with a message.)
- Tokens in URLs (a calendar feed's) match their own converter: URL-safe characters, bounded length, so a
  5,000-character or binary segment never resolves (404).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse


class UrlTokenConverter:
    """A URL-safe token (letters, digits, '-' and '_') of 16 to 128 characters, as secrets.token_urlsafe makes."""

    regex = r"[A-Za-z0-9_-]{16,128}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class RejectNulMiddleware:
    """404 for a NUL byte in the path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404("No such page.")
        return self.get_response(request)
