"""Signing in securely (second factors, recovery codes) and the head's staff security page, under accounts/."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import account_views
from .account_forms import QueuedPasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("", account_views.account, name="account"),
    # Django's reset page at its usual address, with the email sent by a task (the other reset pages are Django's).
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password-reset",
    ),
    path("email/", account_views.email_change, name="email-change"),
    path("two-factor/", account_views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/setup/", account_views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/recovery-codes/", account_views.recovery_codes, name="recovery-codes"),
    path("staff/", account_views.staff_security, name="staff-security"),
    path("staff/settings/", account_views.school_security, name="school-security"),
    path("staff/second-factor/reset/", account_views.staff_second_factor_reset, name="staff-second-factor-reset"),
    path("staff/unlock/", account_views.staff_unlock, name="staff-unlock"),
]
