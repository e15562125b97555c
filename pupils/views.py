"""Thin views: parse, ask the access module, call a service, render or redirect."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from send_mis.links import id_prefix
from send_mis.paging import counted_page
from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from . import access, selectors, services
from .access import Action, SchoolAction, school_action_required
from .filters import PupilFilter
from .forms import (
    AuditFilterForm,
    ConcernForm,
    GrantForm,
    PupilForm,
    RegisterEndForm,
    RegisterEntryForm,
    StatutorySettingsForm,
    TriageForm,
)
from .models import ConcernStatus, Pupil, RegisterStatus, School, SenConcern, YearGroup
from .pages import render_page
from .school_access import SchoolAdminAction, can_admin_school

AUDIT_PAGE_SIZE = 50


def _pupil_url(pupil: Pupil) -> str:
    return reverse("overview:pupil", args=[pupil.pk])


def _after_entry(pupil: Pupil, status: str) -> str:
    """Where the SENCO goes once a register entry is saved: on SEN support, straight on to start the support
    plan (the graduated approach's first step, pre-filled with the evidence gathered); otherwise the pupil."""
    if status == RegisterStatus.SEN_SUPPORT:
        return reverse("provision:plan-start", args=[pupil.pk]) + "?after=sen-support"
    return _pupil_url(pupil)


@login_required
@require_POST
def school_choose(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.choose_school(request, request.POST.get("school", ""))
    return redirect("home")


@school_action_required(SchoolAction.PUPIL_LIST, cached_page=True)
def pupil_list(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    def build() -> dict:
        today = timezone.localdate()
        pupils = selectors.pupils_for_list(request.user, school, on=today)
        filterset = PupilFilter(request.GET or None, queryset=pupils, school=school)
        filtered = filterset.is_bound and filterset.is_valid()
        results = filterset.qs if filtered else pupils
        by_name = not filterset.is_bound or not filterset.data.get("sort")
        if by_name:
            results = results.order_by("legal_surname", "legal_forename")
        chosen = filterset.form.cleaned_data if filtered else {}
        key = selectors.list_key(request.user, school, on=today, chosen=chosen, by_name=by_name)
        query = request.GET.copy()
        query.pop("page", None)
        return {
            "school": school,
            "filter": filterset,
            "page": counted_page(results, request.GET.get("page"), 50, key=key),
            "query": query.urlencode(),
            # Each row's link is this prefix and the pupil's id: one reverse() a page, not one a row.
            "pupil_url": id_prefix("overview:pupil"),
            "can_add": access.can_in_school(request.user, school.pk, SchoolAction.PUPIL_ADD),
        }

    return render_page(request, "pupils/pupil_list.html", build)


@school_action_required(SchoolAction.PUPIL_LIST)
def my_class(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    pupils = selectors.pupils_taught_by(request.user, on=timezone.localdate()).filter(school=school)
    return render(request, "pupils/my_class.html", {"school": school, "pupils": pupils})


@school_action_required(SchoolAction.PUPIL_ADD)
def pupil_add(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    form = PupilForm(bound(request), school=school)

    def save(data: dict) -> Pupil:
        pupil = form.save(commit=False)
        pupil.school = school
        services.pupil_save(pupil=pupil, actor=request.user)
        for warning in form.warnings:  # an LA code the project's list does not know yet: saved, with a note
            messages.warning(request, warning)
        return pupil

    return form_step(
        request,
        form=form,
        save=save,
        success="Pupil added.",
        next_url=_pupil_url,
        template="pupils/pupil_form.html",
        context={"school": school},
    )


@login_required
def pupil_edit(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.PUPIL_EDIT)
    saved_name = pupil.display_name
    form = PupilForm(bound(request), instance=pupil, school=pupil.school)

    def save_edit(data: dict) -> Pupil:
        saved = services.pupil_save(pupil=form.save(commit=False), actor=request.user)
        for warning in form.warnings:
            messages.warning(request, warning)
        return saved

    # The form copies refused values onto `pupil`; the heading keeps the saved name.
    return form_step(
        request,
        form=form,
        save=save_edit,
        success="Pupil details saved.",
        next_url=_pupil_url(pupil),
        template="pupils/pupil_form.html",
        context={"pupil": pupil, "saved_name": saved_name, "school": pupil.school},
    )


@login_required
def register_add(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.REGISTER_CHANGE)
    form = RegisterEntryForm(bound(request), initial={"started_on": timezone.localdate()})
    return form_step(
        request,
        form=form,
        save=lambda data: services.register_entry_add(
            pupil=pupil,
            status=data["status"],
            primary_need=data["primary_need"],
            secondary_need=data["secondary_need"],
            started_on=data["started_on"],
            start_reason=data["reason"],
            actor=request.user,
        ),
        success="Added to the SEND register.",
        next_url=lambda entry: _after_entry(pupil, entry.status),
        template="pupils/register_form.html",
        context={"pupil": pupil, "mode": "add"},
    )


def _open_entry(pupil, entry_id):
    return get_object_or_404(pupil.register_entries.select_related("primary_need"), pk=entry_id, ended_on__isnull=True)


@login_required
def register_change(request: AuthenticatedHttpRequest, pupil_id, entry_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.REGISTER_CHANGE)
    entry = _open_entry(pupil, entry_id)
    initial = {
        "status": entry.status,
        "primary_need": entry.primary_need_id,
        "secondary_need": entry.secondary_need_id,
        "started_on": timezone.localdate(),
    }
    form = RegisterEntryForm(bound(request), initial=initial)
    form.fields["started_on"].label = "Change takes effect from"
    was = entry.status
    return form_step(
        request,
        form=form,
        save=lambda data: services.register_entry_change(
            entry=entry,
            status=data["status"],
            primary_need=data["primary_need"],
            secondary_need=data["secondary_need"],
            changed_on=data["started_on"],
            reason=data["reason"],
            actor=request.user,
        ),
        success="Register entry changed; the earlier entry is kept in the history.",
        next_url=lambda new: (
            _after_entry(pupil, new.status) if was != RegisterStatus.SEN_SUPPORT else _pupil_url(pupil)
        ),
        template="pupils/register_form.html",
        context={"pupil": pupil, "entry": entry, "mode": "change"},
    )


@login_required
def register_end(request: AuthenticatedHttpRequest, pupil_id, entry_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.REGISTER_CHANGE)
    entry = _open_entry(pupil, entry_id)
    form = RegisterEndForm(bound(request), initial={"ended_on": timezone.localdate()})
    return form_step(
        request,
        form=form,
        save=lambda data: services.register_entry_end(
            entry=entry, ended_on=data["ended_on"], end_reason=data["end_reason"], actor=request.user
        ),
        success="Register entry ended; it stays in the pupil's history.",
        next_url=_pupil_url(pupil),
        template="pupils/register_end.html",
        context={"pupil": pupil, "entry": entry},
    )


@login_required
def concern_raise(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.CONCERN_RAISE)
    form = ConcernForm(bound(request))
    return form_step(
        request,
        form=form,
        save=lambda data: services.concern_raise(pupil=pupil, actor=request.user, **data),
        success="Concern sent to the SENCO.",
        next_url=_pupil_url(pupil),
        template="pupils/concern_form.html",
        context={"pupil": pupil},
    )


@school_action_required(SchoolAction.CONCERN_TRIAGE)
def concern_queue(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    page = Paginator(selectors.concerns_open(school), 50).get_page(request.GET.get("page"))
    return render(request, "pupils/concern_queue.html", {"school": school, "page": page})


@school_action_required(SchoolAction.CONCERN_TRIAGE)
def concern_triage(request: AuthenticatedHttpRequest, school: School, concern_id) -> HttpResponse:
    concern = get_object_or_404(
        SenConcern.objects.select_related("pupil", "raised_by"),
        pk=concern_id,
        pupil__school=school,
        status=ConcernStatus.OPEN,
    )
    form = TriageForm(bound(request))
    return form_step(
        request,
        form=form,
        save=lambda data: services.concern_triage(
            concern=concern,
            outcome=data["outcome"],
            reason=data["reason"],
            primary_need=data["primary_need"],
            actor=request.user,
        ),
        success="Concern triaged.",
        next_url=lambda triaged: (
            _after_entry(concern.pupil, RegisterStatus.SEN_SUPPORT)
            if triaged.status == ConcernStatus.SEN_SUPPORT
            else reverse("pupils:concern-queue")
        ),
        template="pupils/concern_triage.html",
        context={"concern": concern},
    )


@login_required
def grants(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.GRANTS_MANAGE)
    form = GrantForm(bound(request), staff=access.staff_of(pupil.school))
    return form_step(
        request,
        form=form,
        save=lambda data: services.pupil_access_grant(pupil=pupil, actor=request.user, **data),
        success="Access granted.",
        next_url=reverse("pupils:grants", args=[pupil.pk]),
        template="pupils/grants.html",
        context={"pupil": pupil, "grants": selectors.live_grants(pupil)},
    )


@login_required
@require_POST
def grant_revoke(request: AuthenticatedHttpRequest, pupil_id, grant_id) -> HttpResponse:
    pupil = access.get_pupil_for_user(request.user, pupil_id, action=Action.GRANTS_MANAGE)
    grant = get_object_or_404(pupil.access_grants, pk=grant_id)
    services.pupil_access_revoke(grant=grant, actor=request.user)
    messages.success(request, "Access revoked.")
    return redirect("pupils:grants", pupil_id=pupil.pk)


@school_action_required(SchoolAction.REGISTER_SUMMARY, cached_page=True)
def register_summary(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    def build() -> dict:
        counts = selectors.register_counts(school, on=timezone.localdate())
        return {"school": school, "counts": counts, "shown": selectors.anonymised(counts)}

    return render_page(request, "pupils/register_summary.html", build)


@school_action_required(SchoolAction.STATUTORY_SETTINGS)
def statutory_settings(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    initial = {
        "transition_review_by_month": school.transition_review_by_month,
        "transition_review_by_day": school.transition_review_by_day,
        "parents_told_school_days": school.parents_told_school_days,
    }
    form = StatutorySettingsForm(bound(request), initial=initial)
    return form_step(
        request,
        form=form,
        save=lambda data: services.school_statutory_settings_save(
            school=school,
            transition_review_by_month=data["transition_review_by_month"],
            transition_review_by_day=data["transition_review_by_day"],
            parents_told_school_days=data["parents_told_school_days"],
            actor=request.user,
        ),
        success="Settings saved; the deadlines follow on the next daily update.",
        next_url=reverse("pupils:statutory-settings"),
        template="pupils/statutory_settings.html",
        context={
            "school": school,
            "transfer_years": [YearGroup(year).label for year in sorted(school.phase_transfer_year_groups())],
            "can_edit_transfers": can_admin_school(request.user, school.pk, SchoolAdminAction.SETTINGS),
        },
    )


@school_action_required(SchoolAction.AUDIT_LOG)
def audit_log(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    """Who did what to which record, and when: "who opened this pupil's record last week?" in one filter."""
    form = AuditFilterForm(
        request.GET or None,
        people=selectors.audit_people(school),
        pupils=selectors.audit_pupils(school),
        actions=LogEntry.Action.choices,
    )
    entries = selectors.audit_entries(school, **(form.filters() if form.is_bound else {}))
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pupils/audit_log.html",
        {"school": school, "form": form, "page": page, "query": query.urlencode()},
    )
