"""Step-up for sensitive pages: the contract other apps rely on (a minimal stand-in for the full module).

The contract, and all any caller may depend on:

- `SESSION_KEY` (``"send_mis_otp_verified_at"``) holds, in the session, the ISO 8601 datetime of the user's
  last second-factor verification. The two-factor sign-in writes it; nothing else does (tests set it to
  simulate a recent verification).
- `require_recent_second_factor(minutes=15)` decorates a view. When the key is missing, unreadable or older
  than `minutes`, the view is not called: the user is sent to the URL named ``"two-factor-verify"`` with
  ``?next=`` the page they asked for, or, where no such URL exists, answered 403 with a page saying that a
  recent two-factor sign-in is required. Anonymous users are left to `login_required`, which must be applied
  outside this decorator.

The full two-factor module replaces this file; it keeps the decorator's name and signature and the session
key, so the views decorated here keep working unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

SESSION_KEY = "send_mis_otp_verified_at"
VERIFY_URL_NAME = "two-factor-verify"


def verified_recently(request: HttpRequest, *, minutes: int, now: datetime) -> bool:
    """Whether the session's last second-factor verification is no older than `minutes` at `now`."""
    stamp = request.session.get(SESSION_KEY)
    if not stamp:
        return False
    try:
        verified_at = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return False
    if timezone.is_naive(verified_at):
        verified_at = timezone.make_aware(verified_at, timezone.utc)
    return now - timedelta(minutes=minutes) <= verified_at <= now + timedelta(minutes=1)


def require_recent_second_factor(minutes: int = 15) -> Callable:
    """Decorate a view so that it runs only after a second-factor verification in the last `minutes`."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if verified_recently(request, minutes=minutes, now=timezone.now()):
                return view(request, *args, **kwargs)
            try:
                verify_url = reverse(VERIFY_URL_NAME)
            except NoReverseMatch:
                return HttpResponseForbidden(render_to_string("two_factor_required.html", request=request))
            return redirect(f"{verify_url}?{urlencode({'next': request.get_full_path()})}")

        return wrapped

    return decorator
