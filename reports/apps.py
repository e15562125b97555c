from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Governors' SEND report, the SEN information report and the census check (top layer: reads every area)."""

    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import access, models  # noqa: F401  (access registers the school-wide actions at import)

        auditlog.register(models.InformationReportVersion)
        auditlog.register(models.NationalFigure)
