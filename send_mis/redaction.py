"""Secrets that travel in URLs are kept out of logs: a calendar feed's token is its only credential (calendar apps
cannot sign in), so a web server or application log line shows ``/deadlines/feed/[redacted].ics`` instead.

Used by gunicorn's access log (gunicorn.conf.py) and by a logging filter on the application's own handlers.
"""

from __future__ import annotations

import logging
import re

FEED_TOKEN = re.compile(r"(/feed/)[^/?#\s\"']+?(\.ics)")


def redact(text: str) -> str:
    """The text with every calendar feed token replaced by [redacted]."""
    return FEED_TOKEN.sub(r"\1[redacted]\2", text)


class RedactSecretsFilter(logging.Filter):
    """A logging filter that redacts feed tokens from the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


def redacting_gunicorn_logger():
    """gunicorn's logger class with every access-log atom (request line, path, referrer, environ) redacted."""
    from gunicorn.glogging import Logger

    class RedactingLogger(Logger):
        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}

    return RedactingLogger
