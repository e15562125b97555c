from django.contrib import admin
from django.urls import include, path

from pupils import views as pupil_views

urlpatterns = [
    path("", pupil_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("pupils.urls")),
    path("school/", include("pupils.school_urls")),
    path("records/", include("records.urls")),
    path("ehc/", include("ehc.urls")),
    path("provision/", include("provision.urls")),
    path("deadlines/", include("deadlines.urls")),
    path("admin/", admin.site.urls),
]
