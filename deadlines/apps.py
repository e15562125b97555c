from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "Deadlines and reminders"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from pupils.school_setup import register_school_duties_listener

        from . import models, school_duties

        # A change to the school's duty records (pupils.school_setup) brings its school-level deadlines in step.
        register_school_duties_listener(school_duties.school_calendar_sync)

        auditlog.register(models.Deadline)
        auditlog.register(models.Reminder)
        auditlog.register(models.DigestSent)
        # The token is the feed's credential: log that it was issued or revoked, never its value.
        auditlog.register(models.CalendarFeedToken, exclude_fields=["token"])
