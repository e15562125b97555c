"""A calendar feed's token is a credential in its URL: no log line shows it, neither gunicorn's access log nor the
application's own logging."""

from __future__ import annotations

import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from send_mis.redaction import RedactSecretsFilter, redact, redacting_gunicorn_logger

TOKEN = "k3L9x_Q2-abcDEF0123456789"
ROOT = Path(__file__).resolve().parents[1]


def test_the_token_is_replaced_and_nothing_else():
    assert redact(f"GET /deadlines/feed/{TOKEN}.ics HTTP/1.1") == "GET /deadlines/feed/[redacted].ics HTTP/1.1"
    assert redact("GET /deadlines/feed/ HTTP/1.1") == "GET /deadlines/feed/ HTTP/1.1"
    assert redact("/pupils/1234/") == "/pupils/1234/"


def test_gunicorns_access_log_never_shows_the_token():
    from gunicorn.config import Config

    logger = redacting_gunicorn_logger()(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/deadlines/feed/{TOKEN}.ics",
        "PATH_INFO": f"/deadlines/feed/{TOKEN}.ics",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://example.org/deadlines/feed/{TOKEN}.ics",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[])

    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))

    assert TOKEN not in str(atoms)
    assert atoms["r"] == "GET /deadlines/feed/[redacted].ics HTTP/1.1"


def test_the_gunicorn_config_uses_the_redacting_logger():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert config["logger_class"].__name__ == "RedactingLogger"
    assert config["accesslog"] == "-"
    assert callable(config["on_starting"])


def test_the_applications_log_lines_never_show_the_token():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Failed: %s", (f"/feed/{TOKEN}.ics",), None
    )

    RedactSecretsFilter().filter(record)

    assert record.getMessage() == "Failed: /feed/[redacted].ics"


def test_the_console_handler_redacts(settings):
    assert "redact_secrets" in settings.LOGGING["handlers"]["console"]["filters"]
