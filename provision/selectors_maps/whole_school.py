"""The whole-school map (its totals summed in the database, its rows read and costed a page at a time), the
element-2 meter and the budget."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from pupils.models import BroadArea, Pupil, RegisterEntry, RegisterStatus, School

from .. import costs, impact
from ..models_maps import (
    Allocation,
    Group,
    PlaceCost,
    Provision,
    SenBudget,
    Session,
    SessionStatus,
)
from .common import Period, _allocations, element2_near_share, element2_threshold, rates_of, sen_budget

# --- The map ---------------------------------------------------------------------------------------------


@dataclass
class MapRow:
    allocation: Allocation
    pupil: Pupil
    provision: Provision
    group: Group
    sen_status: str = ""
    primary_need: str = ""
    sessions_attended: int = 0
    delivered_cost: Decimal | None = None
    planned_cost: Decimal | None = None
    non_hour_share: Decimal = Decimal(0)
    unit_rate: Decimal | None = None
    minutes_per_pupil_week: Decimal = Decimal(0)

    @property
    def change(self) -> Decimal | None:
        a = self.allocation
        if a.entry_score is None or a.exit_score is None:
            return None
        return impact.change(a.entry_score, a.exit_score)


@dataclass
class MapTotals:
    pupils: int = 0
    places: int = 0
    hours_delivered: Decimal = Decimal(0)
    delivered_cost: Decimal = Decimal(0)
    planned_cost: Decimal = Decimal(0)
    uncosted_sessions: int = 0


@dataclass
class SchoolMap:
    rows: list[MapRow]
    totals: MapTotals
    period: Period
    by_area: dict[str, Decimal] = field(default_factory=dict)
    page: Page | None = None  # the page shown, when the map was asked for one


def map_places(
    school: School,
    *,
    period: Period,
    year_group: int | None = None,
    broad_area: str = "",
    wave: int | None = None,
    provision_id: uuid.UUID | None = None,
    pupil: Pupil | None = None,
    class_ids: list[uuid.UUID] | None = None,
) -> QuerySet[Allocation]:
    """The places the map shows for the period and filters, in the map's order (pupil, then provision)."""
    places = _allocations(school, period)
    if year_group is not None:
        places = places.filter(pupil__year_group=year_group)
    if broad_area:
        places = places.filter(group__provision__broad_area=broad_area)
    if wave is not None:
        places = places.filter(group__provision__wave=wave)
    if provision_id is not None:
        places = places.filter(group__provision_id=provision_id)
    if pupil is not None:
        places = places.filter(pupil=pupil)
    if class_ids is not None:
        places = places.filter(pupil__school_class_id__in=class_ids)
    return places.order_by("pupil__legal_surname", "pupil__legal_forename", "group__provision__name", "pk")


class _Costing:
    """The school's provisions and dated rates (two queries), and each provision's planned figures per pupil at
    the rate of a day, worked out once per (provision, rate) by the pure cost functions."""

    def __init__(self, school: School) -> None:
        self.provisions = {p.pk: p for p in Provision.objects.filter(school=school)}
        self.rates = rates_of(school)
        self._figures: dict[tuple, tuple[Decimal | None, Decimal | None, Decimal]] = {}

    def figures(self, provision: Provision, day: date) -> tuple[Decimal | None, Decimal | None, Decimal]:
        """Planned annual cost per pupil, loaded unit rate and staff minutes per pupil a week."""
        rate = costs.rate_on(self.rates, provision.staff_type, day)
        key = (provision.pk, rate)
        if key not in self._figures:
            self._figures[key] = (
                costs.planned_cost_per_pupil(
                    session_minutes=provision.session_minutes,
                    sessions_per_week=provision.sessions_per_week,
                    weeks=provision.weeks,
                    group_size=provision.group_size,
                    rate=rate,
                    non_hour_cost=provision.non_hour_cost,
                ),
                costs.to_pennies(rate.loaded_hourly) if rate else None,
                costs.minutes_per_pupil_per_week(
                    session_minutes=provision.session_minutes,
                    sessions_per_week=provision.sessions_per_week,
                    group_size=provision.group_size,
                ),
            )
        return self._figures[key]


