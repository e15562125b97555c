from django.urls import path

from . import disclosure_views

app_name = "disclosures"

urlpatterns = [
    path("pupils/<uuid:pupil_id>/", disclosure_views.pupil_log, name="pupil-log"),
    path("pupils/<uuid:pupil_id>/new/", disclosure_views.record, name="record"),
]
