"""Thin Celery wrappers for the pupils app: ids in, one call."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from . import account_emails


@shared_task(acks_late=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=60, max_retries=5)
def password_reset_email_send_task(user_id: int) -> bool:
    """Send a password-reset email; a mail server that is briefly down is tried again with a growing delay."""
    return account_emails.password_reset_email_send(user_id=user_id)