def _rate_day(group_starts_on: date, period: Period) -> date:
    """The day whose rate prices a group's planned year: its start, inside the period."""
    return min(period.ends_on, max(group_starts_on, period.starts_on))


def map_totals(places: QuerySet[Allocation], *, period: Period, costing: _Costing) -> MapTotals:
    """The totals of every place the map shows, summed in the database: three queries whatever the number of
    pupils and sessions (places per group, distinct pupils, the groups' delivered sessions). Planned cost is the
    pure per-pupil figure times the places priced at it, so it equals the sum of the rows' planned costs."""
    places = places.order_by()
    per_group = list(
        places.values_list("group_id", "group__provision_id", "group__starts_on").annotate(n=Count("pk")).order_by()
    )
    totals = MapTotals()
    if not per_group:
        return totals
    totals.pupils = places.aggregate(n=Count("pupil", distinct=True))["n"]
    non_hour = Decimal(0)
    for _group_id, provision_id, starts_on, n in per_group:
        provision = costing.provisions[provision_id]
        planned, _, _ = costing.figures(provision, _rate_day(starts_on, period))
        totals.places += n
        totals.planned_cost += (planned or 0) * n
        non_hour += provision.non_hour_cost
    delivered = Session.objects.filter(
        group_id__in=[group_id for group_id, *_ in per_group],  # ids, not a subquery: the planner then uses the index
        status=SessionStatus.DELIVERED,
        held_on__range=(period.starts_on, period.ends_on),
    ).aggregate(total_minutes=Sum("minutes"), total_cost=Sum("cost"), uncosted=Count("pk", filter=Q(cost__isnull=True)))
    totals.hours_delivered = (Decimal(delivered["total_minutes"] or 0) / costs.MINUTES_PER_HOUR).quantize(
        Decimal("0.1")
    )
    totals.delivered_cost = costs.to_pennies((delivered["total_cost"] or Decimal(0)) + non_hour)
    totals.uncosted_sessions = delivered["uncosted"]
    return totals


def _with_figures(places: QuerySet[Allocation], *, period: Period) -> QuerySet[Allocation]:
    """The places with what a row shows beside them, as subqueries of the one query: the pupil's share and
    sessions attended (their PlaceCost row for the year), open register entry, and the group's pupils."""
    place_cost = PlaceCost.objects.filter(
        group_id=OuterRef("group_id"), pupil_id=OuterRef("pupil_id"), academic_year=period.starts_on.year
    )
    entry = RegisterEntry.objects.filter(pupil_id=OuterRef("pupil_id"), ended_on__isnull=True)
    allocated = (
        Allocation.objects.filter(group_id=OuterRef("group_id"))
        .order_by()
        .values("group_id")
        .annotate(n=Count("pupil", distinct=True))
        .values("n")
    )
    return places.select_related("pupil", "group").annotate(
        m_share=Subquery(place_cost.values("share")[:1]),
        m_attended=Subquery(place_cost.values("attended")[:1]),
        m_status=Subquery(entry.values("status")[:1]),
        m_need=Subquery(entry.values("primary_need__name")[:1]),
        m_allocated=Subquery(allocated[:1]),
    )


def map_rows(places, *, period: Period, costing: _Costing) -> list[MapRow]:
    """The map's rows for places read through _with_figures (a page of them, or all for an export): delivered
    cost (the pupil's shares plus their share of non-hour costs), planned annual cost, unit rate and minutes a
    week, priced by the pure cost functions."""
    labels = dict(RegisterStatus.choices)
    rows = []
    for place in places:
        group = place.group
        provision = costing.provisions[group.provision_id]
        group.provision = provision
        planned, unit_rate, minutes = costing.figures(provision, _rate_day(group.starts_on, period))
        non_hour = costs.non_hour_share(provision.non_hour_cost, place.m_allocated or 1)
        rows.append(
            MapRow(
                allocation=place,
                pupil=place.pupil,
                provision=provision,
                group=group,
                sen_status=labels[place.m_status] if place.m_status else "",
                primary_need=place.m_need or "",
                sessions_attended=place.m_attended or 0,
                delivered_cost=costs.pupil_delivered_cost([], non_hour_share=(place.m_share or Decimal(0)) + non_hour),
                non_hour_share=costs.to_pennies(non_hour),
                planned_cost=planned,
                unit_rate=unit_rate,
                minutes_per_pupil_week=minutes,
            )
        )
    return rows


