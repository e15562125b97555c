from django.apps import AppConfig


class OverviewConfig(AppConfig):
    """The top layer's working pages: landing pages and dashboards, the pupil's page and SEND history, the
    navigation, and EHC section F against the provision delivered. It composes every area; nothing imports it."""

    name = "overview"
    verbose_name = "Overview"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ehc import extensions

        from . import models

        auditlog.register(models.SectionFLine, m2m_fields={"provisions"})
        # The review workspace links to the report composed here, with section F against delivery.
        extensions.review_report_url_name = "overview:review-report"
