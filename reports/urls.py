from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/governors/", views.governors_report, name="governors"),
    path("reports/governors/pdf/", views.governors_report_pdf, name="governors-pdf"),
    path("reports/governors/csv/<slug:key>/", views.governors_table_csv, name="governors-csv"),
    path("reports/national-figures/", views.national_figures, name="national-figures"),
    path("reports/information/<int:academic_year>/", views.information_report, name="information"),
    path("reports/information/<int:academic_year>/edit/", views.information_report_edit, name="information-edit"),
    path(
        "reports/information/<int:academic_year>/versions/<uuid:version_id>/",
        views.information_report,
        name="information-version",
    ),
    path(
        "reports/information/<int:academic_year>/versions/<uuid:version_id>/approve/",
        views.information_report_approve,
        name="information-approve",
    ),
    path("reports/census/", views.census_check, name="census"),
    path("reports/census/csv/", views.census_csv, name="census-csv"),
    # The published SEN information report: no sign-in, a stable address by the school's URN.
    path("sen-information-report/<str:urn>/", views.public_information_report, name="public-information"),
    path("sen-information-report/<str:urn>/pdf/", views.public_information_report_pdf, name="public-information-pdf"),
]
