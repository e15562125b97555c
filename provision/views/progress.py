"""Progress data: the teacher's score grid, the SENCO's CSV import, and the school's settings."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils import access
from pupils.access import school_action_required
from pupils.models import School
from send_mis.dates import academic_year_label, academic_year_start
from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

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


@school_action_required(ProvisionSchoolAction.SCORES)
def scores(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    year = academic_year_start(timezone.localdate()).year
    points = list(AssessmentPoint.objects.filter(school=school, academic_year__gte=year - 1))
    classes = list(classes_for_scores(request.user, school))
    completion = selectors.score_completion(school, classes, points, today=timezone.localdate())
    grid = [(klass, [(point, completion[klass.pk, point.pk]) for point in points]) for klass in classes]
    states = Counter(cell.state for cell in completion.values())
    return render(
        request,
        "provision/scores.html",
        {
            "school": school,
            "classes": classes,
            "points": points,
            "grid": grid,
            "states": states,
            "can_import": access.can_in_school(request.user, school.pk, ProvisionSchoolAction.SCORES_IMPORT),
            "year_missing": not any(point.academic_year == year for point in points),
            "year_label": academic_year_label(date(year, 9, 1)),
            "can_set_up_year": access.can_in_school(request.user, school.pk, ProvisionSchoolAction.SETTINGS),
        },
    )


@login_required  # before require_POST, so an anonymous GET is sent to sign in, as on every page
@require_POST
@school_action_required(ProvisionSchoolAction.SETTINGS)
def year_set_up(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    """The SENCO creates this academic year's assessment points (and the school's default subjects and
    settings if it has none): a write, so a POST, audited; repeating it changes nothing."""
    year = academic_year_start(timezone.localdate()).year
    services.school_defaults_ensure(school=school, academic_year=year, actor=request.user)
    messages.success(request, f"Assessment points for {academic_year_label(date(year, 9, 1))} are ready.")
    return redirect("provision:scores")


@school_action_required(ProvisionSchoolAction.SCORES)
def score_grid(request: AuthenticatedHttpRequest, school: School, class_id, point_id) -> HttpResponse:
    klass = get_class_for_scores(request.user, school, class_id)
    point = get_object_or_404(AssessmentPoint, pk=point_id, school=school)
    today = timezone.localdate()
    pupils = list(selectors.class_pupils(klass, on=today))
    form = ScoreGridForm(
        bound(request),
        pupils=pupils,
        subjects=selectors.subjects_for(school),
        school_settings=selectors.settings_for(school),
        existing=selectors.scores_for(pupils, point),
    )
    flags = ProgressFlag.objects.filter(
        point=point, pupil__in=[p.pk for p in pupils], status=FlagStatus.OPEN
    ).select_related("pupil", "subject")
    return form_step(
        request,
        form=form,
        save=lambda data: services.scores_save(point=point, values=form.values(), today=today, actor=request.user),
        success=lambda changes: f"Scores saved ({changes.total} changed). Flags for the class are up to date.",
        next_url=reverse("provision:score-grid", args=[klass.pk, point.pk]),
        template="provision/score_grid.html",
        context={"school": school, "klass": klass, "point": point, "flags": flags},
    )


@school_action_required(ProvisionSchoolAction.SCORES_IMPORT)
def score_import(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    """Upload and check a CSV (nothing is imported), then import: everything when the file is clean, only the
    good rows when the user ticks that box, and nothing otherwise."""
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


def _settings_context(school: School, **bound_form: Form) -> dict:
    """The settings page shows three forms; the one just posted (named as in the template) replaces its blank.
    Its "form" key overrides form_step's, so a posted subject or point form stays in its own place."""
    return {
        "school": school,
        "form": SchoolSettingsForm(instance=selectors.settings_for(school)),
        "subject_form": SubjectForm(),
        "point_form": AssessmentPointForm(),
        "subjects": selectors.subjects_for(school),
        "points": AssessmentPoint.objects.filter(school=school),
        **bound_form,
    }


@school_action_required(ProvisionSchoolAction.SETTINGS)
def settings(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    form = SchoolSettingsForm(bound(request), instance=selectors.settings_for(school))

    def save(data: dict) -> None:
        try:
            services.school_settings_save(school_settings=form.save(commit=False), actor=request.user)
        except ValueError as error:
            raise ValidationError(str(error)) from error

    return form_step(
        request,
        form=form,
        save=save,
        success="Settings saved. Recompute the flags to apply them.",
        next_url=reverse("provision:settings"),
        template="provision/settings.html",
        context=_settings_context(school, form=form),
    )


@school_action_required(ProvisionSchoolAction.SETTINGS)
def subject_add(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    form = SubjectForm(bound(request))
    return form_step(
        request,
        form=form,
        save=lambda data: services.subject_add(school=school, name=data["name"], actor=request.user),
        success="Subject added.",
        next_url=reverse("provision:settings"),
        template="provision/settings.html",
        context=_settings_context(school, subject_form=form),
    )


@school_action_required(ProvisionSchoolAction.SETTINGS)
def point_add(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    form = AssessmentPointForm(bound(request))
    return form_step(
        request,
        form=form,
        save=lambda data: services.assessment_point_add(school=school, actor=request.user, **data),
        success="Assessment point added.",
        next_url=reverse("provision:settings"),
        template="provision/settings.html",
        context=_settings_context(school, point_form=form),
    )
