from django.urls import path

from .views import maps as views

app_name = "maps"

G = "groups/<uuid:group_id>/"
P = "pupils/<uuid:pupil_id>/"

urlpatterns = [
    path("", views.school_map, name="map"),
    path("map.xlsx", views.school_map_xlsx, name="map-xlsx"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.provision_add, name="provision-add"),
    path("catalogue/<uuid:provision_id>/", views.provision_edit, name="provision-edit"),
    path("rates/", views.rates, name="rates"),
    path("budget/", views.budget, name="budget"),
    path("costs/", views.costs_page, name="costs"),
    path("impact/", views.impact_table, name="impact"),
    path("timetable/", views.timetable, name="timetable"),
    path("my-class/", views.class_view, name="class"),
    path("groups/new/", views.group_add, name="group-add"),
    path(G, views.group_detail, name="group"),
    path(G + "pupils/new/", views.group_allocate, name="group-allocate"),
    path(G + "places/<uuid:allocation_id>/leave/", views.place_end, name="place-end"),
    path(G + "places/<uuid:allocation_id>/support/", views.place_support, name="place-support"),
    path(G + "week/", views.group_week, name="group-week"),
    path(G + "scores/", views.group_scores, name="group-scores"),
    path(G + "sessions/<uuid:session_id>/withdraw/", views.session_withdraw, name="session-withdraw"),
    path(P, views.pupil_history, name="pupil"),
    path(P + "costed/", views.pupil_costed, name="pupil-costed"),
    path(P + "costed.xlsx", views.pupil_costed_xlsx, name="pupil-costed-xlsx"),
    path(P + "costed.csv", views.pupil_costed_csv, name="pupil-costed-csv"),
    path(P + "costed.pdf", views.pupil_costed_pdf, name="pupil-costed-pdf"),
]
