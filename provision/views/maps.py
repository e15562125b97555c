"""Thin views of the provision map: parse, ask provision.access, one form and one service call, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pupils import access
from pupils import services as pupil_services
from pupils.access import school_action_required, staff_of
from pupils.letters import download_name
from pupils.models import BroadArea, DisclosedDocument, School, YearGroup
from send_mis.pdf import PdfUnavailable, html_to_pdf
from send_mis.steps import AuthenticatedHttpRequest, bound, form_step

from .. import access as rules
from .. import exports, impact, services
from .. import selectors_maps as selectors
from ..access import GroupAction, MapAction
from ..forms_maps import (
    AllocationForm,
    BudgetForm,
    GroupForm,
    LeaveForm,
    ProvisionForm,
    ScoresForm,
    StaffRateForm,
    SupportLinkForm,
    WeekForm,
    WithdrawSessionForm,
)
from ..models_maps import Allocation, ExportPreset, Provision, Session, SessionStatus, Wave
from ..pdf import INSTALL_HINT

TEMPLATES = "provision/maps/"
MAP_PAGE_SIZE = 50  # rows of the whole-school map per page; the totals always cover every row


def _step(
    request: HttpRequest, *, form: Form, title: str, save: Callable[[dict], object], success: str, next_url: str
) -> HttpResponse:
    """form_step on the maps' plain form page, whose way back is where success goes."""
    return form_step(
        request,
        form=form,
        save=save,
        success=success,
        next_url=next_url,
        template=TEMPLATES + "form.html",
        context={"title": title, "back": next_url},
    )


def _can(request, school) -> dict[str, bool]:
    return rules.maps_can(request.user, school.pk)


# --- Catalogue, rates, budget --------------------------------------------------------------------------


