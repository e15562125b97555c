"""A leaver's file sent on to the new school: the transfer, its sending and the receipt."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from send_mis.steps import bound

from .. import forms, services
from ..models import Transfer
from ._common import WORK, _child, _file, _file_url, _step, step_up


@login_required
@step_up
def file_transfer(request: HttpRequest, file_id) -> HttpResponse:
    file = _file(request, file_id, WORK)
    initial = {"left_on": file.pupil.left_on} if file.pupil.left_on else {}
    form = forms.TransferForm(bound(request), initial=initial)
    return _step(
        request,
        form=form,
        file=file,
        title="The child is leaving: send the file on",
        save=lambda data: services.transfer_start(
            file=file, destination=data["destination"], left_on=data["left_on"], actor=request.user
        ),
        success="Transfer recorded: the file is due at the new school within 5 days.",
        next_url=_file_url(file),
    )


@login_required
@step_up
def transfer_sent(request: HttpRequest, transfer_id) -> HttpResponse:
    transfer = _child(request, Transfer, transfer_id, WORK)
    form = forms.TransferSentForm(bound(request))
    return _step(
        request,
        form=form,
        file=transfer.file,
        title=f"File sent to {transfer.destination}",
        save=lambda data: services.transfer_sent(
            transfer=transfer,
            sent_on=data["sent_on"],
            sent_how=data["sent_how"],
            actor=request.user,
            today=timezone.localdate(),
        ),
        success="Recorded as sent.",
        next_url=_file_url(transfer.file),
    )


@login_required
@step_up
def transfer_receipt(request: HttpRequest, transfer_id) -> HttpResponse:
    transfer = _child(request, Transfer, transfer_id, WORK)
    form = forms.ReceiptForm(bound(request))
    return _step(
        request,
        form=form,
        file=transfer.file,
        title=f"Receipt from {transfer.destination}",
        save=lambda data: services.transfer_receipt(
            transfer=transfer,
            received_by=data["received_by"],
            received_on=data["received_on"],
            actor=request.user,
            today=timezone.localdate(),
        ),
        success="Receipt recorded.",
        next_url=_file_url(transfer.file),
    )
