"""Forms for signing in securely: a second-factor code, a password check, a colleague chosen by the head."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.replace("-", "").isalnum():
            raise forms.ValidationError("Enter the code as it is shown: letters and digits only.")
        return code


class EnrolCodeForm(CodeForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=32,
        help_text="Six digits; the code changes every 30 seconds.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ColleagueForm(forms.Form):
    """A member of staff of the head's school, chosen by id from the staff list (never in the URL)."""

    user = forms.ModelChoiceField(queryset=get_user_model().objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = colleagues


class EmailChangeForm(forms.Form):
    """A new email address for one's own account, confirmed with the current password (checked by the view
    through the sign-in backends, so wrong passwords count towards a lockout)."""

    email = forms.EmailField(label="New email address", max_length=254)
    password = forms.CharField(
        label="Your current password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        User = get_user_model()
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError("Another account uses this email address.")
        return email


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email queued as a task (after the request's transaction commits)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs) -> None:
        from .tasks import password_reset_email_send_task

        user_id = context["user"].pk
        transaction.on_commit(lambda: password_reset_email_send_task.delay(user_id))


class SchoolSecurityForm(forms.Form):
    requires_two_factor_for_all = forms.BooleanField(
        label="Every member of staff signs in with a second factor (the SENCO, head and DSL always do)", required=False
    )
    idle_timeout_minutes = forms.IntegerField(
        label="Sign staff out after this many minutes without activity",
        min_value=5,
        max_value=8 * 60,
        help_text="Between 5 and 480 minutes; it applies from each person's next sign-in.",
    )
