from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "overview"
    verbose_name = "Across areas: EHC section F against provision delivered"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.SectionFLine, m2m_fields={"provisions"})
