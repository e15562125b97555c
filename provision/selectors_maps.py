"""Reads of the provision map: the catalogue, the whole-school map with its costs and totals, the element-2
meter, the impact and cost table, the class view, a pupil's history and the groups' timetable.

Each page's reads are a fixed number of aggregate queries, whatever the number of pupils and sessions: costs
are summed in the database (a pupil's share of a session is its cost / pupils present), then rounded once to
the penny by provision.costs.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear, Floor, Round

from pupils.models import BroadArea, Pupil, RegisterEntry, RegisterStatus, School, SchoolClass
from send_mis.dates import academic_year_start

from . import costs, impact
from .models import AssessmentPoint, SchoolSettings
from .models_maps import (
    Allocation,
    Attendance,
    Group,
    PlaceCost,
    Provision,
    Scale,
    SenBudget,
    Session,
    SessionStatus,
    StaffRate,
)
from .terms import SEASONS


def rates_of(school: School) -> list[costs.Rate]:
    """Every dated staff rate of the school, as the pure cost functions take them."""
    return [
        costs.Rate(r.staff_type, r.valid_from, r.hourly_rate, r.on_cost)
        for r in StaffRate.objects.filter(school=school).order_by("staff_type", "valid_from")
    ]


def element2_threshold() -> Decimal:
    return Decimal(settings.ELEMENT2_THRESHOLD)


def element2_near_share() -> Decimal:
    return Decimal(settings.ELEMENT2_NEAR_SHARE)


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date

    @classmethod
    def academic_year(cls, today: date) -> Period:
        start = academic_year_start(today)
        return cls(start, date(start.year + 1, 8, 31))

    @classmethod
    def financial_year(cls, today: date) -> Period:
        year = today.year if today.month >= 4 else today.year - 1
        return cls(date(year, 4, 1), date(year + 1, 3, 31))

    @classmethod
    def last_twelve_months(cls, today: date) -> Period:
        return cls(today - timedelta(days=365), today)

    @property
    def label(self) -> str:
        return f"{self.starts_on.year}/{(self.starts_on.year + 1) % 100:02d}"


def catalogue(school: School, *, active_only: bool = False) -> QuerySet[Provision]:
    """The school's provisions by name, with the number of groups each has run."""
    provisions = Provision.objects.filter(school=school).select_related("subject").annotate(groups_run=Count("groups"))
    return provisions.filter(is_active=True) if active_only else provisions


def staff_rates(school: School) -> QuerySet[StaffRate]:
    """The school's dated staff rates, newest first within each staff type."""
    return StaffRate.objects.filter(school=school)


def sen_budget(school: School, financial_year: int) -> SenBudget | None:
    return SenBudget.objects.filter(school=school, financial_year=financial_year).first()


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


def _allocations(school: School, period: Period) -> QuerySet[Allocation]:
    return Allocation.objects.filter(
        group__provision__school=school,
        joined_on__lte=period.ends_on,
        group__starts_on__lte=period.ends_on,
        group__ends_on__gte=period.starts_on,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=period.starts_on))


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
        group_id__in=places.values("group_id"),
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


# --- Impact and cost -------------------------------------------------------------------------------------


@dataclass
class ImpactRow:
    key: str
    label: str
    provision: Provision | None
    summary: impact.Summary
    effect: impact.EffectSize | None
    cost_per_pupil: Decimal | None
    pupils_allocated: int
    ratio_gain: Decimal | None = None
    ratio_band: str = ""


BY_CHOICES = {
    "provision": "Provision",
    "area": "Area of need",
    "lead": "Group lead",
    "term": "Term of the exit assessment",
}


def _impact_key(by: str):
    """The database expression a row of the impact table groups places by."""
    if by == "area":
        return F("group__provision__broad_area")
    if by == "lead":
        return F("group__lead_id")
    if by == "term":
        # The term of the exit test as academic year x 10 + the term's place (autumn 0, spring 1, summer 2), as
        # provision.terms.season_of names it: September to December autumn, January to March spring.
        year = ExtractYear("exit_on")
        return Case(
            When(exit_on__isnull=True, then=Value(None)),
            When(Q(exit_on__month__gte=9), then=year * 10),
            When(Q(exit_on__month__lte=3), then=(year - 1) * 10 + 1),
            default=(year - 1) * 10 + 2,
            output_field=IntegerField(),
        )
    return F("group__provision_id")


