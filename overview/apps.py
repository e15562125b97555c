from django.apps import AppConfig


class OverviewConfig(AppConfig):
    """The top layer's working pages: landing pages and dashboards, the pupil's page and SEND history, and the
    navigation. It composes every area and nothing imports it."""

    name = "overview"
    verbose_name = "Overview"
