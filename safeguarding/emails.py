"""Rendering of the DSL team's alert only. The alert says that a concern was reported, when, and where to read
it (behind the sign-in and the step-up): no child's name, no reporter's name, no content, in the subject or
either body. Mail passes through servers, logs and lock screens the school does not control."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Entry, EntryKind


def concern_alert_message(entry: Entry, recipient) -> EmailMultiAlternatives:
    """The alert to one member of the DSL team about one new concern or addition."""
    context = {
        "is_addition": entry.kind == EntryKind.ADDITION,
        "reported_at": timezone.localtime(entry.recorded_at),
        "inbox_url": settings.SITE_URL + reverse("safeguarding:inbox"),
    }
    subject = " ".join(render_to_string("emails/safeguarding_alert_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/safeguarding_alert_body.txt", context),
        to=[recipient.email],
        headers={"X-Send-MIS-Alert": str(entry.pk)},
    )
    message.attach_alternative(render_to_string("emails/safeguarding_alert_body.html", context), "text/html")
    return message