def _impact_label(by: str, key, provisions: dict, leads: dict) -> tuple[str, str]:
    if by == "area":
        return key, dict(BroadArea.choices).get(key, key)
    if by == "term":
        if key is None:
            return "", "Not yet assessed"
        year, index = divmod(int(key), 10)
        return f"{year}-{index}", f"{SEASONS[index].capitalize()} term {year}/{(year + 1) % 100:02d}"
    if by == "lead":
        lead = leads.get(key)
        return (str(lead.pk), lead.get_full_name() or lead.username) if lead else ("", "No lead named")
    return str(key), provisions[key].name


def impact_table(school: School, *, period: Period, by: str = "provision") -> list[ImpactRow]:
    """Per provision (or area of need, group lead, or term of the exit test): pupils with entry and exit scores,
    mean change, the share who improved, the mean ratio gain for reading ages, cost per pupil of the groups' whole
    runs, and for provisions linked to a progress subject, Hedges' g against same-band pupils who did not receive
    it. Counts, sums and sums of squares come from the database (one grouped query for the rows, one for the
    reading ages, one for staff costs, one per pair of assessment points compared), and the pure functions of
    provision.impact turn them into the figures: none reads every place or score into Python."""
    places = _allocations(school, period)
    key = _impact_key(by)
    scored = Q(entry_score__isnull=False, exit_score__isnull=False)
    dated = Q(entry_on__isnull=False, exit_on__isnull=False, exit_score__isnull=False)
    totals = list(
        places.annotate(k=key)
        .values("k")
        .annotate(
            pupils=Count("pupil", distinct=True),
            groups=Count("group", distinct=True),
            scored=Count("pk", filter=scored),
            total=Sum(
                F("exit_score") - F("entry_score"),
                filter=scored,
                output_field=DecimalField(max_digits=20, decimal_places=1),
            ),
            improved=Count("pk", filter=scored & Q(exit_score__gt=F("entry_score"))),
            dated=Count("pk", filter=dated),
            first_entry=Min("entry_on", filter=dated),
            last_exit=Max("exit_on", filter=dated),
        )
        .order_by()
    )
    if not totals:
        return []
    provisions = {p.pk: p for p in Provision.objects.filter(school=school).select_related("subject")}
    leads = (
        {u.pk: u for u in get_user_model().objects.filter(pk__in=[t["k"] for t in totals if t["k"] is not None])}
        if by == "lead"
        else {}
    )
    ratios: dict = defaultdict(list)
    for k, entry, exit_, entry_on, exit_on in (
        places.filter(scored, group__provision__measure_scale=Scale.READING_AGE)
        .annotate(k=key)
        .values_list("k", "entry_score", "exit_score", "entry_on", "exit_on")
    ):
        ratio = impact.ratio_gain(
            entry_months=entry, exit_months=exit_, months_elapsed=impact.months_between(entry_on, exit_on)
        )
        if ratio is not None:
            ratios[k].append(ratio)
    # The whole runs of the groups counted (every year), not only the days inside the window.
    staff = (
        dict(
            PlaceCost.objects.filter(
                group__provision__school=school,
                group__starts_on__lte=period.ends_on,
                group__ends_on__gte=period.starts_on,
            )
            .values("group__provision_id")
            .annotate(total=Sum("share"))
            .values_list("group__provision_id", "total")
        )
        if by == "provision"
        else {}
    )
    comparisons = _comparisons(school, places, totals, provisions) if by == "provision" else {}

    rows = []
    for t in totals:
        row_key, label = _impact_label(by, t["k"], provisions, leads)
        cost_per_pupil = None
        if by == "provision":
            spent = staff.get(t["k"], Decimal(0)) + provisions[t["k"]].non_hour_cost * t["groups"]
            cost_per_pupil = costs.to_pennies(spent / t["pupils"]) if t["pupils"] else None
        key_ratios = ratios.get(t["k"], [])
        mean_ratio = (sum(key_ratios, Decimal(0)) / len(key_ratios)).quantize(Decimal("0.01")) if key_ratios else None
        rows.append(
            ImpactRow(
                key=row_key,
                label=label,
                provision=provisions[t["k"]] if by == "provision" else None,
                summary=impact.summary_of_totals(t["scored"], t["total"] or Decimal(0), t["improved"]),
                effect=comparisons.get(t["k"]) if by == "provision" else None,
                cost_per_pupil=cost_per_pupil,
                pupils_allocated=t["pupils"],
                ratio_gain=mean_ratio,
                ratio_band=impact.ratio_band(mean_ratio).value if mean_ratio is not None else "",
            )
        )
    return sorted(rows, key=lambda r: (r.summary.mean_change is None, -(r.summary.mean_change or 0), r.label))


