"""Response headers for pages about children: nothing signed-in or downloaded is kept in a cache, and the page
may use no camera, microphone, location or other powerful browser feature.

A shared school computer or a proxy must not keep a copy of a pupil's record after the member of staff signs out,
so every response to a signed-in browser (any request carrying the session cookie) and every download (PDF,
calendar feed, CSV) is ``Cache-Control: private, no-store``. The Content-Security-Policy comes from django-csp.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), "
    "interest-cohort=()"
)
DOWNLOAD_TYPES = ("application/pdf", "text/calendar", "text/csv", "application/vnd.openxmlformats", "application/json")


def is_download(response: HttpResponse) -> bool:
    """Whether the response is a file rather than a page: an attachment, or a document type."""
    disposition = response.get("Content-Disposition", "")
    content_type = response.get("Content-Type", "")
    return disposition.startswith("attachment") or content_type.startswith(DOWNLOAD_TYPES)


class PrivateResponsesMiddleware:
    """Cache-Control: private, no-store on signed-in responses and downloads; Permissions-Policy on all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The cookie, not request.user, so an anonymous request costs no session query.
        if settings.SESSION_COOKIE_NAME in request.COOKIES or is_download(response):
            response["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
