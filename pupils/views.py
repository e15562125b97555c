"""Thin views: parse, ask the access module, call a service, render or redirect."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from deadlines import selectors as deadline_selectors

from . import access, school_access, selectors, services
from .access import Action, SchoolAction
from .filters import PupilFilter
from .forms import ConcernForm, GrantForm, PupilForm, RegisterEndForm, RegisterEntryForm, TriageForm
from .models import ConcernStatus, SenConcern
from .retention import send_file_retained_until


def _apply_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's validation errors on the form, next to the field they name where possible."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not access.roles_of(request.user).by_school and school_access.can_create_school(request.user):
        # A superuser with no role in a school: set one up (or open one), rather than a 403.
        return redirect("school:start")
    school = access.current_school(request)
    if access.can_in_school(request.user, school.pk, SchoolAction.DASHBOARD):
        return redirect("pupils:dashboard")
    if access.can_in_school(request.user, school.pk, SchoolAction.PUPIL_LIST):
        return redirect("pupils:my-class")
    return redirect("pupils:register-summary")


@login_required
@require_POST
def school_choose(request: HttpRequest) -> HttpResponse:
    access.choose_school(request, request.POST.get("school", ""))
    return redirect("home")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, SchoolAction.DASHBOARD)
    today = timezone.localdate()
    context = {
        "school": school,
        "counts": selectors.register_counts(school, on=today),
        "recent": selectors.recent_register_changes(school),
        "concerns": selectors.concerns_open(school)[:20],
        "can_triage": access.can_in_school(request.user, school.pk, SchoolAction.CONCERN_TRIAGE),
        "deadline_panels": deadline_selectors.deadline_panels(school, today=today),
    }
    return render(request, "pupils/dashboard.html", context)


@login_required
def pupil_list(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, SchoolAction.PUPIL_LIST)
    pupils = selectors.pupils_for_list(request.user, school, on=timezone.localdate())
    filterset = PupilFilter(request.GET or None, queryset=pupils, school=school)
    results = filterset.qs if filterset.is_bound and filterset.is_valid() else pupils
    if not filterset.is_bound or not filterset.data.get("sort"):
        results = results.order_by("legal_surname", "legal_forename")
    page = Paginator(results, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pupils/pupil_list.html",
        {
            "school": school,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_add": access.can_in_school(request.user, school.pk, SchoolAction.PUPIL_ADD),
        },
    )


@login_required
def my_class(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, SchoolAction.PUPIL_LIST)
    pupils = selectors.pupils_taught_by(request.user, on=timezone.localdate()).filter(school=school)
    return render(request, "pupils/my_class.html", {"school": school, "pupils": pupils})


@login_required
def pupil_detail(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.VIEW)
    services.pupil_record_viewed(pupil=pupil, actor=request.user)
    context = {
        "pupil": pupil,
        "contacts": pupil.contacts.all(),
        "history": selectors.register_history(pupil),
        "concerns": pupil.sen_concerns.select_related("raised_by").all(),
        "can": access.pupil_can(request.user, pupil),
        "retained_until": send_file_retained_until(pupil.date_of_birth),
    }
    return render(request, "pupils/pupil_detail.html", context)


@login_required
def pupil_add(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, SchoolAction.PUPIL_ADD)
    form = PupilForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        pupil = form.save(commit=False)
        pupil.school = school
        services.pupil_save(pupil=pupil, actor=request.user)
        messages.success(request, "Pupil added.")
        return redirect("pupils:pupil-detail", pupil_id=pupil.pk)
    return render(request, "pupils/pupil_form.html", {"form": form, "school": school})


@login_required
def pupil_edit(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.PUPIL_EDIT)
    saved_name = pupil.display_name
    form = PupilForm(request.POST or None, instance=pupil, school=pupil.school)
    if request.method == "POST" and form.is_valid():
        services.pupil_save(pupil=form.save(commit=False), actor=request.user)
        messages.success(request, "Pupil details saved.")
        return redirect("pupils:pupil-detail", pupil_id=pupil.pk)
    # The form copies refused values onto `pupil`; the heading keeps the saved name.
    return render(
        request,
        "pupils/pupil_form.html",
        {"form": form, "pupil": pupil, "saved_name": saved_name, "school": pupil.school},
    )


@login_required
def register_add(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.REGISTER_CHANGE)
    form = RegisterEntryForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.register_entry_add(
                pupil=pupil,
                status=form.cleaned_data["status"],
                primary_need=form.cleaned_data["primary_need"],
                secondary_need=form.cleaned_data["secondary_need"],
                started_on=form.cleaned_data["started_on"],
                start_reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Added to the SEND register.")
            return redirect("pupils:pupil-detail", pupil_id=pupil.pk)
    return render(request, "pupils/register_form.html", {"form": form, "pupil": pupil, "mode": "add"})


def _open_entry(pupil, entry_id):
    return get_object_or_404(pupil.register_entries.select_related("primary_need"), pk=entry_id, ended_on__isnull=True)


@login_required
def register_change(request: HttpRequest, pupil_id, entry_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.REGISTER_CHANGE)
    entry = _open_entry(pupil, entry_id)
    initial = {
        "status": entry.status,
        "primary_need": entry.primary_need_id,
        "secondary_need": entry.secondary_need_id,
        "started_on": timezone.localdate(),
    }
    form = RegisterEntryForm(request.POST or None, initial=initial)
    form.fields["started_on"].label = "Change takes effect from"
    if request.method == "POST" and form.is_valid():
        try:
            services.register_entry_change(
                entry=entry,
                status=form.cleaned_data["status"],
                primary_need=form.cleaned_data["primary_need"],
                secondary_need=form.cleaned_data["secondary_need"],
                changed_on=form.cleaned_data["started_on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Register entry changed; the earlier entry is kept in the history.")
            return redirect("pupils:pupil-detail", pupil_id=pupil.pk)
    return render(
        request, "pupils/register_form.html", {"form": form, "pupil": pupil, "entry": entry, "mode": "change"}
    )


@login_required
def register_end(request: HttpRequest, pupil_id, entry_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.REGISTER_CHANGE)
    entry = _open_entry(pupil, entry_id)
    form = RegisterEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.register_entry_end(
                entry=entry,
                ended_on=form.cleaned_data["ended_on"],
                end_reason=form.cleaned_data["end_reason"],
                actor=request.user,
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Register entry ended; it stays in the pupil's history.")
            return redirect("pupils:pupil-detail", pupil_id=pupil.pk)
    return render(request, "pupils/register_end.html", {"form": form, "pupil": pupil, "entry": entry})


@login_required
def concern_raise(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.CONCERN_RAISE)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.concern_raise(pupil=pupil, actor=request.user, **form.cleaned_data)
        messages.success(request, "Concern sent to the SENCO.")
        return redirect("pupils:pupil-detail", pupil_id=pupil.pk)
    return render(request, "pupils/concern_form.html", {"form": form, "pupil": pupil})


@login_required
def concern_queue(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, SchoolAction.CONCERN_TRIAGE)
    page = Paginator(selectors.concerns_open(school), 50).get_page(request.GET.get("page"))
    return render(request, "pupils/concern_queue.html", {"school": school, "page": page})


@login_required
def concern_triage(request: HttpRequest, concern_id) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, SchoolAction.CONCERN_TRIAGE)
    concern = get_object_or_404(
        SenConcern.objects.select_related("pupil", "raised_by"),
        pk=concern_id,
        pupil__school=school,
        status=ConcernStatus.OPEN,
    )
    form = TriageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_triage(
                concern=concern,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                primary_need=form.cleaned_data["primary_need"],
                actor=request.user,
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Concern triaged.")
            return redirect("pupils:concern-queue")
    return render(request, "pupils/concern_triage.html", {"form": form, "concern": concern})


@login_required
def grants(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.GRANTS_MANAGE)
    form = GrantForm(request.POST or None, staff=access.staff_of(pupil.school))
    if request.method == "POST" and form.is_valid():
        try:
            services.pupil_access_grant(pupil=pupil, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Access granted.")
            return redirect("pupils:grants", pupil_id=pupil.pk)
    return render(request, "pupils/grants.html", {"pupil": pupil, "form": form, "grants": selectors.live_grants(pupil)})


@login_required
@require_POST
def grant_revoke(request: HttpRequest, pupil_id, grant_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.GRANTS_MANAGE)
    grant = get_object_or_404(pupil.access_grants, pk=grant_id)
    services.pupil_access_revoke(grant=grant, actor=request.user)
    messages.success(request, "Access revoked.")
    return redirect("pupils:grants", pupil_id=pupil.pk)


@login_required
def register_summary(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, SchoolAction.REGISTER_SUMMARY)
    counts = selectors.register_counts(school, on=timezone.localdate())
    return render(request, "pupils/register_summary.html", {"school": school, "counts": counts})


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    school = access.current_school(request)
    access.require_school_action(request.user, school, SchoolAction.AUDIT_LOG)
    entries = selectors.audit_entries(school, action=request.GET.get("action"))
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request, "pupils/audit_log.html", {"school": school, "page": page, "actions": LogEntry.Action.choices}
    )