@school_action_required(MapAction.CATALOGUE)
def catalogue(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    return render(
        request,
        TEMPLATES + "catalogue.html",
        {"provisions": selectors.catalogue(school), "can": _can(request, school)},
    )


@school_action_required(MapAction.MANAGE)
def provision_add(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    form = ProvisionForm(bound(request), school=school)
    return _step(
        request,
        form=form,
        title="Add a provision to the catalogue",
        save=lambda d: services.provision_save(provision=form.instance, actor=request.user),
        success="Provision added to the catalogue.",
        next_url=reverse("maps:catalogue"),
    )


@school_action_required(MapAction.MANAGE)
def provision_edit(request: AuthenticatedHttpRequest, school: School, provision_id) -> HttpResponse:
    provision = get_object_or_404(Provision, pk=provision_id, school=school)
    form = ProvisionForm(bound(request), instance=provision, school=school)
    return _step(
        request,
        form=form,
        title=f"Change {provision.name}",
        save=lambda d: services.provision_save(provision=form.instance, actor=request.user),
        success="Provision changed.",
        next_url=reverse("maps:catalogue"),
    )


@school_action_required(MapAction.RATES)
def rates(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    can = _can(request, school)
    if request.method == "POST":
        access.require_school_action(request.user, school, MapAction.RATES_CHANGE)
    return form_step(
        request,
        form=StaffRateForm(bound(request), initial={"valid_from": timezone.localdate()}),
        save=lambda d: services.staff_rate_set(school=school, actor=request.user, **d),
        success="Rate saved; sessions from that date are re-costed.",
        next_url=reverse("maps:rates"),
        template=TEMPLATES + "rates.html",
        context={"rates": selectors.staff_rates(school), "can": can},
    )


@school_action_required(MapAction.RATES_CHANGE)
def budget(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    today = timezone.localdate()
    current = selectors.budget_view(school, today=today)
    initial = {"financial_year": current.period.starts_on.year}
    if current.budget:
        initial |= {"notional_budget": current.budget.notional_budget, "top_up_funding": current.budget.top_up_funding}
    return _step(
        request,
        form=BudgetForm(bound(request), initial=initial),
        title="Set the notional SEN budget",
        save=lambda d: services.sen_budget_set(school=school, actor=request.user, **d),
        success="SEN budget saved.",
        next_url=reverse("maps:costs"),
    )


# --- Whole-school map, costs, impact -------------------------------------------------------------------


def _filters(request: HttpRequest) -> dict:
    get = request.GET
    year = get.get("year", "")
    wave = get.get("wave", "")
    return {
        "year_group": int(year) if year.lstrip("-").isdigit() and int(year) in YearGroup.values else None,
        "broad_area": get.get("area", "") if get.get("area", "") in BroadArea.values else "",
        "wave": int(wave) if wave.isdigit() and int(wave) in Wave.values else None,
    }


@school_action_required(MapAction.MAP)
def school_map(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    filters = _filters(request)
    result = selectors.school_map(
        school,
        period=selectors.Period.academic_year(timezone.localdate()),
        page=request.GET.get("page") or 1,
        page_size=MAP_PAGE_SIZE,
        **filters,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        TEMPLATES + "map.html",
        {
            "map": result,
            "page": result.page,
            "page_query": query.urlencode(),
            "filters": filters,
            "years": YearGroup.choices,
            "areas": BroadArea.choices,
            "waves": Wave.choices,
            "can": _can(request, school),
            "query": request.GET.urlencode(),
        },
    )


@school_action_required(MapAction.COSTS)
def school_map_xlsx(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    period = selectors.Period.academic_year(timezone.localdate())
    result = selectors.school_map(school, period=period, **_filters(request))
    headings, values = exports.table(result.rows, [*exports.COLUMNS])
    footer = [["Totals", "", *[""] * (len(headings) - 2)]]
    footer[0][headings.index("Annual cost per pupil (£)")] = result.totals.planned_cost
    footer[0][headings.index("Delivered cost to date (£)")] = result.totals.delivered_cost
    body = exports.to_xlsx(f"Provision map {period.label}", headings, values, footer)
    pupil_services.disclosures_record_many(
        pupils=[row.pupil for row in result.rows],
        document=DisclosedDocument.SCHOOL_PROVISION_MAP,
        actor=request.user,
        now=timezone.now(),
    )
    return _file(body, f"provision-map-{period.starts_on.year}.xlsx", XLSX)


@school_action_required(MapAction.COSTS)
def costs_page(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    today = timezone.localdate()
    result = selectors.school_map(school, period=selectors.Period.academic_year(today))
    pupil_costs = selectors.pupil_costs(result.rows)
    return render(
        request,
        TEMPLATES + "costs.html",
        {
            "map": result,
            "pupil_costs": pupil_costs,
            "flagged": [c for c in pupil_costs if c.meter != "below"],
            "budget": selectors.budget_view(school, today=today),
            "threshold": selectors.element2_threshold(),
            "can": _can(request, school),
        },
    )


@school_action_required(MapAction.MAP)
def impact_table(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    by = request.GET.get("by", "provision")
    by = by if by in selectors.BY_CHOICES else "provision"
    period = selectors.Period.last_twelve_months(timezone.localdate())
    rows = selectors.impact_table(school, period=period, by=by)
    best, worst = selectors.best_and_worst(rows)
    return render(
        request,
        TEMPLATES + "impact.html",
        {
            "rows": rows,
            "period": period,
            "by": by,
            "by_choices": selectors.BY_CHOICES,
            "by_label": selectors.BY_CHOICES[by],
            "best": best,
            "worst": worst,
            "method": impact.METHOD,
            "minimum": impact.MIN_PUPILS,
            "can": _can(request, school),
        },
    )


# --- Groups, timetable, class view ---------------------------------------------------------------------


@school_action_required(MapAction.TIMETABLE)
def timetable(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    groups = selectors.timetable(rules.groups_visible_to(request.user, school), today=timezone.localdate())
    return render(request, TEMPLATES + "timetable.html", {"groups": groups, "can": _can(request, school)})


@school_action_required(MapAction.CLASS_VIEW)
def class_view(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    context = selectors.class_view(request.user, school, today=timezone.localdate())
    return render(request, TEMPLATES + "class.html", context | {"can": _can(request, school)})


@school_action_required(MapAction.MANAGE)
def group_add(request: AuthenticatedHttpRequest, school: School) -> HttpResponse:
    today = timezone.localdate()
    form = GroupForm(bound(request), school=school, staff=staff_of(school), initial={"starts_on": today})

    def save(d: dict) -> object:
        return services.group_start(
            provision=d["provision"],
            name=d["name"],
            lead=d["lead"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            weekday=d["weekday"],
            starts_at=d["starts_at"],
            pupils=list(d["pupils"]),
            actor=request.user,
        )

    return form_step(
        request,
        form=form,
        save=save,
        success="Group started.",
        next_url=lambda group: reverse("maps:group", args=[group.pk]),  # type: ignore[attr-defined]
        template=TEMPLATES + "form.html",
        context={"title": "Start a group", "back": reverse("maps:timetable")},
    )


@login_required
def group_detail(request: HttpRequest, group_id) -> HttpResponse:
    group = rules.get_group_for_user(request.user, group_id)
    context = selectors.group_detail(group) | {"group": group, "can": rules.group_can(request.user, group)}
    return render(request, TEMPLATES + "group.html", context)


@login_required
def group_allocate(request: HttpRequest, group_id) -> HttpResponse:
    group = rules.get_group_for_user(request.user, group_id, action=GroupAction.MANAGE)
    form = AllocationForm(bound(request), school=group.provision.school)
    return _step(
        request,
        form=form,
        title=f"Add a pupil to {group.name}",
        save=lambda d: services.allocation_add(group=group, actor=request.user, **d),
        success="Pupil added to the group.",
        next_url=reverse("maps:group", args=[group.pk]),
    )


@login_required
def place_end(request: HttpRequest, group_id, allocation_id) -> HttpResponse:
    group = rules.get_group_for_user(request.user, group_id, action=GroupAction.MANAGE)
    place = get_object_or_404(Allocation, pk=allocation_id, group=group)
    return _step(
        request,
        form=LeaveForm(bound(request), initial={"left_on": timezone.localdate()}),
        title="A pupil leaves the group",
        save=lambda d: services.allocation_end(allocation=place, actor=request.user, **d),
        success="The pupil has left the group.",
        next_url=reverse("maps:group", args=[group.pk]),
    )


@login_required
def place_support(request: HttpRequest, group_id, allocation_id) -> HttpResponse:
    group = rules.get_group_for_user(request.user, group_id, action=GroupAction.MANAGE)
    place = get_object_or_404(Allocation.objects.select_related("pupil"), pk=allocation_id, group=group)
    return _step(
        request,
        form=SupportLinkForm(bound(request), pupil=place.pupil, initial={"support": place.support_id}),
        title=f"Link {place.pupil.display_name}'s place to their support plan",
        save=lambda d: services.allocation_support_link(allocation=place, support=d["support"], actor=request.user),
        success="Place linked to the support plan.",
        next_url=reverse("maps:group", args=[group.pk]),
    )


def _week_start(request: HttpRequest, today: date) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = today
    return selectors.week_of(day)[0]


@login_required
def group_week(request: HttpRequest, group_id) -> HttpResponse:
    group = rules.get_group_for_user(request.user, group_id, action=GroupAction.RECORD)
    today = timezone.localdate()
    days = selectors.week_of(_week_start(request, today))
    places = list(group.allocations.select_related("pupil"))
    existing: dict = {}
    recorded = group.sessions.filter(held_on__in=days).exclude(status=SessionStatus.WITHDRAWN)
    for session in recorded.prefetch_related("attendance"):
        existing[session.held_on] = session
        existing[(session.held_on, "absent")] = {a.pupil_id for a in session.attendance.all() if not a.is_present}
    form = WeekForm(bound(request), group=group, days=days, places=places, existing=existing)

    def save(d: dict) -> list:
        entries = [
            services.SessionInput(held_on=day, delivered=ok, minutes=m, cancel_reason=r, absent=a)
            for day, ok, m, r, a in form.entries()
        ]
        services.sessions_record(group=group, sessions=entries, today=today, actor=request.user)
        return entries

    monday = days[0]
    return form_step(
        request,
        form=form,
        save=save,
        success=lambda entries: f"{len(entries)} sessions recorded.",  # type: ignore[arg-type]
        next_url=reverse("maps:group", args=[group.pk]),
        template=TEMPLATES + "week.html",
        context={
            "group": group,
            "monday": monday,
            "previous": selectors.week_of(monday.fromordinal(monday.toordinal() - 7))[0],
            "next": selectors.week_of(monday.fromordinal(monday.toordinal() + 7))[0],
        },
    )


@login_required
def session_withdraw(request: HttpRequest, group_id, session_id) -> HttpResponse:
    """Withdraw a session recorded by mistake, after a confirmation page that asks why: whoever may record the
    group's sessions."""
    group = rules.get_group_for_user(request.user, group_id, action=GroupAction.RECORD)
    session = get_object_or_404(Session.objects.select_related("recorded_by"), pk=session_id, group=group)
    back = reverse("maps:group", args=[group.pk])
    return form_step(
        request,
        form=WithdrawSessionForm(bound(request)),
        save=lambda d: services.session_withdraw(
            session=session, reason=d["reason"], now=timezone.now(), actor=request.user
        ),
        success="Session withdrawn: it no longer counts in costs, attendance or impact.",
        next_url=back,
        template=TEMPLATES + "session_withdraw.html",
        context={"group": group, "session": session, "back": back, "withdrawn": SessionStatus.WITHDRAWN},
    )


@login_required
def group_scores(request: HttpRequest, group_id) -> HttpResponse:
    group = rules.get_group_for_user(request.user, group_id, action=GroupAction.RECORD)
    places = list(group.allocations.select_related("pupil"))
    form = ScoresForm(bound(request), group=group, places=places)

    def save(d: dict) -> object:
        rows = [services.ScoreInput(pk, entry, exit_) for pk, entry, exit_ in form.scores()]
        return services.scores_record(
            group=group, scores=rows, entry_on=d["entry_on"], exit_on=d["exit_on"], actor=request.user
        )

    return form_step(
        request,
        form=form,
        save=save,
        success="Scores saved.",
        next_url=reverse("maps:group", args=[group.pk]),
        template=TEMPLATES + "scores.html",
        context={"group": group},
    )


# --- A pupil's provision and costed map ---------------------------------------------------------------


@login_required
def pupil_history(request: HttpRequest, pupil_id) -> HttpResponse:
    pupil = rules.get_pupil_for_maps(request.user, pupil_id)
    pupil_services.pupil_record_viewed(pupil=pupil, actor=request.user)
    return render(
        request,
        TEMPLATES + "pupil.html",
        {"pupil": pupil, "history": selectors.pupil_history(pupil), "can": _can_for_pupil(request, pupil)},
    )


def _can_for_pupil(request, pupil) -> dict[str, bool]:
    return rules.maps_can(request.user, pupil.school_id)


def _costed(request: HttpRequest, pupil_id) -> dict:
    """The pupil's costed provision map for the academic year, in the chosen LA preset's columns."""
    pupil = rules.get_pupil_for_maps(request.user, pupil_id, costs=True)
    pupil_services.pupil_record_viewed(pupil=pupil, actor=request.user)
    today = timezone.localdate()
    result = selectors.school_map(pupil.school, period=selectors.Period.academic_year(today), pupil=pupil)
    presets = list(ExportPreset.objects.all())
    chosen = next((p for p in presets if str(p.pk) == request.GET.get("preset")), presets[0] if presets else None)
    headings, values = exports.table(result.rows, chosen.columns if chosen else [*exports.COLUMNS])
    planned = sum((r.planned_cost or Decimal(0) for r in result.rows), Decimal(0))
    delivered = sum((r.delivered_cost or Decimal(0) for r in result.rows), Decimal(0))
    threshold = selectors.element2_threshold()
    footer = [
        ["Annual cost of additional support (planned)", planned],
        ["Delivered so far this year", delivered],
        ["Element-2 threshold", threshold],
        ["Above the threshold by" if planned >= threshold else "Below the threshold by", abs(threshold - planned)],
    ]
    return {
        "pupil": pupil,
        "map": result,
        "presets": presets,
        "chosen": chosen,
        "headings": headings,
        "values": values,
        "footer": footer,
        # kind, initials and date (never a name): costed-provision-map-JH-2026-11-28 and its extension
        "filename": download_name("costed-provision-map", pupil, timezone.localdate()).removesuffix(".pdf"),
    }


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _costed_disclosed(request: HttpRequest, c: dict) -> None:
    """Log the download of a pupil's costed provision map in their disclosure log (who, what, when)."""
    pupil_services.disclosure_record(
        pupil=c["pupil"], document=DisclosedDocument.PROVISION_MAP, actor=request.user, now=timezone.now()
    )


def _file(body, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def pupil_costed(request: HttpRequest, pupil_id) -> HttpResponse:
    return render(request, TEMPLATES + "costed.html", _costed(request, pupil_id))


@login_required
def pupil_costed_xlsx(request: HttpRequest, pupil_id) -> HttpResponse:
    c = _costed(request, pupil_id)
    body = exports.to_xlsx("Costed provision map", c["headings"], c["values"], c["footer"])
    _costed_disclosed(request, c)
    return _file(body, c["filename"] + ".xlsx", XLSX)


@login_required
def pupil_costed_csv(request: HttpRequest, pupil_id) -> HttpResponse:
    c = _costed(request, pupil_id)
    body = exports.to_csv(c["headings"], c["values"], c["footer"])
    _costed_disclosed(request, c)
    return _file(body, c["filename"] + ".csv", "text/csv")


@login_required
def pupil_costed_pdf(request: HttpRequest, pupil_id) -> HttpResponse:
    c = _costed(request, pupil_id)
    try:
        body = html_to_pdf(
            render_to_string(TEMPLATES + "costed_pdf.html", {**c, "today": timezone.localdate(), "is_pdf": True}),
            stylesheets=["css/print.css", "provision/maps/costed-print.css"],
        )
    except PdfUnavailable:
        return render(request, TEMPLATES + "pdf_unavailable.html", c | {"reason": INSTALL_HINT}, status=503)
    _costed_disclosed(request, c)
    return _file(body, c["filename"] + ".pdf", "application/pdf")
