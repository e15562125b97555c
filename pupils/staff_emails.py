"""Rendering of the staff invitation email only: text and HTML bodies and a subject from templates/emails/."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Role, School


def invitation_url(user: AbstractBaseUser) -> str:
    from .staff import invitation_token

    return settings.SITE_URL + reverse("school:invitation-accept", args=[invitation_token(user)])


def invitation_message(
    *, user: AbstractBaseUser, school: School, roles: Iterable[str], invited_by: AbstractBaseUser
) -> EmailMultiAlternatives:
    """The invitation to set a password and start: whom from, which school, which roles, and the link."""
    context = {
        "user": user,
        "school": school,
        "roles": [Role(role).label for role in sorted(roles)],
        "invited_by": invited_by.get_full_name() or invited_by.get_username(),
        "url": invitation_url(user),
        "days": settings.STAFF_INVITATION_MAX_AGE // 86400,
    }
    subject = " ".join(render_to_string("emails/staff_invitation_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string("emails/staff_invitation_body.txt", context), to=[user.email]
    )
    message.attach_alternative(render_to_string("emails/staff_invitation_body.html", context), "text/html")
    return message
