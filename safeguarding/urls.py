from django.urls import path

from . import views

app_name = "safeguarding"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("concerns/<uuid:entry_id>/receipt/", views.concern_receipt, name="concern-receipt"),
    path("concerns/<uuid:entry_id>/add/", views.concern_add, name="concern-add"),
    path("concerns/<uuid:entry_id>/triage/", views.concern_triage, name="concern-triage"),
    path("inbox/", views.inbox, name="inbox"),
    path("categories/", views.categories, name="categories"),
    path("counts/", views.counts, name="counts"),
    path("incoming/new/", views.incoming_attach, name="incoming-attach"),
    path("incoming/<uuid:incoming_id>/", views.incoming_download, name="incoming-download"),
    path("pupils/<uuid:pupil_id>/", views.pupil_notice, name="pupil-notice"),
    path("files/<uuid:file_id>/", views.file_detail, name="file"),
    path("files/<uuid:file_id>/note/", views.file_note, name="file-note"),
    path("files/<uuid:file_id>/outcome/", views.file_outcome, name="file-outcome"),
    path("files/<uuid:file_id>/action/", views.file_action, name="file-action"),
    path("files/<uuid:file_id>/referral/", views.file_referral, name="file-referral"),
    path("files/<uuid:file_id>/no-referral/", views.file_no_referral, name="file-no-referral"),
    path("files/<uuid:file_id>/status/", views.file_status, name="file-status"),
    path("files/<uuid:file_id>/flag/", views.file_flag, name="file-flag"),
    path("files/<uuid:file_id>/shares/", views.file_shares, name="file-shares"),
    path("files/<uuid:file_id>/log/", views.file_log, name="file-log"),
    path("files/<uuid:file_id>/transfer/", views.file_transfer, name="file-transfer"),
    path("files/<uuid:file_id>/export.pdf", views.file_export, name="file-export"),
    path("files/<uuid:file_id>/senco-told/", views.senco_told, name="senco-told"),
    path("entries/<uuid:entry_id>/correct/", views.entry_correct, name="entry-correct"),
    path("actions/<uuid:entry_id>/done/", views.action_done, name="action-done"),
    path("referrals/<uuid:entry_id>/response/", views.referral_response, name="referral-response"),
    path("flags/<uuid:flag_id>/end/", views.flag_end, name="flag-end"),
    path("shares/<uuid:share_id>/revoke/", views.share_revoke, name="share-revoke"),
    path("transfers/<uuid:transfer_id>/sent/", views.transfer_sent, name="transfer-sent"),
    path("transfers/<uuid:transfer_id>/receipt/", views.transfer_receipt, name="transfer-receipt"),
]
