"""A child protection file: its page, and recording notes, outcomes, actions, referrals and statuses on it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pupils import access as core
from send_mis.steps import bound

from .. import access, forms, selectors, services
from ..models import EntryKind
from ._common import READ, WORK, _file, _file_url, _step, step_up

# --- A child's file -----------------------------------------------------------------------------------


@login_required
@step_up
def file_detail(request: HttpRequest, file_id) -> HttpResponse:
    file = _file(request, file_id, READ)
    context = {
        "file": file,
        "pupil": file.pupil,
        "entries": selectors.chronology(
            file, only=access.entries_shared_with(request.user, file, today=timezone.localdate())
        ),
        "can": access.file_can(request.user, file),
        **selectors.file_summary(file, today=timezone.localdate()),
    }
    return render(request, "safeguarding/file_detail.html", context)


def _entry_step(request, file_id, *, form_class, title, kind_service, success, form_kwargs_for=None) -> HttpResponse:
    file = _file(request, file_id, WORK)
    form = form_class(bound(request), **(form_kwargs_for(file) if form_kwargs_for else {}))
    return _step(
        request,
        form=form,
        file=file,
        title=title,
        save=lambda data: kind_service(file, data),
        success=success,
        next_url=_file_url(file),
    )


@login_required
@step_up
def file_note(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.NoteForm,
        title="Record a note",
        success="Note recorded.",
        kind_service=lambda file, data: services.note_record(
            file=file,
            kind=EntryKind.NOTE,
            occurred_at=data["occurred_at"],
            text=data["text"],
            actor=request.user,
            now=timezone.now(),
        ),
    )


@login_required
@step_up
def file_outcome(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.OutcomeForm,
        title="Record an outcome",
        success="Outcome recorded.",
        kind_service=lambda file, data: services.note_record(
            file=file,
            kind=EntryKind.OUTCOME,
            occurred_at=data["occurred_at"],
            text=data["text"],
            actor=request.user,
            now=timezone.now(),
        ),
    )


@login_required
@step_up
def file_action(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.ActionForm,
        title="Add an action",
        success="Action added; its owner will be reminded.",
        form_kwargs_for=lambda file: {"staff": core.staff_of(file.school)},
        kind_service=lambda file, data: services.action_record(
            file=file,
            text=data["text"],
            owner=data["owner"],
            due_on=data["due_on"],
            actor=request.user,
            now=timezone.now(),
        ),
    )


@login_required
@step_up
def file_referral(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.ReferralForm,
        title="Record a referral",
        success="Referral recorded; the response will be chased.",
        kind_service=lambda file, data: services.referral_record(
            file=file,
            agency=data["agency"],
            occurred_at=data["occurred_at"],
            reference=data["reference"],
            spoken_to=data["spoken_to"],
            text=data["text"],
            actor=request.user,
            now=timezone.now(),
        ),
    )


@login_required
@step_up
def file_no_referral(request: HttpRequest, file_id) -> HttpResponse:
    file = _file(request, file_id, WORK)
    team = get_user_model().objects.filter(pk__in=[user.pk for user in access.dsl_team_of(file.school_id)])
    form = forms.NoReferralForm(bound(request), dsl_team=team)
    return _step(
        request,
        form=form,
        file=file,
        title="Record a decision not to refer",
        save=lambda data: services.no_referral_record(
            file=file,
            agency=data["agency"],
            occurred_at=data["occurred_at"],
            reasons=data["reasons"],
            decided_by=data["decided_by"],
            actor=request.user,
            now=timezone.now(),
        ),
        success="Decision recorded.",
        next_url=_file_url(file),
        context={"intro": "KCSIE asks for every decision and the reasons for it: both are required."},
    )


@login_required
@step_up
def file_status(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.StatusForm,
        title="Change the file's status",
        success="Status changed.",
        kind_service=lambda file, data: services.file_status_change(
            file=file, status=data["status"], reason=data["reason"], actor=request.user, now=timezone.now()
        ),
    )


@login_required
@step_up
def file_flag(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.FlagForm,
        title="Record the child's status",
        success="Status recorded.",
        kind_service=lambda file, data: services.flag_start(
            file=file, kind=data["kind"], starts_on=data["starts_on"], actor=request.user, today=timezone.localdate()
        ),
    )


@login_required
@step_up
def senco_told(request: HttpRequest, file_id) -> HttpResponse:
    return _entry_step(
        request,
        file_id,
        form_class=forms.SencoToldForm,
        title="Record that you told the SENCO",
        success="Recorded.",
        kind_service=lambda file, data: services.senco_told_record(
            file=file, text=data["text"], actor=request.user, now=timezone.now()
        ),
    )
