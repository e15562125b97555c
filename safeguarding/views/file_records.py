"""Work on one record of a file: ending a status, triage, an action done, a referral's response, a correction."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from send_mis.steps import bound

from .. import forms, selectors, services
from ..models import BodySide, Entry, EntryKind, StatusFlag
from ._common import WORK, _child, _file_url, _step, step_up


@login_required
@step_up
def flag_end(request: HttpRequest, flag_id) -> HttpResponse:
    flag = _child(request, StatusFlag, flag_id, WORK)
    form = forms.FlagEndForm(bound(request))
    return _step(
        request,
        form=form,
        file=flag.file,
        title=f"End: {flag.get_kind_display()}",
        save=lambda data: services.flag_end(
            flag=flag, ends_on=data["ends_on"], actor=request.user, today=timezone.localdate()
        ),
        success="Status ended.",
        next_url=_file_url(flag.file),
    )


@login_required
@step_up
def concern_triage(request: HttpRequest, entry_id) -> HttpResponse:
    concern = _child(request, Entry, entry_id, WORK, kind=EntryKind.CONCERN)
    form = forms.TriageForm(bound(request), categories=selectors.categories_of(concern.file.school))
    return _step(
        request,
        form=form,
        file=concern.file,
        title="Triage the concern",
        save=lambda data: services.concern_triage(
            concern=concern, category=data["category"], text=data["text"], actor=request.user, now=timezone.now()
        ),
        success="Concern triaged.",
        next_url=_file_url(concern.file),
        context={"concern": concern, "sides": BodySide.choices},
        template="safeguarding/triage_form.html",
    )


@login_required
@step_up
def action_done(request: HttpRequest, entry_id) -> HttpResponse:
    action = _child(request, Entry, entry_id, WORK, kind=EntryKind.ACTION)
    form = forms.ActionDoneForm(bound(request))
    return _step(
        request,
        form=form,
        file=action.file,
        title="Record the action done",
        save=lambda data: services.action_complete(
            action=action, done_on=data["done_on"], text=data["text"], actor=request.user, now=timezone.now()
        ),
        success="Action done.",
        next_url=_file_url(action.file),
        context={"intro": action.text},
    )


@login_required
@step_up
def referral_response(request: HttpRequest, entry_id) -> HttpResponse:
    referral = _child(request, Entry, entry_id, WORK, kind=EntryKind.REFERRAL)
    form = forms.ResponseForm(bound(request))
    return _step(
        request,
        form=form,
        file=referral.file,
        title=f"Response from {referral.get_agency_display()}",
        save=lambda data: services.referral_response_record(
            referral=referral,
            occurred_at=data["occurred_at"],
            text=data["text"],
            actor=request.user,
            now=timezone.now(),
        ),
        success="Response recorded.",
        next_url=_file_url(referral.file),
    )


@login_required
@step_up
def entry_correct(request: HttpRequest, entry_id) -> HttpResponse:
    entry = _child(request, Entry, entry_id, WORK)
    local = timezone.localtime(entry.occurred_at)
    form = forms.CorrectionForm(
        bound(request), initial={"text": entry.text, "occurred_on": local.date(), "occurred_time": local.time()}
    )
    return _step(
        request,
        form=form,
        file=entry.file,
        title=f"Correct: {entry.get_kind_display()}",
        save=lambda data: services.entry_correct(
            entry=entry,
            text=data["text"],
            occurred_at=data["occurred_at"],
            reason=data["reason"],
            actor=request.user,
            now=timezone.now(),
        ),
        success="Correction recorded; the original is kept.",
        next_url=_file_url(entry.file),
        context={"intro": "The original stays in the file, marked as corrected, with your reason."},
    )
