"""How long a signed-in session lasts: an idle timeout (the school's setting, 30 minutes by default) and an
absolute limit from sign-in (``SEND_MIS_SESSION_MAX_HOURS``), whatever the activity.

A laptop left open in a classroom must not keep children's records on screen. Both times live in the session,
set at sign-in, so a page costs no extra query; the last-activity time is written at most once a minute, so
most pages do not write the session either.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import School

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.contrib.sessions.backends.base import SessionBase

STARTED_KEY = "send_mis_signed_in_at"
LAST_SEEN_KEY = "send_mis_last_seen_at"
IDLE_KEY = "send_mis_idle_minutes"
DEFAULT_IDLE_MINUTES = 30
TOUCH_EVERY = timedelta(minutes=1)


def idle_minutes_for(user: AbstractBaseUser) -> int:
    """The idle timeout for this user: the shortest of their schools' settings (the strictest school wins), or
    30 minutes for someone with no school."""
    shortest = School.objects.filter(memberships__user=user).aggregate(m=Min("idle_timeout_minutes"))["m"]
    return shortest or DEFAULT_IDLE_MINUTES


def session_start(session: SessionBase, user: AbstractBaseUser, *, now: datetime) -> None:
    """Record the sign-in time and the idle timeout in a new session."""
    session[STARTED_KEY] = session[LAST_SEEN_KEY] = now.isoformat()
    session[IDLE_KEY] = idle_minutes_for(user)


def session_expiry(session: SessionBase, *, now: datetime) -> str | None:
    """Why this session has ended, or None while it lasts: 'idle' after the idle timeout without a request,
    'absolute' after the maximum length from sign-in. A session without the times (or with damaged ones) is
    treated as ended, so it cannot outlive the limits."""
    try:
        started = datetime.fromisoformat(session[STARTED_KEY])
        last_seen = datetime.fromisoformat(session[LAST_SEEN_KEY])
        idle = timedelta(minutes=int(session[IDLE_KEY]))
    except (KeyError, TypeError, ValueError):
        return "absolute"
    if now - started > timedelta(hours=settings.SEND_MIS_SESSION_MAX_HOURS):
        return "absolute"
    if now - last_seen > idle:
        return "idle"
    return None


def on_sign_in(sender, request: HttpRequest, user: AbstractBaseUser, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_start(request.session, user, now=timezone.now())


MESSAGES = {
    "idle": "You were signed out after {minutes} minutes without activity, to keep pupils' records safe. "
    "Sign in again to carry on.",
    "absolute": "You were signed out because you had been signed in for {hours} hours. Sign in again to carry on.",
}


class SessionLimitsMiddleware:
    """Signs out a session past its idle timeout or absolute limit, then asks for a sign-in (with ?next=)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now()
            session = request.session
            ended = session_expiry(session, now=now)
            if ended:
                minutes = session.get(IDLE_KEY, DEFAULT_IDLE_MINUTES)
                logout(request)
                messages.info(
                    request,
                    MESSAGES[ended].format(minutes=minutes, hours=settings.SEND_MIS_SESSION_MAX_HOURS),
                )
                return redirect_to_login(request.get_full_path())
            if now - datetime.fromisoformat(session[LAST_SEEN_KEY]) >= TOUCH_EVERY:
                session[LAST_SEEN_KEY] = now.isoformat()
        return self.get_response(request)
