"""An email backend for the Celery integration test: one file per message, and one simulated SMTP failure.

Each message is written to its own file under EMAIL_FILE_PATH, so a test in another process can count
deliveries. When the file named by the SEND_MIS_TEST_FAIL_NEXT_SEND setting (an absolute path) exists, the next
send removes it and raises SMTPServerDisconnected: only one sender can remove it, so exactly one send fails,
across threads and processes. When the file named by the SEND_MIS_TEST_HANG_NEXT_SEND environment variable
exists, the next send removes it, creates the same path with ".sending" added, and hangs (a worker stuck
mid-send, for a test to kill). Never used outside tests.
"""

from __future__ import annotations

import os
import smtplib
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class FailOnceFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        hang = os.environ.get("SEND_MIS_TEST_HANG_NEXT_SEND", "")
        if hang:
            try:
                os.remove(hang)
            except FileNotFoundError:
                pass
            else:
                Path(hang + ".sending").touch()
                time.sleep(600)
        arm = getattr(settings, "SEND_MIS_TEST_FAIL_NEXT_SEND", "")
        if arm:
            try:
                os.remove(arm)
            except FileNotFoundError:
                pass
            else:
                raise smtplib.SMTPServerDisconnected("simulated: connection unexpectedly closed")
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            target = folder / f"{uuid.uuid4()}.eml"
            partial = target.with_suffix(".part")
            partial.write_bytes(message.message().as_bytes())
            partial.rename(target)  # whole files only: a reader never sees half a message
        return len(email_messages)
