from django.contrib import admin
from django.urls import include, path

from overview import views as overview_views

urlpatterns = [
    path("", overview_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("pupils.urls")),
    path("", include("overview.urls")),
    path("ehc/", include("ehc.urls")),
    path("provision/", include("provision.urls")),
    path("deadlines/", include("deadlines.urls")),
    path("admin/", admin.site.urls),
]
