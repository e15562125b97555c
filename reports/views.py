"""Thin views: parse, ask reports.access, call a selector or one service, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils.access import school_action_required
from pupils.models import School
from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from . import census, selectors, services
from .access import ReportAction, reports_can
from .csv_export import rows_to_csv
from .forms import CensusDayForm, InformationReportForm, NationalFigureForm
from .information import SECTIONS
from .models import InformationReportVersion, NationalFigure
from .pdf import pdf_response
from .periods import census_day, current_term, parse_period, periods_to_choose, year_label


def _csv_response(rows, *, filename: str) -> HttpResponse:
    response = HttpResponse(rows_to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The governors' report ------------------------------------------------------------------------------------


def _governors_context(request: AuthenticatedHttpRequest, school: School) -> dict:
    today = timezone.localdate()
    report = selectors.governors_report(school, parse_period(request.GET.get("period"), today=today), today=today)
    return {
        "report": report,
        "school": school,
        "today": today,
        "periods": periods_to_choose(today),
        "can": reports_can(request.user, school),
        "csv_base": reverse("reports:governors-csv", args=["_"]).removesuffix("_/"),
    }


@school_action_required(ReportAction.GOVERNORS_REPORT)
def governors_report(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    return render(request, "reports/governors_report.html", _governors_context(request, school))


@school_action_required(ReportAction.GOVERNORS_REPORT)
def governors_report_pdf(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    context = _governors_context(request, school)
    filename = f"governors-send-report-{school.urn}-{context['report'].period.slug}.pdf"
    return pdf_response(request, "reports/governors_report_print.html", context, filename=filename)


@school_action_required(ReportAction.GOVERNORS_REPORT)
def governors_table_csv(request: AuthenticatedHttpRequest, school: School, key: str) -> HttpResponse:
    today = timezone.localdate()
    period = parse_period(request.GET.get("period"), today=today)
    table = selectors.governors_report(school, period, today=today).table(key)
    if table is None:
        raise Http404("No such table.")
    return _csv_response(table.as_lists(), filename=f"{school.urn}-{period.slug}-{key}.csv")


# --- National figures -----------------------------------------------------------------------------------------


@school_action_required(ReportAction.NATIONAL_FIGURES)
def national_figures(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    form = NationalFigureForm(bound(request))
    return form_step(
        request,
        form=form,
        save=lambda data: services.national_figure_set(actor=request.user, **data),
        success="National figure saved.",
        next_url=reverse("reports:national-figures"),
        template="reports/national_figures.html",
        context={"school": school, "figures": NationalFigure.objects.all()},
    )


# --- The SEN information report -------------------------------------------------------------------------------


def _year_or_404(academic_year: int) -> int:
    if not 2000 <= academic_year <= current_term(timezone.localdate()).academic_year:
        raise Http404("No report for that year.")
    return academic_year


def _sections(version: InformationReportVersion | None) -> list[dict]:
    saved = {s["key"]: s for s in version.sections} if version else {}
    return [
        {"section": s, "facts": saved.get(s.key, {}).get("facts", ""), "text": saved.get(s.key, {}).get("text", "")}
        for s in SECTIONS
    ]


@school_action_required(ReportAction.INFORMATION_READ)
def information_report(
    request: AuthenticatedHttpRequest, school: School, academic_year: int, version_id=None
) -> HttpResponse:
    _year_or_404(academic_year)
    versions = InformationReportVersion.objects.filter(school=school, academic_year=academic_year).select_related(
        "created_by", "approved_by"
    )
    version = get_object_or_404(versions, pk=version_id) if version_id else versions.first()
    newest = versions.first()
    return render(
        request,
        "reports/information_report.html",
        {
            "school": school,
            "academic_year": academic_year,
            "year_label": year_label(academic_year),
            "version": version,
            "is_newest": version is not None and newest is not None and version.pk == newest.pk,
            "versions": versions,
            "sections": _sections(version),
            "can": reports_can(request.user, school),
            "public_url": reverse("reports:public-information", args=[school.urn]),
        },
    )


@school_action_required(ReportAction.INFORMATION_EDIT)
def information_report_edit(request: AuthenticatedHttpRequest, school: School, academic_year: int) -> HttpResponse:
    _year_or_404(academic_year)
    latest = services.information_report_latest(school, academic_year)
    initial = {s["key"]: s["text"] for s in latest.sections} if latest else {}
    form = InformationReportForm(bound(request), initial=initial)
    return form_step(
        request,
        form=form,
        save=lambda data: services.information_report_save(
            school=school, academic_year=academic_year, texts=data, today=timezone.localdate(), actor=request.user
        ),
        success="A new version of the SEN information report is saved. A governor can now approve it.",
        next_url=reverse("reports:information", args=[academic_year]),
        template="reports/information_edit.html",
        context={
            "school": school,
            "academic_year": academic_year,
            "year_label": year_label(academic_year),
            "carried_from": latest,
            "sections": SECTIONS,
        },
    )


@login_required  # before require_POST, so an anonymous GET is sent to sign in, as on every page
@require_POST
@school_action_required(ReportAction.INFORMATION_APPROVE)
def information_report_approve(
    request: AuthenticatedHttpRequest, school: School, academic_year: int, version_id
) -> HttpResponse:
    version = get_object_or_404(InformationReportVersion, pk=version_id, school=school, academic_year=academic_year)
    try:
        services.information_report_approve(version=version, today=timezone.localdate(), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Approved: this version is now the published SEN information report.")
    return redirect("reports:information-version", academic_year=academic_year, version_id=version.pk)


def _published(urn: str) -> tuple[School, InformationReportVersion]:
    school = get_object_or_404(School, urn=urn)
    version = (
        InformationReportVersion.objects.filter(school=school, approved_on__isnull=False)
        .order_by("-academic_year", "-number")
        .first()
    )
    if version is None:
        raise Http404("This school has not published a SEN information report yet.")
    return school, version


def _public_context(school: School, version: InformationReportVersion) -> dict:
    return {
        "school": school,
        "version": version,
        "year_label": year_label(version.academic_year),
        "sections": _sections(version),
    }


def public_information_report(request: HttpRequest, urn: str) -> HttpResponse:
    """The published (approved) SEN information report: no sign-in, a stable address by the school's URN."""
    school, version = _published(urn)
    return render(request, "reports/information_public.html", _public_context(school, version))


def public_information_report_pdf(request: HttpRequest, urn: str) -> HttpResponse:
    school, version = _published(urn)
    filename = f"sen-information-report-{school.urn}-{version.academic_year}.pdf"
    return pdf_response(request, "reports/information_print.html", _public_context(school, version), filename=filename)


# --- The census check -----------------------------------------------------------------------------------------


def _census(request: AuthenticatedHttpRequest, school: School) -> tuple[census.CensusFigures, CensusDayForm]:
    form = CensusDayForm(request.GET or None)
    today = timezone.localdate()
    term = current_term(today)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or census_day(term.academic_year, term.season)
    return census.census_figures(school, day=day), form


@school_action_required(ReportAction.CENSUS)
def census_check(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    figures, form = _census(request, school)
    return render(request, "reports/census.html", {"school": school, "figures": figures, "form": form})


@school_action_required(ReportAction.CENSUS)
def census_csv(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    figures, _ = _census(request, school)
    rows = [*figures.provision.as_lists(), [], *figures.needs.as_lists()]
    return _csv_response(rows, filename=f"census-{school.urn}-{figures.day.isoformat()}.csv")
