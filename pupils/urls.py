from django.urls import path

from . import views

app_name = "pupils"

urlpatterns = [
    path("school/", views.school_choose, name="school-choose"),
    path("pupils/", views.pupil_list, name="pupil-list"),
    path("pupils/new/", views.pupil_add, name="pupil-add"),
    path("my-class/", views.my_class, name="my-class"),
    path("pupils/<uuid:pupil_id>/edit/", views.pupil_edit, name="pupil-edit"),
    path("pupils/<uuid:pupil_id>/register/new/", views.register_add, name="register-add"),
    path("pupils/<uuid:pupil_id>/register/<uuid:entry_id>/change/", views.register_change, name="register-change"),
    path("pupils/<uuid:pupil_id>/register/<uuid:entry_id>/end/", views.register_end, name="register-end"),
    path("pupils/<uuid:pupil_id>/concerns/new/", views.concern_raise, name="concern-raise"),
    path("pupils/<uuid:pupil_id>/access/", views.grants, name="grants"),
    path("pupils/<uuid:pupil_id>/access/<uuid:grant_id>/revoke/", views.grant_revoke, name="grant-revoke"),
    path("concerns/", views.concern_queue, name="concern-queue"),
    path("concerns/<uuid:concern_id>/", views.concern_triage, name="concern-triage"),
    path("reports/register-summary/", views.register_summary, name="register-summary"),
    path("audit/", views.audit_log, name="audit-log"),
    path("school/statutory-settings/", views.statutory_settings, name="statutory-settings"),
]
