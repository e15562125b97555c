"""Reporting a concern, for any member of staff: the report, its receipt and adding to it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from pupils.access import school_action_required
from pupils.models import School
from send_mis.steps import AuthenticatedHttpRequest, bound

from .. import access, forms, services
from ..models import EntryKind
from ._common import _step

# --- Reporting: any member of staff -------------------------------------------------------------


@school_action_required(access.SafeguardingAction.REPORT)
def report(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    pupils = access.pupils_to_report_on(request.user, school.pk)
    initial = {"pupil": request.GET.get("pupil")} if access.is_uuid(request.GET.get("pupil", "")) else {}
    form = forms.ConcernReportForm(bound(request), pupils=pupils, initial=initial)

    def save(data):
        return services.concern_report(
            pupil=data["pupil"],
            occurred_at=data["occurred_at"],
            location=data["location"],
            account=data["account"],
            others_involved=data["others_involved"],
            immediate_action=data["immediate_action"],
            told_dsl_in_person=data["told_dsl_in_person"],
            marks=data["marks"],
            actor=request.user,
            now=timezone.now(),
        )

    return _step(
        request,
        form=form,
        title="Report a safeguarding concern",
        save=save,
        success="Your concern has been sent to the DSL team.",
        next_url=lambda entry: reverse("safeguarding:concern-receipt", args=[entry.pk]),
        context={"body_grid": forms.body_grid(form)},
        template="safeguarding/report_form.html",
    )


@login_required
def concern_receipt(request: HttpRequest, entry_id) -> HttpResponse:
    concern = access.get_own_concern(request.user, entry_id)
    additions = concern.followups.filter(kind=EntryKind.ADDITION, recorded_by=request.user).count()
    dsl_team = access.dsl_team_of(concern.file.school_id)
    return render(
        request, "safeguarding/receipt.html", {"concern": concern, "additions": additions, "dsl_team": dsl_team}
    )


@login_required
def concern_add(request: HttpRequest, entry_id) -> HttpResponse:
    concern = access.get_own_concern(request.user, entry_id)
    form = forms.ConcernAddForm(bound(request))
    return _step(
        request,
        form=form,
        title="Add to your concern",
        save=lambda data: services.concern_add_to(
            concern=concern, text=data["text"], marks=data["marks"], actor=request.user, now=timezone.now()
        ),
        success="Your addition has been sent to the DSL team.",
        next_url=reverse("safeguarding:concern-receipt", args=[concern.pk]),
        context={
            "intro": "You cannot read your concern again; what you add here goes to the DSL team.",
            "body_grid": forms.body_grid(form),
        },
        template="safeguarding/report_form.html",
    )