def _whole(value) -> int:
    """A count or sum of whole tenths from the database (an integer, a Decimal, or a float on SQLite)."""
    return round(value) if value is not None else 0


def _comparisons(
    school: School, places: QuerySet[Allocation], totals: list[dict], provisions: dict
) -> dict[uuid.UUID, impact.EffectSize]:
    """Hedges' g per provision linked to a progress subject: the change in that subject's termly scores between
    the last assessment point on or before the first entry test and the last one on or before the last exit
    test, for recipients against non-recipients of the same baseline band. The database sums each baseline
    band's changes (in whole tenths, exact on every database) for all pupils and for each provision's
    recipients; comparison pupils are the band's others. Two queries, and one per pair of assessment points."""
    linked = {t["k"]: t for t in totals if provisions[t["k"]].subject_id is not None}
    if not linked:
        return {}
    points = list(
        AssessmentPoint.objects.filter(school=school).order_by("assessed_on").values_list("pk", "assessed_on")
    )
    settings_row = SchoolSettings.objects.filter(school=school).first()
    width = settings_row.baseline_band_width if settings_row else Decimal(5)
    frames: dict[tuple, list] = defaultdict(list)  # (subject, entry point, exit point) -> provisions compared
    result: dict[uuid.UUID, impact.EffectSize] = {}
    for provision_id, t in linked.items():
        subject = provisions[provision_id].subject
        if not t["dated"]:
            result[provision_id] = impact.EffectSize(None, 0, 0, "No pupil has an exit score yet.")
            continue
        start, end = t["first_entry"], t["last_exit"]
        before = [pk for pk, on in points if on <= start]
        after = [pk for pk, on in points if start < on <= end]
        if before and after:
            frames[(subject.pk, before[-1], after[-1])].append(provision_id)
        else:
            result[provision_id] = impact.EffectSize(
                None, t["dated"], 0, f"No termly {subject.name} assessment before and during the provision to compare."
            )
    tenths_of_width = Value(int((width * 10).to_integral_value()))
    for (subject_id, entry_point, exit_point), compared in frames.items():
        # Each pupil's two scores joined in (no subquery per pupil), the change and band worked out once per row.
        received = {pid: Q(pk__in=places.filter(group__provision_id=pid).values("pupil_id")) for pid in compared}
        change = F("change")
        sums = {}
        for i, pid in enumerate(compared):
            sums |= {
                f"n{i}": Count("pk", filter=received[pid]),
                f"s{i}": Sum(change, filter=received[pid], output_field=IntegerField()),
                f"q{i}": Sum(change * change, filter=received[pid], output_field=IntegerField()),
            }
        bands = (
            Pupil.objects.filter(school=school)
            .alias(
                at_entry=FilteredRelation(
                    "progress_scores",
                    condition=Q(progress_scores__subject_id=subject_id, progress_scores__point_id=entry_point),
                ),
                at_exit=FilteredRelation(
                    "progress_scores",
                    condition=Q(progress_scores__subject_id=subject_id, progress_scores__point_id=exit_point),
                ),
            )
            .filter(at_entry__score__isnull=False, at_exit__score__isnull=False)
            .annotate(
                change=Round((F("at_exit__score") - F("at_entry__score")) * 10, output_field=IntegerField()),
                band=Floor(Round(F("at_entry__score") * 10, output_field=IntegerField()) / tenths_of_width),
            )
            .values("band")
            .annotate(
                n=Count("pk"),
                s=Sum(change, output_field=IntegerField()),
                q=Sum(change * change, output_field=IntegerField()),
                **sums,
            )
            .order_by()
        )
        moments: dict[uuid.UUID, list[list[int]]] = {pid: [[0, 0, 0], [0, 0, 0]] for pid in compared}
        for band in bands:
            every = [_whole(band["n"]), _whole(band["s"]), _whole(band["q"])]
            for i, pid in enumerate(compared):
                treated = [_whole(band[f"n{i}"]), _whole(band[f"s{i}"]), _whole(band[f"q{i}"])]
                if treated[0]:
                    for j in range(3):
                        moments[pid][0][j] += treated[j]
                        moments[pid][1][j] += every[j] - treated[j]
        for pid, (treated, comparison) in moments.items():
            result[pid] = impact.hedges_g_of_moments(
                impact.Moments(treated[0], Decimal(treated[1]) / 10, Decimal(treated[2]) / 100),
                impact.Moments(comparison[0], Decimal(comparison[1]) / 10, Decimal(comparison[2]) / 100),
            )
    return result


