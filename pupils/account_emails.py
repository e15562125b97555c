"""The password-reset email, rendered and sent by a Celery task rather than inside the sign-in request (so the
page answers at once and the same whether or not the address has an account)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def password_reset_email_send(*, user_id: int) -> bool:
    """Send the user a one-time link to set a new password, if they are still active with a usable password
    (the same rule as Django's reset form). The link is built from SITE_URL. Returns whether it was sent."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return False
    site = urlsplit(settings.SITE_URL)
    context = {
        "email": user.email,
        "domain": site.netloc,
        "site_name": "send-mis",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": site.scheme,
    }
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    body = render_to_string("registration/password_reset_email.html", context)
    EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    return True
