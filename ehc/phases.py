"""Which pupils change phase next September, and by when their plan must be amended (reg 18).

Pure: year group, the school's transfer year groups and a date in; the last compliant day (or None) out.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from pupils.models import YearGroup
from send_mis.dates import academic_year_start

from . import statutory


@dataclass(frozen=True)
class Transfer:
    """One pending phase transfer: the September it happens, the last day for the amended plan, and the
    school's planning date for the transition review."""

    transfer_year: int
    due_on: date
    review_by: date
    is_post16: bool


def transfer_for(
    *, year_group: int, transfer_year_groups: Collection[int], on: date, review_by: tuple[int, int] = (11, 1)
) -> Transfer | None:
    """The phase transfer of a pupil in ``year_group`` in the academic year containing ``on``, or None.

    Rule: reg 18(1) SEND Regulations 2014, for every transfer of reg 2(1) the school has
    (``transfer_year_groups``, a school setting): the plan is amended before 15 February of the calendar
    year of transfer (last day 14 February), or, from Year 11 into post-16, before 31 March (last day
    30 March). The transfer year is the September that ends the academic year of ``on``: on 1 September
    2026 or 31 August 2027 a Year 6 transfers in September 2027, due 14 February 2027. ``review_by`` is
    the school's (month, day) for the transition review in the autumn before (default 1 November).
    """
    if year_group not in transfer_year_groups:
        return None
    transfer_year = academic_year_start(on).year + 1
    is_post16 = year_group == YearGroup.YEAR_11
    month, day = review_by
    return Transfer(
        transfer_year=transfer_year,
        due_on=statutory.phase_transfer_deadline(transfer_year, post16=is_post16),
        review_by=statutory.transition_review_by(transfer_year, month=month, day=day),
        is_post16=is_post16,
    )


def transfer_deadline(*, year_group: int, transfer_year_groups: Collection[int], meeting_on: date) -> date | None:
    """The last day the plan may be reviewed and amended for a transfer next September, or None (see
    ``transfer_for``)."""
    transfer = transfer_for(year_group=year_group, transfer_year_groups=transfer_year_groups, on=meeting_on)
    return transfer.due_on if transfer else None
