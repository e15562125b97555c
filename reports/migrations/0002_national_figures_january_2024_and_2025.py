"""The DfE's published England figures (all schools, January census), so a new school's report compares with
something on day one. Source: DfE, 'Special educational needs in England', academic year 2024/25 (published
June 2025): EHC plans 5.3% of pupils (4.8% in January 2024); SEN support 14.2% (13.6% in January 2024). The
head enters later years on the national figures page."""

from decimal import Decimal

from django.db import migrations

SOURCE = "DfE, Special educational needs in England, 2024/25 (published June 2025)"
FIGURES = [
    (2025, "ehc_plan", Decimal("5.3")),
    (2025, "sen_support", Decimal("14.2")),
    (2024, "ehc_plan", Decimal("4.8")),
    (2024, "sen_support", Decimal("13.6")),
]


def seed(apps, schema_editor):
    NationalFigure = apps.get_model("reports", "NationalFigure")
    for census_year, measure, percent in FIGURES:
        NationalFigure.objects.get_or_create(
            census_year=census_year, measure=measure, defaults={"percent": percent, "source": SOURCE}
        )


def unseed(apps, schema_editor):
    NationalFigure = apps.get_model("reports", "NationalFigure")
    for census_year, measure, _ in FIGURES:
        NationalFigure.objects.filter(census_year=census_year, measure=measure, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_reports_initial")]

    operations = [migrations.RunPython(seed, unseed)]
