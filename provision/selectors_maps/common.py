"""The provision map's shared reads: dated staff rates, the element-2 settings, the periods pages cover, the
catalogue, the SEN budget, and the places held in a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Q,
    QuerySet,
)

from pupils.models import School
from send_mis.dates import academic_year_start

from .. import costs
from ..models_maps import (
    Allocation,
    Provision,
    SenBudget,
    StaffRate,
)


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


def _allocations(school: School, period: Period) -> QuerySet[Allocation]:
    return Allocation.objects.filter(
        group__provision__school=school,
        joined_on__lte=period.ends_on,
        group__starts_on__lte=period.ends_on,
        group__ends_on__gte=period.starts_on,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=period.starts_on))
