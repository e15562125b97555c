from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("setup/<uuid:school_id>/finish/", views.setup_finish, name="setup-finish"),
    path("leavers/", views.leavers_list, name="leavers"),
    path("pupils/<uuid:pupil_id>/leaver/", views.leaver_record, name="leaver-record"),
    path("pupils/<uuid:pupil_id>/send-file.pdf", views.send_file, name="send-file"),
    path("pupils/<uuid:pupil_id>/subject-access/", views.subject_access_export, name="subject-access"),
    path("pupils/<uuid:pupil_id>/ctf.xml", views.ctf_download, name="ctf"),
    path("pupils/<uuid:pupil_id>/ctf-sent/", views.ctf_sent, name="ctf-sent"),
    path("retention/", views.retention_list, name="retention"),
    path("pupils/<uuid:pupil_id>/destroy/", views.records_destroy, name="records-destroy"),
]
