from django.urls import path

from . import views

app_name = "overview"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("today/", views.today, name="today"),
    path("pupils/<uuid:pupil_id>/", views.pupil, name="pupil"),
    path("pupils/<uuid:pupil_id>/history/", views.history, name="history"),
    path("ehc-plans/<uuid:plan_id>/section-f/", views.section_f, name="section-f"),
    path("ehc-plans/<uuid:plan_id>/section-f/new/", views.section_f_add, name="section-f-add"),
    path("ehc-reviews/<uuid:review_id>/report/", views.review_report, name="review-report"),
    path(
        "ehc-reviews/<uuid:review_id>/report.pdf",
        views.review_report,
        {"as_pdf": True},
        name="review-report-pdf",
    ),
]
