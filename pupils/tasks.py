"""Thin Celery wrappers for the pupils app: ids in, one call."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from . import account_emails, mis_import
from .models import ImportStatus, PupilImport


@shared_task(acks_late=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=60, max_retries=5)
def password_reset_email_send_task(user_id: int) -> bool:
    """Send a password-reset email; a mail server that is briefly down is tried again with a growing delay."""
    return account_emails.password_reset_email_send(user_id=user_id)


@shared_task(acks_late=True)
def pupil_import_check_task(import_id: str) -> None:
    """Check an uploaded MIS file (idempotent: a file already checked is left alone)."""
    pupil_import = PupilImport.objects.select_related("school").get(pk=import_id)
    if pupil_import.status == ImportStatus.CHECKING:
        mis_import.import_check(pupil_import=pupil_import, today=timezone.localdate())


@shared_task(acks_late=True)
def pupil_import_apply_task(import_id: str, actor_id: str) -> None:
    """Import a confirmed MIS file (idempotent: only an import still marked importing runs)."""
    pupil_import = PupilImport.objects.select_related("school").get(pk=import_id)
    if pupil_import.status == ImportStatus.IMPORTING:
        actor = get_user_model().objects.get(pk=actor_id)
        mis_import.import_apply(pupil_import=pupil_import, today=timezone.localdate(), now=timezone.now(), actor=actor)
