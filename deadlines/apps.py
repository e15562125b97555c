from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "Deadlines and reminders"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Deadline)
        auditlog.register(models.Reminder)
        auditlog.register(models.DigestSent)
        # The token is the feed's credential: log that it was issued or revoked, never its value.
        auditlog.register(models.CalendarFeedToken, exclude_fields=["token"])
