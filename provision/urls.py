from django.urls import path

from . import views

app_name = "provision"

P = "pupils/<uuid:pupil_id>/"

urlpatterns = [
    # Progress data
    path("scores/", views.scores, name="scores"),
    path("scores/<uuid:class_id>/<uuid:point_id>/", views.score_grid, name="score-grid"),
    path("scores/import/", views.score_import, name="score-import"),
    path("scores/year/", views.year_set_up, name="year-set-up"),
    path("settings/", views.settings, name="settings"),
    path("settings/subjects/", views.subject_add, name="subject-add"),
    path("settings/points/", views.point_add, name="point-add"),
    # Identification
    path("flags/", views.flag_list, name="flag-list"),
    path("flags/compute/", views.flags_compute, name="flags-compute"),
    path(P + "flags/<uuid:flag_id>/dismiss/", views.flag_dismiss, name="flag-dismiss"),
    path(P + "flags/<uuid:flag_id>/concern/", views.flag_concern, name="flag-concern"),
    path(P + "flags/<uuid:flag_id>/plan/", views.flag_plan, name="flag-plan"),
    # Support plans
    path(P, views.pupil_provision, name="pupil"),
    path(P + "plans/new/", views.plan_start, name="plan-start"),
    path(P + "plans/<uuid:plan_id>/", views.plan_detail, name="plan-detail"),
    path(P + "plans/<uuid:plan_id>/parents-told/", views.plan_parents_told, name="plan-parents-told"),
    path(P + "plans/<uuid:plan_id>/end/", views.plan_end, name="plan-end"),
    path(P + "cycles/<uuid:cycle_id>/assess/", views.cycle_assess, name="cycle-assess"),
    path(P + "cycles/<uuid:cycle_id>/plan/", views.cycle_plan, name="cycle-plan"),
    path(P + "cycles/<uuid:cycle_id>/notes/", views.cycle_note, name="cycle-note"),
    path(P + "cycles/<uuid:cycle_id>/review/", views.cycle_review, name="cycle-review"),
    path(P + "cycles/<uuid:cycle_id>/agree/", views.cycle_agree, name="cycle-agree"),
    # Meetings, passports, early years
    path(P + "meetings/new/", views.meeting_add, name="meeting-add"),
    path("meetings/due/", views.meetings_due, name="meetings-due"),
    path(P + "passport/", views.passport, name="passport"),
    path(P + "passport/edit/", views.passport_edit, name="passport-edit"),
    path(P + "passport/pdf/", views.passport_pdf, name="passport-pdf"),
    path("passports/", views.class_passports, name="passports"),
    path(P + "check-at-two/new/", views.check_two_add, name="check-two"),
    # Individual healthcare plans
    path(P + "healthcare-plans/", views.healthcare_plans, name="healthcare-plans"),
    path(P + "healthcare-plans/new/", views.healthcare_plan_new, name="healthcare-plan-new"),
    path(
        P + "healthcare-plans/<uuid:healthcare_plan_id>/review/",
        views.healthcare_plan_review,
        name="healthcare-plan-review",
    ),
]
