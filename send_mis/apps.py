from django.apps import AppConfig


class SendMisConfig(AppConfig):
    """The project itself, as an app so its system checks and URL converters are registered at start."""

    name = "send_mis"
    verbose_name = "send-mis"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.backends.signals import connection_created
        from django.urls import register_converter

        from . import checks, pagecache  # noqa: F401  (checks registers the production checks)
        from .edges import UrlTokenConverter

        register_converter(UrlTokenConverter, "urltoken")
        connection_created.connect(pagecache.watch_connection, dispatch_uid="send_mis.pagecache")
        request_started.connect(pagecache.request_started, dispatch_uid="send_mis.pagecache.start")
        request_finished.connect(pagecache.request_finished, dispatch_uid="send_mis.pagecache.finish")
