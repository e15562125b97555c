"""Hours and spend of the provision by area of need and wave, for the governors' report: aggregates only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from pupils.models import School

from .. import costs
from ..models_maps import Group, Session, SessionStatus
from .common import Period, _allocations


@dataclass
class SpendCell:
    """One area of need and wave: minutes delivered, staff cost, non-hour costs and places held."""

    minutes: int = 0
    staff_cost: Decimal = Decimal(0)
    other_cost: Decimal = Decimal(0)
    places: int = 0

    @property
    def spend(self) -> Decimal:
        return self.staff_cost + self.other_cost


@dataclass
class ProvisionSpend:
    period: Period
    cells: dict[tuple[str, int], SpendCell]  # (broad area, wave) -> figures; absent when nothing ran
    pupils: int  # pupils holding at least one place in the period
    uncosted_sessions: int  # delivered with no staff rate on the day, so missing from the staff cost

    def cell(self, area: str, wave: int) -> SpendCell:
        return self.cells.get((area, wave), SpendCell())

    @property
    def total(self) -> SpendCell:
        cells = self.cells.values()
        return SpendCell(
            sum(c.minutes for c in cells),
            sum((c.staff_cost for c in cells), Decimal(0)),
            sum((c.other_cost for c in cells), Decimal(0)),
            sum(c.places for c in cells),
        )


def provision_spend(school: School, *, period: Period) -> ProvisionSpend:
    """Hours and spend of the school's provision in a window, by area of need and wave, for reports: the staff
    cost of the sessions delivered in it (each at the rate on its day), the non-hour costs of the groups that
    started in it (a group's licence or charge falls when it starts), and the places held in it (a pupil in two
    groups holds two). Aggregates only, no pupil: four queries, whatever the number of pupils or sessions."""
    area, wave = "group__provision__broad_area", "group__provision__wave"
    cells: dict[tuple[str, int], SpendCell] = defaultdict(SpendCell)
    uncosted = 0
    delivered = (
        Session.objects.filter(
            group__provision__school=school,
            status=SessionStatus.DELIVERED,
            held_on__range=(period.starts_on, period.ends_on),
        )
        .order_by()
        .values_list(area, wave)
        .annotate(
            total_minutes=Sum("minutes"), total_cost=Sum("cost"), n_uncosted=Count("pk", filter=Q(cost__isnull=True))
        )
    )
    for broad_area, wave_number, minutes, cost, missing in delivered:
        cells[(broad_area, wave_number)].minutes += minutes or 0
        cells[(broad_area, wave_number)].staff_cost += cost or Decimal(0)
        uncosted += missing
    started = (
        Group.objects.filter(provision__school=school, starts_on__range=(period.starts_on, period.ends_on))
        .order_by()
        .values_list("provision__broad_area", "provision__wave")
        .annotate(total_cost=Sum("provision__non_hour_cost"))
    )
    for broad_area, wave_number, cost in started:
        cells[(broad_area, wave_number)].other_cost += cost or Decimal(0)
    places = _allocations(school, period).order_by()
    for broad_area, wave_number, n in places.values_list(area, wave).annotate(n=Count("pk")):
        cells[(broad_area, wave_number)].places += n
    pupils = places.values("pupil").distinct().count()
    for cell in cells.values():
        cell.staff_cost, cell.other_cost = costs.to_pennies(cell.staff_cost), costs.to_pennies(cell.other_cost)
    return ProvisionSpend(period, dict(cells), pupils, uncosted)
