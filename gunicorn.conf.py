"""gunicorn settings for the production image (docker-compose.yml and the Dockerfile use `-c gunicorn.conf.py`).

The access log never shows a calendar feed's token (send_mis/redaction.py), the server refuses to start
when Django's system checks report an error (the production checks in send_mis/checks.py among them), and each
worker freezes its lasting objects out of the garbage collector's way once loaded and again after its first
requests (send_mis/workers.py).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
accesslog = "-"


def _logger_class():
    from send_mis.redaction import redacting_gunicorn_logger

    return redacting_gunicorn_logger()


logger_class = _logger_class()


def on_starting(server):
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_mis.settings")
    django.setup()
    call_command("check", "--fail-level", "ERROR")


def post_worker_init(worker):
    from send_mis.workers import settle_loaded_application

    settle_loaded_application()


def post_request(worker, req, environ, resp):
    from send_mis.workers import settle_after_request

    settle_after_request(worker.nr)
