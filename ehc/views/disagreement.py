"""Disagreements, mediation and tribunal appeals about a pupil's EHC process."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone

from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from .. import forms, services
from ..models import Disagreement
from ._common import CHANGE, _overview_url, _pupil, _record


@login_required
def disagreement_new(request: AuthenticatedHttpRequest, pupil_id) -> HttpResponse:
    pupil = _pupil(request, pupil_id, CHANGE)
    form = forms.DisagreementForm(bound(request), initial={"raised_on": timezone.localdate()})
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.disagreement_record(pupil=pupil, today=timezone.localdate(), actor=request.user, **d),
        success="Disagreement recorded.",
        next_url=back,
        template="ehc/step_form.html",
        context={"pupil": pupil, "title": "Record a disagreement", "back": back},
    )


@login_required
def disagreement_edit(request: AuthenticatedHttpRequest, disagreement_id) -> HttpResponse:
    disagreement, pupil = _record(request, Disagreement.objects.all(), disagreement_id, CHANGE)
    initial = {name: getattr(disagreement, name) for name in forms.DisagreementUpdateForm.base_fields}
    form = forms.DisagreementUpdateForm(bound(request), initial=initial)
    back = _overview_url(pupil)
    return form_step(
        request,
        form=form,
        save=lambda d: services.disagreement_update(
            disagreement=disagreement, today=timezone.localdate(), actor=request.user, **d
        ),
        success="Disagreement updated.",
        next_url=back,
        template="ehc/step_form.html",
        context={"pupil": pupil, "title": "Update the disagreement", "back": back, "intro": disagreement.summary},
    )