def best_and_worst(rows: list[ImpactRow]) -> tuple[ImpactRow | None, ImpactRow | None]:
    """The rows with the largest and smallest share of pupils improved (then mean change), among those with
    scored pupils. Shares compare across measures where mean changes on different scales do not."""
    scored = [r for r in rows if r.summary.mean_change is not None]
    if not scored:
        return None, None
    ordered = sorted(scored, key=lambda r: (r.summary.percent_improved, r.summary.mean_change))
    return ordered[-1], ordered[0]


# --- Groups, the timetable, the class view, a pupil's history --------------------------------------------


def timetable(groups: QuerySet[Group], *, today: date) -> list[Group]:
    """Groups running today or later, by day and time, each with its pupils in place today."""
    return list(
        groups.filter(ends_on__gte=today)
        .select_related("provision", "lead")
        .annotate(
            in_place=Count(
                "allocations",
                filter=Q(allocations__joined_on__lte=today)
                & (Q(allocations__left_on__isnull=True) | Q(allocations__left_on__gte=today)),
                distinct=True,
            )
        )
        .order_by(F("weekday").asc(nulls_last=True), F("starts_at").asc(nulls_last=True), "name")
    )


def group_detail(group: Group) -> dict:
    """A group's places (with pupils) and its sessions with attendance counts, newest first."""
    places = list(group.allocations.select_related("pupil", "pupil__school_class").order_by("joined_on"))
    sessions = list(group.sessions.order_by("-held_on", "status").select_related("recorded_by", "withdrawn_by"))
    return {"places": places, "sessions": sessions}


def week_of(day: date) -> list[date]:
    """The Monday to Friday of the week containing `day`."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(5)]


def class_view(user, school: School, *, today: date) -> dict:
    """A teacher's own pupils' current provisions and this week's sessions of their groups: three queries."""
    class_ids = list(SchoolClass.objects.filter(school=school, teachers=user).values_list("pk", flat=True))
    places = list(
        Allocation.objects.filter(pupil__school_class_id__in=class_ids, group__ends_on__gte=today, joined_on__lte=today)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .select_related("pupil", "pupil__school_class", "group", "group__provision", "group__lead")
        .order_by("pupil__legal_surname", "pupil__legal_forename")
    )
    week = week_of(today)
    group_ids = {p.group_id for p in places} | set(
        Group.objects.filter(lead=user, provision__school=school, ends_on__gte=today).values_list("pk", flat=True)
    )
    sessions = list(
        Session.objects.filter(group_id__in=group_ids, held_on__range=(week[0], week[-1]))
        .exclude(status=SessionStatus.WITHDRAWN)
        .select_related("group", "group__provision")
    )
    return {"places": places, "week": week, "sessions": sessions, "class_ids": class_ids}


def pupil_history(pupil: Pupil) -> list[dict]:
    """Every place a pupil has held over their time in school, newest first, with sessions attended and missed
    and their delivered cost (their shares plus non-hour costs). Three queries."""
    places = list(
        Allocation.objects.filter(pupil=pupil)
        .select_related("group", "group__provision", "group__lead")
        .order_by("-joined_on")
    )
    attended = {
        r["session__group_id"]: r
        for r in Attendance.objects.filter(pupil=pupil, session__status=SessionStatus.DELIVERED)
        .values("session__group_id")
        .annotate(present=Count("pk", filter=Q(is_present=True)), absent=Count("pk", filter=Q(is_present=False)))
    }
    shares = dict(
        PlaceCost.objects.filter(pupil=pupil)
        .values("group_id")
        .annotate(total=Sum("share"))
        .values_list("group_id", "total")
    )
    allocated = dict(
        Allocation.objects.filter(group_id__in=[p.group_id for p in places])
        .values("group_id")
        .annotate(n=Count("pupil", distinct=True))
        .values_list("group_id", "n")
    )
    history = []
    for place in places:
        figures = attended.get(place.group_id, {"present": 0, "absent": 0})
        non_hour = costs.non_hour_share(place.group.provision.non_hour_cost, allocated.get(place.group_id, 1))
        history.append(
            {
                "place": place,
                "present": figures["present"],
                "absent": figures["absent"],
                "cost": costs.pupil_delivered_cost(
                    [], non_hour_share=shares.get(place.group_id, Decimal(0)) + non_hour
                ),
                "change": impact.change(place.entry_score, place.exit_score)
                if place.entry_score is not None and place.exit_score is not None
                else None,
            }
        )
    return history
