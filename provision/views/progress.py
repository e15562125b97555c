"""Progress data: the teacher's score grid, the SENCO's CSV import, and the school's settings."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils import access
from send_mis.dates import academic_year_label, academic_year_start
from send_mis.steps import apply_service_errors

from .. import imports, selectors, services
from ..access import ProvisionSchoolAction, classes_for_scores, get_class_for_scores
from ..forms import (
    AssessmentPointForm,
    ImportConfirmForm,
    SchoolSettingsForm,
    ScoreGridForm,
    ScoreImportForm,
    SubjectForm,
)
from ..models import AssessmentPoint, FlagStatus, ProgressFlag

IMPORT_SESSION_KEY = "provision_score_import"


@login_required
def scores(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, ProvisionSchoolAction.SCORES)
    year = academic_year_start(timezone.localdate()).year
    points = list(AssessmentPoint.objects.filter(school=school, academic_year__gte=year - 1))
    classes = classes_for_scores(request.user, school)
    return render(
        request,
        "provision/scores.html",
        {
            "school": school,
            "classes": classes,
            "points": points,
            "can_import": access.can_in_school(request.user, school.pk, ProvisionSchoolAction.SCORES_IMPORT),
            "year_missing": not any(point.academic_year == year for point in points),
            "year_label": academic_year_label(date(year, 9, 1)),
            "can_set_up_year": access.can_in_school(request.user, school.pk, ProvisionSchoolAction.SETTINGS),
        },
    )


@login_required
@require_POST
def year_set_up(request: HttpRequest) -> HttpResponse:
    """The SENCO creates this academic year's assessment points (and the school's default subjects and
    settings if it has none): a write, so a POST, audited; repeating it changes nothing."""
    school = access.current_school(request)
    access.require_school_action(request.user, school, ProvisionSchoolAction.SETTINGS)
    year = academic_year_start(timezone.localdate()).year
    services.school_defaults_ensure(school=school, academic_year=year, actor=request.user)
    messages.success(request, f"Assessment points for {academic_year_label(date(year, 9, 1))} are ready.")
    return redirect("provision:scores")


@login_required
def score_grid(request: HttpRequest, class_id, point_id) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, ProvisionSchoolAction.SCORES)
    klass = get_class_for_scores(request.user, school, class_id)
    point = get_object_or_404(AssessmentPoint, pk=point_id, school=school)
    pupils = list(selectors.class_pupils(klass, on=timezone.localdate()))
    form = ScoreGridForm(
        request.POST or None,
        pupils=pupils,
        subjects=selectors.subjects_for(school),
        school_settings=selectors.settings_for(school),
        existing=selectors.scores_for(pupils, point),
    )
    if request.method == "POST" and form.is_valid():
        changes = services.scores_save(
            point=point, values=form.values(), today=timezone.localdate(), actor=request.user
        )
        messages.success(request, f"Scores saved ({changes.total} changed). Flags for the class are up to date.")
        return redirect("provision:score-grid", class_id=klass.pk, point_id=point.pk)
    flags = ProgressFlag.objects.filter(
        point=point, pupil__in=[p.pk for p in pupils], status=FlagStatus.OPEN
    ).select_related("pupil", "subject")
    return render(
        request,
        "provision/score_grid.html",
        {
            "school": school,
            "klass": klass,
            "point": point,
            "form": form,
            "flags": flags,
        },
    )


@login_required
def score_import(request: HttpRequest) -> HttpResponse:
    """Upload and check a CSV (nothing is imported), then import: everything when the file is clean, only the
    good rows when the user ticks that box, and nothing otherwise."""
    school = access.current_school(request)
    access.require_school_action(request.user, school, ProvisionSchoolAction.SCORES_IMPORT)
    upload = ScoreImportForm()
    confirm = ImportConfirmForm()
    check = None
    if request.method == "POST" and "file" in request.FILES:
        upload = ScoreImportForm(request.POST, request.FILES)
        if upload.is_valid():
            text, problem = imports.decode(upload.cleaned_data["file"].read())
            if problem:
                upload.add_error("file", problem)
            else:
                check = imports.check_scores_csv(text, school=school, school_settings=selectors.settings_for(school))
                if check.file_error:
                    upload.add_error("file", check.file_error)
                    check = None
                else:
                    request.session[IMPORT_SESSION_KEY] = text
    elif request.method == "POST":
        text = request.session.get(IMPORT_SESSION_KEY)
        if not text:
            upload = ScoreImportForm(request.POST, request.FILES)
            upload.is_valid()  # no file: "Choose a CSV file to check."
        else:
            confirm = ImportConfirmForm(request.POST)
            confirm.is_valid()
            check = imports.check_scores_csv(text, school=school, school_settings=selectors.settings_for(school))
            if check.errors and not confirm.cleaned_data.get("good_rows_only"):
                confirm.add_error(
                    None,
                    "Nothing was imported: the file has bad rows. Fix them and check the file "
                    "again, or tick 'Import only the good rows'.",
                )
            else:
                changes = services.scores_import(
                    school=school, rows=check.good, today=timezone.localdate(), actor=request.user
                )
                del request.session[IMPORT_SESSION_KEY]
                messages.success(
                    request,
                    f"Imported {len(check.good)} rows ({changes.created} new scores, {changes.updated} changed)"
                    + (f"; {len(check.errors)} bad rows left out." if check.errors else "."),
                )
                return redirect("provision:score-import")
    return render(
        request,
        "provision/score_import.html",
        {
            "school": school,
            "form": upload,
            "confirm": confirm,
            "check": check,
        },
    )


def _settings_page(request, school, *, form=None, subject_form=None, point_form=None, status=200):
    return render(
        request,
        "provision/settings.html",
        {
            "school": school,
            "form": form or SchoolSettingsForm(instance=selectors.settings_for(school)),
            "subject_form": subject_form or SubjectForm(),
            "point_form": point_form or AssessmentPointForm(),
            "subjects": selectors.subjects_for(school),
            "points": AssessmentPoint.objects.filter(school=school),
        },
        status=status,
    )


@login_required
def settings(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, ProvisionSchoolAction.SETTINGS)
    form = SchoolSettingsForm(request.POST or None, instance=selectors.settings_for(school))
    if request.method == "POST" and form.is_valid():
        try:
            services.school_settings_save(school_settings=form.save(commit=False), actor=request.user)
        except (ValidationError, ValueError) as error:
            apply_service_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, "Settings saved. Recompute the flags to apply them.")
            return redirect("provision:settings")
    return _settings_page(request, school, form=form)


@login_required
def subject_add(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, ProvisionSchoolAction.SETTINGS)
    form = SubjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subject_add(school=school, name=form.cleaned_data["name"], actor=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Subject added.")
            return redirect("provision:settings")
    return _settings_page(request, school, subject_form=form)


@login_required
def point_add(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, ProvisionSchoolAction.SETTINGS)
    form = AssessmentPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_point_add(school=school, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Assessment point added.")
            return redirect("provision:settings")
    return _settings_page(request, school, point_form=form)
