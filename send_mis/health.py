from django.http import HttpResponse


class HealthCheckMiddleware:
    """Answer /healthz before host validation and the HTTPS redirect, so the container probe can reach it
    by 127.0.0.1 over plain HTTP. It says only that the process serves requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return HttpResponse("ok", content_type="text/plain")
        return self.get_response(request)
