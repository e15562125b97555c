"""The DSL team's school-wide pages: the dashboard, the inbox, categories, counts and attaching an incoming file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from pupils import access as core
from pupils.access import school_action_required
from pupils.models import School
from send_mis.steps import AuthenticatedHttpRequest, bound

from .. import access, forms, selectors, services
from ._common import _file_url, _page, _step, step_up

# --- The DSL team's school-wide pages ------------------------------------------------------------


@login_required
@step_up
def dashboard(request: HttpRequest) -> HttpResponse:
    school = core.current_school(request)
    access.require_work(request.user, school)
    today = timezone.localdate()
    context = {
        "school": school,
        "concerns": selectors.concerns_new(school),
        "deadlines": selectors.actions_due(school, today=today),
        "referrals": selectors.referrals_awaiting(school),
        "transfers": selectors.transfers_open(school),
        "leavers": selectors.leavers_without_transfer(school),
        "files": selectors.files_of_school(school),
        "today": today,
    }
    services.access_record_reads(
        user=request.user,
        files=[e.file for e in context["concerns"]] + [e.file for e in context["referrals"]],
        page=_page(request),
    )
    return render(request, "safeguarding/dashboard.html", context)


@login_required
@step_up
def inbox(request: HttpRequest) -> HttpResponse:
    school = core.current_school(request)
    access.require_work(request.user, school)
    concerns = selectors.concerns_new(school)
    services.access_record_reads(user=request.user, files=[e.file for e in concerns], page=_page(request))
    return render(request, "safeguarding/inbox.html", {"school": school, "concerns": concerns})


@login_required
@step_up
def categories(request: HttpRequest) -> HttpResponse:
    school = core.current_school(request)
    access.require_work(request.user, school)
    form = forms.CategoryForm(bound(request))
    return _step(
        request,
        form=form,
        title="Categories of concern",
        save=lambda data: services.category_add(school=school, name=data["name"], actor=request.user),
        success="Category added.",
        next_url=reverse("safeguarding:categories"),
        context={"categories": selectors.categories_of(school)},
        template="safeguarding/categories.html",
    )


@school_action_required(access.SafeguardingAction.COUNTS)
def counts(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    return render(
        request, "safeguarding/counts.html", {"school": school, **selectors.counts_by_category_and_term(school)}
    )


@login_required
@step_up
def incoming_attach(request: HttpRequest) -> HttpResponse:
    school = core.current_school(request)
    access.require_work(request.user, school)
    form = forms.IncomingForm(
        bound(request), request.FILES or None, pupils=access.pupils_to_report_on(request.user, school.pk)
    )

    def save(data):
        upload = data["upload"]
        return services.incoming_file_attach(
            pupil=data["pupil"],
            from_school=data["from_school"],
            received_on=data["received_on"],
            filename=upload.name,
            content_type=upload.content_type or "application/octet-stream",
            content=upload.read(),
            actor=request.user,
            today=timezone.localdate(),
        )

    return _step(
        request,
        form=form,
        title="Attach a file from the previous school",
        save=save,
        success="The file is attached.",
        next_url=lambda incoming: _file_url(incoming.file),
        context={"multipart": True},
    )
