"""Every write to a member of staff's sign-in security: second factors, recovery codes, lockouts, sessions.

Each change is written to the audit log against the user it concerns, with the school it was made in, so the
head's audit page shows who reset or unlocked whom and when. Secrets (keys, codes) never reach the log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .services import audited

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, User

    from .models import School

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def _audit(*, user: AbstractBaseUser, school: School | None, field: str, old: str, new: str, actor) -> None:
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={field: [old, new]},
        actor=actor,
        additional_data={"school_id": str(school.pk)} if school else None,
    )


def second_factor_enrolment_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator app the user is setting up: a new secret, or the one already shown to them (so
    reloading the page keeps the same QR code). Nothing is active until a code from it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def second_factor_enrolment_confirm(
    *, device: TOTPDevice, code: str, school: School | None, actor: User
) -> list[str] | None:
    """Finish enrolment when `code` comes from the new authenticator app: the device becomes the user's only
    one, and a fresh set of single-use recovery codes replaces any earlier set. Returns the recovery codes (to
    show once), or None when the code is wrong (nothing changes)."""
    if device.confirmed or not device.verify_token("".join(code.split())):
        return None
    user = device.user
    with audited(actor):
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_write(user)
        _audit(user=user, school=school, field="second factor", old="none", new="authenticator app", actor=actor)
    return codes


def recovery_codes_replace(*, user: AbstractBaseUser, school: School | None, actor: User) -> list[str]:
    """A new set of single-use recovery codes; every earlier code stops working."""
    with audited(actor):
        codes = _recovery_codes_write(user)
        _audit(user=user, school=school, field="recovery codes", old="earlier set", new="new set", actor=actor)
    return codes


def _recovery_codes_write(user: AbstractBaseUser) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_reset(*, user: AbstractBaseUser, school: School, actor: User) -> bool:
    """The head's reset of a colleague's second factor (a lost phone): the authenticator app and recovery codes
    are removed and the colleague is signed out everywhere, so their next sign-in enrols a new app. Returns
    whether there was anything to reset (a repeated reset changes nothing)."""
    with audited(actor):
        removed = TOTPDevice.objects.filter(user=user).exists() or StaticDevice.objects.filter(user=user).exists()
        if not removed:
            return False
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        sessions_end(user=user)
        _audit(user=user, school=school, field="second factor", old="set up", new="reset", actor=actor)
    return True


def lockout_clear(*, user: AbstractBaseUser, school: School, actor: User) -> int:
    """The head's unlock of a colleague locked out by repeated wrong passwords: their failed attempts are
    forgotten, from every address. Returns how many records were cleared (none: nothing changes)."""
    with audited(actor):
        cleared, _ = AccessAttempt.objects.filter(username=user.get_username()).delete()
        if cleared:
            _audit(user=user, school=school, field="sign-in lockout", old="locked", new="unlocked", actor=actor)
    return cleared


def sessions_end(*, user: AbstractBaseUser, keep_session_key: str | None = None) -> int:
    """Sign the user out everywhere (except, optionally, the session they are using). Sessions are stored
    encoded, so the live ones are read one by one; a school has few at a time."""
    ended = 0
    for session in Session.objects.filter(Q(expire_date__gt=timezone.now())).iterator():
        if session.session_key == keep_session_key:
            continue
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def user_email_change(*, user: AbstractBaseUser, email: str, school: School | None, actor: User) -> bool:
    """Change the user's own email address (where password resets and reminders go). Returns whether it changed."""
    if user.email == email:
        return False
    with audited(actor):
        old = user.email
        user.email = email
        user.full_clean(exclude=["password", "username"])
        user.save(update_fields=["email"])
        _audit(user=user, school=school, field="email", old=old, new=email, actor=actor)
    return True


def school_security_change(
    *, school: School, requires_two_factor_for_all: bool, idle_timeout_minutes: int, actor: User
) -> bool:
    """The head's security settings for the school: a second factor for every member of staff, and the idle
    timeout. Each setting changed is audited; the new values apply from each person's next sign-in."""
    changes = {}
    if school.requires_two_factor_for_all != requires_two_factor_for_all:
        changes["second factor for all staff"] = [
            str(school.requires_two_factor_for_all),
            str(requires_two_factor_for_all),
        ]
    if school.idle_timeout_minutes != idle_timeout_minutes:
        changes["idle timeout (minutes)"] = [str(school.idle_timeout_minutes), str(idle_timeout_minutes)]
    if not changes:
        return False
    with audited(actor):
        school.requires_two_factor_for_all = requires_two_factor_for_all
        school.idle_timeout_minutes = idle_timeout_minutes
        school.full_clean()
        # One entry in words the head reads ("second factor for all staff"), instead of auditlog's own.
        with disable_auditlog():
            school.save(update_fields=["requires_two_factor_for_all", "idle_timeout_minutes"])
        LogEntry.objects.log_create(
            school,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            changes=changes,
            actor=actor,
            additional_data={"school_id": str(school.pk)},
        )
    return True
