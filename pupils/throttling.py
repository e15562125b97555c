"""Sign-in throttling on top of django-axes: three lockout rules, each with its own limit, and a clear answer.

- one username from one address: ``AXES_FAILURE_LIMIT`` wrong passwords (guessing one account);
- one username from any address: ``SEND_MIS_USERNAME_FAILURE_LIMIT`` (guessing one account from many machines);
- one address, any username: ``SEND_MIS_IP_FAILURE_LIMIT``, higher because a school's staff share one address
  (password spraying: a few guesses at each of many accounts).

Axes compares one count with one limit, so the handler reports each rule's count scaled to the common limit
(``AXES_FAILURE_LIMIT``): a rule reaches it exactly when its own count reaches its own limit. Each rule lasts
``AXES_COOLOFF_TIME`` after the last failure it counted; the head can unlock a colleague sooner.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

# The order of AXES_LOCKOUT_PARAMETERS in settings; each rule's explanation for the person locked out.
RULES = (
    (["username", "ip_address"], "AXES_FAILURE_LIMIT", "too many wrong passwords for this account from here"),
    ("username", "SEND_MIS_USERNAME_FAILURE_LIMIT", "too many wrong passwords for this account"),
    ("ip_address", "SEND_MIS_IP_FAILURE_LIMIT", "too many wrong passwords from this network"),
)


@dataclass(frozen=True)
class Lockout:
    reason: str
    until: datetime

    def minutes_left(self, now: datetime) -> int:
        """Whole minutes until sign-in opens again, rounded up (never 0 while locked)."""
        return max(1, math.ceil((self.until - now).total_seconds() / 60))


def lockout_parameters() -> list:
    """AXES_LOCKOUT_PARAMETERS: the rules above, in order."""
    return [parameters for parameters, _, _ in RULES]


def _limits() -> list[int]:
    return [getattr(settings, setting) for _, setting, _ in RULES]


def lockout_of(request: HttpRequest, credentials: dict | None) -> Lockout | None:
    """The first rule this sign-in attempt has reached, with when it lifts; None if it may go ahead."""
    cool_off = get_cool_off(request) or timedelta(0)
    for (_, _, reason), limit, attempts in zip(
        RULES, _limits(), LayeredLockoutHandler().get_user_attempts(request, credentials), strict=True
    ):
        totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        if (totals["failures"] or 0) >= limit:
            return Lockout(reason=reason, until=totals["last"] + cool_off)
    return None


class LayeredLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per rule (see the module docstring)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        common = settings.AXES_FAILURE_LIMIT
        scaled = 0
        for limit, attempts in zip(_limits(), self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            scaled = max(scaled, failures * common // limit)
        return scaled


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The page a locked-out sign-in gets (429): which rule, how long to wait, and who can unlock sooner."""
    now = timezone.now()
    lockout = lockout_of(request, credentials)
    context = {
        "reason": lockout.reason if lockout else "too many wrong passwords",
        "minutes_left": lockout.minutes_left(now) if lockout else None,
        "until": lockout.until if lockout else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)


def usernames_locked_out(usernames: list[str], *, now: datetime) -> set[str]:
    """Which of these accounts cannot sign in now because of wrong passwords against the account itself (from
    one address, or from several); a lock on a shared network address is not the account's own."""
    since = now - (get_cool_off() or timedelta(0))
    pairs = (
        AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=since)
        .values_list("username", "ip_address")
        .annotate(total=Sum("failures_since_start"))
    )
    by_pair: dict[str, int] = {}
    by_username: dict[str, int] = {}
    for username, _, total in pairs:
        by_pair[username] = max(by_pair.get(username, 0), total)
        by_username[username] = by_username.get(username, 0) + total
    return {
        username
        for username in by_username
        if by_pair[username] >= settings.AXES_FAILURE_LIMIT
        or by_username[username] >= settings.SEND_MIS_USERNAME_FAILURE_LIMIT
    }


def client_ip(request: HttpRequest) -> str:
    """The address a sign-in came from. Behind ``SEND_MIS_TRUSTED_PROXIES`` reverse proxies (a TLS terminator),
    each proxy appends the address it received from to X-Forwarded-For, so the client is that many entries from the
    right; entries further left are whatever the client claimed and are ignored. With no proxy: REMOTE_ADDR."""
    proxies = settings.SEND_MIS_TRUSTED_PROXIES
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote
