from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "pupils"
    verbose_name = "Pupils and the SEND register"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Every change to these is logged with its actor and old and new values; reads of a pupil's SEND
        # record are logged through auditlog's `accessed` signal (see services.pupil_record_viewed).
        auditlog.register(models.School)
        auditlog.register(models.Term)
        auditlog.register(models.Pupil)
        auditlog.register(models.Contact)
        auditlog.register(models.RegisterEntry)
        auditlog.register(models.SenConcern)
        auditlog.register(models.PupilAccessGrant)
        auditlog.register(models.Membership)
        auditlog.register(models.SchoolClass, m2m_fields={"teachers"})
