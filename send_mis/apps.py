from django.apps import AppConfig


class SendMisConfig(AppConfig):
    """The project itself, as an app only so its system checks are registered."""

    name = "send_mis"
    verbose_name = "send-mis"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the production checks)
