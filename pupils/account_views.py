"""Signing in securely: enrolling an authenticator app, entering a code, recovery codes, and the head's page
for colleagues' second factors and lockouts."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access, account_services, throttling, twofactor
from .account_forms import CodeForm, ColleagueForm, EmailChangeForm, EnrolCodeForm, SchoolSecurityForm
from .models import School


def _posted(request: HttpRequest):
    """The submitted data on a POST (an empty form is still a submission), else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def _school_or_none(request: HttpRequest) -> School | None:
    try:
        return access.current_school(request)
    except PermissionDenied:
        return None


def _with_next(url_name: str, request: HttpRequest) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': request.GET.get('next', '')})}"


def _qr_svg(url: str) -> str:
    # Inline SVG, so the page needs neither a script nor an image from elsewhere (the CSP forbids both).
    return segno.make(url, error="m").svg_inline(scale=5, border=4, light="#fff", title="QR code for your app")


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if twofactor.has_second_factor(request.user):
        return redirect(_with_next("accounts:two-factor-verify", request))
    device = account_services.second_factor_enrolment_start(user=request.user)
    form = EnrolCodeForm(_posted(request))
    if form.is_valid():
        codes = account_services.second_factor_enrolment_confirm(
            device=device, code=form.cleaned_data["code"], school=_school_or_none(request), actor=request.user
        )
        if codes is not None:
            device.refresh_from_db()
            twofactor.second_factor_passed(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": twofactor.safe_next(request), "first_time": True},
            )
        form.add_error("code", "That code did not match. Check the time on your phone and enter the newest code.")
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": _grouped(twofactor.base32_secret(device)),
        "next": request.GET.get("next") or request.POST.get("next", ""),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if not twofactor.has_second_factor(request.user):
        return redirect(_with_next("accounts:two-factor-setup", request))
    form = CodeForm(_posted(request))
    if form.is_valid():
        if twofactor.verify_code(request, form.cleaned_data["code"]):
            return redirect(twofactor.safe_next(request))
        form.add_error("code", "That code is not right, or has been used already. Try the newest code.")
    is_step_up = twofactor.verified_at(request.session) is not None
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next") or request.POST.get("next", ""), "is_step_up": is_step_up},
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    context = {
        "has_second_factor": twofactor.has_second_factor(request.user),
        "required": request.session.get(twofactor.REQUIRED_KEY, False),
        "recovery_left": StaticToken.objects.filter(device__user=request.user).count(),
    }
    return render(request, "accounts/account.html", context)


@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(_posted(request), user=request.user)
    if form.is_valid():
        # Through the sign-in backends, so wrong passwords here count towards a lockout like at sign-in.
        if authenticate(request, username=request.user.get_username(), password=form.cleaned_data["password"]):
            account_services.user_email_change(
                user=request.user, email=form.cleaned_data["email"], school=_school_or_none(request), actor=request.user
            )
            messages.success(request, "Your email address was changed.")
            return redirect("accounts:account")
        form.add_error("password", "That is not your current password.")
    return render(request, "accounts/email_change.html", {"form": form})


@login_required
@require_POST
@twofactor.require_recent_second_factor()
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not twofactor.has_second_factor(request.user):
        raise PermissionDenied
    codes = account_services.recovery_codes_replace(
        user=request.user, school=_school_or_none(request), actor=request.user
    )
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:account")})


@login_required
@twofactor.require_recent_second_factor()
def staff_security(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, access.StaffSecurityAction.MANAGE)
    colleagues = list(access.colleagues_managed_by(request.user, school))
    enrolled = set(TOTPDevice.objects.filter(user__in=colleagues, confirmed=True).values_list("user_id", flat=True))
    locked = throttling.usernames_locked_out([c.get_username() for c in colleagues], now=timezone.now())
    rows = [{"user": c, "enrolled": c.pk in enrolled, "locked": c.get_username() in locked} for c in colleagues]
    settings_form = SchoolSecurityForm(
        initial={
            "requires_two_factor_for_all": school.requires_two_factor_for_all,
            "idle_timeout_minutes": school.idle_timeout_minutes,
        }
    )
    context = {"school": school, "rows": rows, "settings_form": settings_form}
    return render(request, "accounts/staff_security.html", context)


@login_required
@require_POST
@twofactor.require_recent_second_factor()
def school_security(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, access.StaffSecurityAction.MANAGE)
    form = SchoolSecurityForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/school_security.html", {"school": school, "form": form})
    changed = account_services.school_security_change(school=school, actor=request.user, **form.cleaned_data)
    messages.success(request, "Settings saved." if changed else "Nothing changed.")
    return redirect("accounts:staff-security")


def _colleague_action(request: HttpRequest, service, done: str, nothing: str) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, access.StaffSecurityAction.MANAGE)
    form = ColleagueForm(request.POST, colleagues=access.colleagues_managed_by(request.user, school))
    if not form.is_valid():
        messages.error(request, "Choose a member of staff of this school from the list.")
        return redirect("accounts:staff-security")
    colleague = form.cleaned_data["user"]
    changed = service(user=colleague, school=school, actor=request.user)
    name = colleague.get_full_name() or colleague.get_username()
    messages.success(request, (done if changed else nothing).format(name=name))
    return redirect("accounts:staff-security")


@login_required
@require_POST
@twofactor.require_recent_second_factor()
def staff_second_factor_reset(request: HttpRequest) -> HttpResponse:
    return _colleague_action(
        request,
        account_services.second_factor_reset,
        "{name}'s second factor was reset and they were signed out: they set up a new app at their next sign-in.",
        "{name} had no second factor to reset.",
    )


@login_required
@require_POST
@twofactor.require_recent_second_factor()
def staff_unlock(request: HttpRequest) -> HttpResponse:
    return _colleague_action(
        request,
        account_services.lockout_clear,
        "{name} can sign in again: their failed attempts were cleared.",
        "{name} was not locked out.",
    )
