"""Thin views for deadlines: parse, ask the access module, call a selector or service, render or redirect."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pupils import access
from pupils.access import school_action_required
from pupils.models import School
from pupils.pages import render_page
from send_mis.links import id_prefix
from send_mis.paging import counted_page
from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from . import calendar, feeds, selectors, services
from .access import DeadlineAction, can_use_deadline_feed, deadline_can, get_deadline_for_user
from .forms import DeadlineFilterForm, ExcuseForm, parse_month
from .models import DeadlineStatus


@school_action_required(DeadlineAction.LIST, cached_page=True)
def deadline_list(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    def build() -> dict:
        today = timezone.localdate()
        form = DeadlineFilterForm(
            request.GET or None, kinds=selectors.deadline_kinds(school), staff=access.staff_of(school)
        )
        chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
        deadlines = selectors.deadlines_for_list(
            request.user,
            school,
            today=today,
            state=chosen.get("state") or "open",
            party=chosen.get("party", ""),
            kind=chosen.get("kind", ""),
            responsible=chosen.get("responsible"),
        )
        key = selectors.list_key(request.user, school, today=today, chosen=chosen)
        page = counted_page(deadlines, request.GET.get("page"), key=key)
        query = request.GET.copy()
        query.pop("page", None)
        return {
            "school": school,
            "form": form,
            "page": page,
            "rows": selectors.with_warnings(page.object_list, today=today, closures=school.closures()),
            "query": query.urlencode(),
            "can": deadline_can(request.user, school.pk),
            # Each row's links are a prefix and an id: two reverse() a page, not two a row.
            "pupil_url": id_prefix("overview:pupil"),
            "excuse_url": id_prefix("deadlines:deadline-excuse", after="excuse/"),
        }

    return render_page(request, "deadlines/deadline_list.html", build)


@login_required
def deadline_excuse(request: AuthenticatedHttpRequest, deadline_id) -> HttpResponse:
    deadline = get_deadline_for_user(request.user, deadline_id, action=DeadlineAction.EXCUSE)
    if deadline.status != DeadlineStatus.OPEN:
        return render(request, "deadlines/deadline_excuse.html", {"deadline": deadline, "form": None})
    form = ExcuseForm(bound(request))
    selectors.with_warnings([deadline], today=timezone.localdate(), closures=deadline.school.closures())
    return form_step(
        request,
        form=form,
        save=lambda data: services.deadline_excuse_record(deadline=deadline, reason=data["reason"], actor=request.user),
        success="Deadline excused.",
        next_url=reverse("deadlines:deadline-excused", args=[deadline.pk]),
        template="deadlines/deadline_excuse.html",
        context={"deadline": deadline},
    )


@login_required
def deadline_excused(request: AuthenticatedHttpRequest, deadline_id) -> HttpResponse:
    deadline = get_deadline_for_user(request.user, deadline_id, action=DeadlineAction.LIST)
    return render(request, "deadlines/deadline_excused.html", {"deadline": deadline})


@school_action_required(DeadlineAction.CALENDAR)
def deadline_calendar(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    today = timezone.localdate()
    month_error = ""
    first = parse_month(request.GET.get("month"))
    if "month" in request.GET and first is None:
        month_error = "Give the month as year and month, for example 2026-11."
    term = school.terms.filter(ends_on__gte=today).order_by("starts_on").first()
    # One month at a time (this month unless another is asked for): a whole term ran to 10,000 pixels.
    firsts = [first or today.replace(day=1)]
    start, end = firsts[0], calendar.month_last_day(firsts[-1])
    closures = school.closures()
    deadlines = selectors.with_warnings(
        selectors.deadlines_in_range(school, start, end, user=request.user), today=today, closures=closures
    )
    # Staff read pupils' names here where they may see the pupil; initials stay in emails and feeds.
    named = set(
        access.pupils_visible_to(request.user)
        .filter(pk__in={d.pupil_id for d in deadlines})
        .values_list("pk", flat=True)
    )
    context = {
        "school": school,
        "term": term if first is None else None,
        "month_error": month_error,
        "named": named,
        "deadline_count": len(deadlines),
        "months": calendar.month_grids(firsts, deadlines, today=today, closures=closures),
        "previous": f"{calendar.shift_month(firsts[0], -1):%Y-%m}",
        "next": f"{calendar.shift_month(firsts[-1], 1):%Y-%m}",
        "day_names": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    }
    return render(request, "deadlines/deadline_calendar.html", context)


@login_required
def feed_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_use_deadline_feed(request.user):
        raise PermissionDenied
    live = selectors.calendar_feed_token_live(request.user)
    feed_url = settings.SITE_URL + reverse("deadlines:feed", args=[live.token]) if live else ""
    return render(request, "deadlines/feed_settings.html", {"live": live, "feed_url": feed_url})


@login_required
@require_POST
def feed_issue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_use_deadline_feed(request.user):
        raise PermissionDenied
    services.calendar_feed_token_issue(user=request.user, actor=request.user)
    messages.success(request, "Your calendar address has been created. Any earlier address no longer works.")
    return redirect("deadlines:feed-settings")


@login_required
@require_POST
def feed_revoke(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_use_deadline_feed(request.user):
        raise PermissionDenied
    services.calendar_feed_token_revoke(user=request.user, actor=request.user)
    messages.success(request, "Your calendar address has been turned off.")
    return redirect("deadlines:feed-settings")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: no login (calendar apps cannot sign in); the unguessable token is the credential,
    and a revoked or unknown token answers 404."""
    user = selectors.calendar_feed_owner(token)
    # A user who has lost every role with deadlines (or was deactivated) has no feed: the address stops working.
    if user is None or not can_use_deadline_feed(user):
        raise Http404("No such calendar.")
    today = timezone.localdate()
    deadlines = selectors.with_warnings_across_schools(selectors.deadlines_for_user(user, today=today), today=today)
    response = HttpResponse(
        feeds.deadlines_calendar(deadlines, today=today), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
