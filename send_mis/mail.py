"""Every email the app sends says it was sent automatically (RFC 3834 ``Auto-Submitted: auto-generated``), so
mail servers and out-of-office replies do not answer it.

``EMAIL_BACKEND`` is this wrapper; the backend that delivers (SMTP in production, from ``EMAIL_URL``) is
``EMAIL_DELIVERY_BACKEND``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

AUTO_SUBMITTED = {"Auto-Submitted": "auto-generated"}


class AutoSubmittedBackend(BaseEmailBackend):
    """Adds the Auto-Submitted header to each message, then hands it to the delivering backend."""

    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.delivery = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=fail_silently, **kwargs)

    def open(self):
        return self.delivery.open()

    def close(self):
        return self.delivery.close()

    def send_messages(self, email_messages):
        for message in email_messages:
            message.extra_headers = {**AUTO_SUBMITTED, **(message.extra_headers or {})}
        return self.delivery.send_messages(email_messages)