def school_map(
    school: School,
    *,
    period: Period,
    page: int | str | None = None,
    page_size: int = 50,
    **filters,
) -> SchoolMap:
    """Every pupil's places in an academic year (or, given `page`, one page of them) with delivered cost (their
    shares of the sessions they attended and of non-hour costs), planned annual cost, and the totals of hours
    and cost over every place shown, summed in the database. Queries: provisions, rates, three for the totals,
    one for the rows: six, whatever the number of pupils and sessions."""
    costing = _Costing(school)
    places = map_places(school, period=period, **filters)
    totals = map_totals(places, period=period, costing=costing)
    paged = None
    with_figures = _with_figures(places, period=period)
    if page is not None:
        paginator = Paginator(with_figures, page_size)
        paginator.count = totals.places  # counted with the totals: no second count query
        paged = paginator.get_page(page)
        rows = map_rows(paged.object_list, period=period, costing=costing) if totals.places else []
        paged.object_list = rows
    else:
        rows = map_rows(with_figures, period=period, costing=costing) if totals.places else []
    by_area: dict[str, Decimal] = defaultdict(Decimal)
    if page is None:
        for row in rows:
            by_area[row.provision.broad_area] += row.delivered_cost or 0
    labels = dict(BroadArea.choices)
    return SchoolMap(rows, totals, period, {labels[k]: v for k, v in by_area.items()}, page=paged)


# --- The element-2 meter and the budget ------------------------------------------------------------------


@dataclass
class PupilCost:
    pupil: Pupil
    delivered: Decimal
    planned: Decimal
    meter: costs.Meter
    percent: int

    @property
    def measured(self) -> Decimal:
        return max(self.delivered, self.planned)


def pupil_costs(rows: list[MapRow]) -> list[PupilCost]:
    """Per pupil, delivered and planned annual cost of additional support against the element-2 threshold. The
    meter reads the larger of the two (a term in, planned cost shows where the year is heading), highest
    first."""
    threshold, near = element2_threshold(), element2_near_share()
    by_pupil: dict[uuid.UUID, list[MapRow]] = defaultdict(list)
    for row in rows:
        by_pupil[row.pupil.pk].append(row)
    result = []
    for pupil_rows in by_pupil.values():
        delivered = sum((r.delivered_cost or 0 for r in pupil_rows), Decimal(0))
        planned = sum((r.planned_cost or 0 for r in pupil_rows), Decimal(0))
        measured = max(delivered, planned)
        result.append(
            PupilCost(
                pupil_rows[0].pupil,
                delivered,
                planned,
                costs.element2_meter(measured, threshold=threshold, near_share=near),
                costs.meter_percent(measured, threshold),
            )
        )
    return sorted(result, key=lambda c: (-c.measured, c.pupil.legal_surname))


@dataclass
class BudgetView:
    budget: SenBudget | None
    period: Period
    spent: Decimal

    @property
    def remaining(self) -> Decimal | None:
        if self.budget is None:
            return None
        return self.budget.notional_budget + self.budget.top_up_funding - self.spent

    @property
    def percent(self) -> int:
        if self.budget is None:
            return 0
        return costs.meter_percent(self.spent, self.budget.notional_budget + self.budget.top_up_funding)


def budget_view(school: School, *, today: date) -> BudgetView:
    """The financial year's notional SEN budget and top-up against the staff cost of sessions delivered in it."""
    period = Period.financial_year(today)
    spent = Session.objects.filter(
        group__provision__school=school,
        status=SessionStatus.DELIVERED,
        held_on__range=(period.starts_on, period.ends_on),
    ).aggregate(total=Sum("cost"))["total"] or Decimal(0)
    return BudgetView(sen_budget(school, period.starts_on.year), period, costs.to_pennies(spent))
