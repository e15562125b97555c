"""Which reviews are transition reviews: the pupil changes phase next September (reg 18).

Pure: year group, school phase and the meeting date in; the last compliant day (or None) out.
"""

from __future__ import annotations

from datetime import date

from pupils.models import Phase, YearGroup
from send_mis.dates import academic_year_start

from . import statutory

# A nursery school's oldest pupils move to a school for Reception (or Year 1) next September.
_EARLY_YEARS = frozenset({YearGroup.NURSERY_1, YearGroup.NURSERY_2, YearGroup.RECEPTION})
_POST16_PHASES = frozenset({Phase.SECONDARY, Phase.ALL_THROUGH, Phase.SPECIAL})


def transfer_deadline(*, year_group: int, school_phase: str, meeting_on: date) -> date | None:
    """The last day the plan may be reviewed and amended for a phase transfer next September, or None.

    Year 6 moves to secondary (any phase of school); Nursery or Reception pupils move on where the school is a
    nursery school; Year 11 moves to post-16 where the school has a Year 11 (before 31 March: the last day is
    30 March, see statutory.phase_transfer_deadline). The transfer year is the September that ends
    the academic year of the meeting.
    """
    transfer_year = academic_year_start(meeting_on).year + 1
    if year_group == YearGroup.YEAR_6:
        return statutory.phase_transfer_deadline(transfer_year)
    if year_group in _EARLY_YEARS and school_phase == Phase.NURSERY:
        return statutory.phase_transfer_deadline(transfer_year)
    if year_group == YearGroup.YEAR_11 and school_phase in _POST16_PHASES:
        return statutory.phase_transfer_deadline(transfer_year, post16=True)
    return None
