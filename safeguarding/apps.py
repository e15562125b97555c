from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding: child protection files"

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the area's school-wide actions with the access core)
