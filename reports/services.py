"""Every write in the reports area: national figures and the SEN information report's versions.

Keyword-only arguments, an actor, one transaction with its audit rows (pupils.services.audited).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Max

from deadlines.school_duties import information_report_published
from pupils.models import School
from pupils.services import audited

from .drafting import information_facts
from .information import SECTION_KEYS, SECTIONS
from .models import InformationReportVersion, NationalFigure


def national_figure_set(
    *, census_year: int, measure: str, percent: Decimal, source: str, actor: AbstractBaseUser
) -> NationalFigure:
    """Enter or correct one national figure (a measure for a January census year); the audit log keeps the
    previous value. Setting the same value again changes nothing."""
    with audited(actor):
        figure = NationalFigure.objects.filter(census_year=census_year, measure=measure).first()
        if figure is not None and figure.percent == percent and figure.source == source:
            return figure
        figure = figure or NationalFigure(census_year=census_year, measure=measure)
        figure.percent, figure.source, figure.entered_by = percent, source, actor
        figure.full_clean()
        figure.save()
    return figure


def information_report_latest(school: School, academic_year: int) -> InformationReportVersion | None:
    """The newest version for the year, else the newest of any earlier year (whose text is carried over)."""
    return (
        InformationReportVersion.objects.filter(school=school, academic_year__lte=academic_year)
        .order_by("-academic_year", "-number")
        .first()
    )


def information_report_save(
    *, school: School, academic_year: int, texts: dict[str, str], today: date, actor: AbstractBaseUser
) -> InformationReportVersion:
    """Save a new draft version of the SEN information report for the year (reg 51, Schedule 1; CFA s.69(3)):
    the school's own text for each section, with the facts drafted from the records as they stand today.
    Earlier versions are kept untouched; the new one awaits a governor's approval."""
    unknown = set(texts) - set(SECTION_KEYS)
    if unknown:
        raise ValidationError(f"Unknown sections: {', '.join(sorted(unknown))}.")
    if academic_year > (today.year if today.month >= 9 else today.year - 1):
        raise ValidationError("A report cannot be written for an academic year that has not started.")
    facts = information_facts(school, academic_year, today=today)
    sections = [{"key": s.key, "facts": facts.get(s.key, ""), "text": texts.get(s.key, "").strip()} for s in SECTIONS]
    with audited(actor):
        number = (
            InformationReportVersion.objects.select_for_update()
            .filter(school=school, academic_year=academic_year)
            .aggregate(n=Max("number"))["n"]
            or 0
        ) + 1
        version = InformationReportVersion(
            school=school, academic_year=academic_year, number=number, sections=sections, created_by=actor
        )
        version.full_clean()
        version.save()
    return version


def information_report_approve(
    *, version: InformationReportVersion, today: date, actor: AbstractBaseUser
) -> InformationReportVersion:
    """A governor approves a version on behalf of the governing body, which publishes it. Only the newest
    version of its year may be approved, and only when every section says something (each Schedule 1 item
    and each CFA s.69(3) item must be covered). Approving an approved version changes nothing."""
    if version.is_approved:
        return version
    newest = (
        InformationReportVersion.objects.filter(school=version.school_id, academic_year=version.academic_year)
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    if newest != version.pk:
        raise ValidationError("A newer version has been saved since this one: approve the newest version.")
    saved = {section["key"]: section for section in version.sections}
    empty = [s.title for s in SECTIONS if not (saved.get(s.key, {}).get("facts") or saved.get(s.key, {}).get("text"))]
    if empty:
        raise ValidationError(
            "Every section must say something before the report is approved. Empty: " + "; ".join(empty) + "."
        )
    with audited(actor):
        version.approved_by, version.approved_on = actor, today
        version.save(update_fields=["approved_by", "approved_on"])
        # Publishing meets the school's SEN information report deadline and opens next year's (+ 12 months).
        information_report_published(school=version.school, source=version, published_on=today)
    return version
