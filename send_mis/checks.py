"""System checks that stop a production deployment which would start but fail quietly.

Each is an error only under production settings (``DJANGO_ENV=production``), so ``manage.py check --deploy``,
``migrate`` (the compose file's first step) and gunicorn's start (gunicorn.conf.py) all refuse it:

- send_mis.E001: no SMTP ``EMAIL_URL``: reminders would be printed to a log (with pupils' initials) and marked sent.
- send_mis.E002: ``SITE_URL`` not https: every emailed link would point somewhere wrong or insecure.
- send_mis.E003: no ``DEFAULT_FROM_EMAIL``: mail would leave from a made-up localhost address.
- send_mis.E004: no ``REDIS_URL``: tasks would run inside the web process, emails inside requests.
- send_mis.E005: the ``.env.example`` placeholder ``SECRET_KEY``: a published secret signs sessions and tokens.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@register(Tags.security)
def production_settings_check(app_configs=None, **kwargs) -> list[Error]:
    """The errors above, for the settings in force; none outside production."""
    if not getattr(settings, "IS_PRODUCTION", False):
        return []
    errors = []
    if settings.EMAIL_DELIVERY_BACKEND != SMTP_BACKEND:
        errors.append(
            Error(
                "EMAIL_URL must name an SMTP server (smtp:// or smtp+tls://).",
                hint="Set EMAIL_URL, for example smtp+tls://user:password@smtp.example.org:587.",
                id="send_mis.E001",
            )
        )
    if not settings.SITE_URL.startswith("https://"):
        errors.append(
            Error(
                f"SITE_URL must be the https address staff use (it is {settings.SITE_URL!r}).",
                hint="Set SITE_URL, for example https://send-mis.example.org.",
                id="send_mis.E002",
            )
        )
    if settings.DEFAULT_FROM_EMAIL == settings.EMBEDDED_FROM_EMAIL:
        errors.append(
            Error(
                "DEFAULT_FROM_EMAIL must be set to the school's sending address.",
                hint="Set DEFAULT_FROM_EMAIL, for example 'send-mis <send-mis@school.example.org>'.",
                id="send_mis.E003",
            )
        )
    if not settings.REDIS_URL:
        errors.append(
            Error(
                "REDIS_URL must be set: without it tasks and emails run inside web requests.",
                hint="Set REDIS_URL, for example redis://redis:6379/0.",
                id="send_mis.E004",
            )
        )
    if settings.SECRET_KEY == settings.EXAMPLE_SECRET_KEY:
        errors.append(
            Error(
                "SECRET_KEY is the published example from .env.example.",
                hint='Generate one: python -c "import secrets; print(secrets.token_urlsafe(50))".',
                id="send_mis.E005",
            )
        )
    return errors
