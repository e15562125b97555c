from django.urls import path

from . import ctf_views, import_views
from . import school_admin as views

app_name = "school"

urlpatterns = [
    path("start/", views.school_start, name="start"),
    path("new/", views.school_create, name="create"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("<uuid:school_id>/", views.school_settings, name="settings"),
    path("<uuid:school_id>/details/", views.school_details, name="details"),
    path("<uuid:school_id>/terms/", views.school_terms, name="terms"),
    path("<uuid:school_id>/terms/remove/", views.term_remove, name="term-remove"),
    path("<uuid:school_id>/classes/", views.school_classes, name="classes"),
    path("<uuid:school_id>/classes/<uuid:class_id>/remove/", views.class_remove, name="class-remove"),
    path("<uuid:school_id>/staff/", views.staff_page, name="staff"),
    path("<uuid:school_id>/staff/invite/", views.staff_invite, name="staff-invite"),
    path("<uuid:school_id>/staff/<str:ref>/", views.staff_edit, name="staff-edit"),
    path("<uuid:school_id>/staff/<str:ref>/remove/", views.staff_remove, name="staff-remove"),
    path("<uuid:school_id>/duties/", views.school_duties, name="duties"),
    path("<uuid:school_id>/duties/senco/", views.senco_qualification, name="duties-senco"),
    path("<uuid:school_id>/duties/accessibility-plan/", views.accessibility_plan, name="duties-accessibility-plan"),
    path("<uuid:school_id>/pupils/import/", import_views.upload, name="pupil-import"),
    path("<uuid:school_id>/pupils/import/<uuid:import_id>/", import_views.detail, name="pupil-import-detail"),
    path("<uuid:school_id>/pupils/import/<uuid:import_id>/confirm/", import_views.confirm, name="pupil-import-confirm"),
    path("<uuid:school_id>/pupils/ctf/", ctf_views.ctf_upload, name="ctf-import"),
    path("<uuid:school_id>/pupils/ctf/confirm/", ctf_views.ctf_confirm, name="ctf-import-confirm"),
]
