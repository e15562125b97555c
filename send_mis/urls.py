from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("overview.root_urls")),
    path("accounts/", include("pupils.account_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("pupils.urls")),
    path("", include("overview.urls")),
    path("school/", include("pupils.school_urls")),
    path("records/", include("records.urls")),
    path("ehc/", include("ehc.urls")),
    path("provision/maps/", include("provision.urls_maps")),
    path("provision/", include("provision.urls")),
    path("deadlines/", include("deadlines.urls")),
    path("safeguarding/", include("safeguarding.urls")),
    path("", include("reports.urls")),
    path("disclosures/", include("pupils.disclosure_urls")),
    path("admin/", admin.site.urls),
]
