"""What provision costs: pure arithmetic in pounds and pence, no database and no clock.

The rules, as a costed provision map states them (the LA layout: time / group size x weeks x rate):

* A **session's cost** is its minutes / 60 x the hourly rate of the staff type on the day it was held x the
  on-cost multiplier (employer's national insurance and pension), rounded half up to the penny. Rates are
  dated: the rate used is the latest one that started on or before the session's date, so a new rate never
  re-prices past sessions.
* A **pupil's share** of a delivered session is its cost divided equally among the pupils present. Shares are
  kept unrounded and the pupil's total is rounded once, so four pupils sharing 10.00 each carry 2.50 and three
  sharing it 3.33 (10.00 / 3 x 3 rounded = 10.00 in the group's total, never 9.99 by rounding each share).
  A session delivered with nobody present (all absent) costs the group but no pupil.
* **Non-hour costs** (licences, equipment, an external service's charge) are per group, shared equally among
  the pupils allocated to the group.
* **Planned cost per pupil** for a year: session minutes x sessions a week x weeks / 60 x rate x on-cost /
  group size, plus the non-hour costs / group size.
* The **element-2 meter**: additional support up to the notional threshold (6,000 pounds by default, a
  setting) is met from the school's notional SEN budget; at or above it a pupil is a candidate for high-needs
  top-up funding (element 3); "near" is at or above a share of it (85% by default, a setting).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
MINUTES_PER_HOUR = Decimal(60)


def to_pennies(amount: Decimal) -> Decimal:
    """Round an amount of pounds half up to the penny (1.005 -> 1.01)."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rate:
    """An hourly rate of one staff type from a date, with its on-cost multiplier (1.30 = 30% on-costs)."""

    staff_type: str
    valid_from: date
    hourly: Decimal
    on_cost: Decimal

    @property
    def loaded_hourly(self) -> Decimal:
        return self.hourly * self.on_cost


def rate_on(rates: Sequence[Rate], staff_type: str, on: date) -> Rate | None:
    """The rate of a staff type on a date: the latest that started on or before it; None if none had started."""
    best = None
    for rate in rates:
        if (
            rate.staff_type == staff_type
            and rate.valid_from <= on
            and (best is None or rate.valid_from > best.valid_from)
        ):
            best = rate
    return best


def session_cost(*, minutes: int, rate: Rate | None) -> Decimal | None:
    """One session's staff cost to the penny: minutes / 60 x hourly rate x on-cost; None without a rate."""
    if rate is None:
        return None
    return to_pennies(Decimal(minutes) / MINUTES_PER_HOUR * rate.loaded_hourly)


def share_of(cost: Decimal, present: int) -> Decimal:
    """A pupil's unrounded share of a session's cost among the pupils present (nothing when none was)."""
    if present <= 0:
        return Decimal(0)
    return cost / Decimal(present)


def pupil_delivered_cost(sessions: Iterable[tuple[Decimal, int]], *, non_hour_share: Decimal = Decimal(0)) -> Decimal:
    """A pupil's delivered cost: the sum of their shares of each session attended (cost, pupils present),
    plus their share of non-hour costs, rounded once to the penny."""
    return to_pennies(sum((share_of(cost, present) for cost, present in sessions), Decimal(0)) + non_hour_share)


def non_hour_share(non_hour_cost: Decimal, pupils_allocated: int) -> Decimal:
    """A pupil's unrounded share of a group's non-hour costs, shared equally among the pupils allocated."""
    return share_of(non_hour_cost, pupils_allocated)


def minutes_per_pupil_per_week(*, session_minutes: int, sessions_per_week: int, group_size: int) -> Decimal:
    """Staff minutes per pupil per week (the LA column): session minutes x sessions a week / group size, to 0.1."""
    return (Decimal(session_minutes * sessions_per_week) / Decimal(max(group_size, 1))).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def planned_cost_per_pupil(
    *,
    session_minutes: int,
    sessions_per_week: int,
    weeks: int,
    group_size: int,
    rate: Rate | None,
    non_hour_cost: Decimal = Decimal(0),
) -> Decimal | None:
    """Planned annual cost per pupil to the penny: minutes x sessions a week x weeks / 60 x rate x on-cost /
    group size, plus non-hour costs / group size. None without a rate."""
    if rate is None:
        return None
    size = Decimal(max(group_size, 1))
    hours = Decimal(session_minutes * sessions_per_week * weeks) / MINUTES_PER_HOUR
    return to_pennies(hours * rate.loaded_hourly / size + non_hour_cost / size)


class Meter(enum.StrEnum):
    BELOW = "below"
    NEAR = "near"
    ABOVE = "above"

    @property
    def label(self) -> str:
        return {"below": "Below the threshold", "near": "Near the threshold", "above": "At or above the threshold"}[
            self.value
        ]


def element2_meter(cost: Decimal, *, threshold: Decimal, near_share: Decimal) -> Meter:
    """Where a pupil's additional support stands against the element-2 threshold: at or above it (a top-up
    candidate), near it (at or above `near_share` of it), or below."""
    if cost >= threshold:
        return Meter.ABOVE
    if cost >= threshold * near_share:
        return Meter.NEAR
    return Meter.BELOW


def meter_percent(cost: Decimal, threshold: Decimal) -> int:
    """The meter's fill, in whole percent of the threshold, capped at 100 for display."""
    if threshold <= 0:
        return 100
    return min(100, int((cost * 100 / threshold).to_integral_value(rounding=ROUND_HALF_UP)))
