from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo school (top layer): built through every area's services, so it may import them all."""

    name = "demo"
    verbose_name = "Demo school"
