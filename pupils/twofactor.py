"""Two-factor sign-in: who must use a second factor, the middleware that enforces it, and step-up.

A password alone opens special-category data about children, so the SENCO, the head and the DSL (and everyone,
where their school says so) must confirm each sign-in with a code from an authenticator app or a single-use
recovery code (django-otp devices). The state lives in the session, so a signed-in page costs no extra query:

- at sign-in (``user_logged_in``) the session records whether this user needs a second factor;
- a successful code records the time (``send_mis_otp_verified_at``, an ISO datetime);
- until then the middleware sends the user to enrol (no device yet) or to enter a code, and nowhere else.

Sensitive pages (safeguarding) also ask for a recent code: ``require_recent_second_factor(minutes=15)``.
A role gained during a session takes effect at the next sign-in; sessions are capped in length (session_limits).
"""

from __future__ import annotations

import functools
from base64 import b32encode
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import django_otp
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.contrib.sessions.backends.base import SessionBase

VERIFIED_AT_KEY = "send_mis_otp_verified_at"
REQUIRED_KEY = "send_mis_otp_required"

# Roles that read the most sensitive records: they always sign in with a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.SENCO, Role.HEAD, Role.DSL, Role.DEPUTY_DSL})
STEP_UP_MINUTES = 15


def second_factor_required(user: AbstractBaseUser) -> bool:
    """Whether the user must sign in with a second factor: a SENCO, head or DSL anywhere, a member of a school
    that requires it of everyone, or a superuser (who can reach the admin site)."""
    if getattr(user, "is_superuser", False):
        return True
    return (
        Membership.objects.filter(user=user)
        .filter(Q(role__in=SECOND_FACTOR_ROLES) | Q(school__requires_two_factor_for_all=True))
        .exists()
    )


def has_second_factor(user: AbstractBaseUser) -> bool:
    """Whether the user has finished enrolling an authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verified_at(session: SessionBase) -> datetime | None:
    """When this session last passed a second-factor check, or None if it never has."""
    value = session.get(VERIFIED_AT_KEY)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def mark_verified(session: SessionBase, *, now: datetime) -> None:
    """Record in the session that the user passed a second-factor check at `now`."""
    session[VERIFIED_AT_KEY] = now.isoformat()


def is_recently_verified(session: SessionBase, *, now: datetime, minutes: int) -> bool:
    """Whether the session passed a second-factor check within the last `minutes` (and not in the future)."""
    at = verified_at(session)
    return at is not None and now - timedelta(minutes=minutes) <= at <= now


def verify_code(request: HttpRequest, code: str) -> bool:
    """Check a code against the user's own devices: six digits go to the authenticator app, anything else to the
    recovery codes (each works once). django-otp throttles each device after wrong codes. On success the session
    is marked verified now."""
    user = request.user
    code = "".join(code.split()).replace("-", "").lower()
    if code.isdigit() and len(code) == 6:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        matched = django_otp.verify_token(user, device.persistent_id, code)
        if matched is not None:
            second_factor_passed(request, matched)
            return True
    return False


def second_factor_passed(request: HttpRequest, device: Device) -> None:
    """Record in the session that the user proved this device now (django-otp's record and ours)."""
    django_otp.login(request, device)
    mark_verified(request.session, now=timezone.now())


def base32_secret(device: TOTPDevice) -> str:
    """The device's secret as authenticator apps take it when typed in (base32, no padding)."""
    return b32encode(device.bin_key).decode().rstrip("=")


def safe_next(request: HttpRequest, default: str = "home") -> str:
    """The `next` parameter if it points into this site, else the default page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _redirect_with_next(url_name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")


def on_sign_in(sender, request: HttpRequest, user: AbstractBaseUser, **kwargs) -> None:
    """At every sign-in, decide once whether this session needs a second factor (so pages need not ask)."""
    if request is not None and hasattr(request, "session"):
        request.session[REQUIRED_KEY] = second_factor_required(user)


class TwoFactorMiddleware:
    """Until a signed-in user who needs a second factor has passed one in this session, every page except the
    enrolment, code and sign-out pages sends them there (with ?next= to come back)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and verified_at(request.session) is None:
            required = request.session.get(REQUIRED_KEY)
            if required is None:
                # A session from before this check existed: decide now, once.
                required = request.session[REQUIRED_KEY] = second_factor_required(user)
            if required and request.path_info not in _exempt_paths():
                target = "accounts:two-factor-verify" if has_second_factor(user) else "accounts:two-factor-setup"
                return _redirect_with_next(target, request)
        return self.get_response(request)


@functools.cache
def _exempt_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in ("accounts:two-factor-setup", "accounts:two-factor-verify", "logout"))


def require_recent_second_factor(minutes: int = STEP_UP_MINUTES) -> Callable:
    """Decorate a view so it opens only within `minutes` of a second-factor check in this session; otherwise the
    user is sent to enter a code (?next= brings them back). Anonymous users are sent to sign in."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_recently_verified(request.session, now=timezone.now(), minutes=minutes):
                return _redirect_with_next("accounts:two-factor-verify", request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
