from django.apps import AppConfig


class SendMisConfig(AppConfig):
    """The project itself, as an app so its system checks and URL converters are registered at start."""

    name = "send_mis"
    verbose_name = "send-mis"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.urls import register_converter

        from . import checks  # noqa: F401  (registers the production checks)
        from .edges import UrlTokenConverter
        from .pagecache import watch_connection

        register_converter(UrlTokenConverter, "urltoken")
        connection_created.connect(watch_connection, dispatch_uid="send_mis.pagecache")
